/**
 * Handing a saved autopilot configuration to the project's scheduler (#17). D1 holds what the
 * creator saved (`autopilots.config_version`); the scheduler's copy is marked taken
 * (`applied_version`) only once it answered. A scheduler that cannot be reached leaves the row
 * behind, and the sweeper (`sweeper/schedulers.ts`) hands the configuration over again.
 */
import { eq, lt, sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import { autopilots } from '../db/schema'
import type { AutopilotConfig } from '../domain/autopilot-config'
import { log } from '../lib/log'
import { schedulerFor } from './project-scheduler'

export interface SavedAutopilot {
  projectId: string
  workspaceId: string
  config: AutopilotConfig
  /** The row's config_version this configuration was saved as. */
  version: number
}

/** Gives the scheduler `saved` and marks it taken; false (logged) when the scheduler did not answer. */
export async function applyToScheduler(env: Pick<Env, 'PROJECT_SCHEDULER'>, db: Db, saved: SavedAutopilot, now?: number): Promise<boolean> {
  try {
    await schedulerFor(env, saved.projectId).configure({ ...saved, now })
  } catch (error) {
    log.warn('scheduler unreachable: the autopilot is saved and handed over by the sweeper', { projectId: saved.projectId, version: saved.version, error: String(error) })
    return false
  }
  await db
    .update(autopilots)
    .set({ appliedVersion: sql`max(${autopilots.appliedVersion}, ${saved.version})` })
    .where(eq(autopilots.projectId, saved.projectId))
    .run()
  return true
}

/** Autopilots saved while their scheduler could not be reached (oldest save first). */
export async function unappliedAutopilots(db: Db, limit: number): Promise<SavedAutopilot[]> {
  const rows = await db
    .select({ projectId: autopilots.projectId, workspaceId: autopilots.workspaceId, config: autopilots.config, version: autopilots.configVersion })
    .from(autopilots)
    .where(lt(autopilots.appliedVersion, autopilots.configVersion))
    .orderBy(autopilots.updatedAt)
    .limit(limit)
    .all()
  return rows
}
