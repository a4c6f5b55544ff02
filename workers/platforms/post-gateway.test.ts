import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { resetBreaker } from '../lib/resilience'
import { call } from '../../test/helpers'
import { addFault, connectViaOAuth, duePost, stubAccount, stubState } from '../../test/platform-stubs'
import { createDb } from '../db/client'
import { publishStep } from '../queues/publish-consumer'
import { connectedPlatforms } from '../db/connections'
import { gatewayForPost } from './post-gateway'

const KiB = 1024

const target = (postId: string, platform: string) => env.DB.prepare('select * from post_targets where post_id = ? and platform = ?').bind(postId, platform).first<Record<string, any>>()

describe('gatewayForPost (what the publish consumer calls)', () => {
  it('publishes the render with the post texts and the target marker, and says when a platform is not connected', async () => {
    const account = await stubAccount('youtube')
    const { token, project, postId } = await duePost(['youtube', 'instagram'], async (token, projectId) => {
      await connectViaOAuth(token, projectId, 'youtube', account.accountId)
      await call('POST', `/projects/${projectId}/connections`, { token, body: { platform: 'instagram', mode: 'sandbox' } })
    })
    // Instagram is disconnected after the post was planned.
    const ig = (await call('GET', `/projects/${project.id}/connections`, { token })).json.data.find((c: any) => c.platform === 'instagram')
    await call('DELETE', `/projects/${project.id}/connections/${ig.id}`, { token })
    expect(await connectedPlatforms(createDb(env.DB), project.id)).toEqual(['youtube'])
    const db = createDb(env.DB)
    const post = (await db.query.posts.findFirst({ where: (p, { eq }) => eq(p.id, postId) }))!
    const targets = await db.query.postTargets.findMany({ where: (t, { eq }) => eq(t.postId, postId) })
    const youtube = await gatewayForPost(env, post, targets.find((t) => t.platform === 'youtube')!)
    if ('unavailable' in youtube) throw new Error('unavailable')
    expect(await youtube.publish()).toMatchObject({ status: 'published' })
    const video = (await stubState(account.accountId)).published[0]
    expect(video).toMatchObject({ title: 'Knife skills in 30 seconds', size: 60 * KiB })
    expect(video.tags[0]).toBe(`rp:${postId}:youtube`)
    expect(video.description).toContain('The three cuts every cook needs.')
    const instagram = await gatewayForPost(env, post, targets.find((t) => t.platform === 'instagram')!)
    expect(instagram).toMatchObject({ unavailable: { kind: 'disconnected', message: 'Connect your Instagram account in Connections to publish there.' } })
  })

  it('with the publish consumer: a timeout after the upload completed leaves the target unconfirmed, the next delivery finds it by marker, and nothing is uploaded twice', async () => {
    const account = await stubAccount('youtube')
    const { postId } = await duePost(['youtube'], (token, projectId) => connectViaOAuth(token, projectId, 'youtube', account.accountId))
    await addFault(account.accountId, { op: 'final_chunk', kind: 'hang_after' })
    await addFault(account.accountId, { op: 'status_query', kind: 'http500', times: 3 })
    const job = { postId, platform: 'youtube' as const, kind: 'publish' as const }
    expect(await publishStep(env, job, { gateway: gatewayForPost })).toBe('unconfirmed')
    expect(await target(postId, 'youtube')).toMatchObject({ status: 'unconfirmed', error_kind: 'outcome_unknown' })
    expect(await publishStep(env, job, { gateway: gatewayForPost })).toBe('published')
    const after = await target(postId, 'youtube')
    const state = await stubState(account.accountId)
    expect(state.counters.uploads).toBe(1)
    expect(state.counters.sessions).toBe(1)
    expect(after).toMatchObject({ status: 'published', remote_id: state.published[0].id })
    // A repeated message changes nothing.
    expect(await publishStep(env, job, { gateway: gatewayForPost })).toBe('ignored')
    expect((await stubState(account.accountId)).counters.uploads).toBe(1)
  })

  it('with the publish consumer: a post whose new render failed ignores the publish message sent for its old one (nothing claimed, nothing sent)', async () => {
    const account = await stubAccount('youtube')
    const { postId } = await duePost(['youtube'], (token, projectId) => connectViaOAuth(token, projectId, 'youtube', account.accountId))
    // An edit sent the scheduled post back to render (its render cleared), and that render failed;
    // the publish message of the first schedule is still in the queue.
    await env.DB.prepare(`update posts set status = 'failed', render_key = null, error = 'Rendering failed after every retry.' where id = ?`).bind(postId).run()
    const job = { postId, platform: 'youtube' as const, kind: 'publish' as const }
    expect(await publishStep(env, job, { gateway: gatewayForPost })).toBe('ignored')
    expect(await target(postId, 'youtube')).toMatchObject({ status: 'pending', attempt: 0, error: null })
    const state = await stubState(account.accountId)
    expect(state.published).toEqual([])
    expect(state.counters.sessions ?? 0).toBe(0)
  })

  it('with the publish consumer: the answer to the last chunk lost and the session then gone (404) is reconciled by the marker, one video on the channel', async () => {
    resetBreaker('youtube')
    const account = await stubAccount('youtube')
    const { postId } = await duePost(['youtube'], (token, projectId) => connectViaOAuth(token, projectId, 'youtube', account.accountId))
    await addFault(account.accountId, { op: 'final_chunk', kind: 'hang_after' })
    await addFault(account.accountId, { op: 'status_query', kind: 'http404' })
    const job = { postId, platform: 'youtube' as const, kind: 'publish' as const }
    expect(await publishStep(env, job, { gateway: gatewayForPost })).toBe('unconfirmed')
    expect((await stubState(account.accountId)).counters).toMatchObject({ sessions: 1, uploads: 1 })
    expect(await publishStep(env, job, { gateway: gatewayForPost })).toBe('published')
    const state = await stubState(account.accountId)
    expect(state.published).toHaveLength(1)
    expect(state.counters).toMatchObject({ sessions: 1, uploads: 1 })
    expect(await target(postId, 'youtube')).toMatchObject({ status: 'published', remote_id: state.published[0].id })
  })

  it('with the publish consumer: TikTok FAILED while processing posted nothing, so it is checked and sent again (not polled forever)', async () => {
    resetBreaker('tiktok')
    const account = await stubAccount('tiktok', { processingPolls: 0 })
    const { postId } = await duePost(['tiktok'], (token, projectId) => connectViaOAuth(token, projectId, 'tiktok', account.accountId))
    const publish = { postId, platform: 'tiktok' as const, kind: 'publish' as const }
    expect(await publishStep(env, publish, { gateway: gatewayForPost })).toBe('processing')
    await addFault(account.accountId, { op: 'status', kind: 'quota' })
    // The queue's own consumer may take the poll message the step sent; run the poll here too.
    await publishStep(env, { ...publish, kind: 'poll' }, { gateway: gatewayForPost })
    let row = await target(postId, 'tiktok')
    expect(['unconfirmed', 'processing', 'published']).toContain(row?.status)
    for (let i = 0; i < 10 && row?.status !== 'published'; i++) {
      await publishStep(env, { ...publish, kind: row?.status === 'processing' ? 'poll' : 'publish' }, { gateway: gatewayForPost })
      row = await target(postId, 'tiktok')
    }
    expect(row?.status).toBe('published')
    const counters = (await stubState(account.accountId)).counters
    expect(counters).toMatchObject({ inits: 2, published: 1 })
  })

  it('TikTok: the publish id is kept with the target before the upload ends, so a consumer that dies mid-upload is reconciled, not posted twice', async () => {
    const account = await stubAccount('tiktok')
    const { postId } = await duePost(['tiktok'], (token, projectId) => connectViaOAuth(token, projectId, 'tiktok', account.accountId))
    await addFault(account.accountId, { op: 'final_chunk', kind: 'hang_after' })
    const job = { postId, platform: 'tiktok' as const, kind: 'publish' as const }
    const step = publishStep(env, job, { gateway: gatewayForPost })
    // While the last chunk hangs, the claim already holds TikTok's handle on the post.
    await expect
      .poll(async () => JSON.parse((await target(postId, 'tiktok'))?.state ?? 'null'), { timeout: 15_000, interval: 50 })
      .toMatchObject({ platform: 'tiktok', publishId: expect.any(String) })
    const during = await target(postId, 'tiktok')
    expect(during?.status).toBe('publishing')
    await step
    // As if that delivery had died right there: still claimed, its lease lapsed, the handle saved.
    await env.DB.prepare(`update post_targets set status = 'publishing', lease_until = ?, state = ? where post_id = ? and platform = 'tiktok'`)
      .bind(new Date(Date.now() - 1000).toISOString(), during!.state, postId)
      .run()
    expect(['published', 'processing']).toContain(await publishStep(env, job, { gateway: gatewayForPost }))
    const counters = (await stubState(account.accountId)).counters
    expect(counters.inits).toBe(1)
    expect(counters.uploads).toBe(1)
    expect(['published', 'processing']).toContain((await target(postId, 'tiktok'))?.status)
  })

  it('with the publish consumer and a sandbox TikTok account: processing, polled, published', async () => {
    const { postId } = await duePost(['tiktok'], (token, projectId) => call('POST', `/projects/${projectId}/connections`, { token, body: { platform: 'tiktok', mode: 'sandbox' } }))
    expect(await publishStep(env, { postId, platform: 'tiktok', kind: 'publish' }, { gateway: gatewayForPost })).toBe('processing')
    // The poll message it sent may reach the Worker's own consumer first: either delivery publishes, once.
    expect(['published', 'ignored']).toContain(await publishStep(env, { postId, platform: 'tiktok', kind: 'poll' }, { gateway: gatewayForPost }))
    let row = await target(postId, 'tiktok')
    for (let i = 0; i < 50 && row?.status !== 'published'; i++) {
      await new Promise((r) => setTimeout(r, 100))
      row = await target(postId, 'tiktok')
    }
    expect(row).toMatchObject({ status: 'published', remote_url: expect.stringMatching(/^\/oauth\/sandbox\/posts\//) })
    const posts = await env.DB.prepare('select count(*) as n from sandbox_posts where marker = ?').bind(row!.marker).first<{ n: number }>()
    expect(posts!.n).toBe(1)
  })
})
