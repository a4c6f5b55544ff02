/**
 * The one interface every publisher implements (YouTube, TikTok, Instagram, and their sandboxes),
 * and the classified outcomes the publish consumer acts on.
 */

import { PLATFORM_NAMES, type Platform } from '../../containers/render/recipe/vocabulary'

export { PLATFORM_NAMES, PLATFORMS, type Platform } from '../../containers/render/recipe/vocabulary'

export type Privacy = 'public' | 'unlisted' | 'private'

/** The rendered video, read from R2 in ranges so nothing is buffered whole. */
export interface VideoSource {
  size: number
  contentType: string
  /** Bytes [offset, offset + length) as a stream. */
  read(offset: number, length: number): Promise<ReadableStream<Uint8Array>>
  /** A signed, expiring URL the platform can fetch itself (Instagram pulls the video). */
  url: string
}

export interface PublishInput {
  video: VideoSource
  /** The cover image: a signed URL (Instagram `cover_url`) and its bytes (YouTube thumbnail). */
  cover?: { url: string; contentType: string; read(): Promise<ReadableStream<Uint8Array>> }
  title: string
  description: string
  hashtags: string[]
  privacy: Privacy
  madeForKids: boolean
  /** Seconds, when known: checked against the account's maximum (TikTok). */
  durationSec?: number
  /**
   * A unique string for this post on this target (e.g. `rp-<targetId>`). The publisher keeps it
   * with the post where the platform lets it (YouTube: a tag) so `findByMarker` can find the
   * post after an unknown outcome.
   */
  marker: string
}

/**
 * What a publisher needs of a connection: a live access token and the account. The facade in
 * `index.ts` fills it from the `connections` row, refreshing the token when needed.
 */
export interface PublishContext {
  platform: Platform
  connectionId: string
  accessToken: string
  /** YouTube channel id, TikTok open_id, Instagram user id. */
  accountId: string
  now: () => number
  /**
   * Saves platform state with the target before the step that may create the post (TikTok's
   * upload after its init), so that if we die mid-upload, `findByMarker` still has the handle.
   */
  checkpoint?: (state: PublishState) => Promise<void>
}

/** Platform state the consumer persists with the target and hands back to `poll`/`findByMarker`. */
export type PublishState = Record<string, unknown> & { platform: Platform; kind: string }

export type ErrorKind = 'retryable' | 'auth' | 'content_rejected' | 'quota' | 'disconnected' | 'outcome_unknown' | 'app_cap'

/** A classified failure, with a sentence the creator understands on the timeline. */
export interface PublishFailure {
  kind: ErrorKind
  /** For the creator. */
  message: string
  /** For the logs: what the platform said. */
  detail: string
  /** retryable / quota / app_cap: when trying again makes sense. */
  retryAfterSec?: number
  /** quota: when the platform's quota resets (ISO 8601). */
  resetAt?: string
  /**
   * While polling: the platform says this attempt surely made no post (TikTok FAILED, an Instagram
   * container EXPIRED), so publishing again from the start is safe, rather than polling on.
   */
  nothingPosted?: boolean
  /** outcome_unknown: what is known of the attempt (publish id, container id…), for findByMarker. */
  state?: PublishState
}

export type PublishOutcome =
  | { status: 'published'; remoteId: string; remoteUrl: string }
  | { status: 'processing'; pollAfterSec: number; state: PublishState }
  | { status: 'failed'; error: PublishFailure }

/** A post found on the platform: published, or still processing there. */
export type FoundPost = Extract<PublishOutcome, { status: 'published' | 'processing' }>

/** Thrown by publishers; the facade turns it into `{status: 'failed', error}`. */
export class PublishError extends Error {
  constructor(readonly failure: PublishFailure) {
    super(`${failure.kind}: ${failure.detail}`)
    this.name = 'PublishError'
  }
}

export interface Publisher {
  readonly platform: Platform
  /** Sends the post. Throws PublishError for a classified failure. */
  publish(input: PublishInput, ctx: PublishContext): Promise<PublishOutcome>
  /**
   * Looks for a post sent earlier (after `outcome_unknown`). `null` means the platform surely does
   * not have it, so sending again is safe; when unsure, it throws a retryable PublishError.
   */
  findByMarker(marker: string, ctx: PublishContext, state?: PublishState): Promise<FoundPost | null>
  /** Checks a post that was `processing`. */
  poll?(state: PublishState, ctx: PublishContext): Promise<PublishOutcome>
}

/** The account a token belongs to, recorded on the connection. */
export interface AccountInfo {
  id: string
  name: string
  avatarUrl: string | null
}

const name = (p: Platform) => PLATFORM_NAMES[p]

/** Constructors for failures with creator-facing wording. */
export const failures = {
  retryable: (p: Platform, detail: string, retryAfterSec = 60): PublishFailure => ({
    kind: 'retryable',
    message: `${name(p)} had a temporary problem; we'll try again shortly.`,
    detail,
    retryAfterSec,
  }),
  rateLimited: (p: Platform, detail: string, retryAfterSec = 60): PublishFailure => ({
    kind: 'retryable',
    message: `${name(p)} asked us to slow down; we'll try again in ${Math.max(1, Math.round(retryAfterSec / 60))} min.`,
    detail,
    retryAfterSec,
  }),
  auth: (p: Platform, detail: string): PublishFailure => ({
    kind: 'auth',
    message: `${name(p)} no longer accepts our sign-in for this account; we're renewing it.`,
    detail,
  }),
  disconnected: (p: Platform, detail: string): PublishFailure => ({
    kind: 'disconnected',
    message: `Your ${name(p)} account needs to be reconnected before we can post. Open Connections and reconnect it.`,
    detail,
  }),
  rejected: (p: Platform, detail: string, reason?: string): PublishFailure => ({
    kind: 'content_rejected',
    message: `${name(p)} refused this video${reason ? `: ${reason}` : ''}. Edit the post and try again.`,
    detail,
  }),
  quota: (p: Platform, detail: string, resetAtMs: number, nowMs: number): PublishFailure => ({
    kind: 'quota',
    message: `${name(p)}'s daily upload limit is reached; we'll post after it resets at ${new Date(resetAtMs).toISOString().slice(11, 16)} UTC.`,
    detail,
    resetAt: new Date(resetAtMs).toISOString(),
    retryAfterSec: Math.max(60, Math.ceil((resetAtMs - nowMs) / 1000)),
  }),
  outcomeUnknown: (p: Platform, detail: string, state?: PublishState): PublishFailure => ({
    kind: 'outcome_unknown',
    message: `We sent the video to ${name(p)} but didn't hear back. We'll check whether it was posted before trying again, so it won't be posted twice.`,
    detail,
    state,
  }),
  appCap: (p: Platform, detail: string, retryAfterSec = 3600): PublishFailure => ({
    kind: 'app_cap',
    message: `${name(p)} limits how many people can post through Reelpilot today. This isn't about your account; we'll try again later.`,
    detail,
    retryAfterSec,
  }),
}
