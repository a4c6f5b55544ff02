/** The drizzle handle over D1: one per binding object, so once per isolate, not per request. */
import type { SQL } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/d1'
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core'
import { schema } from './schema'

const newDb = (d1: D1Database) => drizzle(d1, { schema, casing: 'snake_case' })

export type Db = ReturnType<typeof newDb>

// drizzle walks the whole schema (every table's columns and relations) when a handle is made: the
// largest part of the Worker's own work on a request that reads one row. The handle holds nothing
// of a request (the binding, the schema, the dialect), and a binding object stays the same for an
// isolate's life, so each binding gets one. A wrapped binding (the bench's counting one) is
// another object and gets its own.
const handles = new WeakMap<D1Database, Db>()

export function createDb(d1: D1Database): Db {
  let db = handles.get(d1)
  if (!db) handles.set(d1, (db = newDb(d1)))
  return db
}

const dialect = new SQLiteAsyncDialect({ casing: 'snake_case' })

/**
 * Runs drizzle queries and raw SQL in one D1 batch (one transaction). drizzle's own `batch`
 * cannot take raw SQL with parameters, which the conditional event inserts need.
 */
export async function d1Batch(db: Db, items: (SQL | { toSQL(): { sql: string; params: unknown[] } })[]): Promise<D1Result[]> {
  const statements = items.map((item) => {
    const query = 'toSQL' in item ? item.toSQL() : dialect.sqlToQuery(item)
    return db.$client.prepare(query.sql).bind(...query.params)
  })
  return db.$client.batch(statements)
}

/**
 * Whether `error` is SQLite refusing a write for a unique index: `constraint` is how SQLite names
 * it, `table.column` for a column index, the index's name for one on an expression. Looks through
 * the causes (drizzle wraps a failed query's error).
 */
export function uniqueViolation(error: unknown, constraint: string): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const message = e instanceof Error ? e.message : String(e)
    if (message.includes('UNIQUE constraint failed') && message.includes(constraint)) return true
  }
  return false
}
