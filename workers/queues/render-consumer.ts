/**
 * The render-jobs consumer: renders one post with the render server, stores the video and cover
 * in R2 through signed URLs, records the render, and hands the post to publishing (or to the
 * creator's approval). Safe to run twice for the same post: the claim (planned → rendering, or a
 * lapsed lease) lets one delivery render at a time, a finished post is never rendered again, and
 * the outputs go to keys fixed per post.
 */
import { and, eq, inArray, isNull, lt, or, sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import { createDb } from '../db/client'
import { loadPostRender, logIllegal, movePost, recordEvent } from '../db/posts'
import { posts } from '../db/schema'
import { AWAITING_RENDER_POST_STATUSES } from '../domain/post-state'
import { expiresIn, signedUrl, signingKey } from '../lib/signed-url'
import { publicOrigin } from '../lib/public-url'
import { rendererFor } from '../render/renderer'
import { consume, consumeDeadLetters } from './consume'
import { RenderJob } from './messages'
import { enqueuePublish } from './producers'
import { sqlNow } from '../db/time'
import { readRenderEvents, RenderEventError, type RenderEvent } from '../../containers/render/recipe/events'
import { count, observe } from '../metrics/record'
import { misconfiguredReason } from '../lib/config'
import { MISSED_GRACE_MS } from '../scheduler/timing'

/** How long one delivery holds a render before another may take it over. */
export const RENDER_LEASE_MS = 15 * 60_000
const MAX_OUTPUT_BYTES = 512 * 1024 * 1024
/** How often render progress is written to D1 (it also extends the lease). */
const PROGRESS_WRITE_MS = 3000

export type RenderOutcome =
  | { kind: 'rendered'; status: 'scheduled' | 'awaiting_approval' }
  | { kind: 'skipped'; reason: string }
  | { kind: 'busy' }
  | { kind: 'failed'; reason: string }

/** A failure worth retrying (the render server or storage hiccuped); the message is retried. */
export class RetryableRenderError extends Error {
  name = 'RetryableRenderError'
}

/** Takes the post for this delivery, or says why not. */
async function claim(db: Db, postId: string, now: number): Promise<'claimed' | 'busy' | { done: string }> {
  const leaseUntil = new Date(now + RENDER_LEASE_MS).toISOString()
  const moved = await movePost(db, postId, 'planned', 'rendering', { leaseUntil, renderProgress: 0, renderAttempts: sql`${posts.renderAttempts} + 1` as never }, 'Rendering started')
  if (moved) return 'claimed'
  // Rendering already: take it over only if the previous delivery's lease lapsed (it crashed).
  const taken = await db
    .update(posts)
    .set({ leaseUntil, renderAttempts: sql`${posts.renderAttempts} + 1`, updatedAt: sqlNow() })
    .where(and(eq(posts.id, postId), eq(posts.status, 'rendering'), or(isNull(posts.leaseUntil), lt(posts.leaseUntil, new Date(now).toISOString()))))
    .returning({ id: posts.id })
  if (taken.length) return 'claimed'
  const row = await db.select({ status: posts.status }).from(posts).where(eq(posts.id, postId)).get()
  if (!row) return { done: 'the post was deleted' }
  if (row.status === 'rendering') return 'busy'
  return { done: `the post is ${row.status}` }
}

/** Renders a post. Throws RetryableRenderError (or any error) for the queue to retry. */
export async function renderPost(env: Env, postId: string, now = Date.now()): Promise<RenderOutcome> {
  const db = createDb(env.DB)
  const claimed = await claim(db, postId, now)
  if (claimed === 'busy') return { kind: 'busy' }
  if (claimed !== 'claimed') {
    // Rendered, but the hand-off did not happen (the consumer died in between): finish it.
    const row = await db.select({ status: posts.status, requireApproval: posts.requireApproval }).from(posts).where(eq(posts.id, postId)).get()
    if (row?.status === 'rendered') return handOff(env, db, postId, row.requireApproval)
    return { kind: 'skipped', reason: claimed.done }
  }

  try {
    const post = (await db.select().from(posts).where(eq(posts.id, postId)).get())!
    const { clip, logo, spec } = await loadPostRender(db, post)
    if (!clip || clip.status !== 'ready' || !spec) {
      const reason = 'The clip of this post was deleted from the library before it was rendered.'
      await movePost(db, postId, 'rendering', 'failed', { error: reason, leaseUntil: null }, reason)
      return { kind: 'failed', reason }
    }
    const secret = signingKey(env)
    const origin = publicOrigin(env)
    const base = `renders/${post.workspaceId}/${post.projectId}/${post.id}`
    const exp = expiresIn(RENDER_LEASE_MS)
    const body = {
      spec,
      sourceUrl: await signedUrl(secret, origin, { op: 'get', key: clip.key, contentType: clip.contentType, exp }),
      outputUrl: await signedUrl(secret, origin, { op: 'output', postId, key: `${base}/video.mp4`, maxSize: MAX_OUTPUT_BYTES, contentType: 'video/mp4', exp }),
      coverUrl: await signedUrl(secret, origin, { op: 'output', postId, key: `${base}/cover.jpg`, maxSize: 10 * 1024 * 1024, contentType: 'image/jpeg', exp }),
      ...(logo ? { logoUrl: await signedUrl(secret, origin, { op: 'get', key: logo.key, contentType: logo.contentType, exp }) } : {}),
    }
    let res: Response
    try {
      res = await rendererFor(env).fetch('/render', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    } catch (error) {
      throw new RetryableRenderError(`The render server did not answer: ${(error as Error).message}`)
    }
    const result = await readRenderResult(res, async (fraction) => {
      // Progress is shown on the timeline, and is a heartbeat: a render that moves keeps its lease.
      await db
        .update(posts)
        .set({ renderProgress: fraction, leaseUntil: new Date(Date.now() + RENDER_LEASE_MS).toISOString() })
        .where(and(eq(posts.id, postId), eq(posts.status, 'rendering')))
        .run()
    })
    if (result.kind === 'refused') {
      await movePost(db, postId, 'rendering', 'failed', { error: result.reason, leaseUntil: null }, result.reason)
      return { kind: 'failed', reason: result.reason }
    }
    const moved = await movePost(
      db,
      postId,
      'rendering',
      'rendered',
      {
        leaseUntil: null,
        error: null,
        renderKey: `${base}/video.mp4`,
        coverKey: `${base}/cover.jpg`,
        renderDurationSec: result.durationSec,
        renderWidth: result.width,
        renderHeight: result.height,
        renderSize: result.size,
        renderSha256: result.sha256,
        renderProgress: 1,
        renderedAt: new Date().toISOString(),
      },
      `Rendered: ${result.width}×${result.height}, ${result.durationSec.toFixed(1)} s`,
    )
    if (!moved) return { kind: 'skipped', reason: 'the post changed while it rendered (canceled?)' }
    return handOff(env, db, postId, post.requireApproval)
  } catch (error) {
    // Hand the post back at once so the retry can claim it.
    await db.update(posts).set({ leaseUntil: null, error: String((error as Error).message ?? error) }).where(and(eq(posts.id, postId), eq(posts.status, 'rendering'))).run()
    throw error
  }
}

/** A rendered post goes to the creator's approval, or is scheduled and its publications queued. */
async function handOff(env: Env, db: Db, postId: string, requireApproval: boolean): Promise<RenderOutcome> {
  const next = requireApproval ? 'awaiting_approval' : 'scheduled'
  const moved = await movePost(db, postId, 'rendered', next, {}, requireApproval ? 'Waiting for approval' : 'Scheduled')
  if (!moved) return { kind: 'skipped', reason: 'the post moved on after its render' }
  if (next === 'scheduled') await enqueuePublish(env, postId)
  return { kind: 'rendered', status: next }
}

type RenderResult = { kind: 'ok'; durationSec: number; width: number; height: number; size: number; sha256: string } | { kind: 'refused'; reason: string }

/**
 * Reads the render server's answer as it streams: NDJSON events (accepted, queued, stage,
 * progress), then a final `result` or `error` line (see containers/render/README.md). A 422 or
 * 400 is a refusal (not retried); other errors and a cut-off stream are retried.
 */
async function readRenderResult(res: Response, onProgress: (fraction: number) => Promise<void>): Promise<RenderResult> {
  if (res.status === 422 || res.status === 400) {
    const text = await res.text()
    let message = text
    try {
      message = JSON.parse(text).error ?? text
    } catch {}
    return { kind: 'refused', reason: `The render was refused: ${message}` }
  }
  if (!res.ok || !res.body) throw new RetryableRenderError(`The render server answered ${res.status}: ${(await res.text()).slice(0, 300)}`)
  let last: RenderEvent | undefined
  let beatAt = 0
  try {
    for await (const event of readRenderEvents(res.body as unknown as AsyncIterable<Uint8Array>)) {
      last = event
      // At most one write every few seconds, however often the server reports.
      if (event.type === 'progress' && Date.now() - beatAt > PROGRESS_WRITE_MS) {
        beatAt = Date.now()
        await onProgress(event.fraction)
      }
    }
  } catch (error) {
    if (error instanceof RenderEventError) throw new RetryableRenderError(error.message)
    throw error
  }
  if (last?.type === 'result') {
    return { kind: 'ok', durationSec: last.durationSec, width: last.width, height: last.height, size: last.size, sha256: last.sha256 }
  }
  if (last?.type === 'error') {
    if (last.status === 422 || last.status === 400) return { kind: 'refused', reason: `The render failed: ${last.error}` }
    throw new RetryableRenderError(`The render failed: ${last.error}`)
  }
  throw new RetryableRenderError('The render server stopped answering before the render finished.')
}

/** The render-jobs batch handler. */
export async function handleRenderBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  await consume(batch, RenderJob, { baseDelaySec: 15 }, async ({ postId }) => {
    const outcome = await measuredRender(env, postId)
    // Another delivery holds the render: look again in a minute (it may have died by then).
    return outcome.kind === 'busy' ? { retryAfterSec: 60 } : 'ack'
  })
}

/** renderPost, counted and timed for GET /api/metrics by outcome (`error` when it threw). */
async function measuredRender(env: Env, postId: string): Promise<RenderOutcome> {
  const started = Date.now()
  let outcome = 'error'
  try {
    const result = await renderPost(env, postId)
    outcome = result.kind
    return result
  } finally {
    count('reelpilot_renders_total', { outcome })
    observe('reelpilot_render_duration_seconds', { outcome }, (Date.now() - started) / 1000)
  }
}

/**
 * The render-jobs dead letters. Only failures worth retrying get here (the render server down or
 * failing, storage, a crash, a render held by another delivery): before the post's time (and its
 * grace) the post waits, saying why, and the sweeper hands it back every quarter of an hour, so a
 * renderer down for an hour delays posts instead of losing them. After it, the post fails with the
 * reason. A misconfigured deployment's reason names the settings.
 */
export async function handleRenderDeadLetters(batch: MessageBatch<unknown>, env: Env, now = Date.now()): Promise<void> {
  const db = createDb(env.DB)
  const misconfigured = misconfiguredReason(env)
  await consumeDeadLetters(batch, 'postId', async (postId) => {
    const post = await db.select({ error: posts.error, status: posts.status, scheduledAt: posts.scheduledAt }).from(posts).where(eq(posts.id, postId)).get()
    const why = misconfigured ?? post?.error
    if (post && AWAITING_RENDER_POST_STATUSES.includes(post.status) && Date.parse(post.scheduledAt) + MISSED_GRACE_MS > now) {
      const waiting = `Rendering is waiting${why ? ` (${why})` : ''}; it is tried again every 15 minutes until ${post.scheduledAt.slice(0, 16).replace('T', ' ')} UTC.`
      await db.update(posts).set({ error: why ?? null }).where(and(eq(posts.id, postId), inArray(posts.status, [...AWAITING_RENDER_POST_STATUSES]))).run()
      await recordEvent(db, postId, 'dead_letter', waiting)
      return
    }
    const reason = `Rendering failed after every retry${why ? `: ${why}` : ''}.`
    try {
      const moved = await movePost(db, postId, AWAITING_RENDER_POST_STATUSES, 'failed', { error: reason, leaseUntil: null }, reason)
      if (!moved) await recordEvent(db, postId, 'dead_letter', reason)
    } catch (error) {
      logIllegal(error, { postId, queue: batch.queue })
    }
  })
}
