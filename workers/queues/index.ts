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

export async function handleQueue(batch: MessageBatch<unknown>, env: Env, _ctx: ExecutionContext): Promise<void> {
  // What the batch records (platform calls, renders) reaches GET /api/metrics when it ends.
  return withMetrics(env, () => route(batch, env))
}

async function route(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  // A deployment that lacks a setting renders and publishes nothing: the messages wait (and die
  // into their dead-letter queue after their retries, which needs no setting to record why).
  const problems = batch.queue.endsWith('-dlq') ? [] : misconfigurations(env)
  if (problems.length) {
    log.error('misconfigured: messages retried later', { queue: batch.queue, settings: problems.map((p) => p.setting) })
    return batch.retryAll({ delaySeconds: MISCONFIGURED_RETRY_SEC })
  }
  switch (batch.queue) {
    case 'render-jobs':
      return handleRenderBatch(batch, env)
    case 'render-jobs-dlq':
      return handleRenderDeadLetters(batch, env)
    case 'publish-jobs':
      return handlePublishBatch(batch, env)
    case 'publish-jobs-dlq':
      return handlePublishDeadLetters(batch, env)
    case 'metrics-jobs':
      return handleMetricsBatch(batch, env)
    case 'metrics-jobs-dlq':
      return handleMetricsDeadLetters(batch, env)
    case 'transcribe-jobs':
      return handleTranscribeBatch(batch, env)
    case 'transcribe-jobs-dlq':
      return handleTranscribeDeadLetters(batch, env)
    case 'inbox-jobs':
      return handleInboxBatch(batch, env)
    case 'inbox-jobs-dlq':
      return handleInboxDeadLetters(batch, env)
    default:
      log.error('no consumer for queue', { queue: batch.queue })
      batch.retryAll({ delaySeconds: MISCONFIGURED_RETRY_SEC })
  }
}
