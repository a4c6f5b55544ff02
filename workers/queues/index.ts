/**
 * The Worker's queue entry point: routes each batch to its consumer by queue name.
 * A message that does not parse is acknowledged and logged, never retried forever.
 */
import { z } from 'zod'

export const RenderJob = z.object({ postId: z.string().min(1) })
export const PublishJob = z.object({ postId: z.string().min(1), platform: z.enum(['youtube', 'tiktok', 'instagram']) })

export type QueueName = 'render-jobs' | 'publish-jobs' | 'render-jobs-dlq' | 'publish-jobs-dlq'

export async function handleQueue(batch: MessageBatch<unknown>, _env: Env, _ctx: ExecutionContext): Promise<void> {
  const schema = batch.queue.startsWith('render-jobs') ? RenderJob : PublishJob
  for (const message of batch.messages) {
    const parsed = schema.safeParse(message.body)
    if (!parsed.success) {
      console.warn(JSON.stringify({ level: 'warn', msg: 'dropping malformed message', queue: batch.queue, id: message.id, issues: parsed.error.issues }))
      message.ack()
      continue
    }
    // The consumers that move posts along (render, publish, dead letters) arrive with the autopilot issue.
    console.warn(JSON.stringify({ level: 'warn', msg: 'no consumer yet', queue: batch.queue, id: message.id }))
    message.retry({ delaySeconds: 300 })
  }
}
