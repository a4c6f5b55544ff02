/**
 * The loop every consumer shares: parse each message with its schema (a malformed one is logged
 * and acknowledged, never retried forever), handle it, and retry with exponential backoff when
 * the handler throws.
 */
import type { z } from 'zod'
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
    try {
      const handled = await handle(parsed.data)
      if (handled === 'ack') message.ack()
      else message.retry({ delaySeconds: handled.retryAfterSec })
    } catch (error) {
      log.error('consumer failed; will retry', { queue: batch.queue, job: parsed.data, attempt: message.attempts, error: String(error) })
      message.retry({ delaySeconds: backoffSeconds(options.baseDelaySec, message.attempts) })
    }
  }
}
