/**
 * The Worker's queue entry point: routes each batch to its consumer by queue name.
 * A message that does not parse is acknowledged and logged, never retried forever.
 */
import { handleRenderBatch, handleRenderDeadLetters } from './render-consumer'
import { handlePublishBatch, handlePublishDeadLetters } from './publish-consumer'
import { handleMetricsBatch, handleMetricsDeadLetters } from '../analytics/consumer'
import { handleTranscribeBatch, handleTranscribeDeadLetters } from './transcribe-consumer'
import { handleInboxBatch, handleInboxDeadLetters } from './inbox-consumer'
import { MISCONFIGURED_RETRY_SEC, misconfigurations } from '../lib/config'
import { log } from '../lib/log'
import { withMetrics } from '../metrics/record'

type Consume = (batch: MessageBatch<unknown>, env: Env) => Promise<void>

/** Each queue's consumer and its dead-letter queue's (`<queue>-dlq`), as wrangler.toml binds them. */
const CONSUMERS = new Map<string, { batch: Consume; deadLetters: Consume }>([
  ['render-jobs', { batch: handleRenderBatch, deadLetters: handleRenderDeadLetters }],
  ['publish-jobs', { batch: handlePublishBatch, deadLetters: handlePublishDeadLetters }],
  ['metrics-jobs', { batch: handleMetricsBatch, deadLetters: handleMetricsDeadLetters }],
  ['transcribe-jobs', { batch: handleTranscribeBatch, deadLetters: handleTranscribeDeadLetters }],
  ['inbox-jobs', { batch: handleInboxBatch, deadLetters: handleInboxDeadLetters }],
])

export async function handleQueue(batch: MessageBatch<unknown>, env: Env, _ctx: ExecutionContext): Promise<void> {
  // What the batch records (platform calls, renders) reaches GET /api/metrics when it ends.
  return withMetrics(env, () => route(batch, env))
}

async function route(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  // A deployment that lacks a setting renders and publishes nothing: the messages wait (and die
  // into their dead-letter queue after their retries, which needs no setting to record why).
  const dead = batch.queue.endsWith('-dlq')
  const problems = dead ? [] : misconfigurations(env)
  if (problems.length) {
    log.error('misconfigured: messages retried later', { queue: batch.queue, settings: problems.map((p) => p.setting) })
    return batch.retryAll({ delaySeconds: MISCONFIGURED_RETRY_SEC })
  }
  const consumer = CONSUMERS.get(dead ? batch.queue.slice(0, -'-dlq'.length) : batch.queue)
  if (!consumer) {
    log.error('no consumer for queue', { queue: batch.queue })
    return batch.retryAll({ delaySeconds: MISCONFIGURED_RETRY_SEC })
  }
  return (dead ? consumer.deadLetters : consumer.batch)(batch, env)
}
