/**
 * The Worker's env with its render and publish queues wrapped: every message sent is recorded,
 * body and delay, then handed to the real queue (`forward`) or kept back, so a test can say
 * exactly what a producer or the sweeper sent without a consumer racing it.
 */
import { env } from 'cloudflare:test'

export interface Sent {
  body: any
  delaySeconds?: number
}

export function recordingQueues(options: { forward: boolean }) {
  const sent = { render: [] as Sent[], publish: [] as Sent[] }
  const wrap = (real: Queue, into: Sent[]) => ({
    async send(body: unknown, opts?: QueueSendOptions) {
      into.push({ body, delaySeconds: opts?.delaySeconds })
      if (options.forward) await real.send(body, opts)
    },
    async sendBatch(messages: Iterable<MessageSendRequest<unknown>>, opts?: QueueSendBatchOptions) {
      const list = [...messages]
      into.push(...list.map((m) => ({ body: m.body, delaySeconds: m.delaySeconds ?? opts?.delaySeconds })))
      if (options.forward) await real.sendBatch(list, opts)
    },
  })
  return {
    sent,
    env: { ...env, RENDER_JOBS: wrap(env.RENDER_JOBS, sent.render) as unknown as Queue, PUBLISH_JOBS: wrap(env.PUBLISH_JOBS, sent.publish) as unknown as Queue },
  }
}
