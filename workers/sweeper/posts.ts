/**
 * The sweeper's part for posts: finds posts that made no progress for too long — a lost message, a
 * consumer that died — and hands them back to the pipeline. Every step it restarts is safe to
 * run twice, so a post swept while it was in fact moving is not harmed.
 */
import { and, eq, inArray, isNull, lt, or } from 'drizzle-orm'
import { createDb } from '../db/client'
import { posts, postTargets } from '../db/schema'
import { movePost, moveTarget } from '../db/posts'
import { PLATFORMS } from '../domain/post-state'
import { enqueuePublish, enqueueRender, sendPublishJobs } from '../queues/producers'
import { log } from '../lib/log'

/** A post untouched for this long in a non-final state is stuck. */
export const STUCK_AFTER_MS = 15 * 60_000
/** A post still waiting for approval this long after its time is canceled, with the reason. */
export const APPROVAL_EXPIRES_AFTER_MS = 24 * 60 * 60_000
const BATCH = 100

export interface SweepResult {
  renders: number
  publishes: number
  expired: number
}

export async function sweepStuckPosts(env: Env, now = Date.now()): Promise<SweepResult> {
  const db = createDb(env.DB)
  const stale = new Date(now - STUCK_AFTER_MS).toISOString()
  const nowIso = new Date(now).toISOString()

  // Planned posts whose render message was lost, renders whose lease lapsed, and renders whose
  // hand-off to scheduling did not happen (the render consumer finishes it).
  const renders = await db
    .select({ id: posts.id })
    .from(posts)
    .where(
      or(
        and(inArray(posts.status, ['planned', 'rendered']), lt(posts.updatedAt, stale)),
        and(eq(posts.status, 'rendering'), or(lt(posts.leaseUntil, nowIso), and(isNull(posts.leaseUntil), lt(posts.updatedAt, stale)))),
      ),
    )
    .limit(BATCH)
    .all()
  await enqueueRender(env, renders.map((p) => p.id))

  // Scheduled posts past their time, and publications that stopped moving.
  const overdue = await db
    .select({ id: posts.id })
    .from(posts)
    .where(and(eq(posts.status, 'scheduled'), lt(posts.scheduledAt, stale)))
    .limit(BATCH)
    .all()
  for (const p of overdue) await enqueuePublish(env, p.id, now)

  const stalled = await db
    .select({ postId: postTargets.postId, platform: postTargets.platform, status: postTargets.status })
    .from(postTargets)
    .innerJoin(posts, eq(posts.id, postTargets.postId))
    .where(and(eq(posts.status, 'publishing'), inArray(postTargets.status, ['pending', 'publishing', 'processing', 'unconfirmed']), lt(postTargets.updatedAt, stale)))
    .limit(BATCH)
    .all()
  await sendPublishJobs(env, stalled.map((t) => ({ postId: t.postId, platform: t.platform, kind: t.status === 'processing' ? 'poll' : 'publish' })))
  // Waiting for a person is the one wait without a timer: a day after the post's time, it lapses.
  const unapproved = await db
    .select({ id: posts.id, scheduledAt: posts.scheduledAt })
    .from(posts)
    .where(and(eq(posts.status, 'awaiting_approval'), lt(posts.scheduledAt, new Date(now - APPROVAL_EXPIRES_AFTER_MS).toISOString())))
    .limit(BATCH)
    .all()
  let expired = 0
  for (const p of unapproved) {
    const reason = `Not approved within a day of its time (${p.scheduledAt.slice(0, 16).replace('T', ' ')} UTC), so it was not posted.`
    if (await movePost(db, p.id, 'awaiting_approval', 'canceled', { error: reason }, reason)) {
      expired++
      for (const platform of PLATFORMS) await moveTarget(db, p.id, platform, 'pending', 'canceled', {}, 'Post not approved in time')
    }
  }

  if (renders.length || overdue.length || stalled.length || expired) {
    log.info('sweeper handed back stuck posts', { renders: renders.length, overdue: overdue.length, stalled: stalled.length, expired })
  }
  return { renders: renders.length, publishes: overdue.length + stalled.length, expired }
}

