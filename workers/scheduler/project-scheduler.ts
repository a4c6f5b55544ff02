/**
 * ProjectScheduler: one Durable Object per project. It owns *when* a project posts: it holds the
 * autopilot configuration and a cursor (the last slot it handled), and sets its alarm a render's
 * lead time before the next slot. D1 records what happened.
 *
 * Alarms are delivered at least once and may come late. A repeated alarm plans nothing new (posts
 * are unique per project and slot). Slots missed by more than the grace period, after downtime,
 * are recorded as skipped instead of published in a burst.
 */
import { DurableObject } from 'cloudflare:workers'
import { newRequestId, withContext } from '../lib/context'
import { withMetrics } from '../metrics/record'
import { createDb } from '../db/client'
import { autopilotConfigSchema, type AutopilotConfig } from '../domain/autopilot-config'
import { nextSlots } from '../domain/slots'
import { connectedPlatforms } from '../db/connections'
import { planSlot, recordMissed, type PlanResult } from './planner'
import { captionWriterFor } from '../ai/tools/captions'
import { MISCONFIGURED_RETRY_MS, MISSED_GRACE_MS, RENDER_LEAD_MS } from './timing'
import { dispatchDuePulls } from '../analytics/pulls'
import { log } from '../lib/log'
import { misconfigurations } from '../lib/config'

export { MISCONFIGURED_RETRY_MS, MISSED_GRACE_MS, RENDER_LEAD_MS } from './timing'
/** At most this many slots are handled in one alarm (after very long downtime). */
const MAX_SLOTS_PER_TICK = 400

interface State {
  projectId: string
  workspaceId: string
  config: AutopilotConfig
  /** Epoch ms of the last slot handled; slots after it are still ahead. */
  cursor: number
  /** The autopilot row's config_version this configuration came from (0: before migration 0022). */
  version?: number
}

export interface SchedulerStatus {
  enabled: boolean
  alarm: string | null
  cursor: string | null
  nextSlot: string | null
  /** When the next metrics pull is due (analytics), if any. */
  nextMetricsPull: string | null
}

/** The metrics side of the scheduler: which project, and when its next pull is due. */
interface MetricsState {
  projectId: string
  workspaceId: string
  at: number
}

export class ProjectScheduler extends DurableObject<Env> {
  /**
   * Stores (or replaces) the configuration and re-arms the alarm. Slots from `now` on are planned.
   * A configuration older than the one held (`version`, the autopilot row's config_version: two
   * saves racing, or the sweeper handing over one a later save already replaced) changes nothing.
   */
  async configure(input: { projectId: string; workspaceId: string; config: AutopilotConfig; version?: number; now?: number }): Promise<SchedulerStatus> {
    const config = autopilotConfigSchema.parse(input.config)
    const now = input.now ?? Date.now()
    const previous = await this.ctx.storage.get<State>('state')
    const version = input.version ?? 0
    if (previous && (previous.version ?? 0) > version) return this.status()
    // Slots the old configuration missed while this scheduler could not run (its alarm and this
    // call both came late, after an outage) are recorded as missed before the cursor moves on.
    if (previous?.config.enabled && previous.cursor < now - MISSED_GRACE_MS) await this.tick(now, { missedOnly: true })
    const kept = (await this.ctx.storage.get<State>('state'))?.cursor ?? 0
    // Keep the cursor when re-configuring, so slots already handled are not handled again.
    const cursor = Math.max(kept, now)
    await this.ctx.storage.put<State>('state', { projectId: input.projectId, workspaceId: input.workspaceId, config, cursor, version })
    log.info('scheduler configured', { projectId: input.projectId, enabled: config.enabled, version, cursor: new Date(cursor).toISOString() })
    await this.arm(now)
    return this.status()
  }

  /** Forgets the project (it was deleted): no alarm, no state. */
  async clear(): Promise<void> {
    await this.ctx.storage.deleteAlarm()
    await this.ctx.storage.deleteAll()
  }

  async status(): Promise<SchedulerStatus> {
    const state = await this.ctx.storage.get<State>('state')
    const alarm = await this.ctx.storage.getAlarm()
    const metrics = await this.ctx.storage.get<MetricsState>('metrics')
    const [next] = state ? nextSlots(state.config, { projectId: state.projectId, after: new Date(state.cursor), count: 1 }) : []
    return {
      enabled: state?.config.enabled ?? false,
      alarm: alarm === null ? null : new Date(alarm).toISOString(),
      cursor: state ? new Date(state.cursor).toISOString() : null,
      nextSlot: next?.toISOString() ?? null,
      nextMetricsPull: metrics ? new Date(metrics.at).toISOString() : null,
    }
  }

  async alarm(): Promise<void> {
    // No request started this work: the alarm gets its own id, carried by what it sends.
    await withMetrics(this.env, () =>
      withContext({ requestId: newRequestId('alarm'), scheduler: this.ctx.id.toString() }, async () => {
        const now = Date.now()
        log.debug('scheduler alarm', { scheduler: this.ctx.id.toString() })
        // An entry point of its own, checked as the others are (lib/config.ts): a deployment that
        // lacks a setting plans and dispatches nothing, says which, and rings again later.
        const problems = misconfigurations(this.env)
        if (problems.length) {
          log.error('misconfigured: the scheduler planned nothing; it rings again later', { settings: problems.map((p) => p.setting) })
          await this.ctx.storage.setAlarm(now + MISCONFIGURED_RETRY_MS)
          return
        }
        try {
          await this.tick(now)
          await this.collectMetrics(now)
          await this.arm(now)
        } catch (error) {
          // workerd rings a failed alarm again (with backoff): say so, since nothing else will.
          log.error('scheduler alarm failed; it will ring again', { error: String(error) })
          throw error
        }
      }),
    )
  }

  /**
   * Analytics: a pull of this project's metrics is due at `at` (a target was published, or a pull
   * was deferred). The alarm rings at the earliest of the next slot and the next pull.
   */
  async scheduleMetrics(input: { projectId: string; workspaceId: string; at: number; now?: number }): Promise<SchedulerStatus> {
    const previous = await this.ctx.storage.get<MetricsState>('metrics')
    const at = previous ? Math.min(previous.at, input.at) : input.at
    await this.ctx.storage.put<MetricsState>('metrics', { projectId: input.projectId, workspaceId: input.workspaceId, at })
    await this.arm(input.now ?? Date.now())
    return this.status()
  }

  /** Hands the due metrics pulls to the metrics-jobs queue and re-arms for the next one. */
  async collectMetrics(now: number): Promise<{ sent: number; messages: number }> {
    const metrics = await this.ctx.storage.get<MetricsState>('metrics')
    if (!metrics || metrics.at > now) return { sent: 0, messages: 0 }
    const result = await dispatchDuePulls(createDb(this.env.DB), this.env, metrics.projectId, now)
    if (result.wakeAt === null) await this.ctx.storage.delete('metrics')
    else await this.ctx.storage.put<MetricsState>('metrics', { ...metrics, at: result.wakeAt })
    await this.arm(now)
    return result
  }

  /**
   * Handles every slot whose planning time has come, then sets the alarm for the next one.
   * `missedOnly`: only the slots already past the grace period (recorded as missed).
   */
  async tick(now: number, options: { missedOnly?: boolean } = {}): Promise<PlanResult[]> {
    const state = await this.ctx.storage.get<State>('state')
    if (!state || !state.config.enabled) return []
    const db = createDb(this.env.DB)
    const ctx = {
      db,
      env: this.env,
      projectId: state.projectId,
      workspaceId: state.workspaceId,
      config: state.config,
      connectedPlatforms: await connectedPlatforms(db, state.projectId),
      // With an AI provider configured, the captions tool writes the texts (else the templates).
      writer: captionWriterFor(this.env, db, state.workspaceId),
    }
    const results: PlanResult[] = []
    let cursor = state.cursor
    for (let i = 0; i < MAX_SLOTS_PER_TICK; i++) {
      const [slot] = nextSlots(state.config, { projectId: state.projectId, after: new Date(cursor), count: 1 })
      if (slot.getTime() - RENDER_LEAD_MS > now) break
      if (options.missedOnly && slot.getTime() >= now - MISSED_GRACE_MS) break
      const result = slot.getTime() < now - MISSED_GRACE_MS ? await recordMissed(ctx, slot, new Date(now)) : await planSlot(ctx, slot)
      log.info('slot handled', { projectId: state.projectId, slot: slot.toISOString(), postId: result.postId, status: result.status, created: result.created })
      results.push(result)
      cursor = slot.getTime()
      // Saved after every slot: an alarm that dies halfway resumes where it stopped. Planning awaited
      // D1, so a configure() (a save, a pause) may have run meanwhile: its settings are kept, only
      // the cursor moves past the slot handled, and this tick stops (configure re-armed the alarm).
      const current = await this.ctx.storage.get<State>('state')
      if (!current) break
      const changed = !sameSettings(current, state)
      await this.ctx.storage.put<State>('state', { ...current, cursor: Math.max(current.cursor, cursor) })
      if (changed) break
    }
    await this.arm(now)
    return results
  }

  /** Sets the alarm at the earliest of the next slot's planning time and the next metrics pull. */
  private async arm(now: number): Promise<void> {
    const state = await this.ctx.storage.get<State>('state')
    const metrics = await this.ctx.storage.get<MetricsState>('metrics')
    const times: number[] = []
    if (state?.config.enabled) {
      const [slot] = nextSlots(state.config, { projectId: state.projectId, after: new Date(state.cursor), count: 1 })
      times.push(slot.getTime() - RENDER_LEAD_MS)
    }
    if (metrics) times.push(metrics.at)
    if (times.length === 0) await this.ctx.storage.deleteAlarm()
    else {
      const at = Math.max(now, Math.min(...times))
      await this.ctx.storage.setAlarm(at)
      log.debug('scheduler armed', { projectId: state?.projectId ?? metrics?.projectId, alarm: new Date(at).toISOString() })
    }
  }
}

/** Whether two stored states hold the same configuration (same save, same settings). */
function sameSettings(a: State, b: State): boolean {
  return (a.version ?? 0) === (b.version ?? 0) && JSON.stringify(a.config) === JSON.stringify(b.config)
}

/** The scheduler of a project. */
export function schedulerFor(env: Pick<Env, 'PROJECT_SCHEDULER'>, projectId: string) {
  const ns = env.PROJECT_SCHEDULER as unknown as DurableObjectNamespace<ProjectScheduler>
  return ns.get(ns.idFromName(projectId))
}
