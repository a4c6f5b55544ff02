/**
 * The metrics-jobs consumer: one message is one batch of pulls (one project, one platform).
 *
 * - Only pulls still due at the index the message names are done; a repeated message finds them
 *   moved on and does nothing (and the store writes nothing twice anyway).
 * - The platform budget is counted before calling; over budget, the pulls wait for the budget's
 *   reset (the scheduler is told) instead of failing.
 * - A collection error never touches the post: it is noted on the pull and the pull is retried
 *   (transient) or deferred (rate limits, a connection that needs reconnecting). A dead grant
 *   marks the connection needs_reconnect, exactly as publishing does (`authorizedCalls`).
 */
import { and, eq, inArray } from 'drizzle-orm'
import { isoAt } from '../db/time'
import { createDb, type Db } from '../db/client'
import { autopilots, connections, metricPulls, posts, postTargets } from '../db/schema'
import { localParts, nextPull, type MetricValues } from '../domain/metrics'
import { authorizedCalls } from '../platforms'
import { PublishError, type Platform } from '../platforms/types'
import { consume } from '../queues/consume'
import { MetricsJob } from '../queues/messages'
import { schedulerFor } from '../scheduler/project-scheduler'
import { collectorFor, type CollectContext, type CollectTarget, type MetricsCollector } from './collectors'
import { takeQuota } from './quota'
import { recordPulls, type PullRecord } from './store'
import { log } from '../lib/log'

/** A pull whose connection needs the creator waits this long before it is tried again. */
export const DISCONNECTED_RETRY_MS = 24 * 3600_000

export type CollectStep = { status: 'collected'; snapshots: number; targets: number } | { status: 'deferred'; until: number; reason: string } | { status: 'ignored' }

export interface CollectDeps {
  now?: () => number
  /** Tests: the collector to use instead of the platform's. */
  collector?: (platform: Platform, mode: 'oauth' | 'sandbox') => MetricsCollector
}

/** The project's zone (its autopilot's), UTC without one. */
export async function projectZone(db: Db, projectId: string): Promise<string> {
  const row = await db.select({ config: autopilots.config }).from(autopilots).where(eq(autopilots.projectId, projectId)).get()
  return row?.config?.timezone ?? 'UTC'
}

/** Moves the pulls of a message to `at` (deferred), noting why; only those still at their index. */
async function defer(env: Env, db: Db, job: MetricsJob, workspaceId: string, at: number, reason: string): Promise<CollectStep> {
  for (const t of job.targets) {
    await db
      .update(metricPulls)
      .set({ nextAt: isoAt(at), leaseUntil: null, lastError: reason })
      .where(and(eq(metricPulls.postId, t.postId), eq(metricPulls.platform, job.platform), eq(metricPulls.nextIndex, t.pullIndex)))
      .run()
  }
  await schedulerFor(env, job.projectId).scheduleMetrics({ projectId: job.projectId, workspaceId, at })
  return { status: 'deferred', until: at, reason }
}

/** Handles one metrics-jobs message. Errors thrown here are retried by the queue (the pulls stay leased until then). */
export async function collectStep(env: Env, job: MetricsJob, deps: CollectDeps = {}): Promise<CollectStep> {
  const now = deps.now?.() ?? Date.now()
  const db = createDb(env.DB)
  const postIds = job.targets.map((t) => t.postId)
  const pulls = await db
    .select()
    .from(metricPulls)
    .where(and(eq(metricPulls.platform, job.platform), eq(metricPulls.projectId, job.projectId), inArray(metricPulls.postId, postIds)))
    .all()
  const wanted = new Map(job.targets.map((t) => [t.postId, t.pullIndex]))
  const live = pulls.filter((p) => wanted.get(p.postId) === p.nextIndex && p.nextAt !== null)
  if (live.length === 0) return { status: 'ignored' }

  const connection = await db
    .select()
    .from(connections)
    .where(and(eq(connections.projectId, job.projectId), eq(connections.platform, job.platform)))
    .get()
  if (!connection || connection.status !== 'active') {
    const reason = !connection || connection.status === 'disconnected' ? 'The account is not connected' : `The account needs reconnecting: ${connection.statusReason ?? ''}`.trim()
    return defer(env, db, job, live[0].workspaceId, now + DISCONNECTED_RETRY_MS, reason)
  }

  const rows = await db
    .select({ postId: posts.id, style: posts.style, scheduledAt: posts.scheduledAt, durationSec: posts.renderDurationSec, remoteId: postTargets.remoteId, publishedAt: postTargets.publishedAt })
    .from(postTargets)
    .innerJoin(posts, eq(posts.id, postTargets.postId))
    .where(and(eq(postTargets.platform, job.platform), inArray(postTargets.postId, live.map((p) => p.postId))))
    .all()
  const zone = await projectZone(db, job.projectId)
  const targets: CollectTarget[] = rows
    .filter((r) => r.remoteId && r.publishedAt)
    .map((r) => {
      const { weekday, hour } = localParts(zone, Date.parse(r.publishedAt!))
      return { postId: r.postId, remoteId: r.remoteId!, publishedAt: r.publishedAt!, style: r.style, weekday, hour, durationSec: r.durationSec }
    })

  const collector = deps.collector?.(job.platform, connection.mode) ?? collectorFor(env, job.platform, connection.mode)
  const base = { scopes: connection.scopes, accountSeed: job.projectId }
  const costs = collector.costs(targets, { platform: job.platform, connectionId: connection.id, accessToken: '', accountId: connection.accountId ?? '', now: () => now, ...base })
  const quota = await takeQuota(db, costs)
  if (!quota.ok) return defer(env, db, job, live[0].workspaceId, quota.retryAt, `Over the ${quota.budget} budget; waiting for it to reset`)

  let values: Map<string, MetricValues>
  try {
    values = await authorizedCalls(env, db, connection, { now: () => now }).withAuth((ctx) => collector.collect(targets, { ...ctx, ...base } satisfies CollectContext))
  } catch (error) {
    if (!(error instanceof PublishError)) throw error
    const f = error.failure
    if (f.kind === 'disconnected') return defer(env, db, job, live[0].workspaceId, now + DISCONNECTED_RETRY_MS, f.message)
    if (f.kind === 'quota' || f.kind === 'app_cap' || (f.kind === 'retryable' && (f.retryAfterSec ?? 0) >= 60)) return defer(env, db, job, live[0].workspaceId, now + (f.retryAfterSec ?? 3600) * 1000, f.message)
    // Transient: the queue tries again; the pulls stay leased meanwhile.
    throw error
  }

  const pulledAt = new Date(now).toISOString()
  const day = localParts(zone, now).day
  let snapshots = 0
  for (const target of targets) {
    const pull = live.find((p) => p.postId === target.postId)!
    const next = nextPull(Date.parse(target.publishedAt), pull.nextIndex + 1, now)
    const advance = env.DB.prepare(
      `update metric_pulls set next_index = ?1, next_at = ?2, lease_until = null, last_pulled_at = ?3, last_error = null where post_id = ?4 and platform = ?5 and next_index = ?6`,
    ).bind(next?.index ?? pull.nextIndex + 1, next ? isoAt(next.at) : null, pulledAt, target.postId, job.platform, pull.nextIndex)
    const found = values.get(target.remoteId)
    const record: PullRecord[] = found
      ? [{ projectId: job.projectId, postId: target.postId, platform: job.platform, pullIndex: pull.nextIndex, pulledAt, day, style: target.style, weekday: target.weekday, hour: target.hour, values: found }]
      : []
    // The schedule moves on in the same transaction as the snapshots: both or neither.
    snapshots += await recordPulls(env.DB, record, [advance])
  }
  return { status: 'collected', snapshots, targets: targets.length }
}

export async function handleMetricsBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  await consume(batch, MetricsJob, { baseDelaySec: 60 }, async (job) => {
    await collectStep(env, job)
    return 'ack'
  })
}

/** Pulls that kept failing: their lease lapses and the next alarm hands them out again. */
export async function handleMetricsDeadLetters(batch: MessageBatch<unknown>, _env: Env): Promise<void> {
  for (const message of batch.messages) {
    log.error('metrics pull gave up after retries; the scheduler will hand it out again', { body: message.body })
    message.ack()
  }
}
