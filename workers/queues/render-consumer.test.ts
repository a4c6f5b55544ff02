import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { ownerWithProject, readyClip, call } from '../../test/helpers'
import { renderPost, handleRenderDeadLetters, RetryableRenderError } from './render-consumer'

async function manualPost() {
  const { token, project } = await ownerWithProject()
  const clip = await readyClip(project.workspaceId, project.id)
  const post = (await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt: new Date(Date.now() + 86_400_000).toISOString() } })).json
  return { token, project, clip, postId: post.id as string }
}

const row = (postId: string) => env.DB.prepare('select * from posts where id = ?').bind(postId).first<Record<string, any>>()
const events = async (postId: string) => (await env.DB.prepare('select * from post_events where post_id = ? order by id').bind(postId).all<Record<string, any>>()).results

describe('render consumer', () => {
  it('does nothing for a post that is already rendered (a repeated message)', async () => {
    const { postId } = await manualPost()
    await env.DB.prepare(`update posts set status = 'scheduled', lease_until = null, render_key = 'k' where id = ?`).bind(postId).run()
    const before = (await events(postId)).length
    expect(await renderPost(env, postId)).toEqual({ kind: 'skipped', reason: 'the post is scheduled' })
    expect((await events(postId)).length).toBe(before)
    expect((await row(postId))?.status).toBe('scheduled')
  })

  it('lets one delivery render at a time: a second one waits while the lease holds', async () => {
    const { postId } = await manualPost()
    const until = new Date(Date.now() + 5 * 60_000).toISOString()
    await env.DB.prepare(`update posts set status = 'rendering', lease_until = ? where id = ?`).bind(until, postId).run()
    expect(await renderPost(env, postId)).toEqual({ kind: 'busy' })
    expect((await row(postId))?.lease_until).toBe(until)
  })

  it('hands the post back at once when the render fails midway, for the retry to take it', async () => {
    const { postId } = await manualPost()
    await env.DB.prepare(`update posts set status = 'planned', lease_until = null, render_attempts = 0 where id = ?`).bind(postId).run()
    // The render server is real but cannot reach storage from inside these tests: it fails midway.
    await expect(renderPost(env, postId)).rejects.toThrow(RetryableRenderError)
    const after = await row(postId)
    expect(after).toMatchObject({ status: 'rendering', lease_until: null, render_attempts: 1 })
    expect(after?.error).toMatch(/render/i)
    // The next delivery can claim it straight away (no lease to wait out), and counts its attempt.
    await expect(renderPost(env, postId)).rejects.toThrow(RetryableRenderError)
    expect((await row(postId))?.render_attempts).toBe(2)
  })

  it('takes over a render whose lease lapsed (the previous delivery died)', async () => {
    const { postId } = await manualPost()
    await env.DB.prepare(`update posts set status = 'rendering', lease_until = ?, render_attempts = 1 where id = ?`).bind(new Date(Date.now() - 1000).toISOString(), postId).run()
    await expect(renderPost(env, postId)).rejects.toThrow(RetryableRenderError)
    expect((await row(postId))?.render_attempts).toBe(2)
  })

  it('fails the post with a reason when its clip was deleted before rendering', async () => {
    const { postId, clip } = await manualPost()
    await env.DB.prepare(`update posts set status = 'planned', lease_until = null where id = ?`).bind(postId).run()
    await env.DB.prepare(`delete from media where id = ?`).bind(clip).run()
    const outcome = await renderPost(env, postId)
    expect(outcome).toMatchObject({ kind: 'failed' })
    expect(await row(postId)).toMatchObject({ status: 'failed' })
    expect((await row(postId))?.error).toMatch(/clip .* deleted/)
  })

  it('keeps a post whose message died before its time waiting (the sweeper sends it again), and fails it with the last error after', async () => {
    const { postId } = await manualPost()
    await env.DB.prepare(`update posts set status = 'rendering', lease_until = null, error = 'render server answered 500' where id = ?`).bind(postId).run()
    const acked: string[] = []
    const message = { id: 'm1', body: { postId }, attempts: 6, timestamp: new Date(), ack: () => acked.push('m1'), retry: () => {} }
    const dead = { queue: 'render-jobs-dlq', messages: [message], ackAll() {}, retryAll() {} } as unknown as MessageBatch<unknown>
    // The renderer was down for every retry, hours before the post's time: it waits, saying why.
    await handleRenderDeadLetters(dead, env)
    expect(acked).toEqual(['m1'])
    expect(await row(postId)).toMatchObject({ status: 'rendering', error: 'render server answered 500' })
    expect((await events(postId)).at(-1)?.message).toMatch(/^Rendering is waiting \(render server answered 500\); it is tried again every 15 minutes until /)
    // Past its time (and the grace): failed, with the reason.
    const scheduledAt = Date.parse((await row(postId))!.scheduled_at)
    await handleRenderDeadLetters(dead, env, scheduledAt + 16 * 60_000)
    const after = await row(postId)
    expect(after?.status).toBe('failed')
    expect(after?.error).toMatch(/after every retry: render server answered 500/)
  })
})

describe('render hand-off', () => {
  it('finishes the hand-off of a post left rendered (the consumer died after the render)', async () => {
    const { postId } = await manualPost()
    await env.DB.prepare(`update posts set status = 'rendered', lease_until = null, render_key = 'k', cover_key = 'c' where id = ?`).bind(postId).run()
    expect(await renderPost(env, postId)).toEqual({ kind: 'rendered', status: 'scheduled' })
    expect((await row(postId))?.status).toBe('scheduled')
    expect(await renderPost(env, postId)).toEqual({ kind: 'skipped', reason: 'the post is scheduled' })
  })
})
