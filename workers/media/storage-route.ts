/**
 * The storage route: `/api/storage/{token}` is what the signed URLs handed out by the media API
 * point at (see docs/decisions/002-media-uploads.md). The token is the credential, so this route
 * sits before authentication. Bodies stream straight into the R2 binding, never buffered; reads
 * answer range requests, which is how FFmpeg and browsers seek through a clip.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { and, eq } from 'drizzle-orm'
import type { Context } from 'hono'
import { media, mediaParts, posts, postTargets } from '../db/schema'
import type { AppEnv } from '../env'
import { badRequest, fieldProblem, forbidden, HttpError } from '../lib/errors'
import { type Grant, signingKey, verifyGrant } from '../lib/signed-url'
import { createRouter, errorResponses } from '../api/openapi'
import { STORAGE_BY_HEADER } from '../../containers/render/recipe/vocabulary'
import { sqlNow } from '../db/time'

const params = z.object({ token: z.string().min(1).max(4096).openapi({ param: { name: 'token', in: 'path' } }) })
const tags = ['Storage']

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: z.any() } } })
const storageErrors = {
  400: problem('The body did not match the grant (wrong size, cut short).'),
  403: problem('The token is invalid or has expired.'),
  ...errorResponses(409, 413),
  411: problem('Send Content-Length.'),
}

/**
 * The token of a request: in the path (`/api/storage/{token}`: browsers and platforms, which can
 * only be given a URL), or, for `/api/storage/by-header`, in `Authorization: Storage <token>` (the
 * render server: the request URL that logs record then carries no token).
 */
function tokenOf(c: Context<AppEnv>, inPath: string): string {
  if (inPath !== STORAGE_BY_HEADER) return inPath
  const token = /^Storage\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1]
  if (!token) throw forbidden('Send the link\'s token as `Authorization: Storage <token>`.')
  return token
}

async function grantFor(c: Context<AppEnv>, inPath: string, ops: Grant['op'][]): Promise<Grant> {
  const result = await verifyGrant(signingKey(c.env), tokenOf(c, inPath))
  if (!result.ok) {
    const why = result.reason === 'expired' ? 'This link has expired: ask the API for a new one.' : 'This link is not valid.'
    throw forbidden(why)
  }
  if (!ops.includes(result.grant.op)) throw forbidden(`This link does not allow ${c.req.method}.`)
  return result.grant
}

/** The request body as a stream of exactly `length` bytes (R2 needs to know the length up front). */
function exactBody(request: Request, length: number): ReadableStream {
  const { readable, writable } = new FixedLengthStream(length)
  ;(request.body ?? new Blob([]).stream()).pipeTo(writable).catch(() => {
    // The reader side errors too; the put that consumes it reports the failure.
  })
  return readable
}

function announcedLength(c: Context<AppEnv>): number {
  const header = c.req.header('content-length')
  const length = header === undefined ? NaN : Number(header)
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new HttpError(411, 'Send the body with a Content-Length header (chunked uploads are not accepted).', {
      errors: [{ field: 'content-length', message: 'is required' }],
    })
  }
  return length
}

const interrupted = (error: unknown) =>
  badRequest(`The upload was interrupted before all its bytes arrived (${error instanceof Error ? error.message : String(error)}); send it again.`)

async function mediaStatus(c: Context<AppEnv>, mediaId: string) {
  return c.get('db').select({ status: media.status, uploadId: media.uploadId }).from(media).where(eq(media.id, mediaId)).get()
}

/** Parses `Range: bytes=…` against an object of `size` bytes: one range only, as R2 serves. */
export function parseRange(header: string | undefined, size: number): { offset: number; length: number } | 'none' | 'unsatisfiable' {
  if (!header) return 'none'
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!match || (match[1] === '' && match[2] === '')) return 'none'
  if (match[1] === '') {
    const suffix = Number(match[2])
    if (suffix === 0) return 'unsatisfiable'
    const length = Math.min(suffix, size)
    return { offset: size - length, length }
  }
  const start = Number(match[1])
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1)
  if (start >= size || end < start) return 'unsatisfiable'
  return { offset: start, length: end - start + 1 }
}

/**
 * A render output (video or cover) from the render server. Only while its post is rendering: a
 * late upload from an abandoned render cannot overwrite a finished one.
 */
async function putRenderOutput(c: Context<AppEnv>, grant: Extract<Grant, { op: 'output' }>, length: number) {
  if (length > grant.maxSize) throw new HttpError(413, `A render output may be at most ${grant.maxSize} bytes.`)
  const post = await c.get('db').select({ status: posts.status }).from(posts).where(eq(posts.id, grant.postId)).get()
  if (!post || post.status !== 'rendering') throw new HttpError(409, post ? `This post is ${post.status}; it takes no render now.` : 'This post was deleted.')
  let object: R2Object
  try {
    object = await c.env.MEDIA.put(grant.key, exactBody(c.req.raw, length), { httpMetadata: { contentType: grant.contentType } })
  } catch (error) {
    throw interrupted(error)
  }
  c.header('ETag', object.httpEtag)
  return c.json({ key: grant.key, size: object.size, etag: object.etag }, 200)
}

/** A transcription's audio part (#15), from the render server: only for a media item that is ready. */
async function putAudioPart(c: Context<AppEnv>, grant: Extract<Grant, { op: 'audio' }>, length: number): Promise<Response> {
  if (length > grant.maxSize) throw new HttpError(413, `An audio part may be at most ${grant.maxSize} bytes.`)
  const row = await mediaStatus(c, grant.mediaId)
  if (!row || row.status !== 'ready') throw new HttpError(409, row ? `This media is ${row.status}; its sound is not transcribed.` : 'This media was deleted.')
  // Where the part starts on the clip (the render server moves cuts into quiet moments): kept with it.
  const startSec = Number(c.req.header('x-audio-start-sec'))
  if (!Number.isFinite(startSec) || startSec < 0) throw fieldProblem(400, 'x-audio-start-sec', 'must be the part\'s start in seconds')
  let object: R2Object | null
  try {
    object = await c.env.MEDIA.put(grant.key, exactBody(c.req.raw, length), { httpMetadata: { contentType: 'audio/wav' }, customMetadata: { startSec: String(startSec) } })
  } catch (error) {
    throw interrupted(error)
  }
  if (!object) throw new HttpError(409, 'The object changed while it was being written; send it again.')
  // Deleted while the part was written: the delete may have listed the parts before this one landed.
  if ((await mediaStatus(c, grant.mediaId))?.status !== 'ready') {
    await c.env.MEDIA.delete(grant.key)
    throw new HttpError(409, 'This media was deleted.')
  }
  c.header('ETag', object.httpEtag)
  return c.json({ key: grant.key, size: object.size, etag: object.etag }, 200)
}

export const uploadsApi = createRouter()
  .openapi(
    createRoute({
      method: 'put',
      path: '/storage/{token}',
      tags,
      summary: 'Upload bytes through a signed URL from the media API',
      description:
        'Send the raw bytes with `Content-Length`. A single upload takes exactly the announced size; a part takes exactly its part size. Answers with the stored ETag.',
      request: { params },
      responses: {
        200: { description: 'Stored', content: { 'application/json': { schema: z.object({ key: z.string(), size: z.number(), etag: z.string(), partNumber: z.number().optional() }) } } },
        ...storageErrors,
      },
    }),
    async (c) => {
      const grant = await grantFor(c, c.req.valid('param').token, ['put', 'part', 'thumbnail', 'output', 'audio'])
      if (grant.op === 'get' || grant.op === 'pull') throw forbidden('This link is read-only.')
      const length = announcedLength(c)
      if (grant.op === 'output') return putRenderOutput(c, grant, length)
      if (grant.op === 'audio') return putAudioPart(c, grant, length)
      if (grant.op === 'thumbnail') {
        if (length > grant.maxSize) throw new HttpError(413, `A thumbnail may be at most ${grant.maxSize} bytes.`)
      } else if (length !== grant.size) {
        throw badRequest(`The body is ${length} bytes, but ${grant.size} were announced for this ${grant.op === 'part' ? `part` : 'upload'}.`, [
          { field: 'content-length', message: `must be ${grant.size}` },
        ])
      }

      const row = await mediaStatus(c, grant.mediaId)
      const expected = grant.op === 'thumbnail' ? 'processing' : 'uploading'
      if (!row || row.status !== expected) {
        throw new HttpError(409, row ? `This media is ${row.status}; it takes no more uploads.` : 'This upload was cancelled or deleted.')
      }

      const bucket = c.env.MEDIA
      if (grant.op === 'part') {
        if (row.uploadId !== grant.uploadId) throw new HttpError(409, 'This multipart upload was cancelled.')
        let part: R2UploadedPart
        try {
          part = await bucket.resumeMultipartUpload(grant.key, grant.uploadId).uploadPart(grant.partNumber, exactBody(c.req.raw, length))
        } catch (error) {
          throw interrupted(error)
        }
        // Recorded only once R2 holds the whole part: this list is what a client resumes from.
        await c
          .get('db')
          .insert(mediaParts)
          .values({ mediaId: grant.mediaId, partNumber: grant.partNumber, etag: part.etag, size: length })
          .onConflictDoUpdate({ target: [mediaParts.mediaId, mediaParts.partNumber], set: { etag: part.etag, size: length, createdAt: sqlNow() } })
          .run()
        c.header('ETag', `"${part.etag}"`)
        return c.json({ key: grant.key, size: length, etag: part.etag, partNumber: grant.partNumber }, 200)
      }

      let stored: R2Object | null
      try {
        stored = await bucket.put(grant.key, exactBody(c.req.raw, length), { httpMetadata: { contentType: grant.contentType } })
      } catch (error) {
        throw interrupted(error)
      }
      if (!stored) throw new HttpError(409, 'The object changed while it was being written; send it again.')
      // Deleted while the bytes were in flight: take them away again rather than leave an orphan.
      const still = await c.get('db').select({ id: media.id }).from(media).where(and(eq(media.id, grant.mediaId), eq(media.status, expected))).get()
      if (!still) {
        await bucket.delete(grant.key)
        throw new HttpError(409, 'This upload was cancelled or deleted while it was being sent.')
      }
      c.header('ETag', stored.httpEtag)
      return c.json({ key: grant.key, size: stored.size, etag: stored.etag }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/storage/{token}',
      tags,
      summary: 'Read an object through a signed URL (range requests allowed)',
      request: { params },
      responses: {
        200: { description: 'The bytes' },
        206: { description: 'The requested range' },
        403: storageErrors[403],
        404: problem('The object is gone.'),
        416: problem('The range is outside the object.'),
      },
    }),
    async (c) => {
      const grant = (await grantFor(c, c.req.valid('param').token, ['get', 'pull'])) as Extract<Grant, { op: 'get' | 'pull' }>
      if (grant.op === 'pull') await checkPull(c, grant)
      return serve(c, grant)
    },
  )

/** Targets a platform may still be fetching the video for: once settled, its pull link is void. */
const PULLING = ['pending', 'publishing', 'processing', 'unconfirmed'] as const

/** A platform's pull link works only while that target of that post is being published. */
async function checkPull(c: Context<AppEnv>, grant: Extract<Grant, { op: 'pull' }>) {
  const target = await c
    .get('db')
    .select({ status: postTargets.status })
    .from(postTargets)
    .where(and(eq(postTargets.postId, grant.postId), eq(postTargets.platform, grant.platform)))
    .get()
  if (!target || !(PULLING as readonly string[]).includes(target.status)) throw forbidden('This link was for one upload to a platform, which is over.')
}

/** `attachment` with the object's own name (ASCII-safe, plus RFC 5987 for the rest). */
export function attachment(key: string): string {
  const name = key.split('/').pop() || 'file'
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

async function serve(c: Context<AppEnv>, grant: Extract<Grant, { op: 'get' | 'pull' }>): Promise<Response> {
  const head = await c.env.MEDIA.head(grant.key)
  if (!head) throw new HttpError(404, 'This file no longer exists.')
  const headers = new Headers({
    'content-type': grant.contentType,
    'accept-ranges': 'bytes',
    etag: head.httpEtag,
    'cache-control': `private, max-age=${Math.max(0, grant.exp - Math.floor(Date.now() / 1000))}`,
    // Never rendered as a page of ours (an uploaded file is anyone's bytes): saved, and typed as stored.
    'content-disposition': attachment(grant.key),
    'x-content-type-options': 'nosniff',
  })
  const range = parseRange(c.req.header('range'), head.size)
  if (range === 'unsatisfiable') {
    headers.set('content-range', `bytes */${head.size}`)
    return new Response(null, { status: 416, headers })
  }
  const head_only = c.req.method === 'HEAD'
  if (range === 'none') {
    headers.set('content-length', String(head.size))
    if (head_only) return new Response(null, { status: 200, headers })
    const object = await c.env.MEDIA.get(grant.key)
    if (!object) throw new HttpError(404, 'This file no longer exists.')
    return new Response(object.body, { status: 200, headers })
  }
  headers.set('content-range', `bytes ${range.offset}-${range.offset + range.length - 1}/${head.size}`)
  headers.set('content-length', String(range.length))
  if (head_only) return new Response(null, { status: 206, headers })
  const object = await c.env.MEDIA.get(grant.key, { range })
  if (!object) throw new HttpError(404, 'This file no longer exists.')
  return new Response(object.body, { status: 206, headers })
}
