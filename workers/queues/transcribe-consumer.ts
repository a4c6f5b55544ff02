/**
 * The transcribe-jobs consumer (#15): one clip per message, through `speech/transcribe.ts`. A
 * transient failure keeps the transcript pending with its last reason and the queue retries it
 * with backoff; after every retry the dead letter writes it as failed with that reason.
 */
import { and, eq } from 'drizzle-orm'
import { createDb } from '../db/client'
import { media, mediaTranscripts } from '../db/schema'
import { sqlNow } from '../db/time'
import { fail, removeAudioParts, transcribeMedia } from '../speech/transcribe'
import { consumeDeadLetters, consumeKeepingReason } from './consume'
import { TranscribeJob } from './messages'

export async function handleTranscribeBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  await consumeKeepingReason(
    batch,
    TranscribeJob,
    { baseDelaySec: 30 },
    ({ mediaId }) => transcribeMedia(env, mediaId),
    // Kept with the pending row, so the library and the dead letter can say what keeps failing.
    ({ mediaId }, reason) =>
      createDb(env.DB)
        .update(mediaTranscripts)
        .set({ error: reason.slice(0, 1000), updatedAt: sqlNow() })
        .where(and(eq(mediaTranscripts.mediaId, mediaId), eq(mediaTranscripts.status, 'pending')))
        .run(),
  )
}

/** The transcribe-jobs dead letters: the transcription failed after every retry; the library says why. */
export async function handleTranscribeDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const db = createDb(env.DB)
  await consumeDeadLetters(batch, 'mediaId', async (mediaId) => {
    const row = await db.select({ error: mediaTranscripts.error }).from(mediaTranscripts).where(eq(mediaTranscripts.mediaId, mediaId)).get()
    await fail(db, mediaId, `Transcription failed after every retry${row?.error ? `: ${row.error}` : ''}.`)
    // Nothing will hear its audio parts now (a new request cuts them again).
    const clip = await db.select({ key: media.key }).from(media).where(eq(media.id, mediaId)).get()
    if (clip) await removeAudioParts(env, clip)
  })
}
