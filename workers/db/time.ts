/**
 * Time in D1. Every time column is ISO 8601 UTC text with milliseconds, like
 * `2026-11-21T12:00:00.000Z`: what `Date#toISOString()` writes in code and what `sqlNow()` writes in
 * SQL, so the two compare correctly as text (`lt(posts.leaseUntil, isoAt(now))`). The exceptions
 * are listed in schema.ts's header.
 */
import { sql } from 'drizzle-orm'

/** The database's current time, in the one representation (for defaults and `updatedAt`). */
export const sqlNow = () => sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`

/** Epoch milliseconds in the one representation. */
export const isoAt = (ms: number) => new Date(ms).toISOString()
