/**
 * The shapes of the autopilot and timeline answers (written out here: workers/api/posts.ts and
 * autopilot.ts do not export their response schemas), and how the pages name post states.
 */
import type { AutopilotConfig } from '../../workers/domain/autopilot-config'
import { POST_ACTIONS, type Platform, type PostStatus, type TargetStatus } from '../../workers/domain/post-state'
import type { PlatformTexts } from '../../workers/domain/platform-texts'

export type { Platform, PlatformTexts, PostStatus, TargetStatus }

export interface Autopilot {
  projectId: string
  enabled: boolean
  config: AutopilotConfig
  nextSlots: string[]
  scheduler: { alarm: string | null; nextSlot: string | null }
  updatedAt: string
}

export interface PostTarget {
  platform: Platform
  status: TargetStatus
  remoteId: string | null
  remoteUrl: string | null
  error: string | null
  errorKind: string | null
  attempt: number
  publishedAt: string | null
}

export interface PostSummary {
  id: string
  projectId: string
  origin: 'autopilot' | 'manual'
  status: PostStatus
  scheduledAt: string
  mediaId: string | null
  clip: { id: string; title: string; thumbnailKey: string | null } | null
  hook: string | null
  caption: string | null
  hashtags: string[]
  style: string
  language: string
  objective: string
  skipReason: string | null
  error: string | null
  /** 0..1 while rendering; 1 once rendered. */
  renderProgress: number | null
  platformTexts: PlatformTexts | null
  /** Why the time is outside the posting windows; null inside them. */
  outsideWindows: string | null
  targets: PostTarget[]
  createdAt: string
  updatedAt: string
}

/** A post being written, without a time. */
export interface Draft {
  id: string
  projectId: string
  mediaId: string | null
  clip: { id: string; title: string; thumbnailKey: string | null } | null
  caption: string | null
  hashtags: string[]
  platforms: Platform[] | null
  platformTexts: PlatformTexts | null
  createdAt: string
  updatedAt: string
}

export interface Post extends PostSummary {
  /** After a write: what was accepted but deserves a look. */
  warnings?: { field: string; message: string }[]
  render: { videoUrl: string; coverUrl: string; duration: number; width: number; height: number; size: number; sha256: string } | null
  events: { at: string; type: string; platform: string | null; from: string | null; to: string | null; message: string | null }[]
}

type Tone = 'slate' | 'violet' | 'emerald' | 'amber' | 'rose'

export const POST_STATUS_LABEL: Record<PostStatus, string> = {
  planned: 'Planned',
  rendering: 'Rendering',
  rendered: 'Rendered',
  awaiting_approval: 'Awaiting approval',
  scheduled: 'Scheduled',
  publishing: 'Publishing',
  published: 'Published',
  failed: 'Failed',
  skipped: 'Skipped',
  canceled: 'Canceled',
}

export const POST_STATUS_TONE: Record<PostStatus, Tone> = {
  planned: 'slate',
  rendering: 'violet',
  rendered: 'violet',
  awaiting_approval: 'amber',
  scheduled: 'violet',
  publishing: 'violet',
  published: 'emerald',
  failed: 'rose',
  skipped: 'slate',
  canceled: 'slate',
}

export const TARGET_STATUS_TONE: Record<TargetStatus, Tone> = {
  pending: 'slate',
  publishing: 'violet',
  processing: 'violet',
  unconfirmed: 'amber',
  published: 'emerald',
  failed: 'rose',
  canceled: 'slate',
}

export { PLATFORM_NAMES as PLATFORM_LABEL } from '../../containers/render/recipe/vocabulary'

/** States a post leaves by itself (a timer or a message moves it), so the page keeps watching. */
export const MOVING_STATUSES: readonly PostStatus[] = ['planned', 'rendering', 'rendered', 'scheduled', 'publishing']

/** What a creator may do to a post in a given state: the API's own rules. */
export const EDITABLE_STATUSES = POST_ACTIONS.edit
export const CANCELLABLE_STATUSES = POST_ACTIONS.cancel

/** A post's state as the timeline shows it: the label, and how far a render has come. */
export function statusText(post: Pick<PostSummary, 'status' | 'renderProgress'>): string {
  const label = POST_STATUS_LABEL[post.status]
  return post.status === 'rendering' && post.renderProgress !== null ? `${label} ${Math.round(post.renderProgress * 100)}%` : label
}
