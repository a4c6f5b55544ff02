/**
 * The content check of an uploaded file (the sweeper re-runs it: workers/sweeper/media.ts). The
 * render server reads the original through a signed URL (it never receives the bytes from us),
 * says what it is (probe), and PUTs a JPEG thumbnail to a second signed URL.
 */
import { and, eq, isNull, lt, or } from 'drizzle-orm'
import type { Db } from '../db/client'
import { media } from '../db/schema'
import { judgeContent, type ProbeInfo, REJECTION_REASONS, thumbnailKey } from '../domain/media'
import { isMediaErrorCode, type MediaErrorCode } from '../../containers/render/recipe/vocabulary'
import { HttpError } from '../lib/errors'
import { parseJsonOrUndefined } from '../lib/json'
import { expiresIn, signedUrl, signingKey } from '../lib/signed-url'
import { rendererFor } from '../render/renderer'
import { log } from '../lib/log'
import { isoAt, sqlNow } from '../db/time'
import { requestTranscript } from '../speech/transcribe'


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

/**
 * The renderer could not give a verdict. The answer says only that (the render server's own words,
 * addresses and errors go to the logs, never into a response body).
 */
export class RendererUnavailable extends HttpError {
  constructor() {
    super(503, 'The media could not be checked right now: the renderer is unavailable. It stays processing: call complete again in a moment.', {
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
    log.warn('media check: the renderer did not answer', { path, error: (error as Error).message })
    throw new RendererUnavailable()
  }
  const text = await res.text()
  const parsed: any = parseJsonOrUndefined(text)
  if (res.status === 200 && parsed) return { ok: true, body: parsed as T }
  if (res.status === 422 && parsed && isMediaErrorCode(parsed.code)) {
    return { ok: false, code: parsed.code, error: String(parsed.error ?? '') }
  }
  log.error('media check: the renderer failed', { path, status: res.status, body: text.slice(0, 500) })
  throw new RendererUnavailable()
}

/** The reason a creator reads: over a limit, the render server's sentence names which. */
const reasonFor = (answer: { code: MediaErrorCode; error: string }) =>
  answer.code === 'over_limits' && answer.error ? `over the limits: ${answer.error}` : REJECTION_REASONS[answer.code]

/** Checks running in this isolate, by media id: a second complete for the same item joins the first. */
const running = new Map<string, Promise<MediaRow>>()

/**
 * How long a check holds its item: both renderer calls at their longest, and a margin. A run that
 * died holding it (its isolate went away) lets the next complete or sweep take over after this.
 */
export const CHECK_LEASE_MS = 2 * RENDERER_TIMEOUT_MS + 60_000
/** How often a complete that found the check running in another isolate reads the row again. */
const CHECK_WAIT_POLL_MS = 500

export interface ProcessOptions {
  /** When another isolate holds the check: wait for its verdict (a complete), or answer the row as it is (the sweeper). */
  wait?: boolean
}

/**
 * Probes a `processing` item and makes its thumbnail; answers the row as `ready` or `rejected`.
 * One check per item at a time, everywhere: in this isolate a second call joins the running one;
 * across isolates the run holds a lease on the row (`check_lease_id`/`check_lease_until`), and a
 * call that finds it held waits for that run's verdict (or, with `wait: false`, answers the row
 * as it is) instead of calling the renderer again. Every write is still conditional on the row
 * being `processing`, and a run whose renderer call failed because another run settled the item
 * (a rejection removes the bytes) answers that item as it now is, not a 503.
 */
export function processMedia(env: Env, db: Db, row: MediaRow, origin: string, options: ProcessOptions = {}): Promise<MediaRow> {
  const joined = running.get(row.id)
  if (joined) return joined
  const run = leasedCheck(env, db, row, origin, options.wait ?? true).finally(() => running.delete(row.id))
  running.set(row.id, run)
  return run
}

async function leasedCheck(env: Env, db: Db, row: MediaRow, origin: string, wait: boolean): Promise<MediaRow> {
  const leaseId = crypto.randomUUID()
  const claimed = await claimCheck(db, row.id, leaseId)
  if (!claimed) {
    const now = await current(db, row.id)
    if (now.status !== 'processing' || !wait) return now
    log.info('media check: joining the check another run holds', { mediaId: row.id, until: now.checkLeaseUntil })
    return waitForVerdict(db, row.id)
  }
  try {
    return await checkOnce(env, db, claimed, origin)
  } catch (error) {
    if (!(error instanceof RendererUnavailable)) throw error
    const now = await current(db, row.id)
    if (now.status !== 'processing') return now
    throw error
  } finally {
    // Settled or not, the next call may check again (a ready or rejected row is never checked).
    await db.update(media).set({ checkLeaseId: null, checkLeaseUntil: null }).where(and(eq(media.id, row.id), eq(media.checkLeaseId, leaseId)))
  }
}

/** Takes the item's check lease when nobody holds it (or the holder's has run out): the row, or null. */
async function claimCheck(db: Db, id: string, leaseId: string): Promise<MediaRow | null> {
  const now = Date.now()
  const row = await db
    .update(media)
    .set({ checkLeaseId: leaseId, checkLeaseUntil: isoAt(now + CHECK_LEASE_MS) })
    .where(and(eq(media.id, id), eq(media.status, 'processing'), or(isNull(media.checkLeaseUntil), lt(media.checkLeaseUntil, isoAt(now)))))
    .returning()
    .get()
  return row ?? null
}

async function current(db: Db, id: string): Promise<MediaRow> {
  const now = await db.select().from(media).where(eq(media.id, id)).get()
  if (!now) throw new HttpError(404, 'Media not found: it was deleted while it was being checked.')
  return now
}

/**
 * The check another isolate runs: its verdict once the row settles. Its lease released with the
 * row still processing means that run could not reach the renderer: the same 503 it answered. A
 * lease that ran out (its isolate died) is a 503 too: the next complete (or sweep) takes it over.
 */
async function waitForVerdict(db: Db, id: string): Promise<MediaRow> {
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, CHECK_WAIT_POLL_MS))
    const now = await current(db, id)
    if (now.status !== 'processing') return now
    if (now.checkLeaseId === null) throw new RendererUnavailable()
    if (now.checkLeaseUntil !== null && now.checkLeaseUntil < isoAt(Date.now())) throw new RendererUnavailable()
  }
}

async function checkOnce(env: Env, db: Db, row: MediaRow, origin: string): Promise<MediaRow> {
  const secret = signingKey(env)
  const sourceUrl = await signedUrl(secret, origin, { op: 'get', key: row.key, contentType: row.contentType, exp: expiresIn(SOURCE_URL_TTL_MS) })

  const probed = await askRenderer<ProbeInfo>(env, '/probe', { sourceUrl })
  if (!probed.ok) return reject(env, db, row, reasonFor(probed), probed.error)
  const verdict = judgeContent(probed.body, row.contentType)
  if (!verdict.ok) return reject(env, db, row, verdict.reason, `format ${probed.body.formatName}, ${probed.body.durationSec} s`)

  const thumbKey = thumbnailKey(row.key)
  const uploadUrl = await signedUrl(secret, origin, { op: 'thumbnail', mediaId: row.id, key: thumbKey, maxSize: THUMBNAIL_MAX_BYTES, contentType: 'image/jpeg', exp: expiresIn(SOURCE_URL_TTL_MS) })
  const thumb = await askRenderer<{ width: number; height: number; size: number }>(env, '/thumbnail', { sourceUrl, uploadUrl, width: THUMBNAIL_WIDTH })
  if (!thumb.ok) return reject(env, db, row, reasonFor(thumb), thumb.error)

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
      updatedAt: sqlNow(),
    })
    .where(and(eq(media.id, row.id), eq(media.status, 'processing')))
    .returning()
    .get()
  if (ready) {
    // Captions from speech (#15): a clip with sound is transcribed when a provider is configured.
    await requestTranscript(env, db, ready)
    return ready
  }
  return settled(env, db, row, [thumbKey])
}

/** Refuses a file: its bytes go (they count against nothing any more); the row stays to say why. */
export async function reject(env: Env, db: Db, row: MediaRow, reason: string, detail: string): Promise<MediaRow> {
  log.info('media rejected', { mediaId: row.id, reason, detail })
  const rejected = await db
    .update(media)
    .set({ status: 'rejected', rejectionReason: reason, updatedAt: sqlNow() })
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
