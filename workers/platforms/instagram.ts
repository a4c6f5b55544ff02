/**
 * Instagram Graph API, Reels: a media container with a signed `video_url` (Instagram fetches the
 * render itself), status polling by delayed queue messages until FINISHED (or ERROR/EXPIRED with
 * the reason), a `content_publishing_limit` check, `media_publish`, then the permalink.
 * `media_publish` is the one call that creates the post; it is never retried blindly.
 */
import { CircuitOpenError, TimeoutError } from '../lib/resilience'
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
import { log } from '../lib/log'

export interface InstagramOptions {
  /** Graph API root (`https://graph.facebook.com/v21.0`, or a stub). */
  apiUrl: string
  timeoutMs: number
  /** First container status poll delay; later polls back off. */
  pollAfterSec?: number
}

/** Caption with hashtags, within Instagram's 2200 characters and 30 hashtags. */
export function instagramCaption(input: PublishInput): string {
  const tags = input.hashtags
    .map((h) => `#${h.replace(/^#/, '').replace(/\s+/g, '')}`)
    .filter((h) => h.length > 1)
    .slice(0, 30 - ((input.title + input.description).match(/#/g) ?? []).length)
  const text = [input.title, input.description, tags.join(' ')].filter(Boolean).join('\n\n')
  return [...text].slice(0, 2200).join('')
}

function classify(status: number, error: any, nowMs: number): PublishError {
  const code = Number(error?.code)
  const subcode = Number(error?.error_subcode)
  const detail = `Instagram ${status} code ${code}/${subcode}: ${error?.message ?? ''}`
  if (code === 190 || code === 102) return new PublishError(failures.auth('instagram', detail))
  if (code === 10 || (code >= 200 && code < 300)) return new PublishError(failures.disconnected('instagram', detail))
  if (code === 9 && subcode === 2207042) return new PublishError(failures.quota('instagram', detail, nowMs + 3600_000, nowMs))
  if ([4, 17, 32, 613].includes(code) || (code === 9 && subcode !== 2207042)) return new PublishError(failures.rateLimited('instagram', detail, 300))
  if (error?.is_transient || code === 1 || code === 2 || code === -1 || code === -2 || status >= 500) return new PublishError(failures.retryable('instagram', detail))
  return new PublishError(failures.rejected('instagram', detail, error?.error_user_msg ?? error?.message))
}

/** media_publish answers lost in a row on one container before it is given up for a new one. */
const MAX_UNKNOWN_PUBLISHES = 5

/** A media_publish refusal that may still hide a post: transient codes, and "already published". */
function isUnknownAfterPublish(error: any): boolean {
  const code = Number(error?.code)
  return !!error?.is_transient || [1, 2, -1, -2].includes(code) || Number(error?.error_subcode) === 2207035
}

export function toPublishError(error: unknown, nowMs: number, afterPublish = false, state?: PublishState): PublishError {
  if (error instanceof PublishError) return error
  if (error instanceof CircuitOpenError) return new PublishError(failures.retryable('instagram', error.message, Math.ceil(error.retryAfterMs / 1000)))
  if (error instanceof HttpStatusError && !afterPublish) return classify(error.status, error.body?.error, nowMs)
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  if (afterPublish) return new PublishError(failures.outcomeUnknown('instagram', detail, state))
  return new PublishError(failures.retryable('instagram', detail, error instanceof TimeoutError ? 30 : 60))
}

export class InstagramPublisher implements Publisher {
  readonly platform = 'instagram' as const

  constructor(private readonly options: InstagramOptions) {}

  private async graph(method: 'GET' | 'POST', path: string, ctx: PublishContext, params: Record<string, string> = {}, idempotent = true) {
    const query = new URLSearchParams(method === 'GET' ? params : {}).toString()
    const res = await platformRequest('instagram', `${this.options.apiUrl}${path}${query ? `?${query}` : ''}`, {
      method,
      headers: { authorization: `Bearer ${ctx.accessToken}`, ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      body: method === 'POST' ? () => new URLSearchParams(params).toString() : undefined,
      timeoutMs: this.options.timeoutMs,
      idempotent,
    })
    return res.json
  }

  /** Throws a quota failure when the rolling 24 h publishing limit is used up. */
  private async checkLimit(ctx: PublishContext) {
    const limit = await this.graph('GET', `/${ctx.accountId}/content_publishing_limit`, ctx, { fields: 'quota_usage,config' })
    const entry = limit?.data?.[0]
    const total = Number(entry?.config?.quota_total ?? 50)
    if (Number(entry?.quota_usage ?? 0) >= total) {
      const now = ctx.now()
      throw new PublishError(failures.quota('instagram', `content_publishing_limit ${entry.quota_usage}/${total}`, now + 3600_000, now))
    }
  }

  async publish(input: PublishInput, ctx: PublishContext): Promise<PublishOutcome> {
    const caption = instagramCaption(input)
    try {
      await this.checkLimit(ctx)
      const params: Record<string, string> = { media_type: 'REELS', video_url: input.video.url, caption, share_to_feed: 'true' }
      if (input.cover) params.cover_url = input.cover.url
      // A container is not a post: one left behind expires unpublished after 24 h.
      const container = await this.graph('POST', `/${ctx.accountId}/media`, ctx, params, true)
      if (!container?.id) throw new PublishError(failures.retryable('instagram', 'container answered without an id'))
      return {
        status: 'processing',
        pollAfterSec: this.options.pollAfterSec ?? 10,
        state: { platform: 'instagram', kind: 'instagram-container', containerId: String(container.id), caption, startedAt: new Date(ctx.now()).toISOString(), polls: 0 },
      }
    } catch (error) {
      throw toPublishError(error, ctx.now())
    }
  }

  private async containerStatus(state: PublishState, ctx: PublishContext): Promise<{ status_code: string; status?: string }> {
    return this.graph('GET', `/${state.containerId}`, ctx, { fields: 'status_code,status' })
  }

  async poll(state: PublishState, ctx: PublishContext): Promise<PublishOutcome> {
    let status: { status_code: string; status?: string }
    try {
      status = await this.containerStatus(state, ctx)
    } catch (error) {
      throw toPublishError(error, ctx.now())
    }
    switch (status.status_code) {
      case 'IN_PROGRESS': {
        const polls = Number(state.polls ?? 0) + 1
        return { status: 'processing', pollAfterSec: Math.min(300, Math.round((this.options.pollAfterSec ?? 10) * 1.5 ** polls)), state: { ...state, polls } }
      }
      case 'ERROR':
        throw new PublishError(failures.rejected('instagram', `container ERROR: ${status.status ?? ''}`, status.status?.replace(/^Error:\s*/, '')))
      case 'EXPIRED':
        // Nothing was posted; a new container is needed, which publishing again makes.
        throw new PublishError({ ...failures.retryable('instagram', 'container EXPIRED before publishing', 60), nothingPosted: true })
      case 'PUBLISHED': {
        const found = await this.findByMarker('', ctx, state)
        if (found) return found
        throw new PublishError(failures.retryable('instagram', 'container PUBLISHED but the media is not listed yet', 60))
      }
      case 'FINISHED':
        return this.publishContainer(state, ctx)
      default:
        throw new PublishError(failures.retryable('instagram', `unexpected container status ${status.status_code}`))
    }
  }

  private async publishContainer(state: PublishState, ctx: PublishContext): Promise<PublishOutcome> {
    try {
      await this.checkLimit(ctx)
    } catch (error) {
      throw toPublishError(error, ctx.now())
    }
    // media_publish is the step that makes the post. Past this point any answer but the media's
    // id — a timeout, a 5xx, a transient-looking error (Instagram sends those for posts that went
    // out), "already published", an empty body — leaves the outcome unknown: the container's
    // status and the account's media tell, before anything is sent again.
    const unknownState: PublishState = { ...state, publishing: true, unknowns: Number(state.unknowns ?? 0) + 1 }
    let published: { id: string }
    try {
      published = await this.graph('POST', `/${ctx.accountId}/media_publish`, ctx, { creation_id: String(state.containerId) }, false)
    } catch (error) {
      if (error instanceof HttpStatusError && error.status < 500 && !isUnknownAfterPublish(error.body?.error)) throw toPublishError(error, ctx.now())
      throw toPublishError(error, ctx.now(), true, unknownState)
    }
    if (!published?.id) throw new PublishError(failures.outcomeUnknown('instagram', `media_publish answered without an id: ${JSON.stringify(published)?.slice(0, 200)}`, unknownState))
    let permalink = `https://www.instagram.com/`
    try {
      const media = await this.graph('GET', `/${published.id}`, ctx, { fields: 'permalink' })
      if (media?.permalink) permalink = media.permalink
    } catch (error) {
      log.warn('instagram permalink not read', { mediaId: published.id, error: String(error) })
    }
    return { status: 'published', remoteId: String(published.id), remoteUrl: permalink }
  }

  /** The account's newest media with the state's caption, made since the container was. */
  private async recentMediaWithCaption(state: PublishState, ctx: PublishContext): Promise<FoundPost | null> {
    const list = await this.graph('GET', `/${ctx.accountId}/media`, ctx, { fields: 'id,caption,permalink,timestamp', limit: '25' })
    const since = Date.parse(String(state.startedAt ?? 0)) - 60_000
    const media = (list?.data ?? []).find((m: any) => m.caption === state.caption && Date.parse(m.timestamp) >= since)
    return media ? { status: 'published', remoteId: String(media.id), remoteUrl: media.permalink } : null
  }

  async findByMarker(_marker: string, ctx: PublishContext, state?: PublishState): Promise<FoundPost | null> {
    // Without a container, media_publish was never called: Instagram has no post.
    if (typeof state?.containerId !== 'string') return null
    try {
      const status = await this.containerStatus(state, ctx)
      if (status.status_code === 'ERROR' || status.status_code === 'EXPIRED') return null
      if (status.status_code === 'IN_PROGRESS') return { status: 'processing', pollAfterSec: this.options.pollAfterSec ?? 10, state }
      if (status.status_code === 'FINISHED') {
        // A publish whose answer was lost may show in the media before the container says so.
        if (state.publishing) {
          const media = await this.recentMediaWithCaption(state, ctx)
          if (media) return media
        }
        // Not posted: publish this same container (a container is published once at most), never
        // a new one; after a few lost answers in a row, start over with a new container.
        if (Number(state.unknowns ?? 0) >= MAX_UNKNOWN_PUBLISHES) return null
        return { status: 'processing', pollAfterSec: 1, state }
      }
      // PUBLISHED: find the media it became, by its caption, among the newest.
      const media = await this.recentMediaWithCaption(state, ctx)
      if (media) return media
      throw new PublishError(failures.retryable('instagram', 'container PUBLISHED but the media is not listed yet', 60))
    } catch (error) {
      throw toPublishError(error, ctx.now())
    }
  }
}

/** The Instagram professional account behind a Facebook user token (through its Page). */
export async function instagramAccount(apiUrl: string, accessToken: string, timeoutMs: number): Promise<AccountInfo> {
  const res = await platformRequest('instagram', `${apiUrl}/me/accounts?fields=${encodeURIComponent('name,instagram_business_account{id,username,profile_picture_url}')}`, {
    headers: { authorization: `Bearer ${accessToken}` },
    timeoutMs,
    idempotent: true,
  })
  const ig = (res.json?.data ?? []).map((p: any) => p.instagram_business_account).find(Boolean)
  if (!ig?.id) throw new Error('no Instagram professional account is linked to a Facebook Page you manage')
  return { id: String(ig.id), name: ig.username ?? String(ig.id), avatarUrl: ig.profile_picture_url ?? null }
}
