/**
 * The producers: every message put on Reelpilot's queues is sent from here, beside the message
 * schemas (messages.ts), so a message has one shape and one way in. Consumers, the API, the
 * planner and the sweeper all call these.
 */
import { and, eq } from 'drizzle-orm'
import { createDb } from '../db/client'
import { posts, postTargets } from '../db/schema'
import { currentRequestId } from '../lib/context'
import { MAX_QUEUE_DELAY_SECONDS, type InboxJob, type MetricsJob, type PublishJob, type RenderJob, type TranscribeJob } from './messages'

/** A message body with the current request id (lib/context.ts), so the consumer logs under it. */
export function traced<T extends object>(body: T & { requestId?: string }): T {
  const requestId = body.requestId ?? currentRequestId()
  return requestId ? { ...body, requestId } : body
}

/** Asks for the render of each post (the render consumer's claim makes a duplicate harmless). */
export async function enqueueRender(env: Pick<Env, 'RENDER_JOBS'>, postIds: readonly string[]): Promise<void> {
  const queue = env.RENDER_JOBS as Queue<RenderJob>
  if (postIds.length === 1) await queue.send(traced<RenderJob>({ postId: postIds[0] }))
  else if (postIds.length > 1) await queue.sendBatch(postIds.map((postId) => ({ body: traced<RenderJob>({ postId }) })))
}

/** The queue delay for a message due in `seconds`: never negative, at most the queue's 12 hours. */
export const queueDelay = (seconds: number) => Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(0, Math.ceil(seconds)))

/** Sends publish messages, each after `delaySeconds` (capped at the queue's 12 hours). */
export async function sendPublishJobs(env: Pick<Env, 'PUBLISH_JOBS'>, jobs: readonly PublishJob[], delaySeconds = 0): Promise<void> {
  const queue = env.PUBLISH_JOBS as Queue<PublishJob>
  const delay = queueDelay(delaySeconds)
  if (jobs.length === 1) await queue.send(traced(jobs[0]), { delaySeconds: delay })
  else if (jobs.length > 1) await queue.sendBatch(jobs.map((body) => ({ body: traced(body), delaySeconds: delay })))
}

/** Sends metric pulls to the metrics-jobs queue (in sends of at most 100, the most `sendBatch` takes). */
export async function sendMetricsJobs(env: Pick<Env, 'METRICS_JOBS'>, jobs: readonly MetricsJob[]): Promise<void> {
  const queue = env.METRICS_JOBS as Queue<MetricsJob>
  for (let i = 0; i < jobs.length; i += 100) await queue.sendBatch(jobs.slice(i, i + 100).map((body) => ({ body: traced(body) })))
}

/**
 * Sends one publish message per pending target, delayed until the post's time (at most the
 * queue's 12 hours: the publish consumer delays again when a message arrives early).
 */
export async function enqueuePublish(env: Pick<Env, 'DB' | 'PUBLISH_JOBS'>, postId: string, now = Date.now()): Promise<number> {
  const db = createDb(env.DB)
  const post = await db.select({ scheduledAt: posts.scheduledAt }).from(posts).where(eq(posts.id, postId)).get()
  if (!post) return 0
  const targets = await db
    .select({ platform: postTargets.platform })
    .from(postTargets)
    .where(and(eq(postTargets.postId, postId), eq(postTargets.status, 'pending')))
    .all()
  if (targets.length === 0) return 0
  const jobs = targets.map((t) => ({ postId, platform: t.platform, kind: 'publish' as const }))
  await sendPublishJobs(env, jobs, (Date.parse(post.scheduledAt) - now) / 1000)
  return targets.length
}

/** Asks for the transcription of a clip (#15); its `pending` transcript row makes a duplicate harmless. */
export async function enqueueTranscription(env: Pick<Env, 'TRANSCRIBE_JOBS'>, mediaId: string): Promise<void> {
  await (env.TRANSCRIBE_JOBS as Queue<TranscribeJob>).send(traced<TranscribeJob>({ mediaId }))
}

/** Asks for a refresh of a project's inbox (#14); its `queued` inbox_refreshes row makes a duplicate harmless. */
export async function enqueueInboxRefresh(env: Pick<Env, 'INBOX_JOBS'>, projectId: string): Promise<void> {
  await (env.INBOX_JOBS as Queue<InboxJob>).send(traced<InboxJob>({ projectId }))
}
