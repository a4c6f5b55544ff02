/**
 * The shapes of the autopilot, timeline and draft answers, inferred from the routes' own response
 * schemas (types only: no server code reaches the browser), and how the pages name post states.
 */
import type { z } from '@hono/zod-openapi'
import type { AutopilotSchema } from '../../workers/api/autopilot'
import type { DraftSchema } from '../../workers/api/drafts'
import type { BulkPlanSchema, PostSchema, PostSummarySchema } from '../../workers/api/posts'
import { MOVING_POST_STATUSES, POST_ACTIONS, type Platform, type PostStatus, type TargetStatus } from '../../workers/domain/post-state'
import type { PlatformTexts } from '../../workers/domain/platform-texts'

export type { Platform, PlatformTexts, PostStatus, TargetStatus }

export type Autopilot = z.infer<typeof AutopilotSchema>
export type PostSummary = z.infer<typeof PostSummarySchema>
export type PostTarget = PostSummary['targets'][number]
/** A post being written, without a time. */
export type Draft = z.infer<typeof DraftSchema>
export type Post = z.infer<typeof PostSchema>
/** Which clip goes at which free slot (bulk scheduling). */
export type BulkPlan = z.infer<typeof BulkPlanSchema>

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
export const MOVING_STATUSES = MOVING_POST_STATUSES

/** What a creator may do to a post in a given state: the API's own rules. */
export const EDITABLE_STATUSES = POST_ACTIONS.edit
export const CANCELLABLE_STATUSES = POST_ACTIONS.cancel
export const APPROVABLE_STATUSES = POST_ACTIONS.approve
export const RETRYABLE_STATUSES = POST_ACTIONS.retry

/** A post's state as the timeline shows it: the label, and how far a render has come. */
export function statusText(post: Pick<PostSummary, 'status' | 'renderProgress'>): string {
  const label = POST_STATUS_LABEL[post.status]
  return post.status === 'rendering' && post.renderProgress !== null ? `${label} ${Math.round(post.renderProgress * 100)}%` : label
}
