/**
 * The media library's routes: direct uploads (one signed PUT, or parts for large files), the
 * content check on complete (probe and thumbnail by the render server), listing, editing and
 * deleting. Thin: the quota is quota.ts, the bytes in R2 uploads.ts, the check check.ts.
 * Why uploads go through signed Worker URLs: docs/decisions/002-media-uploads.md.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { and, asc, desc, eq, like, lt, or, type SQL } from 'drizzle-orm'
import type { Context } from 'hono'
import { media, mediaParts, MEDIA_KINDS, MEDIA_STATUSES } from '../db/schema'
import { sqlNow } from '../db/time'
import { ACCEPTED_TYPES, formatBytes, type MediaLimits, MAX_PART_BYTES, MIN_PART_BYTES, partBytes, planParts, SINGLE_UPLOAD_MAX_BYTES } from '../domain/media'
import type { Permission } from '../domain/roles'
import type { AppEnv } from '../env'
import { badRequest, conflict, fieldProblem, HttpError, notFound } from '../lib/errors'
import { publicOrigin } from '../lib/public-url'
import { expiresIn, signedUrl, signingKey } from '../lib/signed-url'
import { requireOwned, requireProject } from '../api/access'
import { decodeCursor, encodeCursor } from '../api/cursor'
import { commonErrors, createRouter, errorResponses, IdParam, json, jsonBody, ProblemSchema, security, Timestamp } from '../api/openapi'
import { processMedia } from './check'
import { reserve, uploadLimits, type AnnouncedUpload } from './quota'
import { finishUpload, newUploadIds, partNumbers, removeMedia, startMultipart } from './uploads'
import { mediaUses } from './usage'

const UPLOAD_URL_TTL_MS = 60 * 60 * 1000
const DOWNLOAD_URL_TTL_MS = 15 * 60 * 1000
const THUMBNAIL_URL_TTL_MS = 60 * 60 * 1000

export const MediaSchema = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    projectId: z.string(),
    filename: z.string().openapi({ description: 'The name the file was uploaded with; a label only' }),
    title: z.string().openapi({ description: 'What the clip is called; empty until named (pre-filled from the file name only when it reads like a title)' }),
    topic: z.string().openapi({ description: 'What the clip is about, in a few words: hooks and captions are written from the title and topic' }),
    tags: z.array(z.string()),
    contentType: z.string().openapi({ description: 'Announced while uploading; what the content check found once ready' }),
    kind: z.enum(MEDIA_KINDS).nullable(),
    size: z.number().int(),
    status: z.enum(MEDIA_STATUSES),
    rejectionReason: z.string().nullable().openapi({ example: 'not a video' }),
    multipart: z.boolean(),
    partSize: z.number().int().nullable(),
    durationSec: z.number().nullable(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    fps: z.number().nullable(),
    videoCodec: z.string().nullable(),
    audioCodec: z.string().nullable(),
    hasAudio: z.boolean().nullable(),
    formatName: z.string().nullable(),
    bitRate: z.number().int().nullable(),
    thumbnailUrl: z.string().nullable().openapi({ description: 'A signed URL, valid one hour' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    completedAt: Timestamp.nullable(),
  })
  .openapi('Media')

/** complete's 422: the problem, with the rejected item beside it. */
export const MediaRejectedSchema = ProblemSchema.extend({ media: MediaSchema }).openapi('MediaRejected')

const MediaWithDownload = MediaSchema.extend({
  downloadUrl: z.string().nullable().openapi({ description: 'A signed URL to the original, valid 15 minutes; null until ready' }),
}).openapi('MediaWithDownload')

const NewUpload = z.object({
  projectId: z.string().min(1, 'is required').max(64),
  filename: z.string().trim().min(1, 'must not be empty').max(255, 'must be at most 255 characters'),
  contentType: z.string().trim().min(1, 'is required').max(100).openapi({ example: 'video/mp4', description: `One of ${ACCEPTED_TYPES.join(', ')}` }),
  size: z.number({ error: 'must be a number of bytes' }).int('must be a whole number of bytes').positive('must be at least 1 byte').max(Number.MAX_SAFE_INTEGER),
})

const UploadUrlSchema = z
  .object({
    mediaId: z.string(),
    uploadUrl: z.string().openapi({ description: 'PUT the bytes here with Content-Length; no other header is needed' }),
    key: z.string(),
    expiresAt: Timestamp,
  })
  .openapi('UploadUrl')

const MultipartSchema = z
  .object({ mediaId: z.string(), key: z.string(), partSize: z.number().int(), partCount: z.number().int(), expiresAt: Timestamp })
  .openapi('MultipartUpload')

const PartUrlsSchema = z
  .object({ parts: z.array(z.object({ partNumber: z.number().int(), size: z.number().int(), uploadUrl: z.string() })), expiresAt: Timestamp })
  .openapi('PartUrls')

const PartListSchema = z
  .object({
    partSize: z.number().int(),
    partCount: z.number().int(),
    uploaded: z.array(z.object({ partNumber: z.number().int(), size: z.number().int(), etag: z.string() })),
    missing: z.array(z.number().int()),
  })
  .openapi('PartList')

const mediaParams = z.object({ id: IdParam('id', 'med_0123456789abcdefghjk') })
const projectParams = z.object({ id: IdParam('id', 'prj_0123456789abcdefghjk') })
const tags = ['Media']

type MediaRow = typeof media.$inferSelect

/** Loads a media item through the caller's membership of its workspace (404 when they have none). */
async function requireMedia(c: Context<AppEnv>, id: string, permission: Permission): Promise<MediaRow> {
  return requireOwned(c, await c.get('db').select().from(media).where(eq(media.id, id)).get(), permission, 'Media')
}

/** Signed URLs are made on PUBLIC_URL, never on the request's Host. */
const origin = (c: Context<AppEnv>) => publicOrigin(c.env)

/** The API shape of a row, with a signed thumbnail URL. */
export async function present(env: Env, base: string, row: MediaRow) {
  const { key: _key, uploadId, thumbnailKey: thumb, createdBy: _by, checkLeaseId: _lease, checkLeaseUntil: _until, ...rest } = row
  const thumbnailUrl = thumb && row.status === 'ready' ? await signedUrl(signingKey(env), base, { op: 'get', key: thumb, contentType: 'image/jpeg', exp: expiresIn(THUMBNAIL_URL_TTL_MS) }) : null
  return { ...rest, multipart: uploadId !== null, thumbnailUrl }
}

/** The upload a body announces, in the project the caller may write to. */
async function announced(c: Context<AppEnv>, input: z.infer<typeof NewUpload>): Promise<{ upload: AnnouncedUpload; limits: MediaLimits }> {
  const { project } = await requireProject(c, input.projectId, 'projects.write')
  const principal = c.get('principal')
  const upload = { project, filename: input.filename, contentType: input.contentType, size: input.size, createdBy: principal.kind === 'user' ? principal.userId : null }
  return { upload, limits: await uploadLimits(c.get('db'), upload) }
}

export const mediaApi = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/media/upload-url',
      tags,
      security,
      summary: 'Start an upload of up to 100 MB (editor): answers the URL to PUT the bytes to',
      description: 'Then `PUT uploadUrl` with the bytes and `Content-Length`, then `POST /media/{id}/complete`. Larger files: `POST /media/multipart`.',
      request: { body: jsonBody(NewUpload) },
      responses: { 201: json(UploadUrlSchema, 'Upload URL'), ...commonErrors, ...errorResponses(413, 415) },
    }),
    async (c) => {
      const input = c.req.valid('json')
      const { upload, limits } = await announced(c, input)
      if (input.size > SINGLE_UPLOAD_MAX_BYTES) {
        throw fieldProblem(413, 'size', `must be at most ${formatBytes(SINGLE_UPLOAD_MAX_BYTES)} for a single upload`, `Files over ${formatBytes(SINGLE_UPLOAD_MAX_BYTES)} go up in parts: use POST /api/media/multipart.`)
      }
      const ids = newUploadIds(upload.project, input.filename)
      const secret = signingKey(c.env)
      await reserve(c.env, upload, limits, ids, null)
      const exp = expiresIn(UPLOAD_URL_TTL_MS)
      const uploadUrl = await signedUrl(secret, origin(c), { op: 'put', mediaId: ids.id, key: ids.key, size: input.size, contentType: input.contentType.toLowerCase(), exp })
      return c.json({ mediaId: ids.id, uploadUrl, key: ids.key, expiresAt: new Date(exp * 1000).toISOString() }, 201)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/media/multipart',
      tags,
      security,
      summary: 'Start a multipart upload (editor), for files over 100 MB or any upload that must survive a dropped connection',
      description: 'Then ask for part URLs (`POST /media/{id}/parts`), PUT each part, list what arrived (`GET /media/{id}/parts`) to resume, and complete.',
      request: {
        body: jsonBody(
          NewUpload.extend({
            partSize: z
              .number()
              .int()
              .min(MIN_PART_BYTES, `must be at least ${MIN_PART_BYTES} bytes (5 MiB)`)
              .max(MAX_PART_BYTES, `must be at most ${MAX_PART_BYTES} bytes`)
              .optional(),
          }),
        ),
      },
      responses: { 201: json(MultipartSchema, 'Multipart upload started'), ...commonErrors, ...errorResponses(413, 415) },
    }),
    async (c) => {
      const input = c.req.valid('json')
      const { upload, limits } = await announced(c, input)
      const plan = planParts(input.size, input.partSize)
      const ids = newUploadIds(upload.project, input.filename)
      signingKey(c.env)
      await startMultipart(c.env, upload, limits, ids, plan.partSize)
      const exp = expiresIn(UPLOAD_URL_TTL_MS)
      return c.json({ mediaId: ids.id, key: ids.key, partSize: plan.partSize, partCount: plan.partCount, expiresAt: new Date(exp * 1000).toISOString() }, 201)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/media/{id}/parts',
      tags,
      security,
      summary: 'Signed URLs for parts of a multipart upload (editor)',
      request: {
        params: mediaParams,
        body: jsonBody(z.object({ partNumbers: z.array(z.number().int().min(1, 'must be at least 1')).min(1, 'name at least one part').max(100, 'ask for at most 100 parts at a time') })),
      },
      responses: { 200: json(PartUrlsSchema, 'Part URLs'), ...commonErrors, ...errorResponses(409) },
    }),
    async (c) => {
      const row = await requireMedia(c, c.req.valid('param').id, 'projects.write')
      if (!row.uploadId || !row.partSize) throw conflict('This is not a multipart upload: PUT the whole file to its uploadUrl.')
      if (row.status !== 'uploading') throw conflict(`This media is ${row.status}; it takes no more parts.`)
      const plan = { partSize: row.partSize, partCount: Math.ceil(row.size / row.partSize) }
      const wanted = c.req.valid('json').partNumbers
      const bad = wanted.flatMap((n, i) => (n > plan.partCount ? [{ field: `partNumbers.${i}`, message: `must be at most ${plan.partCount}` }] : []))
      if (bad.length) throw badRequest(`This upload has ${plan.partCount} parts.`, bad)
      const exp = expiresIn(UPLOAD_URL_TTL_MS)
      const secret = signingKey(c.env)
      const parts = await Promise.all(
        [...new Set(wanted)].map(async (partNumber) => {
          const size = partBytes(row.size, plan, partNumber)
          const uploadUrl = await signedUrl(secret, origin(c), { op: 'part', mediaId: row.id, key: row.key, uploadId: row.uploadId!, partNumber, size, exp })
          return { partNumber, size, uploadUrl }
        }),
      )
      return c.json({ parts, expiresAt: new Date(exp * 1000).toISOString() }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/media/{id}/parts',
      tags,
      security,
      summary: 'The parts already stored (to resume after a dropped connection)',
      request: { params: mediaParams },
      responses: { 200: json(PartListSchema, 'Parts stored and missing'), ...commonErrors, ...errorResponses(409) },
    }),
    async (c) => {
      const row = await requireMedia(c, c.req.valid('param').id, 'projects.read')
      if (!row.uploadId || !row.partSize) throw conflict('This is not a multipart upload.')
      const partCount = Math.ceil(row.size / row.partSize)
      const uploaded = await c
        .get('db')
        .select({ partNumber: mediaParts.partNumber, size: mediaParts.size, etag: mediaParts.etag })
        .from(mediaParts)
        .where(eq(mediaParts.mediaId, row.id))
        .orderBy(asc(mediaParts.partNumber))
        .all()
      const have = new Set(uploaded.map((p) => p.partNumber))
      const missing = row.status === 'uploading' ? partNumbers(partCount).filter((n) => !have.has(n)) : []
      return c.json({ partSize: row.partSize, partCount, uploaded, missing }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/media/{id}/complete',
      tags,
      security,
      summary: 'Finish an upload (editor): checks the bytes, probes the content, makes the thumbnail',
      description:
        'Answers the media once it is `ready`. A file the check refuses is a 422 problem: `detail` and `errors[0]` (field `file`) say why, `media` is the rejected item (its bytes are gone; it stays in the library 30 days to say why), and calling again answers the same. 409 when bytes are missing (nothing changes; upload them and call again). 503 when the renderer is unavailable: the media stays `processing`; call again.',
      request: { params: mediaParams },
      responses: {
        200: json(MediaSchema, 'Ready'),
        422: { description: 'The file was refused: `errors` names `file` with the reason; `media` is the rejected item', content: { 'application/problem+json': { schema: MediaRejectedSchema } } },
        ...commonErrors,
        ...errorResponses(409, 503),
      },
    }),
    async (c) => {
      const db = c.get('db')
      let row = await requireMedia(c, c.req.valid('param').id, 'projects.write')
      if (row.status === 'uploading') row = await finishUpload(c.env, db, row)
      if (row.status === 'processing') row = await processMedia(c.env, db, row, origin(c))
      const item = await present(c.env, origin(c), row)
      if (row.status === 'rejected') {
        const reason = row.rejectionReason ?? 'the file could not be used'
        throw new HttpError(422, `This file was refused: ${reason}.`, { errors: [{ field: 'file', message: reason }], media: item })
      }
      return c.json(item, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/media/{id}/abort',
      tags,
      security,
      summary: 'Cancel an upload in progress (editor): drops the bytes and the record',
      request: { params: mediaParams },
      responses: { 204: { description: 'Cancelled' }, ...commonErrors, ...errorResponses(409) },
    }),
    async (c) => {
      const row = await requireMedia(c, c.req.valid('param').id, 'projects.write')
      if (row.status !== 'uploading') throw conflict(`This upload is already ${row.status}; delete the media instead.`)
      await removeMedia(c.env, c.get('db'), row)
      return c.body(null, 204)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/projects/{id}/media',
      tags,
      security,
      summary: "A project's library, newest first (cursor pagination)",
      request: {
        params: projectParams,
        query: z.object({
          status: z.enum(MEDIA_STATUSES).optional(),
          type: z.enum(MEDIA_KINDS).optional().openapi({ description: 'video or image' }),
          limit: z.coerce.number().int().min(1, 'must be at least 1').max(100, 'must be at most 100').default(30),
          cursor: z.string().max(200).optional(),
        }),
      },
      responses: { 200: json(z.object({ data: z.array(MediaSchema), nextCursor: z.string().nullable() }), 'A page of media'), ...commonErrors },
    }),
    async (c) => {
      const { project } = await requireProject(c, c.req.valid('param').id, 'projects.read')
      const { status, type, limit, cursor } = c.req.valid('query')
      const where: SQL[] = [eq(media.projectId, project.id)]
      if (status) where.push(eq(media.status, status))
      if (type) where.push(like(media.contentType, `${type}/%`))
      if (cursor) {
        const [createdAt, afterId] = decodeCursor(cursor, 2)
        const after = { createdAt, id: afterId }
        where.push(or(lt(media.createdAt, after.createdAt), and(eq(media.createdAt, after.createdAt), lt(media.id, after.id)))!)
      }
      const rows = await c
        .get('db')
        .select()
        .from(media)
        .where(and(...where))
        .orderBy(desc(media.createdAt), desc(media.id))
        .limit(limit + 1)
        .all()
      const page = rows.slice(0, limit)
      const last = page[page.length - 1]
      const nextCursor = rows.length > limit && last ? encodeCursor([last.createdAt, last.id]) : null
      const data = await Promise.all(page.map((row) => present(c.env, origin(c), row)))
      return c.json({ data, nextCursor }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/media/{id}',
      tags,
      security,
      summary: 'One media item, with a short-lived download URL',
      request: { params: mediaParams },
      responses: { 200: json(MediaWithDownload, 'The media'), ...commonErrors },
    }),
    async (c) => {
      const row = await requireMedia(c, c.req.valid('param').id, 'projects.read')
      const downloadUrl =
        row.status === 'ready'
          ? await signedUrl(signingKey(c.env), origin(c), { op: 'get', key: row.key, contentType: row.contentType, exp: expiresIn(DOWNLOAD_URL_TTL_MS) })
          : null
      return c.json({ ...(await present(c.env, origin(c), row)), downloadUrl }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/media/{id}',
      tags,
      security,
      summary: 'Set the title, topic or tags of a media item (editor)',
      request: {
        params: mediaParams,
        body: jsonBody(
          z
            .object({
              title: z.string().trim().max(200, 'must be at most 200 characters').optional(),
              topic: z.string().trim().max(200, 'must be at most 200 characters').optional(),
              tags: z
                .array(z.string().trim().min(1, 'must not be empty').max(40, 'must be at most 40 characters'))
                .max(20, 'at most 20 tags')
                .optional(),
            })
            .refine((b) => b.title !== undefined || b.topic !== undefined || b.tags !== undefined, { message: 'give a title, topic or tags to change' }),
        ),
      },
      responses: { 200: json(MediaSchema, 'Updated'), ...commonErrors },
    }),
    async (c) => {
      const row = await requireMedia(c, c.req.valid('param').id, 'projects.write')
      const { title, topic, tags: newTags } = c.req.valid('json')
      const updated = await c
        .get('db')
        .update(media)
        .set({
          ...(title !== undefined ? { title } : {}),
          ...(topic !== undefined ? { topic } : {}),
          ...(newTags !== undefined ? { tags: [...new Set(newTags)] } : {}),
          updatedAt: sqlNow(),
        })
        .where(eq(media.id, row.id))
        .returning()
        .get()
      if (!updated) throw notFound('Media')
      return c.json(await present(c.env, origin(c), updated), 200)
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/media/{id}',
      tags,
      security,
      summary: 'Delete a media item and its files (editor)',
      description: 'Refused with 409 while a post still to be rendered or published (planned up to scheduled) uses it, naming those posts in `uses`, unless `force=true`.',
      request: {
        params: mediaParams,
        query: z.object({ force: z.enum(['true', 'false']).optional().openapi({ description: 'Delete even if posts still to be rendered or published use it' }) }),
      },
      responses: { 204: { description: 'Deleted' }, ...commonErrors, ...errorResponses(409) },
    }),
    async (c) => {
      const db = c.get('db')
      const row = await requireMedia(c, c.req.valid('param').id, 'projects.write')
      if (c.req.valid('query').force !== 'true') {
        const uses = await mediaUses(db, row)
        if (uses.length) {
          throw new HttpError(409, `This media is still used by ${uses.map((u) => u.label).join('; ')}. Delete with ?force=true to remove it anyway.`, { uses })
        }
      }
      await removeMedia(c.env, db, row)
      return c.body(null, 204)
    },
  )


