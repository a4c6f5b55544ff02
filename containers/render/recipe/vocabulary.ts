/**
 * The words the whole product shares: the platforms, the render styles, the objectives, and the
 * codes the render server gives a bad file. Defined here once, because recipe/ is the one module
 * the render server, the Worker and the web app all import; every other list derives from these.
 */

/** The platforms Reelpilot publishes to. */
export const PLATFORMS = ['youtube', 'tiktok', 'instagram'] as const
export type Platform = (typeof PLATFORMS)[number]

/** How each platform is named to a person. */
export const PLATFORM_NAMES: Record<Platform, string> = { youtube: 'YouTube', tiktok: 'TikTok', instagram: 'Instagram' }

/** The render styles a project can choose. */
export const STYLES = ['minimal', 'neon', 'corporate'] as const
export type StyleName = (typeof STYLES)[number]

/** What the posts aim for; it shapes captions, hooks and the call to action. */
export const OBJECTIVES = ['traffic', 'awareness', 'conversion'] as const
export type Objective = (typeof OBJECTIVES)[number]

/** Why the render server refused a piece of media (its probe's 422 `code`). */
export const MEDIA_ERROR_CODES = ['not_video', 'no_video_stream', 'damaged', 'unreadable', 'over_limits'] as const
export type MediaErrorCode = (typeof MEDIA_ERROR_CODES)[number]

/**
 * What a clip may be at most, checked from its headers before any frame is decoded (a small file can
 * announce a picture that takes gigabytes to decode): pixels on a side, frames a second, seconds.
 */
export const MEDIA_LIMITS = { maxSidePx: 8192, maxFps: 120, maxDurationSec: 600 } as const

/** Whether a value is one of the media error codes (for reading the render server's answers). */
export function isMediaErrorCode(value: unknown): value is MediaErrorCode {
  return (MEDIA_ERROR_CODES as readonly unknown[]).includes(value)
}

/**
 * The storage route's path word for a token sent in the `Authorization: Storage <token>` header
 * instead of the URL (`/api/storage/by-header`): the render server asks so, and the Worker reads it
 * (#11 item 9), so no log of a request URL holds a token the render server used.
 */
export const STORAGE_BY_HEADER = 'by-header'
