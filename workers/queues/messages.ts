/** The messages on Reelpilot's queues, parsed with zod at the consumer. */
import { z } from 'zod'
import { PLATFORMS } from '../domain/post-state'
import { REQUEST_ID_PATTERN } from '../lib/context'

/**
 * The request (or alarm, or cron run) that led to this message, copied by the producers from the
 * current context and bound by the consumer to every line it logs: one post's path is one id.
 * Optional, so messages sent before it existed still parse; a bad one is dropped, not the message.
 */
const RequestId = z.string().regex(REQUEST_ID_PATTERN).optional().catch(undefined)

export const RenderJob = z.object({ postId: z.string().min(1), requestId: RequestId })
export type RenderJob = z.infer<typeof RenderJob>

/** `poll` asks for a status check of a publication the platform is still processing. */
export const PublishJob = z.object({ postId: z.string().min(1), platform: z.enum(PLATFORMS), kind: z.enum(['publish', 'poll']).default('publish'), requestId: RequestId })
export type PublishJob = z.input<typeof PublishJob>

/** Cloudflare Queues delay a message by at most 12 hours. */
export const MAX_QUEUE_DELAY_SECONDS = 12 * 60 * 60

/** A pull of metrics for published targets of one project on one platform (ids batched as the platform allows). */
export const MetricsJob = z.object({
  projectId: z.string().min(1),
  platform: z.enum(PLATFORMS),
  targets: z.array(z.object({ postId: z.string().min(1), pullIndex: z.number().int().min(0) })).min(1).max(50),
  requestId: RequestId,
})
export type MetricsJob = z.infer<typeof MetricsJob>

/** Refresh one project's inbox (#14): its inbox_refreshes row says whether it is still wanted. */
export const InboxJob = z.object({ projectId: z.string().min(1), requestId: RequestId })
export type InboxJob = z.infer<typeof InboxJob>

/** Transcribe one clip's speech (#15): its transcript row says whether it is still wanted. */
export const TranscribeJob = z.object({ mediaId: z.string().min(1), requestId: RequestId })
export type TranscribeJob = z.infer<typeof TranscribeJob>
