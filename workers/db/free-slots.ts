/** The autopilot's coming slots that no post holds yet: what the calendar shows as planned and bulk scheduling fills. */
import { and, eq, gte, lte, or } from 'drizzle-orm'
import type { AutopilotConfig } from '../domain/autopilot-config'
import { nextSlots, slotKey } from '../domain/slots'
import type { Db } from './client'
import { posts } from './schema'

const BATCH = 200
/** A year of daily slots: far enough for any calendar page or bulk request. */
const MAX_SLOTS_LOOKED_AT = 2_000

/**
 * Up to `count` slots strictly after `after` (and before `before`, when given) that no post takes:
 * a slot is taken by the post keyed on it (any state: a skipped slot stays skipped) or by any
 * post that is not canceled at that same minute.
 */
export async function freeSlots(db: Db, projectId: string, config: AutopilotConfig, options: { after: Date; count: number; before?: Date }): Promise<Date[]> {
  const free: Date[] = []
  let after = options.after
  for (let looked = 0; free.length < options.count && looked < MAX_SLOTS_LOOKED_AT; looked += BATCH) {
    const batch = nextSlots(config, { projectId, after, count: BATCH }).filter((s) => !options.before || s < options.before)
    if (batch.length === 0) break
    const rows = await db
      .select({ slotKey: posts.slotKey, scheduledAt: posts.scheduledAt, status: posts.status })
      .from(posts)
      .where(
        and(
          eq(posts.projectId, projectId),
          or(
            and(gte(posts.scheduledAt, batch[0].toISOString()), lte(posts.scheduledAt, new Date(batch.at(-1)!.getTime() + 60_000).toISOString())),
            // A slot's post keeps its key when moved to another time. Slot keys sort by time ("2026-11-22T12:37Z").
            and(gte(posts.slotKey, slotKey(batch[0])), lte(posts.slotKey, slotKey(batch.at(-1)!))),
          ),
        ),
      )
      .all()
    const taken = new Set<string>()
    for (const row of rows) {
      taken.add(row.slotKey)
      if (row.status !== 'canceled') taken.add(slotKey(new Date(row.scheduledAt)))
    }
    for (const slot of batch) {
      if (!taken.has(slotKey(slot))) free.push(slot)
      if (free.length === options.count) break
    }
    if (batch.length < BATCH) break
    after = batch.at(-1)!
  }
  return free
}
