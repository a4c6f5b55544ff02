/**
 * TikTok Content Posting API, direct post: creator info first (privacy options, maximum duration),
 * then `video/init` with FILE_UPLOAD and TikTok's chunk rules, the chunks in order with
 * `Content-Range`, and status polling by delayed queue messages (`poll`), never by sleeping.
 * The `publish_id` is the handle that finds a post again after an unknown outcome.
 */
import { CircuitOpenError, Coalescer, TimeoutError } from '../lib/resilience'
import { HttpStatusError, platformRequest } from './http'
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

const MB = 1024 * 1024

export interface TikTokOptions {
  /** API origin (`https://open.tiktokapis.com`, or a stub). */
  apiUrl: string
  timeoutMs: number
  /** Preferred chunk size, kept within 5–64 MB. */
  chunkBytes?: number
  /** First status poll delay; later polls back off up to 5 minutes (the limit is 30 per minute). */
  pollAfterSec?: number
  /**
   * TikTok's published limits per user token: 6 inits and 30 status reads a minute. Counted
   * here per connection (Workers rate-limit bindings), so a busy account waits its turn instead
   * of collecting 429s.
   */
  limits?: { init?: RateLimit; status?: RateLimit }
}

export interface ChunkPlan {
  chunkSize: number
  totalChunkCount: number
  /** [first, last] byte of each chunk, inclusive. */
  ranges: [number, number][]
}

/**
 * TikTok's chunk rules: under 5 MB one whole chunk; otherwise chunks of 5–64 MB,
 * `total_chunk_count = floor(size / chunk_size)`, the trailing bytes joining the last chunk
 * (which may reach 128 MB).
 */
export function planChunks(size: number, preferred = 10 * MB): ChunkPlan {
  if (size <= 0) throw new Error('video size must be positive')
  let chunkSize = Math.min(64 * MB, Math.max(5 * MB, preferred))
  if (size < 5 * MB || size <= chunkSize) chunkSize = size
  // Over 64 MB it takes at least two chunks, and floor(size / chunk) must count them.
  if (size > 64 * MB) chunkSize = Math.min(chunkSize, Math.floor(size / 2))
  const totalChunkCount = Math.floor(size / chunkSize)
  const ranges: [number, number][] = []
  for (let i = 0; i < totalChunkCount; i++) ranges.push([i * chunkSize, i === totalChunkCount - 1 ? size - 1 : (i + 1) * chunkSize - 1])
  return { chunkSize, totalChunkCount, ranges }
}

const PRIVACY: Record<PublishInput['privacy'], string[]> = {
  public: ['PUBLIC_TO_EVERYONE', 'FOLLOWER_OF_CREATOR', 'MUTUAL_FOLLOW_FRIENDS', 'SELF_ONLY'],
  unlisted: ['MUTUAL_FOLLOW_FRIENDS', 'SELF_ONLY'],
  private: ['SELF_ONLY'],
}

interface CreatorInfo {
  creator_username: string
  creator_nickname: string
  creator_avatar_url: string
  privacy_level_options: string[]
  comment_disabled: boolean
  duet_disabled: boolean
  stitch_disabled: boolean
  max_video_post_duration_sec: number
}

/** TikTok's caption: title, then hashtags, within 2200 characters. */
export function tiktokCaption(input: PublishInput): string {
  const tags = input.hashtags.map((h) => `#${h.replace(/^#/, '').replace(/\s+/g, '')}`).filter((h) => h.length > 1)
  const text = [input.title, input.description, tags.join(' ')].filter(Boolean).join('\n\n')
  return [...text].slice(0, 2200).join('')
}

/** Maps a TikTok error code to a classified failure. */
function classify(status: number, code: string | undefined, message: string, retryAfterSec: number | undefined, nowMs: number): PublishError {
  const detail = `TikTok ${status} ${code ?? ''}: ${message}`
  switch (code) {
    case 'access_token_invalid':
      return new PublishError(failures.auth('tiktok', detail))
    case 'scope_not_authorized':
    case 'scope_permission_missed':
      return new PublishError(failures.disconnected('tiktok', detail))
    case 'rate_limit_exceeded':
      return new PublishError(failures.rateLimited('tiktok', detail, retryAfterSec ?? 60))
    case 'reached_active_user_cap':
      return new PublishError(failures.appCap('tiktok', detail, secondsToNextUtcDay(nowMs)))
    case 'unaudited_client_can_only_post_to_private_accounts':
      return new PublishError({ ...failures.appCap('tiktok', detail), message: "TikTok only lets Reelpilot post privately until TikTok has audited our app. This isn't about your account." })
    case 'spam_risk_too_many_posts':
      return new PublishError(failures.quota('tiktok', detail, nowMs + 24 * 3600_000, nowMs))
    case 'spam_risk_user_banned_from_posting':
      return new PublishError(failures.rejected('tiktok', detail, 'TikTok has stopped this account from posting for now'))
    case 'privacy_level_option_mismatch':
      return new PublishError(failures.rejected('tiktok', detail, 'the chosen privacy is not available for this account'))
  }
  if (status === 401) return new PublishError(failures.auth('tiktok', detail))
  if (status === 429) return new PublishError(failures.rateLimited('tiktok', detail, retryAfterSec ?? 60))
  if (status >= 500) return new PublishError(failures.retryable('tiktok', detail))
  return new PublishError(failures.rejected('tiktok', detail, message))
}

function secondsToNextUtcDay(nowMs: number) {
  const next = new Date(nowMs)
  next.setUTCHours(24, 0, 0, 0)
  return Math.ceil((next.getTime() - nowMs) / 1000)
}

export function toPublishError(error: unknown, nowMs: number, afterBytes = false, state?: PublishState): PublishError {
  if (error instanceof PublishError) return error
  if (error instanceof CircuitOpenError) return new PublishError(failures.retryable('tiktok', error.message, Math.ceil(error.retryAfterMs / 1000)))
  if (error instanceof HttpStatusError && !afterBytes) {
    return classify(error.status, error.body?.error?.code, error.body?.error?.message ?? String(error.body).slice(0, 200), error.retryAfterSec, nowMs)
  }
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  if (afterBytes) return new PublishError(failures.outcomeUnknown('tiktok', detail, state))
  return new PublishError(failures.retryable('tiktok', detail, error instanceof TimeoutError ? 30 : 60))
}

/** Identical creator_info reads in flight share one call (a batch can hold several posts of one creator). */
const creatorInfoReads = new Coalescer()

interface TikTokStatus {
  status: string
  fail_reason?: string
  publicaly_available_post_id?: (number | string)[]
  uploaded_bytes?: number
  /** The first public post id, exactly (JSON numbers lose digits past 2^53). */
  postId?: string
}

/** The post a PUBLISH_COMPLETE status names. */
function published(data: TikTokStatus, state: PublishState): FoundPost {
  const id = data.postId ?? String(state.publishId)
  return { status: 'published', remoteId: id, remoteUrl: `https://www.tiktok.com/@${state.username ?? ''}/video/${id}` }
}

/** Reasons in a FAILED status that mean the video itself was refused. */
const CONTENT_FAILURES = new Set(['file_format_check_failed', 'duration_check_failed', 'frame_rate_check_failed', 'picture_size_check_failed', 'video_pull_failed'])

export class TikTokPublisher implements Publisher {
  readonly platform = 'tiktok' as const

  constructor(private readonly options: TikTokOptions) {}

  private async api(path: string, ctx: PublishContext, body: unknown, idempotent: boolean, withText = false) {
    const res = await platformRequest('tiktok', `${this.options.apiUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ctx.accessToken}`, 'content-type': 'application/json; charset=UTF-8' },
      body: () => JSON.stringify(body),
      timeoutMs: this.options.timeoutMs,
      idempotent,
    })
    const code = res.json?.error?.code
    if (code && code !== 'ok') throw classify(res.status, code, res.json.error.message ?? '', undefined, ctx.now())
    return withText ? { ...res.json?.data, text: res.text } : res.json?.data
  }

  /** Waits for its turn under TikTok's per-token limit: over it, nothing is sent and the step is retried in a minute. */
  private async withinLimit(limiter: RateLimit | undefined, ctx: PublishContext, what: string) {
    if (!limiter) return
    const { success } = await limiter.limit({ key: ctx.connectionId })
    if (!success) throw new PublishError(failures.rateLimited('tiktok', `our own budget for ${what} on this account is spent`, 60))
  }

  /** Privacy options, limits and the username, read once per creator and moment. */
  creatorInfo(ctx: PublishContext): Promise<CreatorInfo> {
    return creatorInfoReads.run(`${ctx.connectionId}:${ctx.accessToken}`, () => this.api('/v2/post/publish/creator_info/query/', ctx, {}, true))
  }

  async publish(input: PublishInput, ctx: PublishContext): Promise<PublishOutcome> {
    let info: CreatorInfo
    try {
      info = await this.creatorInfo(ctx)
    } catch (error) {
      throw toPublishError(error, ctx.now())
    }
    if (input.durationSec && info.max_video_post_duration_sec && input.durationSec > info.max_video_post_duration_sec)
      throw new PublishError(failures.rejected('tiktok', `duration ${input.durationSec}s > ${info.max_video_post_duration_sec}s`, `it is longer than the ${info.max_video_post_duration_sec} s this account may post`))
    // The most open level the creator allows, no more open than what they chose.
    const privacy = PRIVACY[input.privacy].find((p) => info.privacy_level_options.includes(p))
    if (!privacy) throw new PublishError(failures.rejected('tiktok', `privacy options ${info.privacy_level_options.join(',')}`, 'none of its privacy options fit this post'))
    const plan = planChunks(input.video.size, this.options.chunkBytes)

    await this.withinLimit(this.options.limits?.init, ctx, 'video/init (6 a minute)')
    let init: { publish_id: string; upload_url: string }
    try {
      init = await this.api(
        '/v2/post/publish/video/init/',
        ctx,
        {
          post_info: {
            title: tiktokCaption(input),
            privacy_level: privacy,
            disable_duet: info.duet_disabled,
            disable_comment: info.comment_disabled,
            disable_stitch: info.stitch_disabled,
            video_cover_timestamp_ms: 1000,
            is_aigc: false,
          },
          source_info: { source: 'FILE_UPLOAD', video_size: input.video.size, chunk_size: plan.chunkSize, total_chunk_count: plan.totalChunkCount },
        },
        // An init whose upload never completes posts nothing, so a retry is harmless.
        true,
      )
    } catch (error) {
      throw toPublishError(error, ctx.now())
    }
    const state: PublishState = { platform: 'tiktok', kind: 'tiktok-publish', publishId: init.publish_id, username: info.creator_username, size: input.video.size, polls: 0 }
    // From the first chunk on, TikTok may end up with the post: keep its handle before sending.
    await ctx.checkpoint?.(state)

    for (const [index, [first, last]] of plan.ranges.entries()) {
      const final = index === plan.ranges.length - 1
      try {
        await platformRequest('tiktok', init.upload_url, {
          method: 'PUT',
          headers: { 'content-type': input.video.contentType, 'content-length': String(last - first + 1), 'content-range': `bytes ${first}-${last}/${input.video.size}` },
          body: () => input.video.read(first, last - first + 1),
          timeoutMs: this.options.timeoutMs * 4,
          // A chunk may be sent again after a 5xx; after the last one, only the status tells.
          idempotent: !final,
          accept: (s) => s === 200 || s === 201 || s === 206,
        })
      } catch (error) {
        // After the last chunk went out, any answer but a 2xx leaves the outcome unknown: the
        // status (by publish_id) tells before anything is sent again. An open breaker sent nothing.
        if (final && !(error instanceof CircuitOpenError)) throw toPublishError(error, ctx.now(), true, state)
        throw toPublishError(error, ctx.now())
      }
    }
    return { status: 'processing', pollAfterSec: this.options.pollAfterSec ?? 5, state }
  }

  /** Reads a publish_id's status (within our status budget). */
  private async fetchStatus(state: PublishState, ctx: PublishContext): Promise<TikTokStatus> {
    await this.withinLimit(this.options.limits?.status, ctx, 'status/fetch (30 a minute)')
    try {
      const data = await this.api('/v2/post/publish/status/fetch/', ctx, { publish_id: state.publishId }, true, true)
      // Post ids are 64-bit integers in the JSON: read their digits from the text, not from a double.
      const digits = /"publicaly_available_post_id"\s*:\s*\[\s*"?(\d+)/.exec(data?.text ?? '')?.[1]
      return { ...data, text: undefined, postId: digits ?? (data?.publicaly_available_post_id?.[0] === undefined ? undefined : String(data.publicaly_available_post_id[0])) }
    } catch (error) {
      throw toPublishError(error, ctx.now())
    }
  }

  async poll(state: PublishState, ctx: PublishContext): Promise<PublishOutcome> {
    const data = await this.fetchStatus(state, ctx)
    if (data.status === 'PUBLISH_COMPLETE') return published(data, state)
    if (data.status === 'FAILED') {
      const reason = data.fail_reason ?? 'unknown'
      if (CONTENT_FAILURES.has(reason)) throw new PublishError(failures.rejected('tiktok', `FAILED ${reason}`, reason.replace(/_/g, ' ')))
      if (reason.startsWith('spam_risk')) {
        const failure = classify(200, reason, reason, undefined, ctx.now()).failure
        throw new PublishError({ ...failure, nothingPosted: failure.kind !== 'content_rejected' })
      }
      // Nothing was posted, so trying again from the start is safe.
      throw new PublishError({ ...failures.retryable('tiktok', `FAILED ${reason}`, 300), nothingPosted: true })
    }
    const polls = Number(state.polls ?? 0) + 1
    const base = this.options.pollAfterSec ?? 5
    return { status: 'processing', pollAfterSec: Math.min(300, Math.round(base * 1.5 ** polls)), state: { ...state, polls } }
  }

  async findByMarker(_marker: string, ctx: PublishContext, state?: PublishState): Promise<FoundPost | null> {
    // Without a publish_id no upload finished, so TikTok has no post.
    if (typeof state?.publishId !== 'string') return null
    let data: TikTokStatus
    try {
      data = await this.fetchStatus(state, ctx)
    } catch (error) {
      if (error instanceof PublishError && /invalid_publish_id/.test(error.failure.detail)) return null
      throw error
    }
    // FAILED, whatever the reason, posted nothing.
    if (data.status === 'FAILED') return null
    // Still waiting for bytes that will never come (the last chunk was lost): no post can come of it.
    if (data.status === 'PROCESSING_UPLOAD' && typeof state.size === 'number' && typeof data.uploaded_bytes === 'number' && data.uploaded_bytes < state.size) return null
    if (data.status === 'PUBLISH_COMPLETE') return published(data, state)
    return { status: 'processing', pollAfterSec: this.options.pollAfterSec ?? 5, state }
  }
}

/** The TikTok user a token belongs to. */
export async function tiktokAccount(apiUrl: string, accessToken: string, timeoutMs: number): Promise<AccountInfo> {
  const res = await platformRequest('tiktok', `${apiUrl}/v2/user/info/?fields=open_id,avatar_url,display_name`, {
    headers: { authorization: `Bearer ${accessToken}` },
    timeoutMs,
    idempotent: true,
  })
  const user = res.json?.data?.user
  if (!user?.open_id) throw new Error('TikTok returned no user')
  return { id: user.open_id, name: user.display_name ?? user.open_id, avatarUrl: user.avatar_url ?? null }
}
