/**
 * The publish-jobs consumer: publishes one post to one platform, exactly once.
 *
 * - A message that arrives before the post's time is delayed again (times can be edited).
 * - The target is claimed with a conditional update (pending → publishing): one claim wins.
 * - A publication whose outcome is unknown (bytes sent, then a timeout or a crash) becomes
 *   `unconfirmed`, and the post is looked up on the platform by its marker before anything is
 *   sent again: found → published; surely absent → publish again.
 * - Platform processing (TikTok, Instagram) is polled with delayed messages, never by sleeping.
 */
import { and, eq } from 'drizzle-orm'
import { createDb } from '../db/client'
import type { Db } from '../db/client'
import { logIllegal, movePost, moveTarget, recordEvent } from '../db/posts'
import { posts, postTargets } from '../db/schema'
import { FINAL_POST_STATUSES, FINAL_TARGET_STATUSES, postStatusFromTargets, PUBLISH_JOB_POST_STATUSES, type Platform } from '../domain/post-state'
import { PLATFORM_NAMES } from '../../containers/render/recipe/vocabulary'
import type { PlatformGateway } from '../platforms'
import { gatewayForPost } from '../platforms/post-gateway'
import type { PublishFailure, PublishOutcome, PublishState } from '../platforms/types'
import { startPulls } from '../analytics/pulls'
import { consume } from './consume'
import { PublishJob } from './messages'
import { sendPublishJobs } from './producers'
import { misconfiguredReason } from '../lib/config'

/** How long one delivery holds a publication before it counts as crashed. */
export const PUBLISH_LEASE_MS = 10 * 60_000
/** Retryable failures (rate limits, 5xx) are retried this many times before the target fails. */
export const MAX_PUBLISH_ATTEMPTS = 8
/** A message this much early is delayed again instead of publishing. */
const EARLY_TOLERANCE_MS = 30_000

type Post = typeof posts.$inferSelect
type Target = typeof postTargets.$inferSelect

/**
 * What the consumer needs of a platform for one post: the publisher bound to the project's
 * connection (tokens refreshed as needed), with the post's rendered video as its input, or why
 * the project has no usable connection. Tests pass their own.
 */
export type GatewayFactory = (env: Env, post: Post, target: Target) => Promise<PlatformGateway | { unavailable: PublishFailure }>

export type PublishStep = 'published' | 'processing' | 'delayed' | 'waiting' | 'retry' | 'failed' | 'unconfirmed' | 'ignored'

export interface PublishDeps {
  gateway: GatewayFactory
  now?: () => number
}

const send = (env: Env, job: PublishJob, delaySeconds: number) => sendPublishJobs(env, [job], delaySeconds)

async function load(db: Db, postId: string, platform: Platform) {
  const post = await db.select().from(posts).where(eq(posts.id, postId)).get()
  const target = await db.select().from(postTargets).where(and(eq(postTargets.postId, postId), eq(postTargets.platform, platform))).get()
  return { post, target }
}

/** Moves a publishing post to published or failed once all its targets have settled. */
async function settlePost(db: Db, postId: string) {
  const targets = await db.select({ status: postTargets.status, platform: postTargets.platform, error: postTargets.error }).from(postTargets).where(eq(postTargets.postId, postId)).all()
  const status = postStatusFromTargets(targets.map((t) => t.status))
  if (status === 'published') await movePost(db, postId, 'publishing', 'published', { error: null }, 'Published everywhere')
  if (status === 'failed') {
    const errors = targets.filter((t) => t.status === 'failed').map((t) => `${t.platform}: ${t.error ?? 'failed'}`)
    await movePost(db, postId, 'publishing', 'failed', { error: errors.join(' · ') }, errors.join(' · '))
  }
}

/** Records a failure on the target: retried later, or final. */
async function fail(env: Env, db: Db, job: PublishJob, target: Target, from: 'publishing' | 'processing' | 'unconfirmed', failure: PublishFailure): Promise<PublishStep> {
  const retryable = failure.kind === 'retryable' || failure.kind === 'quota' || failure.kind === 'app_cap'
  if (retryable && target.attempt < MAX_PUBLISH_ATTEMPTS && from !== 'processing') {
    await moveTarget(db, job.postId, job.platform, from, 'pending', { error: failure.message, errorKind: failure.kind, leaseUntil: null }, `${failure.message} (${failure.detail})`)
    await send(env, { ...job, kind: 'publish' }, failure.retryAfterSec ?? 60)
    return 'retry'
  }
  if (failure.nothingPosted && from === 'processing' && target.attempt < MAX_PUBLISH_ATTEMPTS) {
    // The platform says this attempt made no post: check once more by the marker, then send again.
    await moveTarget(db, job.postId, job.platform, 'processing', 'unconfirmed', { error: failure.message, errorKind: failure.kind, leaseUntil: null }, `${failure.message} (${failure.detail})`)
    await send(env, { ...job, kind: 'publish' }, failure.retryAfterSec ?? 60)
    return 'retry'
  }
  if (retryable && from === 'processing' && !failure.nothingPosted) {
    await recordEvent(db, job.postId, 'poll_error', `${failure.message} (${failure.detail})`, job.platform)
    await send(env, { ...job, kind: 'poll' }, failure.retryAfterSec ?? 60)
    return 'retry'
  }
  const message = retryable ? `${failure.message} Gave up after ${target.attempt} attempts.` : failure.message
  await moveTarget(db, job.postId, job.platform, from, 'failed', { error: message, errorKind: failure.kind, leaseUntil: null }, `${message} (${failure.detail})`)
  await settlePost(db, job.postId)
  return 'failed'
}

/** Applies a platform's answer to a target that was `from`. */
async function apply(env: Env, db: Db, job: PublishJob, target: Target, from: 'publishing' | 'processing' | 'unconfirmed', outcome: PublishOutcome, now: number): Promise<PublishStep> {
  if (outcome.status === 'published') {
    await moveTarget(db, job.postId, job.platform, from, 'published', { remoteId: outcome.remoteId, remoteUrl: outcome.remoteUrl, publishedAt: new Date(now).toISOString(), error: null, errorKind: null, leaseUntil: null, state: null }, `Published on ${PLATFORM_NAMES[job.platform]}`)
    await settlePost(db, job.postId)
    // Analytics: the target's metrics pulls start now.
    const post = await db.select({ projectId: posts.projectId }).from(posts).where(eq(posts.id, job.postId)).get()
    if (post) await startPulls(env, db, { projectId: post.projectId, workspaceId: target.workspaceId, postId: job.postId, platform: job.platform, publishedAt: now })
    return 'published'
  }
  if (outcome.status === 'processing') {
    await moveTarget(db, job.postId, job.platform, from, 'processing', { state: outcome.state, leaseUntil: null }, 'The platform is processing the video')
    await send(env, { ...job, kind: 'poll' }, outcome.pollAfterSec)
    return 'processing'
  }
  if (outcome.error.kind === 'outcome_unknown') {
    if (from !== 'unconfirmed') {
      await moveTarget(db, job.postId, job.platform, from, 'unconfirmed', { state: outcome.error.state, error: outcome.error.message, errorKind: 'outcome_unknown', leaseUntil: null }, outcome.error.detail)
    }
    await send(env, { ...job, kind: 'publish' }, outcome.error.retryAfterSec ?? 30)
    return 'unconfirmed'
  }
  return fail(env, db, job, target, from, outcome.error)
}

/** Handles one publish-jobs message. Errors thrown here are retried by the queue. */
export async function publishStep(env: Env, job: PublishJob, deps: PublishDeps): Promise<PublishStep> {
  const now = deps.now?.() ?? Date.now()
  const db = createDb(env.DB)
  let { post, target } = await load(db, job.postId, job.platform)
  if (!post || !target) return 'ignored'
  if (FINAL_TARGET_STATUSES.includes(target.status) || FINAL_POST_STATUSES.includes(post.status)) {
    // The delivery that settled this target may have died before it settled the post.
    if (post.status === 'publishing' && FINAL_TARGET_STATUSES.includes(target.status)) await settlePost(db, post.id)
    return 'ignored'
  }
  // Not scheduled (yet, or any more): approval, the render consumer or a retry sends the message when it is.
  if (!PUBLISH_JOB_POST_STATUSES.includes(post.status)) return 'ignored'

  const early = Date.parse(post.scheduledAt) - now
  if (early > EARLY_TOLERANCE_MS) {
    await send(env, job, early / 1000)
    return 'delayed'
  }
  if (post.status === 'scheduled') await movePost(db, post.id, 'scheduled', 'publishing', {}, 'Publishing')

  const gateway = await deps.gateway(env, post, target)
  if ('unavailable' in gateway) {
    // No usable connection (never connected, or it needs reconnecting): the creator must act.
    const { kind, message, detail } = gateway.unavailable
    if (target.status === 'pending') {
      if (!(await moveTarget(db, job.postId, job.platform, 'pending', 'failed', { error: message, errorKind: kind }, `${message} (${detail})`))) return 'ignored'
      await settlePost(db, job.postId)
      return 'failed'
    }
    if (target.status === 'publishing' && target.leaseUntil && Date.parse(target.leaseUntil) > now) {
      await send(env, job, 60)
      return 'waiting'
    }
    // Claimed by a delivery that died, or processing there: a post may exist, and without the
    // account nobody can look. It stays unconfirmed (never failed, which could hide a post) until
    // the account is reconnected; the sweeper hands it back meanwhile.
    if (target.status === 'publishing' || target.status === 'processing') {
      const why = `${message} Once it is reconnected we'll check whether this video was posted before sending anything.`
      await moveTarget(db, job.postId, job.platform, target.status, 'unconfirmed', { leaseUntil: null, error: why, errorKind: 'outcome_unknown' }, `${why} (${detail})`)
    }
    return 'waiting'
  }

  // A claim that lapsed: the delivery that held it died, maybe after sending bytes.
  if (target.status === 'publishing') {
    if (target.leaseUntil && Date.parse(target.leaseUntil) > now) {
      await send(env, job, 60)
      return 'waiting'
    }
    await moveTarget(db, job.postId, job.platform, 'publishing', 'unconfirmed', { leaseUntil: null }, 'The previous attempt stopped without an answer; checking the platform before sending again')
    target = (await load(db, job.postId, job.platform)).target!
  }

  if (target.status === 'processing') {
    let outcome: PublishOutcome
    try {
      outcome = await gateway.poll(target.state as PublishState)
    } catch (error) {
      await send(env, { ...job, kind: 'poll' }, 60)
      throw error
    }
    return apply(env, db, job, target, 'processing', outcome, now)
  }

  if (target.status === 'unconfirmed') {
    const found = await gateway.findByMarker((target.state as PublishState | null) ?? undefined)
    if (found) return apply(env, db, job, target, 'unconfirmed', found, now)
    // The platform surely does not have it: publishing again cannot make a duplicate.
    if (!(await moveTarget(db, job.postId, job.platform, 'unconfirmed', 'pending', { state: null }, 'Not found on the platform; sending again'))) return 'ignored'
    target = (await load(db, job.postId, job.platform)).target!
  }

  if (target.status !== 'pending') return 'ignored'
  const claimed = await moveTarget(db, job.postId, job.platform, 'pending', 'publishing', {
    attempt: target.attempt + 1,
    leaseUntil: new Date(now + PUBLISH_LEASE_MS).toISOString(),
  })
  if (!claimed) return 'ignored'
  target = { ...target, attempt: target.attempt + 1 }

  let outcome: PublishOutcome
  try {
    outcome = await gateway.publish()
  } catch (error) {
    // We do not know how far it got: never send blindly again.
    await moveTarget(db, job.postId, job.platform, 'publishing', 'unconfirmed', { leaseUntil: null, error: 'We lost track of this upload; checking the platform before trying again.', errorKind: 'outcome_unknown' }, String(error))
    throw error
  }
  return apply(env, db, job, target, 'publishing', outcome, now)
}

/** The publish-jobs batch handler. */
export async function handlePublishBatch(batch: MessageBatch<unknown>, env: Env, deps?: PublishDeps): Promise<void> {
  const resolved = deps ?? { gateway: gatewayForPost }
  await consume(batch, PublishJob, { baseDelaySec: 10 }, async (job) => {
    await publishStep(env, job, resolved)
    return 'ack'
  })
}

/** The publish-jobs dead letters: the target failed after every retry; say so on the timeline. */
export async function handlePublishDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const db = createDb(env.DB)
  const misconfigured = misconfiguredReason(env)
  for (const message of batch.messages) {
    const parsed = PublishJob.safeParse(message.body)
    if (parsed.success) {
      const { postId, platform } = parsed.data
      const { target } = await load(db, postId, platform)
      const why = misconfigured ?? target?.error
      const reason = `Publishing failed after every retry${why ? `: ${why}` : ''}.`
      try {
        // An unconfirmed target stays unconfirmed: failing it could hide a post that went out.
        const moved = await moveTarget(db, postId, platform, ['pending', 'publishing', 'processing'], 'failed', { error: reason, leaseUntil: null }, reason)
        if (moved) await settlePost(db, postId)
        else await recordEvent(db, postId, 'dead_letter', reason, platform)
      } catch (error) {
        logIllegal(error, { postId, platform })
      }
    }
    message.ack()
  }
}
