// The publish queue's own pieces, called directly: the producer (enqueuePublish) and the
// dead-letter handler. The publish step itself runs against the platform stubs in
// workers/platforms/post-gateway.test.ts.
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { call, ownerWithProject, readyClip } from '../../test/helpers'
import { MAX_QUEUE_DELAY_SECONDS, type PublishJob } from './messages'
import { handlePublishDeadLetters } from './publish-consumer'
import { enqueuePublish } from './render-consumer'

const HOUR = 3_600_000

/** A post with its three sandbox targets, rendered and scheduled `inMs` from now. */
async function scheduledPost(inMs = 24 * HOUR) {
  const { token, project } = await ownerWithProject()
  const clip = await readyClip(project.workspaceId, project.id)
  const scheduledAt = new Date(Date.now() + inMs).toISOString()
  const post = (await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt } })).json
  // As if rendered (the render message POST /posts sends finds it scheduled and skips it).
  await env.DB.prepare(`update posts set status = 'scheduled', lease_until = null, render_key = 'r', cover_key = 'c' where id = ?`).bind(post.id).run()
  return { postId: post.id as string, scheduledAt: Date.parse(scheduledAt) }
}

const targets = async (postId: string) =>
  (await env.DB.prepare('select platform, status, error from post_targets where post_id = ? order by platform').bind(postId).all<Record<string, any>>()).results
const postRow = (postId: string) => env.DB.prepare('select status, error from posts where id = ?').bind(postId).first<Record<string, any>>()
const events = async (postId: string) =>
  (await env.DB.prepare('select type, message, platform from post_events where post_id = ? order by id').bind(postId).all<Record<string, any>>()).results

/** The real publish queue, with what is sent to it recorded on the way. */
function recordingQueue() {
  const sent: Array<{ body: PublishJob; delaySeconds?: number }> = []
  const queue = {
    async sendBatch(messages: Iterable<MessageSendRequest<PublishJob>>, options?: QueueSendBatchOptions) {
      const list = [...messages]
      sent.push(...list.map((m) => ({ body: m.body, delaySeconds: m.delaySeconds })))
      await env.PUBLISH_JOBS.sendBatch(list, options)
    },
    async send(body: PublishJob, options?: QueueSendOptions) {
      sent.push({ body, delaySeconds: options?.delaySeconds })
      await env.PUBLISH_JOBS.send(body, options)
    },
  }
  return { sent, env: { ...env, PUBLISH_JOBS: queue as unknown as Queue } }
}

describe('enqueuePublish', () => {
  it('sends one publish message per pending target, delayed until the post’s time', async () => {
    const { postId, scheduledAt } = await scheduledPost(2 * HOUR)
    // One target is already done: it gets no message.
    await env.DB.prepare(`update post_targets set status = 'published' where post_id = ? and platform = 'tiktok'`).bind(postId).run()
    const queue = recordingQueue()
    const now = scheduledAt - 2 * HOUR + 500
    expect(await enqueuePublish(queue.env, postId, now)).toBe(2)
    expect(queue.sent.map((m) => m.body).sort((a, b) => a.platform.localeCompare(b.platform))).toEqual([
      { postId, platform: 'instagram', kind: 'publish' },
      { postId, platform: 'youtube', kind: 'publish' },
    ])
    // Rounded up to the second: never early.
    expect(queue.sent.map((m) => m.delaySeconds)).toEqual([7200, 7200])
  })

  it('caps the delay at the queue’s 12 hours, and sends at once for a time already past', async () => {
    const { postId, scheduledAt } = await scheduledPost(3 * 24 * HOUR)
    const far = recordingQueue()
    expect(await enqueuePublish(far.env, postId, scheduledAt - 3 * 24 * HOUR)).toBe(3)
    expect(far.sent.map((m) => m.delaySeconds)).toEqual([MAX_QUEUE_DELAY_SECONDS, MAX_QUEUE_DELAY_SECONDS, MAX_QUEUE_DELAY_SECONDS])
    const late = recordingQueue()
    expect(await enqueuePublish(late.env, postId, scheduledAt + 5 * 60_000)).toBe(3)
    expect(late.sent.map((m) => m.delaySeconds)).toEqual([0, 0, 0])
  })

  it('sends nothing for a post with no pending target, or no post at all', async () => {
    const { postId } = await scheduledPost()
    await env.DB.prepare(`update post_targets set status = 'canceled' where post_id = ?`).bind(postId).run()
    const queue = recordingQueue()
    expect(await enqueuePublish(queue.env, postId)).toBe(0)
    expect(await enqueuePublish(queue.env, 'post_missing')).toBe(0)
    expect(queue.sent).toEqual([])
  })
})

/** A dead-letter batch of publish messages, each recording its ack. */
function deadLetters(bodies: unknown[]) {
  const acked: string[] = []
  const messages = bodies.map((body, i) => ({ id: `m${i}`, body, attempts: 9, timestamp: new Date(), ack: () => acked.push(`m${i}`), retry: () => {} }))
  return { acked, batch: { queue: 'publish-jobs-dlq', messages, ackAll() {}, retryAll() {} } as unknown as MessageBatch<unknown> }
}

describe('handlePublishDeadLetters', () => {
  it('fails the target with its last error and, once every target has settled, the post', async () => {
    const { postId } = await scheduledPost()
    await env.DB.prepare(`update posts set status = 'publishing' where id = ?`).bind(postId).run()
    await env.DB.prepare(`update post_targets set status = 'published' where post_id = ? and platform in ('instagram', 'tiktok')`).bind(postId).run()
    await env.DB.prepare(`update post_targets set status = 'pending', error = 'YouTube answered 503' where post_id = ? and platform = 'youtube'`).bind(postId).run()
    const { acked, batch } = deadLetters([{ postId, platform: 'youtube', kind: 'publish' }])
    await handlePublishDeadLetters(batch, env)
    expect(acked).toEqual(['m0'])
    const youtube = (await targets(postId)).find((t) => t.platform === 'youtube')
    expect(youtube).toMatchObject({ status: 'failed', error: 'Publishing failed after every retry: YouTube answered 503.' })
    expect(await postRow(postId)).toMatchObject({ status: 'failed', error: 'youtube: Publishing failed after every retry: YouTube answered 503.' })
  })

  it('leaves the post publishing while another target is still on its way', async () => {
    const { postId } = await scheduledPost()
    await env.DB.prepare(`update posts set status = 'publishing' where id = ?`).bind(postId).run()
    await env.DB.prepare(`update post_targets set status = 'processing' where post_id = ?`).bind(postId).run()
    const { batch } = deadLetters([{ postId, platform: 'tiktok', kind: 'poll' }])
    await handlePublishDeadLetters(batch, env)
    expect((await targets(postId)).map((t) => [t.platform, t.status])).toEqual([
      ['instagram', 'processing'],
      ['tiktok', 'failed'],
      ['youtube', 'processing'],
    ])
    expect((await postRow(postId))?.status).toBe('publishing')
  })

  it('keeps an unconfirmed target unconfirmed (it may be live) and notes the dead letter on the timeline', async () => {
    const { postId } = await scheduledPost()
    await env.DB.prepare(`update posts set status = 'publishing' where id = ?`).bind(postId).run()
    await env.DB.prepare(`update post_targets set status = 'unconfirmed', error = 'timed out after the upload' where post_id = ? and platform = 'instagram'`).bind(postId).run()
    const before = (await events(postId)).length
    const { acked, batch } = deadLetters([{ postId, platform: 'instagram', kind: 'publish' }])
    await handlePublishDeadLetters(batch, env)
    expect(acked).toEqual(['m0'])
    expect((await targets(postId)).find((t) => t.platform === 'instagram')?.status).toBe('unconfirmed')
    const added = (await events(postId)).slice(before)
    expect(added).toEqual([{ type: 'dead_letter', message: 'Publishing failed after every retry: timed out after the upload.', platform: 'instagram' }])
    expect((await postRow(postId))?.status).toBe('publishing')
  })

  it('acks a message it cannot read without touching anything', async () => {
    const { postId } = await scheduledPost()
    const before = { targets: await targets(postId), events: (await events(postId)).length }
    const { acked, batch } = deadLetters([{ postId }, 'garbage', { postId, platform: 'myspace', kind: 'publish' }])
    await handlePublishDeadLetters(batch, env)
    expect(acked).toEqual(['m0', 'm1', 'm2'])
    expect(await targets(postId)).toEqual(before.targets)
    expect((await events(postId)).length).toBe(before.events)
  })
})
