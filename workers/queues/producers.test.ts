// The producers, called directly: what each sends to which queue, with which delay. Sends are
// recorded on their way to the real queues (test/recording-queues.ts).
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { scheduledPost } from '../../test/helpers'
import { recordingQueues } from '../../test/recording-queues'
import { MAX_QUEUE_DELAY_SECONDS } from './messages'
import { enqueuePublish } from './producers'

const HOUR = 3_600_000

describe('enqueuePublish', () => {
  it('sends one publish message per pending target, delayed until the post’s time', async () => {
    const { postId, scheduledAt } = await scheduledPost(2 * HOUR)
    // One target is already done: it gets no message.
    await env.DB.prepare(`update post_targets set status = 'published' where post_id = ? and platform = 'tiktok'`).bind(postId).run()
    const queue = recordingQueues({ forward: true })
    const now = scheduledAt - 2 * HOUR + 500
    expect(await enqueuePublish(queue.env, postId, now)).toBe(2)
    expect(queue.sent.publish.map((m) => m.body).sort((a, b) => a.platform.localeCompare(b.platform))).toEqual([
      { postId, platform: 'instagram', kind: 'publish' },
      { postId, platform: 'youtube', kind: 'publish' },
    ])
    // Rounded up to the second: never early.
    expect(queue.sent.publish.map((m) => m.delaySeconds)).toEqual([7200, 7200])
  })

  it('caps the delay at the queue’s 12 hours, and sends at once for a time already past', async () => {
    const { postId, scheduledAt } = await scheduledPost(3 * 24 * HOUR)
    const far = recordingQueues({ forward: true })
    expect(await enqueuePublish(far.env, postId, scheduledAt - 3 * 24 * HOUR)).toBe(3)
    expect(far.sent.publish.map((m) => m.delaySeconds)).toEqual([MAX_QUEUE_DELAY_SECONDS, MAX_QUEUE_DELAY_SECONDS, MAX_QUEUE_DELAY_SECONDS])
    const late = recordingQueues({ forward: true })
    expect(await enqueuePublish(late.env, postId, scheduledAt + 5 * 60_000)).toBe(3)
    expect(late.sent.publish.map((m) => m.delaySeconds)).toEqual([0, 0, 0])
  })

  it('sends nothing for a post with no pending target, or no post at all', async () => {
    const { postId } = await scheduledPost()
    await env.DB.prepare(`update post_targets set status = 'canceled' where post_id = ?`).bind(postId).run()
    const queue = recordingQueues({ forward: true })
    expect(await enqueuePublish(queue.env, postId)).toBe(0)
    expect(await enqueuePublish(queue.env, 'post_missing')).toBe(0)
    expect(queue.sent.publish).toEqual([])
  })
})

