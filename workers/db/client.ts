/** The drizzle handle over D1. Made once per request by the `db` middleware. */
import type { SQL } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/d1'
import { SQLiteAsyncDialect } from 'drizzle-orm/sqlite-core'
import { schema } from './schema'

export function createDb(d1: D1Database) {
  return drizzle(d1, { schema, casing: 'snake_case' })
}

export type Db = ReturnType<typeof createDb>

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
