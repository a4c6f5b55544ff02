// The publish consumer's dead-letter handler, called directly. The publish step itself runs
// against the platform stubs in workers/platforms/post-gateway.test.ts; its producer
// (enqueuePublish) is tested in producers.test.ts.
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { scheduledPost } from '../../test/helpers'
import { handlePublishDeadLetters } from './publish-consumer'


const targets = async (postId: string) =>
  (await env.DB.prepare('select platform, status, error from post_targets where post_id = ? order by platform').bind(postId).all<Record<string, any>>()).results
const postRow = (postId: string) => env.DB.prepare('select status, error from posts where id = ?').bind(postId).first<Record<string, any>>()
const events = async (postId: string) =>
  (await env.DB.prepare('select type, message, platform from post_events where post_id = ? order by id').bind(postId).all<Record<string, any>>()).results

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
