/**
 * An upload's bytes in R2: where they go (the key), the multipart upload that receives them in
 * parts, the assembly of those parts on complete, and their removal. The storage route
 * (storage-route.ts) receives the bytes; the routes (routes.ts) call these.
 */
import { and, asc, eq } from 'drizzle-orm'
import type { Db } from '../db/client'
import { media, mediaParts } from '../db/schema'
import { sqlNow } from '../db/time'
import { mediaKey, partBytes, REJECTION_REASONS, thumbnailKey } from '../domain/media'
import { conflict, HttpError, notFound } from '../lib/errors'
import { newId } from '../lib/ids'
import { removeObjects } from './check'
import { removeAudioParts } from '../speech/transcribe'
import { reserve, type AnnouncedUpload } from './quota'
import type { MediaLimits } from '../domain/media'

type MediaRow = typeof media.$inferSelect

/** A new media item's id and the R2 key its bytes go to. */
export function newUploadIds(project: { id: string; workspaceId: string }, filename: string) {
  return { id: newId('med'), key: mediaKey(project.workspaceId, project.id, crypto.randomUUID(), filename) }
}

/** 1..n, the part numbers of an upload in `n` parts. */
export const partNumbers = (n: number) => Array.from({ length: n }, (_, i) => i + 1)

/**
 * Starts the R2 multipart upload and reserves the row for it under the quota; when the quota
 * refuses, the multipart upload is aborted again.
 */
export async function startMultipart(env: Env, upload: AnnouncedUpload, limits: MediaLimits, ids: { id: string; key: string }, partSize: number): Promise<void> {
  const multipart = await env.MEDIA.createMultipartUpload(ids.key, { httpMetadata: { contentType: upload.contentType.toLowerCase() } })
  try {
    await reserve(env, upload, limits, ids, { uploadId: multipart.uploadId, partSize })
  } catch (error) {
    await multipart.abort().catch(() => {})
    throw error
  }
}

/**
 * Turns stored bytes into a media item to check: assembles a multipart upload from the parts the
 * storage route recorded, verifies the object's size, and moves the row to `processing`.
 * Missing bytes answer 409 and change nothing, so the client can upload them and call again.
 */
export async function finishUpload(env: Env, db: Db, row: MediaRow): Promise<MediaRow> {
  let head = await env.MEDIA.head(row.key)
  if (!head && row.uploadId && row.partSize) {
    const partCount = Math.ceil(row.size / row.partSize)
    const parts = await db.select().from(mediaParts).where(eq(mediaParts.mediaId, row.id)).orderBy(asc(mediaParts.partNumber)).all()
    const have = new Map(parts.map((p) => [p.partNumber, p]))
    const missing = partNumbers(partCount).filter((n) => have.get(n)?.size !== partBytes(row.size, { partSize: row.partSize!, partCount }, n))
    if (missing.length) {
      throw new HttpError(409, `Parts ${missing.slice(0, 20).join(', ')}${missing.length > 20 ? '…' : ''} have not been uploaded yet.`, { missingParts: missing })
    }
    try {
      head = await env.MEDIA.resumeMultipartUpload(row.key, row.uploadId).complete(parts.map((p) => ({ partNumber: p.partNumber, etag: p.etag })))
    } catch (error) {
      // A retry after a completion whose answer was lost finds the object already assembled.
      head = await env.MEDIA.head(row.key)
      if (!head) throw conflict(`The parts could not be assembled (${(error as Error).message}); upload them again.`)
    }
  }
  if (!head) throw conflict('Nothing has been uploaded yet: PUT the file to its uploadUrl, then complete.')
  if (head.size !== row.size) {
    // Only reachable by going around the storage route's size check; the bytes are not what was announced.
    await removeObjects(env, [row.key])
    return rejectRow(db, row, `${REJECTION_REASONS.wrong_size}: ${head.size} bytes arrived, ${row.size} were announced`)
  }
  const [updated] = await db.batch([
    db
      .update(media)
      .set({ status: 'processing', completedAt: sqlNow(), updatedAt: sqlNow() })
      .where(and(eq(media.id, row.id), eq(media.status, 'uploading')))
      .returning(),
    db.delete(mediaParts).where(eq(mediaParts.mediaId, row.id)),
  ])
  if (updated[0]) return updated[0]
  // Someone else moved it on at the same moment; carry on from where they left it.
  const now = await db.select().from(media).where(eq(media.id, row.id)).get()
  if (!now) throw notFound('Media')
  return now
}

async function rejectRow(db: Db, row: MediaRow, reason: string): Promise<MediaRow> {
  const updated = await db
    .update(media)
    .set({ status: 'rejected', rejectionReason: reason, updatedAt: sqlNow() })
    .where(eq(media.id, row.id))
    .returning()
    .get()
  if (!updated) throw notFound('Media')
  return updated
}

/** Removes a media item everywhere: its multipart upload, its objects, then its row (parts cascade). */
export async function removeMedia(env: Env, db: Db, row: MediaRow): Promise<void> {
  if (row.uploadId && row.status === 'uploading') {
    await env.MEDIA.resumeMultipartUpload(row.key, row.uploadId)
      .abort()
      .catch(() => {
        // Already completed or aborted: nothing left to abort.
      })
  }
  // Objects first: if the row went first and this failed, the bytes would be orphaned for good;
  // this way a retry of the delete finishes the job.
  await removeObjects(env, [row.key, row.thumbnailKey ?? thumbnailKey(row.key)])
  // Audio parts of a transcription under way (#15) go too: before the row, and again after it, for
  // a part the render server stored meanwhile (its PUT checks the row again once stored).
  await removeAudioParts(env, row)
  await db.delete(media).where(eq(media.id, row.id)).run()
  await removeAudioParts(env, row)
}
