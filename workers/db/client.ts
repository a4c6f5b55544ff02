/** The drizzle handle over D1. Made once per request by the `db` middleware. */
import { drizzle } from 'drizzle-orm/d1'
import { schema } from './schema'

export function createDb(d1: D1Database) {
  return drizzle(d1, { schema, casing: 'snake_case' })
}

export type Db = ReturnType<typeof createDb>
