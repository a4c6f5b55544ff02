/**
 * The loop every consumer shares: parse each message with its schema (a malformed one is logged
 * and acknowledged, never retried forever), handle it, and retry with exponential backoff when
 * the handler throws. Each message is handled inside its request's context (the `requestId` its
 * producer copied in, else the message id), so every line logged for it names the request that
 * started the work, and what it sends on carries the same id.
 */
import type { z } from 'zod'
import { withContext } from '../lib/context'
import { log } from '../lib/log'

/** What a handler asks for: done, or try again after a delay. */
export type Handled = 'ack' | { retryAfterSec: number }

export interface ConsumeOptions {
  /** Backoff of the first retry, doubled on each attempt, capped at 10 minutes. */
  baseDelaySec: number
}

/** The delay before retry number `attempts` (1 for the first): doubling from `baseSec`, at most 10 minutes. */
export function backoffSeconds(baseSec: number, attempts: number): number {
  return Math.min(600, baseSec * 2 ** Math.max(0, attempts - 1))
}

export async function consume<S extends z.ZodType>(
  batch: MessageBatch<unknown>,
  schema: S,
  options: ConsumeOptions,
  handle: (job: z.output<S>) => Promise<Handled>,
): Promise<void> {
  for (const message of batch.messages) {
    const parsed = schema.safeParse(message.body)
    if (!parsed.success) {
      log.warn('dropping malformed message', { queue: batch.queue, id: message.id, issues: parsed.error.issues })
      message.ack()
      continue
    }
    const job = parsed.data as { requestId?: string; postId?: unknown }
    const context = { requestId: job.requestId ?? `msg-${message.id}`, queue: batch.queue, messageId: message.id, ...(typeof job.postId === 'string' ? { postId: job.postId } : {}) }
    await withContext(context, async () => {
      try {
        const handled = await handle(parsed.data)
        if (handled === 'ack') message.ack()
        else message.retry({ delaySeconds: handled.retryAfterSec })
        log.info('message handled', { attempt: message.attempts, job: parsed.data, outcome: handled === 'ack' ? 'ack' : 'retry' })
      } catch (error) {
        log.error('consumer failed; will retry', { attempt: message.attempts, job: parsed.data, error: String(error) })
        message.retry({ delaySeconds: backoffSeconds(options.baseDelaySec, message.attempts) })
      }
    })
  }
}

/**
 * A job that is done once `run` returns. When it throws, `keepReason(job, message)` stores why on
 * the job's row (what the page and the dead letter say) and the queue retries it with backoff.
 */
export function consumeKeepingReason<S extends z.ZodType>(
  batch: MessageBatch<unknown>,
  schema: S,
  options: ConsumeOptions,
  run: (job: z.output<S>) => Promise<unknown>,
  keepReason: (job: z.output<S>, reason: string) => Promise<unknown>,
): Promise<void> {
  return consume(batch, schema, options, async (job) => {
    try {
      await run(job)
      return 'ack'
    } catch (error) {
      await keepReason(job, String((error as Error)?.message ?? error))
      throw error
    }
  })
}

/** A dead-letter queue: `settle(id)` for each message whose body names its job by `field` (a string); every message acknowledged. */
export async function consumeDeadLetters(batch: MessageBatch<unknown>, field: string, settle: (id: string) => Promise<unknown>): Promise<void> {
  for (const message of batch.messages) {
    const id = (message.body as Record<string, unknown> | null)?.[field]
    if (typeof id === 'string') await settle(id)
    message.ack()
  }
}
