/**
 * The pull schedule in D1 and its hand-off to the queue. Each published target has a row in
 * `metric_pulls` with its next pull (an index into PULL_AGES_MS) and when it is due. The project's
 * ProjectScheduler owns the timing: its alarm calls `dispatchDuePulls`, which hands the due pulls
 * to `metrics-jobs` in platform-sized batches under a lease (so a repeated alarm does not hand them
 * out twice) and answers when the alarm should ring next.
 */
import { and, eq, isNotNull, isNull, lte, or, sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import { metricPulls, posts, postTargets } from '../db/schema'
import { nextPull } from '../domain/metrics'
import type { Platform } from '../domain/post-state'
import type { MetricsJob } from '../queues/messages'
import { sendMetricsJobs } from '../queues/producers'
import { log } from '../lib/log'
import { isoAt } from '../db/time'

/** How long a pull handed to the queue is held before it may be handed out again. */
export const PULL_LEASE_MS = 30 * 60_000
/** Ids per message by platform: what one call takes (YouTube 50, TikTok 20; Instagram reads one at a time). */
export const PULL_BATCH: Record<Platform, number> = { youtube: 50, tiktok: 20, instagram: 25 }
/** Pulls handed out per alarm at most; the rest go at the next alarm, moments later. */
const MAX_DISPATCH = 2000

/** Creates the pull rows of a project's published targets that have none yet (new publications). */
export async function ensurePulls(db: Db, projectId: string, now: number): Promise<number> {
  const missing = await db
    .select({ postId: postTargets.postId, platform: postTargets.platform, workspaceId: postTargets.workspaceId, publishedAt: postTargets.publishedAt })
    .from(postTargets)
    .innerJoin(posts, eq(posts.id, postTargets.postId))
    .leftJoin(metricPulls, and(eq(metricPulls.postId, postTargets.postId), eq(metricPulls.platform, postTargets.platform)))
    .where(and(eq(posts.projectId, projectId), eq(postTargets.status, 'published'), isNotNull(postTargets.publishedAt), isNotNull(postTargets.remoteId), isNull(metricPulls.postId)))
    .limit(500)
    .all()
  for (const t of missing) {
    const next = nextPull(Date.parse(t.publishedAt!), 0, now)
    await db
      .insert(metricPulls)
      .values({ postId: t.postId, platform: t.platform, projectId, workspaceId: t.workspaceId, publishedAt: t.publishedAt!, nextIndex: next?.index ?? 99, nextAt: next ? isoAt(next.at) : null })
      .onConflictDoNothing()
      .run()
  }
  return missing.length
}

/** When the project's alarm should ring for metrics: the earliest due pull (or lapsed lease); null when none is left. */
export async function nextWake(db: Db, projectId: string): Promise<number | null> {
  // ISO text orders as time: the later of the two, '' standing for no lease.
  const row = await db
    .select({ at: sql<string | null>`min(max(${metricPulls.nextAt}, coalesce(${metricPulls.leaseUntil}, '')))` })
    .from(metricPulls)
    .where(and(eq(metricPulls.projectId, projectId), isNotNull(metricPulls.nextAt)))
    .get()
  return row?.at ? Date.parse(row.at) : null
}

/**
 * Hands every due pull of a project to the metrics-jobs queue (batched per platform) under a
 * lease, and answers how many were sent and when to wake next.
 */
export async function dispatchDuePulls(db: Db, env: Pick<Env, 'METRICS_JOBS'>, projectId: string, now: number): Promise<{ sent: number; messages: number; wakeAt: number | null }> {
  await ensurePulls(db, projectId, now)
  // One conditional update takes the lease of every due pull and returns them: a second alarm
  // running at the same time finds them leased.
  const at = isoAt(now)
  const due = await db
    .update(metricPulls)
    .set({ leaseUntil: isoAt(now + PULL_LEASE_MS) })
    .where(
      and(
        eq(metricPulls.projectId, projectId),
        lte(metricPulls.nextAt, at),
        or(isNull(metricPulls.leaseUntil), lte(metricPulls.leaseUntil, at)),
        sql`(${metricPulls.postId}, ${metricPulls.platform}) in (select post_id, platform from metric_pulls where project_id = ${projectId} and next_at <= ${at} and (lease_until is null or lease_until <= ${at}) order by next_at limit ${MAX_DISPATCH})`,
      ),
    )
    .returning({ postId: metricPulls.postId, platform: metricPulls.platform, nextIndex: metricPulls.nextIndex })
    .all()
  const byPlatform = new Map<Platform, { postId: string; pullIndex: number }[]>()
  for (const d of due) {
    const list = byPlatform.get(d.platform) ?? []
    list.push({ postId: d.postId, pullIndex: d.nextIndex })
    byPlatform.set(d.platform, list)
  }
  const messages: MetricsJob[] = []
  for (const [platform, targets] of byPlatform) {
    for (let i = 0; i < targets.length; i += PULL_BATCH[platform]) messages.push({ projectId, platform, targets: targets.slice(i, i + PULL_BATCH[platform]) })
  }
  await sendMetricsJobs(env, messages)
  const sent = messages.reduce((n, m) => n + m.targets.length, 0)
  return { sent, messages: messages.length, wakeAt: due.length >= MAX_DISPATCH ? now + 1000 : await nextWake(db, projectId) }
}

/**
 * A target was published: its pulls start (first one an hour later) and the project's scheduler
 * is told when. Never throws: a failure here must not touch the publication (the scheduler's
 * `ensurePulls` finds the target at its next alarm anyway).
 */
export async function startPulls(env: Env, db: Db, target: { projectId: string; workspaceId: string; postId: string; platform: Platform; publishedAt: number }): Promise<void> {
  try {
    const next = nextPull(target.publishedAt, 0, target.publishedAt)!
    await db
      .insert(metricPulls)
      .values({ postId: target.postId, platform: target.platform, projectId: target.projectId, workspaceId: target.workspaceId, publishedAt: new Date(target.publishedAt).toISOString(), nextIndex: next.index, nextAt: isoAt(next.at) })
      .onConflictDoNothing()
      .run()
    const { schedulerFor } = await import('../scheduler/project-scheduler')
    await schedulerFor(env, target.projectId).scheduleMetrics({ projectId: target.projectId, workspaceId: target.workspaceId, at: next.at })
  } catch (error) {
    log.warn('metrics pulls not started; the scheduler will find the target later', { postId: target.postId, platform: target.platform, error: String(error) })
  }
}
