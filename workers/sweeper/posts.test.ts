// The sweeper (cron), called directly: what it hands back to which queue, what it cancels, and
// what it leaves alone. Each test starts with every earlier post of this file finished
// (canceled), so the counts the sweep returns are exact.
import { env } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import { call, ownerWithProject, readyClip } from '../../test/helpers'
import { recordingQueues } from '../../test/recording-queues'
import { APPROVAL_EXPIRES_AFTER_MS, STUCK_AFTER_MS, sweepStuckPosts } from './posts'

const row = (postId: string) => env.DB.prepare('select * from posts where id = ?').bind(postId).first<Record<string, any>>()

/**
 * A post made through the API, once the render message POST /posts sends has been handled: here
 * the render server cannot reach storage, so that first render fails midway (attempt 1, no lease)
 * and its retry waits 15 s. Until then nothing but the test touches the row, so each test makes
 * its posts at once and sweeps right after.
 */
async function settledPost() {
  const { token, project } = await ownerWithProject()
  const clip = await readyClip(project.workspaceId, project.id)
  const post = (await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt: new Date(Date.now() + 86_400_000).toISOString() } })).json
  await expect.poll(async () => {
    const r = await row(post.id)
    return r?.render_attempts >= 1 && r?.lease_until === null
  }, { timeout: 30_000 }).toBe(true)
  return post.id as string
}

describe('sweeper', () => {
  beforeEach(async () => {
    await env.DB.prepare(`update posts set status = 'canceled', lease_until = null`).run()
  })

  it('cancels a post left unapproved a day after its time, and says why; a recent one keeps waiting', async () => {
    const [old, recent] = await Promise.all([settledPost(), settledPost()])
    const longAgo = new Date(Date.now() - APPROVAL_EXPIRES_AFTER_MS - 60_000).toISOString()
    await env.DB.prepare(`update posts set status = 'awaiting_approval', lease_until = null, scheduled_at = ? where id = ?`).bind(longAgo, old).run()
    await env.DB.prepare(`update posts set status = 'awaiting_approval', lease_until = null, scheduled_at = ? where id = ?`).bind(new Date(Date.now() - 60_000).toISOString(), recent).run()
    const sweep = recordingQueues({ forward: false })
    expect(await sweepStuckPosts(sweep.env)).toEqual({ renders: 0, publishes: 0, expired: 1 })
    expect(await row(old)).toMatchObject({ status: 'canceled', error: expect.stringMatching(/^Not approved within a day of its time \(.* UTC\), so it was not posted\.$/) })
    const targets = await env.DB.prepare('select status from post_targets where post_id = ?').bind(old).all<{ status: string }>()
    expect(targets.results.map((t) => t.status)).toEqual(['canceled', 'canceled', 'canceled'])
    expect((await row(recent))?.status).toBe('awaiting_approval')
    // A second sweep finds nothing more to do.
    expect(await sweepStuckPosts(sweep.env)).toEqual({ renders: 0, publishes: 0, expired: 0 })
  })

  it('hands stuck posts back to the render queue, and leaves fresh ones alone', async () => {
    const [stuckPlanned, stuckRendering, fresh] = await Promise.all([settledPost(), settledPost(), settledPost()])
    const old = new Date(Date.now() - STUCK_AFTER_MS - 60_000).toISOString()
    await env.DB.prepare(`update posts set status = 'planned', lease_until = null, updated_at = ? where id = ?`).bind(old, stuckPlanned).run()
    // A render whose lease lapsed: the delivery that held it died.
    await env.DB.prepare(`update posts set status = 'rendering', lease_until = ?, updated_at = ? where id = ?`).bind(new Date(Date.now() - 1000).toISOString(), new Date().toISOString(), stuckRendering).run()
    const freshAt = new Date().toISOString()
    await env.DB.prepare(`update posts set status = 'planned', lease_until = null, updated_at = ? where id = ?`).bind(freshAt, fresh).run()
    const sweep = recordingQueues({ forward: false })
    expect(await sweepStuckPosts(sweep.env)).toEqual({ renders: 2, publishes: 0, expired: 0 })
    expect(new Set(sweep.sent.render.map((m) => m.body))).toEqual(new Set([{ postId: stuckPlanned }, { postId: stuckRendering }]))
    expect(sweep.sent.publish).toEqual([])
    // The fresh post is not touched at all.
    expect(await row(fresh)).toMatchObject({ status: 'planned', updated_at: freshAt, render_attempts: 1 })
  })

  it('hands overdue and stalled publications back to the publish queue', async () => {
    const [overdue, stalled] = await Promise.all([settledPost(), settledPost()])
    const old = new Date(Date.now() - STUCK_AFTER_MS - 60_000).toISOString()
    await env.DB.prepare(`update posts set status = 'scheduled', render_key = 'r', scheduled_at = ? where id = ?`).bind(old, overdue).run()
    await env.DB.prepare(`update posts set status = 'publishing', render_key = 'r' where id = ?`).bind(stalled).run()
    await env.DB.prepare(`update post_targets set status = 'published' where post_id = ?`).bind(stalled).run()
    await env.DB.prepare(`update post_targets set status = 'processing', updated_at = ? where post_id = ? and platform = 'tiktok'`).bind(old, stalled).run()
    const sweep = recordingQueues({ forward: false })
    expect(await sweepStuckPosts(sweep.env)).toEqual({ renders: 0, publishes: 2, expired: 0 })
    expect(sweep.sent.publish.map((m) => m.body)).toEqual(
      expect.arrayContaining([
        { postId: overdue, platform: 'youtube', kind: 'publish' },
        { postId: overdue, platform: 'tiktok', kind: 'publish' },
        { postId: overdue, platform: 'instagram', kind: 'publish' },
        { postId: stalled, platform: 'tiktok', kind: 'poll' },
      ]),
    )
    expect(sweep.sent.publish).toHaveLength(4)
    expect(sweep.sent.render).toEqual([])
  })
})
