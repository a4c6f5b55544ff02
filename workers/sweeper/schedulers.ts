/**
 * The sweeper's part for the schedulers: an autopilot saved while its project's scheduler could
 * not be reached (#17) is handed to the scheduler now. The scheduler ignores a version older than
 * the one it holds, so a save that raced this one is never undone.
 */
import { createDb } from '../db/client'
import { applyToScheduler, unappliedAutopilots } from '../scheduler/apply'

const BATCH = 100

export interface SchedulerSweep {
  applied: number
  stillUnreachable: number
}

export async function reconcileSchedulers(env: Env, now = Date.now()): Promise<SchedulerSweep> {
  const db = createDb(env.DB)
  let applied = 0
  let stillUnreachable = 0
  for (const saved of await unappliedAutopilots(db, BATCH)) {
    if (await applyToScheduler(env, db, saved, now)) applied++
    else stillUnreachable++
  }
  return { applied, stillUnreachable }
}
