/**
 * Platform budgets counted in D1 before a call is made: each (budget, window) row holds what was
 * spent; taking is one conditional upsert, so concurrent consumers never overspend. A batch takes
 * all its costs or none (what it took is given back when a later cost does not fit).
 */
import { and, eq, sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import { platformQuotas } from '../db/schema'
import type { QuotaCost } from './collectors'

export type QuotaResult = { ok: true } | { ok: false; budget: string; retryAt: number }

async function take(db: Db, cost: QuotaCost): Promise<boolean> {
  if (cost.cost > cost.limit) return false
  const row = await db
    .insert(platformQuotas)
    .values({ budget: cost.budget, window: cost.window, used: cost.cost })
    .onConflictDoUpdate({
      target: [platformQuotas.budget, platformQuotas.window],
      set: { used: sql`${platformQuotas.used} + ${cost.cost}` },
      setWhere: sql`${platformQuotas.used} + ${cost.cost} <= ${cost.limit}`,
    })
    .returning({ used: platformQuotas.used })
    .get()
  return !!row
}

async function giveBack(db: Db, cost: QuotaCost) {
  await db
    .update(platformQuotas)
    .set({ used: sql`max(0, ${platformQuotas.used} - ${cost.cost})` })
    .where(and(eq(platformQuotas.budget, cost.budget), eq(platformQuotas.window, cost.window)))
    .run()
}

/** Takes every cost, or none: over budget answers when the first full budget resets. */
export async function takeQuota(db: Db, costs: QuotaCost[]): Promise<QuotaResult> {
  const taken: QuotaCost[] = []
  for (const cost of costs) {
    if (await take(db, cost)) {
      taken.push(cost)
      continue
    }
    for (const t of taken) await giveBack(db, t)
    return { ok: false, budget: cost.budget, retryAt: cost.resetAt }
  }
  return { ok: true }
}

/** What a budget has spent in a window (tests, the benchmark). */
export async function quotaUsed(db: Db, budget: string, window: string): Promise<number> {
  const row = await db.select({ used: platformQuotas.used }).from(platformQuotas).where(and(eq(platformQuotas.budget, budget), eq(platformQuotas.window, window))).get()
  return row?.used ?? 0
}
