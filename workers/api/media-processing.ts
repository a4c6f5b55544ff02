/**
 * The content check of an uploaded file, and the sweeper's part for the library (abandoned
 * uploads, checks left unfinished, old rejections). The
 * render server reads the original through a signed URL (it never receives the bytes from us),
 * says what it is (probe), and PUTs a JPEG thumbnail to a second signed URL.
 */
import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import { createDb } from '../db/client'
import { media } from '../db/schema'
import { ABANDONED_AFTER_MS, CHECK_GIVE_UP_AFTER_MS, judgeContent, RECHECK_AFTER_MS, REJECTED_KEPT_MS, type ProbeInfo, REJECTION_REASONS, thumbnailKey } from '../domain/media'
import { isMediaErrorCode, type MediaErrorCode } from '../../containers/render/recipe/vocabulary'
import { HttpError } from '../lib/errors'
import { expiresIn, signedUrl } from '../lib/signed-url'
import { rendererFor } from '../render/renderer'
import { signingKey } from './uploads'

type MediaRow = typeof media.$inferSelect

const SOURCE_URL_TTL_MS = 30 * 60 * 1000
const RENDERER_TIMEOUT_MS = 5 * 60 * 1000
const THUMBNAIL_MAX_BYTES = 5_000_000
const THUMBNAIL_WIDTH = 480

/** Deletes R2 objects, tolerating ones already gone. */
export async function removeObjects(env: Env, keys: (string | null | undefined)[]): Promise<void> {
  const present = keys.filter((k): k is string => Boolean(k))
  if (present.length) await env.MEDIA.delete(present)
}

export class RendererUnavailable extends HttpError {
  constructor(detail: string) {
    super(503, `The media could not be checked right now (${detail}). It stays processing: call complete again in a moment.`, {
      headers: { 'Retry-After': '30' },
    })
  }
}

type RendererAnswer<T> = { ok: true; body: T } | { ok: false; code: MediaErrorCode; error: string }

/** Calls the render server; a media verdict (422) is an answer, anything else unexpected is a 503. */
async function askRenderer<T>(env: Env, path: string, body: unknown): Promise<RendererAnswer<T>> {
  let res: Response
  try {
    res = await rendererFor(env).fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(RENDERER_TIMEOUT_MS),
    })
  } catch (error) {
    throw new RendererUnavailable(`the renderer did not answer: ${(error as Error).message}`)
  }
  const text = await res.text()
  let parsed: any
  try {
    parsed = JSON.parse(text)
  } catch {
    parsed = undefined
  }
  if (res.status === 200 && parsed) return { ok: true, body: parsed as T }
  if (res.status === 422 && parsed && isMediaErrorCode(parsed.code)) {
    return { ok: false, code: parsed.code, error: String(parsed.error ?? '') }
  }
  console.error(JSON.stringify({ level: 'error', msg: 'renderer failed', path, status: res.status, body: text.slice(0, 500) }))
  throw new RendererUnavailable(`the renderer answered ${res.status}${parsed?.error ? `: ${parsed.error}` : ''}`)
}

/**
 * Probes a `processing` item and makes its thumbnail; answers the row as `ready` or `rejected`.
 * Safe to run twice (a retried complete, two completes at once): every write is conditional on
 * the row still being `processing`.
 */
export async function processMedia(env: Env, db: Db, row: MediaRow, origin: string): Promise<MediaRow> {
  const secret = signingKey(env)
  const sourceUrl = await signedUrl(secret, origin, { op: 'get', key: row.key, contentType: row.contentType, exp: expiresIn(SOURCE_URL_TTL_MS) })

  const probed = await askRenderer<ProbeInfo>(env, '/probe', { sourceUrl })
  if (!probed.ok) return reject(env, db, row, REJECTION_REASONS[probed.code], probed.error)
  const verdict = judgeContent(probed.body, row.contentType)
  if (!verdict.ok) return reject(env, db, row, verdict.reason, `format ${probed.body.formatName}, ${probed.body.durationSec} s`)

  const thumbKey = thumbnailKey(row.key)
  const uploadUrl = await signedUrl(secret, origin, { op: 'thumbnail', mediaId: row.id, key: thumbKey, maxSize: THUMBNAIL_MAX_BYTES, contentType: 'image/jpeg', exp: expiresIn(SOURCE_URL_TTL_MS) })
  const thumb = await askRenderer<{ width: number; height: number; size: number }>(env, '/thumbnail', { sourceUrl, uploadUrl, width: THUMBNAIL_WIDTH })
  if (!thumb.ok) return reject(env, db, row, REJECTION_REASONS[thumb.code], thumb.error)

  const info = probed.body
  const ready = await db
    .update(media)
    .set({
      status: 'ready',
      kind: verdict.kind,
      contentType: verdict.contentType,
      durationSec: info.durationSec,
      width: info.width,
      height: info.height,
      fps: info.fps,
      videoCodec: info.videoCodec,
      audioCodec: info.audioCodec,
      hasAudio: info.hasAudio,
      formatName: info.formatName,
      bitRate: info.bitRate === null ? null : Math.round(info.bitRate),
      thumbnailKey: thumbKey,
      updatedAt: sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`,
    })
    .where(and(eq(media.id, row.id), eq(media.status, 'processing')))
    .returning()
    .get()
  if (ready) return ready
  return settled(env, db, row, [thumbKey])
}

/** Refuses a file: its bytes go (they count against nothing any more); the row stays to say why. */
async function reject(env: Env, db: Db, row: MediaRow, reason: string, detail: string): Promise<MediaRow> {
  console.log(JSON.stringify({ level: 'info', msg: 'media rejected', mediaId: row.id, reason, detail }))
  const rejected = await db
    .update(media)
    .set({ status: 'rejected', rejectionReason: reason, updatedAt: sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))` })
    .where(and(eq(media.id, row.id), eq(media.status, 'processing')))
    .returning()
    .get()
  if (rejected) {
    await removeObjects(env, [row.key, thumbnailKey(row.key)])
    return rejected
  }
  return settled(env, db, row, [])
}

/** Another run finished first, or the item was deleted meanwhile (then what we wrote must go too). */
async function settled(env: Env, db: Db, row: MediaRow, written: string[]): Promise<MediaRow> {
  const now = await db.select().from(media).where(eq(media.id, row.id)).get()
  if (now) return now
  await removeObjects(env, [row.key, ...written])
  throw new HttpError(404, 'Media not found: it was deleted while it was being checked.')
}

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
    console.log(JSON.stringify({ level: 'info', msg: 'media sweep', abandoned, rechecked: checks.rechecked.length, settled: checks.settled.length, gaveUp: checks.gaveUp.length, expired: expired.length }))
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
      if (!env.PUBLIC_URL) {
        console.error(JSON.stringify({ level: 'error', msg: 'media recheck skipped: PUBLIC_URL is not set, so the renderer cannot be given storage URLs', mediaId: id }))
        return
      }
      result.rechecked.push(id)
      try {
        const after = await processMedia(env, db, claimed, env.PUBLIC_URL)
        if (after.status !== 'processing') result.settled.push(id)
      } catch (error) {
        // Still unreachable (the row stays processing for the next sweep), or deleted meanwhile.
        const level = error instanceof RendererUnavailable || (error instanceof HttpError && error.status === 404) ? 'warn' : 'error'
        console.log(JSON.stringify({ level, msg: 'media recheck did not finish', mediaId: id, error: (error as Error).message }))
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
