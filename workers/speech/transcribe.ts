/**
 * Transcription of a clip (#15), one queue message per clip (transcribe-jobs). The render server
 * cuts the clip's sound into WAV parts no longer than the provider takes and PUTs them into R2
 * through signed URLs; each part is sent to the configured provider; the words are joined on the
 * clip's timeline and stored with the media item in one write. Safe to run twice: parts already
 * in R2 are not cut again, a finished transcript is never redone, and the row moves only from
 * `pending`. A transient failure (renderer, storage, a provider's 429/5xx) throws, so the queue
 * retries it with backoff; a permanent one is written as `failed` with its reason.
 */
import { and, eq, sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import { createDb } from '../db/client'
import { media, mediaTranscripts } from '../db/schema'
import { sqlNow } from '../db/time'
import { joinParts, partsOf, type HeardPart } from '../domain/transcript'
import { ProviderHttpError } from '../ai/types'
import { expiresIn, signedUrl, signingKey } from '../lib/signed-url'
import { publicOrigin } from '../lib/public-url'
import { log } from '../lib/log'
import { rendererFor } from '../render/renderer'
import { enqueueTranscription } from '../queues/producers'
import { transcriberFor, transcriptionTimeoutOf, type TranscriptionSettings } from './config'

type MediaRow = typeof media.$inferSelect

export type TranscribeOutcome = { kind: 'done'; words: number } | { kind: 'failed'; reason: string } | { kind: 'skipped'; reason: string }

/** Something worth trying again later (the renderer, storage or the provider hiccuped). */
export class RetryableTranscriptionError extends Error {
  name = 'RetryableTranscriptionError'
}

const PART_URL_TTL_MS = 30 * 60_000
const RENDERER_TIMEOUT_MS = 10 * 60_000

/** The R2 prefix under which a clip's audio parts wait between the render server and the provider. */
const audioPrefix = (row: Pick<MediaRow, 'key'>) => `${row.key}.audio/`

/** Where a clip's audio part waits between the render server and the provider. */
export const audioPartKey = (row: Pick<MediaRow, 'key'>, index: number, count: number) => `${audioPrefix(row)}part-${index + 1}-of-${count}.wav`

/**
 * Deletes every audio part of a clip still in R2, whatever count it was cut in (a deleted clip's,
 * a refused one's). Answers how many there were.
 */
export async function removeAudioParts(env: Pick<Env, 'MEDIA'>, row: Pick<MediaRow, 'key'>): Promise<number> {
  let removed = 0
  let cursor: string | undefined
  do {
    const page = await env.MEDIA.list({ prefix: audioPrefix(row), cursor, limit: 1000 })
    if (page.objects.length) await env.MEDIA.delete(page.objects.map((o) => o.key))
    removed += page.objects.length
    cursor = page.truncated ? page.cursor : undefined
  } while (cursor)
  return removed
}

/** Whether a ready clip is one we transcribe: a video with sound, and a provider to hear it. */
export function wantsTranscript(env: TranscriptionSettings, row: Pick<MediaRow, 'status' | 'kind' | 'hasAudio'>): boolean {
  return row.status === 'ready' && row.kind === 'video' && !!row.hasAudio && transcriberFor(env).ok
}

/**
 * Marks a clip's transcript as wanted (`pending`, a new row or a failed one again; a done one only
 * when `again`), answering whether a message should be sent. The caller sends it.
 */
export async function markPending(db: Db, row: Pick<MediaRow, 'id' | 'workspaceId'>, again = false): Promise<boolean> {
  const inserted = await db.insert(mediaTranscripts).values({ mediaId: row.id, workspaceId: row.workspaceId, status: 'pending' }).onConflictDoNothing().returning({ id: mediaTranscripts.mediaId })
  if (inserted.length) return true
  const statuses = again ? ['failed', 'done'] : ['failed']
  const moved = await db
    .update(mediaTranscripts)
    .set({ status: 'pending', error: null, attempts: 0, updatedAt: sqlNow() })
    .where(and(eq(mediaTranscripts.mediaId, row.id), sql`${mediaTranscripts.status} in ${statuses}`))
    .returning({ id: mediaTranscripts.mediaId })
  return moved.length > 0
}

/** Runs one transcription of a clip; throws RetryableTranscriptionError (or any error) for the queue to retry. */
export async function transcribeMedia(env: Env & TranscriptionSettings, mediaId: string): Promise<TranscribeOutcome> {
  const db = createDb(env.DB)
  const row = await db.select().from(media).where(eq(media.id, mediaId)).get()
  if (!row) return { kind: 'skipped', reason: 'the clip was deleted' }
  const transcript = await db.select().from(mediaTranscripts).where(eq(mediaTranscripts.mediaId, mediaId)).get()
  if (!transcript) return { kind: 'skipped', reason: 'no transcript was asked for' }
  if (transcript.status !== 'pending') return { kind: 'skipped', reason: `the transcript is ${transcript.status}` }
  if (row.status !== 'ready' || row.kind !== 'video') return fail(db, mediaId, 'Only a ready video clip is transcribed.')
  if (!row.hasAudio) return finish(env, db, row, { language: null, words: [], provider: null, model: null }, 0)
  const choice = transcriberFor(env)
  if (!choice.ok) return fail(db, mediaId, choice.reason)
  const { transcriber, maxPartSec } = choice

  await db.update(mediaTranscripts).set({ attempts: sql`${mediaTranscripts.attempts} + 1`, updatedAt: sqlNow() }).where(eq(mediaTranscripts.mediaId, mediaId)).run()
  // Cuts move back into the quiet before them (up to `snapSec`), so parts are asked for that much shorter.
  const snapSec = Math.min(1.5, maxPartSec / 3)
  const parts = partsOf(row.durationSec ?? 0, maxPartSec - snapSec)
  const keys = parts.map((_, i) => audioPartKey(row, i, parts.length))
  await cutMissingParts(env, row, parts, keys, snapSec)

  const heard: HeardPart[] = []
  let language: string | null = null
  for (const [i, part] of parts.entries()) {
    const object = await env.MEDIA.get(keys[i])
    if (!object) throw new RetryableTranscriptionError(`audio part ${i + 1} of ${parts.length} is missing from storage`)
    const wav = new Uint8Array(await object.arrayBuffer())
    const durationSec = Math.max(0, (wav.byteLength - 44) / 32_000)
    const startSec = Number(object.customMetadata?.startSec ?? part.startSec)
    try {
      const answer = await transcriber.transcribe(wav, AbortSignal.timeout(transcriptionTimeoutOf(env)))
      language ??= answer.language
      heard.push({ startSec, durationSec, words: answer.words })
    } catch (error) {
      if (error instanceof ProviderHttpError && !error.transient) {
        // Nothing will hear these parts now: a new request cuts them again.
        await removeAudioParts(env, row)
        return fail(db, mediaId, `The transcription provider refused the clip's sound: ${error.message}`)
      }
      throw new RetryableTranscriptionError(`the transcription provider failed: ${(error as Error).message}`)
    }
  }
  return finish(env, db, row, { language, words: joinParts(heard), provider: transcriber.name, model: transcriber.model }, parts.length)
}

/** Asks the render server for the parts R2 does not hold yet (a retry reuses the others). */
async function cutMissingParts(env: Env, row: MediaRow, parts: { startSec: number; durationSec: number }[], keys: string[], snapSec: number) {
  // All or nothing: a part's cut depends on the next one's, so a partial set is cut again whole.
  const present = await Promise.all(keys.map((key) => env.MEDIA.head(key)))
  if (present.every(Boolean)) return
  const missing = parts.map((part, i) => ({ ...part, i }))
  const secret = signingKey(env)
  const origin = publicOrigin(env)
  const exp = expiresIn(PART_URL_TTL_MS)
  const body = {
    sourceUrl: await signedUrl(secret, origin, { op: 'get', key: row.key, contentType: row.contentType, exp }),
    parts: await Promise.all(
      missing.map(async (part) => ({
        startSec: part.startSec,
        durationSec: part.durationSec,
        // A second of WAV is 32,000 bytes; the headroom covers the header and the last part's extra.
        uploadUrl: await signedUrl(secret, origin, { op: 'audio', mediaId: row.id, key: keys[part.i], maxSize: Math.ceil((part.durationSec + snapSec + 1) * 32_000) + 1024, exp }),
      })),
    ),
    snapSec,
  }
  let res: Response
  try {
    res = await rendererFor(env).fetch('/audio', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: AbortSignal.timeout(RENDERER_TIMEOUT_MS) })
  } catch (error) {
    throw new RetryableTranscriptionError(`the render server did not answer: ${(error as Error).message}`)
  }
  if (res.ok) return void (await res.body?.cancel())
  const text = await res.text()
  log.warn('transcription: the render server refused the audio', { mediaId: row.id, status: res.status, body: text.slice(0, 300) })
  throw new RetryableTranscriptionError(`the render server answered ${res.status} to /audio`)
}

async function finish(
  env: Env,
  db: Db,
  row: MediaRow,
  result: { language: string | null; words: ReturnType<typeof joinParts>; provider: string | null; model: string | null },
  partCount: number,
): Promise<TranscribeOutcome> {
  await db
    .update(mediaTranscripts)
    .set({ status: 'done', language: result.language, words: result.words, provider: result.provider, model: result.model, error: null, editedAt: null, updatedAt: sqlNow() })
    .where(and(eq(mediaTranscripts.mediaId, row.id), eq(mediaTranscripts.status, 'pending')))
    .run()
  if (partCount) await env.MEDIA.delete(Array.from({ length: partCount }, (_, i) => audioPartKey(row, i, partCount)))
  log.info('transcribed', { mediaId: row.id, words: result.words.length, parts: partCount, provider: result.provider })
  return { kind: 'done', words: result.words.length }
}

/** Writes a permanent failure with its reason (a retry may move it back to pending). */
export async function fail(db: Db, mediaId: string, reason: string): Promise<TranscribeOutcome> {
  await db
    .update(mediaTranscripts)
    .set({ status: 'failed', error: reason.slice(0, 1000), updatedAt: sqlNow() })
    .where(and(eq(mediaTranscripts.mediaId, mediaId), eq(mediaTranscripts.status, 'pending')))
    .run()
  log.warn('transcription failed', { mediaId, reason })
  return { kind: 'failed', reason }
}

/**
 * After a clip became ready: a video with sound and a configured provider gets its transcript
 * asked for. A send that fails leaves the row pending, and the sweeper sends it again
 * (`sweepPendingTranscripts`); the media check itself never fails for it.
 */
export async function requestTranscript(env: Env & TranscriptionSettings, db: Db, row: MediaRow, again = false): Promise<boolean> {
  if (!wantsTranscript(env, row)) return false
  if (!(await markPending(db, row, again))) return false
  try {
    await enqueueTranscription(env, row.id)
  } catch (error) {
    log.warn('transcription: the message was not sent; the sweeper sends it again', { mediaId: row.id, error: String(error) })
  }
  return true
}

/** Pending transcripts untouched this long are sent again (their message was lost or died). */
export const PENDING_RESEND_MS = 30 * 60_000

/** The sweeper's part: pending transcripts that stopped moving get a new message. */
export async function sweepPendingTranscripts(env: Env, now = Date.now()): Promise<number> {
  const db = createDb(env.DB)
  const before = new Date(now - PENDING_RESEND_MS).toISOString()
  const stale = await db
    .update(mediaTranscripts)
    .set({ updatedAt: sqlNow() })
    .where(and(eq(mediaTranscripts.status, 'pending'), sql`${mediaTranscripts.updatedAt} < ${before}`))
    .returning({ mediaId: mediaTranscripts.mediaId })
  for (const { mediaId } of stale.slice(0, 100)) await enqueueTranscription(env, mediaId)
  return stale.length
}
