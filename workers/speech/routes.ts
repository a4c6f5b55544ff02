/**
 * A clip's transcript (#15): `GET /media/{id}/transcript` (what was heard, or why there is
 * nothing), `PUT` (fix words, each keeping its times), `POST` (transcribe it, or again).
 */
import { createRoute, z } from '@hono/zod-openapi'
import { eq } from 'drizzle-orm'
import type { Context } from 'hono'
import { media, mediaTranscripts } from '../db/schema'
import { sqlNow } from '../db/time'
import { applyEdit, transcriptEditSchema, transcriptWordSchema } from '../domain/transcript'
import type { AppEnv } from '../env'
import { conflict, fieldProblem } from '../lib/errors'
import { requireOwned } from '../api/access'
import { commonErrors, createRouter, errorResponses, IdParam, json, jsonBody, security } from '../api/openapi'
import { NO_PROVIDER, transcriberFor } from './config'
import { requestTranscript } from './transcribe'

const tags = ['Media']
const params = z.object({ id: IdParam('id', 'med_0123456789abcdefghjk') })

export const TRANSCRIPT_STATES = ['no_provider', 'no_sound', 'not_ready', 'not_requested', 'pending', 'no_speech', 'done', 'failed'] as const

export const TranscriptSchema = z
  .object({
    mediaId: z.string(),
    state: z.enum(TRANSCRIPT_STATES),
    /** A sentence for the library page: what there is, or why there is nothing. */
    message: z.string(),
    language: z.string().nullable(),
    words: z.array(transcriptWordSchema),
    provider: z.string().nullable(),
    model: z.string().nullable(),
    error: z.string().nullable(),
    editedAt: z.string().nullable(),
    updatedAt: z.string().nullable(),
    /** Whether `POST` would transcribe it now (a video with sound, a provider configured, nothing pending). */
    canRequest: z.boolean(),
  })
  .openapi('Transcript')
export type Transcript = z.infer<typeof TranscriptSchema>

type MediaRow = typeof media.$inferSelect
type TranscriptRow = typeof mediaTranscripts.$inferSelect

const MESSAGES = {
  no_provider: NO_PROVIDER,
  no_sound: 'This clip has no sound, so it has no captions from speech.',
  not_ready: 'The clip is not ready yet: it is transcribed once its check is done.',
  not_requested: 'This clip has not been transcribed yet.',
  pending: 'Transcribing: the words appear here when the provider has heard them.',
  no_speech: 'No speech was heard in this clip: it gets no captions from speech.',
  done: 'Captions from speech are made from these words. Fix a word and it keeps its times.',
  failed: 'The transcription failed.',
} as const

/** What the library shows of a clip's transcript. */
export function presentTranscript(env: Env, row: MediaRow, transcript: TranscriptRow | undefined): Transcript {
  const provider = transcriberFor(env)
  const state: Transcript['state'] =
    row.kind === 'image' || (row.status === 'ready' && !row.hasAudio)
      ? 'no_sound'
      : row.status !== 'ready'
        ? 'not_ready'
        : transcript?.status === 'pending'
          ? 'pending'
          : transcript?.status === 'failed'
            ? 'failed'
            : transcript?.status === 'done'
              ? transcript.words.length
                ? 'done'
                : 'no_speech'
              : provider.ok
                ? 'not_requested'
                : 'no_provider'
  const message = state === 'no_provider' && !provider.ok ? provider.reason : state === 'failed' && transcript?.error ? `The transcription failed: ${transcript.error}` : MESSAGES[state]
  return {
    mediaId: row.id,
    state,
    message,
    language: transcript?.language ?? null,
    words: state === 'done' ? transcript!.words : [],
    provider: transcript?.provider ?? null,
    model: transcript?.model ?? null,
    error: transcript?.status === 'failed' || transcript?.status === 'pending' ? (transcript.error ?? null) : null,
    editedAt: transcript?.editedAt ?? null,
    updatedAt: transcript?.updatedAt ?? null,
    canRequest: provider.ok && row.status === 'ready' && row.kind === 'video' && !!row.hasAudio && transcript?.status !== 'pending',
  }
}

async function load(c: Context<AppEnv>, id: string, permission: 'projects.read' | 'projects.write') {
  const db = c.get('db')
  const row = await requireOwned(c, await db.select().from(media).where(eq(media.id, id)).get(), permission, 'Media')
  const transcript = await db.select().from(mediaTranscripts).where(eq(mediaTranscripts.mediaId, id)).get()
  return { db, row, transcript }
}

export const transcriptsApi = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/media/{id}/transcript',
      tags,
      security,
      summary: "A clip's transcript: its words with start and end seconds, or why it has none",
      request: { params },
      responses: { 200: json(TranscriptSchema, 'The transcript'), ...commonErrors },
    }),
    async (c) => {
      const { row, transcript } = await load(c, c.req.valid('param').id, 'projects.read')
      return c.json(presentTranscript(c.env, row, transcript), 200)
    },
  )
  .openapi(
    createRoute({
      method: 'put',
      path: '/media/{id}/transcript',
      tags,
      security,
      summary: 'Fix the words of a transcript (editor): one text per word, each keeping its times',
      request: { params, body: jsonBody(transcriptEditSchema) },
      responses: { 200: json(TranscriptSchema, 'The edited transcript'), ...commonErrors, ...errorResponses(409) },
    }),
    async (c) => {
      const { db, row, transcript } = await load(c, c.req.valid('param').id, 'projects.write')
      if (transcript?.status !== 'done' || transcript.words.length === 0) {
        throw conflict(`There are no heard words to fix: ${presentTranscript(c.env, row, transcript).message}`)
      }
      const edit = c.req.valid('json')
      const edited = applyEdit(transcript.words, edit)
      if (!edited.ok) throw fieldProblem(400, 'words', edited.message)
      const saved = await db
        .update(mediaTranscripts)
        .set({ words: edited.words, ...(edit.language !== undefined ? { language: edit.language } : {}), editedAt: sqlNow(), updatedAt: sqlNow() })
        .where(eq(mediaTranscripts.mediaId, row.id))
        .returning()
        .get()
      return c.json(presentTranscript(c.env, row, saved), 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/media/{id}/transcript',
      tags,
      security,
      summary: 'Transcribe a clip (editor), or transcribe it again (its edits are replaced)',
      request: { params },
      responses: { 202: json(TranscriptSchema, 'Transcription asked for'), ...commonErrors, ...errorResponses(409) },
    }),
    async (c) => {
      const { db, row, transcript } = await load(c, c.req.valid('param').id, 'projects.write')
      const now = presentTranscript(c.env, row, transcript)
      if (!now.canRequest) throw conflict(now.state === 'pending' ? MESSAGES.pending : `This clip cannot be transcribed: ${now.message}`)
      await requestTranscript(c.env, db, row, true)
      const after = await db.select().from(mediaTranscripts).where(eq(mediaTranscripts.mediaId, row.id)).get()
      return c.json(presentTranscript(c.env, row, after), 202)
    },
  )
