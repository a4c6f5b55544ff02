/**
 * Where each platform lives and which app credentials we hold for it. `PLATFORM_API_BASE`
 * (tests, demos) points every endpoint at one server with a folder per platform: the stubs.
 */
import type { Platform } from './types'

/** The configuration the platform code reads; `Env` satisfies it. */
export interface PlatformEnv {
  YOUTUBE_CLIENT_ID?: string
  YOUTUBE_CLIENT_SECRET?: string
  TIKTOK_CLIENT_KEY?: string
  TIKTOK_CLIENT_SECRET?: string
  INSTAGRAM_APP_ID?: string
  INSTAGRAM_APP_SECRET?: string
  /** Versioned AES-GCM key(s) for tokens at rest: `v1:<base64>[,v2:<base64>]`. */
  TOKEN_ENCRYPTION_KEY?: string
  /** Tests and demos: one base URL for every platform endpoint (`<base>/youtube/…`). */
  PLATFORM_API_BASE?: string
  /** Budget of one call to a platform, in ms (default 30 000; uploads get 4×). */
  PLATFORM_TIMEOUT_MS?: string
  /** Sandbox publishers: seconds a post stays "processing" (default 5). */
  SANDBOX_PROCESSING_SEC?: string
  /** `true` turns sandbox accounts on (npm start, tests, demos); anything else, as in production, leaves them off. */
  SANDBOX_ENABLED?: string
  /** TikTok's per-token limits, counted per connection: 6 inits and 30 status reads a minute. */
  TIKTOK_INIT_LIMITER?: RateLimit
  TIKTOK_STATUS_LIMITER?: RateLimit
}

export interface PlatformEndpoints {
  authorize: string
  token: string
  revoke?: string
  /** API root: googleapis `rootUrl` for YouTube, the API origin for TikTok, the Graph root for Instagram. */
  api: string
  scopes: string[]
  /** Whether the authorization endpoint takes PKCE. */
  pkce: boolean
  /** YouTube only: the YouTube Analytics API root (`https://youtubeanalytics.googleapis.com/`, or a stub). */
  analytics?: string
}

export interface PlatformApp {
  clientId: string
  clientSecret: string
  endpoints: PlatformEndpoints
}

const SCOPES: Record<Platform, string[]> = {
  // yt-analytics.readonly: watch time, shares and subscribers per video (YouTube Analytics API).
  // youtube.force-ssl: replying to comments from the inbox (comments.insert).
  youtube: ['https://www.googleapis.com/auth/youtube.upload', 'https://www.googleapis.com/auth/youtube.readonly', 'https://www.googleapis.com/auth/yt-analytics.readonly', 'https://www.googleapis.com/auth/youtube.force-ssl'],
  tiktok: ['user.info.basic', 'video.publish', 'video.list'],
  // instagram_manage_insights: the Reels' views, reach and interactions (media insights).
  // instagram_manage_comments: reading and replying to comments from the inbox.
  instagram: ['instagram_basic', 'instagram_content_publish', 'instagram_manage_insights', 'instagram_manage_comments', 'pages_read_engagement', 'pages_show_list'],
}

function realEndpoints(platform: Platform): PlatformEndpoints {
  switch (platform) {
    case 'youtube':
      return {
        authorize: 'https://accounts.google.com/o/oauth2/v2/auth',
        token: 'https://oauth2.googleapis.com/token',
        revoke: 'https://oauth2.googleapis.com/revoke',
        api: 'https://www.googleapis.com/',
        analytics: 'https://youtubeanalytics.googleapis.com/',
        scopes: SCOPES.youtube,
        pkce: true,
      }
    case 'tiktok':
      return {
        authorize: 'https://www.tiktok.com/v2/auth/authorize/',
        token: 'https://open.tiktokapis.com/v2/oauth/token/',
        revoke: 'https://open.tiktokapis.com/v2/oauth/revoke/',
        api: 'https://open.tiktokapis.com',
        scopes: SCOPES.tiktok,
        pkce: true,
      }
    case 'instagram':
      return {
        authorize: 'https://www.facebook.com/v21.0/dialog/oauth',
        token: 'https://graph.facebook.com/v21.0/oauth/access_token',
        api: 'https://graph.facebook.com/v21.0',
        scopes: SCOPES.instagram,
        pkce: false,
      }
  }
}

function stubEndpoints(platform: Platform, base: string): PlatformEndpoints {
  const b = `${base.replace(/\/$/, '')}/${platform}`
  switch (platform) {
    case 'youtube':
      return { authorize: `${b}/o/oauth2/v2/auth`, token: `${b}/token`, revoke: `${b}/revoke`, api: `${b}/`, analytics: `${b}/`, scopes: SCOPES.youtube, pkce: true }
    case 'tiktok':
      return { authorize: `${b}/v2/auth/authorize/`, token: `${b}/v2/oauth/token/`, revoke: `${b}/v2/oauth/revoke/`, api: b, scopes: SCOPES.tiktok, pkce: true }
    case 'instagram':
      return { authorize: `${b}/dialog/oauth`, token: `${b}/oauth/access_token`, api: b, scopes: SCOPES.instagram, pkce: false }
  }
}

export function endpointsFor(env: PlatformEnv, platform: Platform): PlatformEndpoints {
  return env.PLATFORM_API_BASE ? stubEndpoints(platform, env.PLATFORM_API_BASE) : realEndpoints(platform)
}

/** Whether sandbox accounts (and their public post page) exist on this deployment: only when asked for. */
export const sandboxEnabled = (env: Pick<PlatformEnv, 'SANDBOX_ENABLED'>) => env.SANDBOX_ENABLED === 'true'

/** Our app's credentials on a platform, or null when none are configured (then only sandbox accounts connect). */
export function platformApp(env: PlatformEnv, platform: Platform): PlatformApp | null {
  const [clientId, clientSecret] =
    platform === 'youtube'
      ? [env.YOUTUBE_CLIENT_ID, env.YOUTUBE_CLIENT_SECRET]
      : platform === 'tiktok'
        ? [env.TIKTOK_CLIENT_KEY, env.TIKTOK_CLIENT_SECRET]
        : [env.INSTAGRAM_APP_ID, env.INSTAGRAM_APP_SECRET]
  if (!clientId || !clientSecret) return null
  return { clientId, clientSecret, endpoints: endpointsFor(env, platform) }
}

export function timeoutMs(env: PlatformEnv): number {
  const n = Number(env.PLATFORM_TIMEOUT_MS)
  return Number.isFinite(n) && n > 0 ? n : 30_000
}
