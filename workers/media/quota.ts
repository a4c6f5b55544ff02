/**
 * What a workspace may upload: the accepted types, its plan's per-file limit, and its storage
 * quota. The quota is held by the insert of the upload's row itself (one conditional statement),
 * so two uploads racing for the last gigabyte cannot both get it.
 */
import { eq } from 'drizzle-orm'
import type { Db } from '../db/client'
import { workspaces } from '../db/schema'
import { ACCEPTED_TYPES, defaultTitle, formatBytes, isAcceptedType, limitsFor, type MediaLimits } from '../domain/media'
import { fieldProblem } from '../lib/errors'

/** An upload as a creator announces it, before any byte is sent. */
export interface AnnouncedUpload {
  project: { id: string; workspaceId: string }
  filename: string
  contentType: string
  size: number
  /** The person uploading; null for an API key. */
  createdBy: string | null
}

/** The plan's limits for an upload, once its type (415 naming contentType) and size (413 naming size) pass. */
export async function uploadLimits(db: Db, upload: Pick<AnnouncedUpload, 'project' | 'contentType' | 'size'>): Promise<MediaLimits> {
  if (!isAcceptedType(upload.contentType)) {
    throw fieldProblem(415, 'contentType', `must be one of ${ACCEPTED_TYPES.join(', ')}`, `Unsupported type ${upload.contentType}: upload ${ACCEPTED_TYPES.join(', ')}.`)
  }
  const workspace = await db.select({ plan: workspaces.plan }).from(workspaces).where(eq(workspaces.id, upload.project.workspaceId)).get()
  const limits = limitsFor(workspace?.plan)
  if (upload.size > limits.maxFileBytes) {
    throw fieldProblem(413, 'size', `must be at most ${formatBytes(limits.maxFileBytes)}`, `This file is ${formatBytes(upload.size)}; the ${workspace?.plan ?? 'free'} plan takes files up to ${formatBytes(limits.maxFileBytes)}.`)
  }
  return limits
}

/** Bytes the workspace's library holds (rejected files do not count). */
export async function storageUsed(env: Pick<Env, 'DB'>, workspaceId: string): Promise<number> {
  const row = await env.DB.prepare(`select coalesce(sum(size), 0) as used from media where workspace_id = ? and status != 'rejected'`).bind(workspaceId).first<{ used: number }>()
  return row?.used ?? 0
}

/**
 * Inserts the upload's row (status uploading) only if the workspace's quota still has room for
 * it; otherwise a 413 naming `size`, with what is in use.
 */
export async function reserve(
  env: Pick<Env, 'DB'>,
  upload: AnnouncedUpload,
  limits: MediaLimits,
  ids: { id: string; key: string },
  multipart: { uploadId: string; partSize: number } | null,
): Promise<void> {
  const { project } = upload
  const result = await env.DB.prepare(
    `insert into media (id, workspace_id, project_id, key, filename, title, content_type, size, upload_id, part_size, created_by)
     select ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11
     where (select coalesce(sum(size), 0) from media where workspace_id = ?2 and status != 'rejected') + ?8 <= ?12`,
  )
    .bind(ids.id, project.workspaceId, project.id, ids.key, upload.filename, defaultTitle(upload.filename), upload.contentType.toLowerCase(), upload.size, multipart?.uploadId ?? null, multipart?.partSize ?? null, upload.createdBy, limits.storageBytes)
    .run()
  if (result.meta.changes === 1) return
  const used = await storageUsed(env, project.workspaceId)
  throw fieldProblem(
    413,
    'size',
    'exceeds the storage quota',
    `This file (${formatBytes(upload.size)}) does not fit in the workspace's storage quota of ${formatBytes(limits.storageBytes)}: ${formatBytes(used)} is in use. Delete clips you no longer need, or upgrade the plan.`,
  )
}
