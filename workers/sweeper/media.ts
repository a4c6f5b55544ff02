/**
 * The sweeper's part for the media library: uploads never completed, checks left unfinished
 * (re-run, or given up on with a reason), and old rejections. Every step is conditional, so two
 * sweeps at once are harmless.
 */
import { and, asc, eq, inArray, lt } from 'drizzle-orm'
import { createDb } from '../db/client'
import { media } from '../db/schema'
import { ABANDONED_AFTER_MS, CHECK_GIVE_UP_AFTER_MS, RECHECK_AFTER_MS, REJECTED_KEPT_MS, REJECTION_REASONS, thumbnailKey } from '../domain/media'
import { HttpError } from '../lib/errors'
import { processMedia, reject, RendererUnavailable, removeObjects } from '../media/check'
import { log } from '../lib/log'
import { publicOrigin } from '../lib/public-url'

/**
 * The sweeper's part for the library: uploads never completed within 24 hours are aborted and
 * removed (multipart upload, any stored object, the row and its parts). Answers how many went.
 */
export async function sweepAbandonedUploads(env: Env, nowMs = Date.now(), batch = 100): Promise<number> {
  const db = createDb(env.DB)
  const cutoff = new Date(nowMs - ABANDONED_AFTER_MS).toISOString()
  const stale = await db
    .select()
    .from(media)
    .where(and(eq(media.status, 'uploading'), lt(media.createdAt, cutoff)))
    .limit(batch)
    .all()
  for (const row of stale) {
    if (row.uploadId) {
      await env.MEDIA.resumeMultipartUpload(row.key, row.uploadId)
        .abort()
        .catch(() => {})
    }
    await removeObjects(env, [row.key])
    // Conditional: a complete that sneaks in at the last moment keeps its media.
    await db.delete(media).where(and(eq(media.id, row.id), eq(media.status, 'uploading'))).run()
  }
  return stale.length
}

export interface MediaSweepResult {
  /** Uploads never completed, removed. */
  abandoned: number
  /** Items stuck in `processing` whose check this sweep ran again (whatever its outcome). */
  rechecked: string[]
  /** Of those, the ones now `ready` or `rejected` by their content. */
  settled: string[]
  /** Items rejected because they could not be checked for too long. */
  gaveUp: string[]
  /** Rejected items kept long enough, removed. */
  expired: string[]
}

/** The library's share of the cron sweeper: every step is conditional, so two sweeps at once are harmless. */
export async function sweepMediaLibrary(env: Env, nowMs = Date.now()): Promise<MediaSweepResult> {
  const abandoned = await sweepAbandonedUploads(env, nowMs)
  const checks = await recheckStuckMedia(env, nowMs)
  const expired = await sweepOldRejections(env, nowMs)
  const result = { abandoned, ...checks, expired }
  if (abandoned || checks.rechecked.length || checks.gaveUp.length || expired.length) {
    log.info('media sweep', { abandoned, rechecked: checks.rechecked.length, settled: checks.settled.length, gaveUp: checks.gaveUp.length, expired: expired.length })
  }
  return result
}

/**
 * Runs the content check again for items left `processing` (complete answered 503 because the
 * renderer or storage was unreachable, and the client never came back). A row is claimed by moving
 * its `updated_at` forward on the condition that it is still stale: of two sweeps at once only one
 * gets it, and the next tries only after another RECHECK_AFTER_MS. After CHECK_GIVE_UP_AFTER_MS in
 * `processing` the item is rejected with a reason the creator reads, and its bytes go.
 */
export async function recheckStuckMedia(env: Env, nowMs = Date.now(), batch = 10): Promise<Pick<MediaSweepResult, 'rechecked' | 'settled' | 'gaveUp'>> {
  const db = createDb(env.DB)
  const staleBefore = new Date(nowMs - RECHECK_AFTER_MS).toISOString()
  const giveUpBefore = new Date(nowMs - CHECK_GIVE_UP_AFTER_MS).toISOString()
  const stuck = await db
    .select({ id: media.id })
    .from(media)
    .where(and(eq(media.status, 'processing'), lt(media.updatedAt, staleBefore)))
    .orderBy(asc(media.updatedAt))
    .limit(batch)
    .all()
  const result = { rechecked: [] as string[], settled: [] as string[], gaveUp: [] as string[] }
  await Promise.all(
    stuck.map(async ({ id }) => {
      const claimed = await db
        .update(media)
        .set({ updatedAt: new Date(nowMs).toISOString() })
        .where(and(eq(media.id, id), eq(media.status, 'processing'), lt(media.updatedAt, staleBefore)))
        .returning()
        .get()
      if (!claimed) return // another sweep (or a complete) got there first
      if ((claimed.completedAt ?? claimed.createdAt) < giveUpBefore) {
        const rejected = await reject(env, db, claimed, REJECTION_REASONS.not_checked, `still processing since ${claimed.completedAt}`)
        if (rejected.status === 'rejected' && rejected.rejectionReason === REJECTION_REASONS.not_checked) result.gaveUp.push(id)
        return
      }
      result.rechecked.push(id)
      try {
        // A complete checking it right now (any isolate) holds its lease: leave it to that run.
        const after = await processMedia(env, db, claimed, publicOrigin(env), { wait: false })
        if (after.status !== 'processing') result.settled.push(id)
      } catch (error) {
        // Still unreachable (the row stays processing for the next sweep), or deleted meanwhile.
        const level = error instanceof RendererUnavailable || (error instanceof HttpError && error.status === 404) ? 'warn' : 'error'
        log[level]('media recheck did not finish', { mediaId: id, error: (error as Error).message })
      }
    }),
  )
  return result
}

/**
 * Rejected items are kept REJECTED_KEPT_MS after their rejection (their `updated_at`) so the creator
 * can see why a file was refused, then removed. Their bytes went at rejection; any left go first.
 */
export async function sweepOldRejections(env: Env, nowMs = Date.now(), batch = 100): Promise<string[]> {
  const db = createDb(env.DB)
  const cutoff = new Date(nowMs - REJECTED_KEPT_MS).toISOString()
  const old = await db
    .select({ id: media.id, key: media.key, thumbnailKey: media.thumbnailKey })
    .from(media)
    .where(and(eq(media.status, 'rejected'), lt(media.updatedAt, cutoff)))
    .limit(batch)
    .all()
  if (!old.length) return []
  await removeObjects(env, old.flatMap((r) => [r.key, r.thumbnailKey ?? thumbnailKey(r.key)]))
  const removed = await db
    .delete(media)
    .where(
      and(
        inArray(
          media.id,
          old.map((r) => r.id),
        ),
        eq(media.status, 'rejected'),
        lt(media.updatedAt, cutoff),
      ),
    )
    .returning({ id: media.id })
    .all()
  return removed.map((r) => r.id)
}
