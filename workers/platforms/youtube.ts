/**
 * YouTube Data API v3. Videos go up through the resumable protocol: a session URL, `Content-Range`
 * chunks of 256 KiB multiples (a small file is one PUT), resume from the offset the server reports
 * (308 + `Range`) after a failure, a new session after 404/410. Reads (search, videos.list,
 * channels.list) and the thumbnail go through googleapis' `youtube_v3` with a per-call `rootUrl`.
 *
 * Why not googleapis' `videos.insert` for the bytes: its multipart body is built in a Node
 * PassThrough whose `flush` adds the closing boundary, and under workerd's nodejs_compat that
 * boundary never arrives (the stub sees an unterminated multipart body). It also buffers nothing
 * we could resume. The resumable protocol streams from R2 and survives failures.
 *
 * The marker travels as a tag, which viewers don't see.
 */
import { Readable } from 'node:stream'
import { youtube_v3 } from 'googleapis/build/src/apis/youtube/v3'
import { CircuitOpenError, callService, TimeoutError } from '../lib/resilience'
import { HttpStatusError, isTransient, nextPacificMidnight, platformRequest } from './http'
import {
  failures,
  PublishError,
  type AccountInfo,
  type FoundPost,
  type PublishContext,
  type PublishInput,
  type PublishOutcome,
  type PublishState,
  type Publisher,
} from './types'
import { log } from '../lib/log'

const KiB = 1024
const MiB = 1024 * KiB

export interface YouTubeOptions {
  /** googleapis `rootUrl` (`https://www.googleapis.com/`, or a stub). */
  rootUrl: string
  timeoutMs: number
  /** Resumable chunk size; a multiple of 256 KiB. */
  chunkBytes?: number
  /** Attempts to resume one upload after failures before giving up. */
  maxResumes?: number
  /** First wait before a resume (doubles, with jitter). */
  resumeDelayMs?: number
}

/** Title, description and tags within YouTube's limits; the marker is the first tag. */
export function videoResource(input: PublishInput): youtube_v3.Schema$Video {
  const title = (input.title.replace(/[<>]/g, '').trim() || 'Untitled').slice(0, 100)
  const hashtags = input.hashtags.map((h) => h.replace(/^#/, '').replace(/[\s<>,]/g, '')).filter(Boolean)
  let description = [input.description.replace(/[<>]/g, ''), hashtags.map((h) => `#${h}`).join(' ')].filter(Boolean).join('\n\n')
  description = truncateBytes(description, 5000)
  const tags: string[] = []
  let length = 0
  for (const tag of [input.marker, ...hashtags]) {
    // YouTube counts a tag with spaces as if quoted, and the commas between tags.
    const cost = tag.length + (tag.includes(' ') ? 2 : 0) + (tags.length ? 1 : 0)
    if (length + cost > 500) break
    tags.push(tag)
    length += cost
  }
  return {
    snippet: { title, description, tags, categoryId: '22' },
    status: { privacyStatus: input.privacy, selfDeclaredMadeForKids: input.madeForKids, embeddable: true },
  }
}

function truncateBytes(text: string, max: number): string {
  const bytes = new TextEncoder().encode(text)
  if (bytes.length <= max) return text
  return new TextDecoder().decode(bytes.slice(0, max)).replace(/\uFFFD$/, '')
}

const shortsUrl = (id: string) => `https://www.youtube.com/shorts/${id}`

/** The `reason` of a Google API error body. */
function googleReason(body: any): string | undefined {
  return body?.error?.errors?.[0]?.reason ?? body?.error?.status ?? (typeof body?.error === 'string' ? body.error : undefined)
}

/** Maps a Google API error (status + body) to a classified failure. */
function classify(status: number, body: any, retryAfterSec: number | undefined, nowMs: number): PublishError {
  const reason = googleReason(body)
  const detail = `YouTube ${status} ${reason ?? ''}: ${body?.error?.message ?? JSON.stringify(body)?.slice(0, 200)}`
  if (status === 401) return new PublishError(failures.auth('youtube', detail))
  if (status === 403 && (reason === 'quotaExceeded' || reason === 'dailyLimitExceeded' || reason === 'uploadLimitExceeded'))
    return new PublishError(failures.quota('youtube', detail, nextPacificMidnight(nowMs), nowMs))
  if (status === 403 && (reason === 'rateLimitExceeded' || reason === 'userRateLimitExceeded'))
    return new PublishError(failures.rateLimited('youtube', detail, retryAfterSec ?? 60))
  if (status === 429) return new PublishError(failures.rateLimited('youtube', detail, retryAfterSec ?? 60))
  if (status === 403 && (reason === 'forbidden' || reason === 'insufficientPermissions'))
    return new PublishError(failures.disconnected('youtube', detail))
  if (status >= 500) return new PublishError(failures.retryable('youtube', detail, retryAfterSec ?? 60))
  const why = reason === 'invalidTitle' ? 'the title is not allowed' : reason === 'invalidDescription' ? 'the description is not allowed' : body?.error?.message
  return new PublishError(failures.rejected('youtube', detail, why))
}

/** Turns whatever a call threw into a PublishError; `afterBytes` says whether the post may exist now. */
export function toPublishError(error: unknown, nowMs: number, afterBytes: boolean, state?: PublishState): PublishError {
  if (error instanceof PublishError) return error
  if (error instanceof CircuitOpenError) return new PublishError(failures.retryable('youtube', error.message, Math.ceil(error.retryAfterMs / 1000)))
  const gaxios = error as { status?: number; response?: { status?: number; data?: any; headers?: any } }
  const status = error instanceof HttpStatusError ? error.status : (gaxios.response?.status ?? gaxios.status)
  if (status && !(afterBytes && status >= 500)) {
    let body = error instanceof HttpStatusError ? error.body : gaxios.response?.data
    if (typeof body === 'string') {
      try {
        body = JSON.parse(body)
      } catch {}
    }
    const retryAfter = error instanceof HttpStatusError ? error.retryAfterSec : Number(gaxios.response?.headers?.get?.('retry-after')) || undefined
    return classify(status, body, retryAfter, nowMs)
  }
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  if (afterBytes) return new PublishError(failures.outcomeUnknown('youtube', detail, state))
  return new PublishError(failures.retryable('youtube', detail, error instanceof TimeoutError ? 30 : 60))
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export class YouTubePublisher implements Publisher {
  readonly platform = 'youtube' as const
  private readonly api = new youtube_v3.Youtube({})
  private readonly chunk: number
  private readonly maxResumes: number
  private readonly resumeDelayMs: number

  constructor(private readonly options: YouTubeOptions) {
    this.chunk = options.chunkBytes ?? 8 * MiB
    if (this.chunk % (256 * KiB) !== 0) throw new Error('chunkBytes must be a multiple of 256 KiB')
    this.maxResumes = options.maxResumes ?? 5
    this.resumeDelayMs = options.resumeDelayMs ?? 500
  }

  private callOptions(ctx: PublishContext, signal: AbortSignal) {
    return { rootUrl: this.options.rootUrl, headers: { Authorization: `Bearer ${ctx.accessToken}` }, retry: false, signal, responseType: 'json' as const }
  }

  async publish(input: PublishInput, ctx: PublishContext): Promise<PublishOutcome> {
    const resource = videoResource(input)
    const video = await this.resumableUpload(input, resource, ctx)
    const id = video.id!
    if (input.cover) await this.setThumbnail(id, input.cover, ctx)
    return { status: 'published', remoteId: id, remoteUrl: shortsUrl(id) }
  }

  /** Opens a resumable session; answers its URL. */
  private async openSession(input: PublishInput, resource: youtube_v3.Schema$Video, ctx: PublishContext): Promise<string> {
    try {
      const res = await platformRequest('youtube', `${this.options.rootUrl}upload/youtube/v3/videos?uploadType=resumable&part=snippet,status&notifySubscribers=true`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${ctx.accessToken}`,
          'content-type': 'application/json; charset=UTF-8',
          'x-upload-content-length': String(input.video.size),
          'x-upload-content-type': input.video.contentType,
        },
        body: () => JSON.stringify(resource),
        timeoutMs: this.options.timeoutMs,
        // A session that is never used creates nothing, so opening one twice is harmless.
        idempotent: true,
      })
      const location = res.headers.get('location')
      if (!location) throw new PublishError(failures.retryable('youtube', 'resumable session answered without a Location'))
      return location
    } catch (error) {
      throw toPublishError(error, ctx.now(), false)
    }
  }

  /** Asks a session how much it has: `{done, video}` or `{offset}`, or `expired`. */
  private async querySession(sessionUrl: string, total: number): Promise<{ video: youtube_v3.Schema$Video } | { offset: number } | 'expired'> {
    const res = await platformRequest('youtube', sessionUrl, {
      method: 'PUT',
      headers: { 'content-range': `bytes */${total}`, 'content-length': '0' },
      timeoutMs: this.options.timeoutMs,
      idempotent: true,
      accept: (s) => s === 200 || s === 201 || s === 308 || s === 404 || s === 410,
    })
    if (res.status === 404 || res.status === 410) return 'expired'
    if (res.status === 308) return { offset: rangeEnd(res.headers.get('range')) }
    return { video: res.json }
  }

  /**
   * Sends the bytes through one resumable session, resuming within it after failures. Once the
   * last byte has gone out on a session, YouTube may have made the video whatever it answers: from
   * then on any answer but the video itself (a timeout, a 5xx, a 404 for the session, a status
   * query that fails or says the session is gone) is `outcome_unknown` and the consumer looks the
   * video up by its marker. Only before that may a lost session be replaced by a new one.
   */
  private async resumableUpload(input: PublishInput, resource: youtube_v3.Schema$Video, ctx: PublishContext): Promise<youtube_v3.Schema$Video> {
    const total = input.video.size
    let sessionUrl = await this.openSession(input, resource, ctx)
    let offset = 0
    let failuresInARow = 0
    let restarts = 0
    /** Whether a PUT carrying the last byte was sent on this session: the video may exist. */
    let finalSent = false
    const state = (): PublishState => ({ platform: 'youtube', kind: 'youtube-resumable', sessionUrl, size: total })
    const unknown = (detail: string) => new PublishError(failures.outcomeUnknown('youtube', detail, state()))
    const video = (body: any, how: string): youtube_v3.Schema$Video => {
      if (!body?.id) throw unknown(`${how} answered without a video id`)
      return body
    }
    const newSession = async (why: string) => {
      if (++restarts > 2) throw new PublishError(failures.retryable('youtube', `upload sessions keep expiring (${why})`))
      sessionUrl = await this.openSession(input, resource, ctx)
      offset = 0
    }

    for (;;) {
      const end = Math.min(offset + this.chunk, total) - 1
      const last = end === total - 1
      const finalSentBefore = finalSent
      if (last) finalSent = true
      let res
      try {
        res = await platformRequest('youtube', sessionUrl, {
          method: 'PUT',
          headers: { 'content-type': input.video.contentType, 'content-length': String(end - offset + 1), 'content-range': `bytes ${offset}-${end}/${total}` },
          body: () => input.video.read(offset, end - offset + 1),
          timeoutMs: this.options.timeoutMs * 4,
          accept: (s) => s === 200 || s === 201 || s === 308 || s === 404 || s === 410,
        })
      } catch (error) {
        if (error instanceof CircuitOpenError) {
          // Nothing went out this time; whether the video may exist depends on earlier PUTs.
          finalSent = finalSentBefore
          throw finalSent ? unknown(error.message) : toPublishError(error, ctx.now(), false)
        }
        if (!finalSent && error instanceof HttpStatusError && error.status < 500 && error.status !== 429) throw toPublishError(error, ctx.now(), false)
        // 5xx, 429, a timeout, a dropped connection (or, after the last bytes, any refusal): ask
        // the session what it has, then go on from there.
        failuresInARow++
        if (failuresInARow > this.maxResumes) throw toPublishError(error, ctx.now(), finalSent, state())
        await sleep(this.resumeDelayMs * 2 ** (failuresInARow - 1) * (0.5 + Math.random() / 2))
        let status
        try {
          status = await this.querySession(sessionUrl, total)
        } catch (queryError) {
          // We can't tell whether the last bytes arrived: the post may exist.
          throw toPublishError(queryError, ctx.now(), finalSent, state())
        }
        if (status === 'expired') {
          if (finalSent) throw unknown(`the session is gone after the last bytes were sent (${describe(error)})`)
          await newSession('status query 404')
        } else if ('video' in status) {
          return video(status.video, 'the status query')
        } else {
          offset = status.offset
          if (offset >= total) throw unknown('the session holds every byte but did not answer with the video')
        }
        continue
      }
      failuresInARow = 0
      if (res.status === 200 || res.status === 201) return video(res.json, 'the upload')
      if (res.status === 404 || res.status === 410) {
        if (finalSent) throw unknown(`the session answered ${res.status} to the last bytes`)
        await newSession(`chunk ${res.status}`)
        continue
      }
      // 308: the server tells us what it has; continue from there (it may be less than we sent).
      offset = rangeEnd(res.headers.get('range'))
      if (offset >= total) throw unknown('the session holds every byte but did not answer with the video')
    }
  }

  /** Sets the cover as the video's thumbnail. A failure here doesn't undo a published video. */
  private async setThumbnail(videoId: string, cover: NonNullable<PublishInput['cover']>, ctx: PublishContext) {
    try {
      await callService(
        'youtube',
        async (signal) => {
          const stream = await cover.read()
          await this.api.thumbnails.set({ videoId, media: { mimeType: cover.contentType, body: Readable.fromWeb(stream as any) } }, this.callOptions(ctx, signal))
        },
        { timeoutMs: this.options.timeoutMs, maxAttempts: 1, isTransient },
      )
    } catch (error) {
      log.warn('youtube thumbnail not set', { videoId, error: String(error) })
    }
  }

  async findByMarker(marker: string, ctx: PublishContext, state?: PublishState): Promise<FoundPost | null> {
    try {
      // The session of a resumable upload knows for sure whether it completed.
      if (state?.kind === 'youtube-resumable' && typeof state.sessionUrl === 'string') {
        const status = await this.querySession(state.sessionUrl, Number(state.size))
        if (status !== 'expired' && 'video' in status && status.video?.id) return { status: 'published', remoteId: status.video.id, remoteUrl: shortsUrl(status.video.id) }
        if (status !== 'expired' && 'offset' in status) return null
      }
      const found = await callService(
        'youtube',
        async (signal) => {
          const options = this.callOptions(ctx, signal)
          // The channel's uploads playlist lists a new video at once; search can lag behind by
          // minutes, so it is only the second source.
          const channel = await this.api.channels.list({ part: ['contentDetails'], mine: true }, options)
          const uploads = channel.data.items?.[0]?.contentDetails?.relatedPlaylists?.uploads
          const recent = uploads ? await this.api.playlistItems.list({ part: ['contentDetails'], playlistId: uploads, maxResults: 50 }, options) : undefined
          const search = await this.api.search.list({ part: ['id'], forMine: true, type: ['video'], q: marker, maxResults: 10, order: 'date' }, options)
          const ids = [
            ...new Set([
              ...(recent?.data.items ?? []).map((i) => i.contentDetails?.videoId),
              ...(search.data.items ?? []).map((i) => i.id?.videoId),
            ]),
          ].filter((id): id is string => !!id)
          if (ids.length === 0) return null
          const videos = await this.api.videos.list({ part: ['snippet', 'status'], id: ids.slice(0, 50) }, options)
          return (videos.data.items ?? []).find((v) => v.snippet?.tags?.includes(marker)) ?? null
        },
        { timeoutMs: this.options.timeoutMs, maxAttempts: 3, isTransient: (e) => isTransient(e) || ((e as any)?.status ?? 0) >= 500 },
      )
      return found?.id ? { status: 'published', remoteId: found.id, remoteUrl: shortsUrl(found.id) } : null
    } catch (error) {
      throw toPublishError(error, ctx.now(), false)
    }
  }
}

const describe = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : String(error))

/** The next offset from a `Range: bytes=0-N` header (none: nothing stored yet). */
function rangeEnd(range: string | null): number {
  const match = range && /bytes=(\d+)-(\d+)/.exec(range)
  return match ? Number(match[2]) + 1 : 0
}

/** The channel a token belongs to. */
export async function youtubeAccount(rootUrl: string, accessToken: string, timeoutMs: number): Promise<AccountInfo> {
  const api = new youtube_v3.Youtube({})
  const res = await callService(
    'youtube',
    (signal) => api.channels.list({ part: ['snippet'], mine: true }, { rootUrl, headers: { Authorization: `Bearer ${accessToken}` }, retry: false, signal, responseType: 'json' }),
    { timeoutMs, isTransient: (e) => isTransient(e) || ((e as any)?.status ?? 0) >= 500 },
  )
  const channel = res.data.items?.[0]
  if (!channel?.id) throw new Error('this Google account has no YouTube channel')
  return { id: channel.id, name: channel.snippet?.title ?? channel.id, avatarUrl: channel.snippet?.thumbnails?.default?.url ?? null }
}
