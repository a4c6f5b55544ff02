import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { call, expectProblem, memberWithRole, ownerWithProject, readyClip } from '../../test/helpers'

async function setStatus(postId: string, status: string, extra = '') {
  await env.DB.prepare(`update posts set status = ?, lease_until = null ${extra} where id = ?`).bind(status, postId).run()
}

describe('the content timeline', () => {
  it('schedules a chosen clip by hand, with targets, captions and history', async () => {
    const { token, project } = await ownerWithProject()
    const clip = await readyClip(project.workspaceId, project.id, 'Sunset')
    const when = new Date(Date.now() + 3 * 60 * 60_000).toISOString()
    const res = await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt: when, platforms: ['tiktok', 'youtube'] } })
    expect(res.status).toBe(201)
    expect(res.json).toMatchObject({ origin: 'manual', scheduledAt: when, mediaId: clip, clip: { title: 'Sunset' }, render: null })
    expect(['planned', 'rendering']).toContain(res.json.status)
    expect(res.json.targets.map((t: any) => [t.platform, t.status])).toEqual([
      ['tiktok', 'pending'],
      ['youtube', 'pending'],
    ])
    expect(res.json.caption).toContain('Sunset')
    expect(res.json.events[0]).toMatchObject({ type: 'status', to: 'planned' })
  })

  it('refuses clips that are not ready videos of the project, and times in the past', async () => {
    const { token, project } = await ownerWithProject()
    const other = await ownerWithProject('other')
    const foreign = await readyClip(other.project.workspaceId, other.project.id)
    const picture = await readyClip(project.workspaceId, project.id, 'pic', 'image')
    expect(expectProblem(await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: foreign } }), 400).errors?.[0].field).toBe('mediaId')
    expectProblem(await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: picture } }), 409)
    const clip = await readyClip(project.workspaceId, project.id)
    const past = expectProblem(await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt: '2020-01-01T00:00:00Z' } }), 400)
    expect(past.errors?.[0].field).toBe('scheduledAt')
    expectProblem(await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt: 'tomorrow' } }), 400)
    expect((await env.DB.prepare('select count(*) as n from posts where project_id = ?').bind(project.id).first<{ n: number }>())?.n).toBe(0)
  })

  it('lists posts in time order with from, to, status and a cursor', async () => {
    const { token, project } = await ownerWithProject()
    const clip = await readyClip(project.workspaceId, project.id)
    const base = Date.now() + 24 * 60 * 60_000
    const ids: string[] = []
    for (let i = 4; i >= 0; i--) {
      const res = await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt: new Date(base + i * 60 * 60_000).toISOString() } })
      ids.unshift(res.json.id)
    }
    const page1 = await call('GET', `/projects/${project.id}/posts?limit=2`, { token })
    expect(page1.json.data.map((p: any) => p.id)).toEqual(ids.slice(0, 2))
    const page2 = await call('GET', `/projects/${project.id}/posts?limit=2&cursor=${encodeURIComponent(page1.json.nextCursor)}`, { token })
    expect(page2.json.data.map((p: any) => p.id)).toEqual(ids.slice(2, 4))
    const page3 = await call('GET', `/projects/${project.id}/posts?limit=2&cursor=${encodeURIComponent(page2.json.nextCursor)}`, { token })
    expect(page3.json.data.map((p: any) => p.id)).toEqual(ids.slice(4))
    expect(page3.json.nextCursor).toBeNull()

    const window = await call('GET', `/projects/${project.id}/posts?from=${new Date(base + 60 * 60_000).toISOString()}&to=${new Date(base + 3 * 60 * 60_000).toISOString()}`, { token })
    expect(window.json.data.map((p: any) => p.id)).toEqual(ids.slice(1, 3))

    await setStatus(ids[3], 'failed')
    const failed = await call('GET', `/projects/${project.id}/posts?status=failed`, { token })
    expect(failed.json.data.map((p: any) => p.id)).toEqual([ids[3]])
    expectProblem(await call('GET', `/projects/${project.id}/posts?cursor=bogus`, { token }), 400)
    expectProblem(await call('GET', `/projects/${project.id}/posts?status=lost`, { token }), 400)
  })

  it('edits caption, hashtags and time; refuses edits to a published post', async () => {
    const { token, project } = await ownerWithProject()
    const clip = await readyClip(project.workspaceId, project.id)
    const post = (await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt: new Date(Date.now() + 86_400_000).toISOString() } })).json
    const later = new Date(Date.now() + 2 * 86_400_000).toISOString()
    const res = await call('PATCH', `/posts/${post.id}`, { token, body: { caption: 'New words', hashtags: ['food', '#Tasty'], scheduledAt: later } })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ caption: 'New words', hashtags: ['#food', '#Tasty'], scheduledAt: later })
    expectProblem(await call('PATCH', `/posts/${post.id}`, { token, body: { hashtags: ['no spaces allowed'] } }), 400)
    await setStatus(post.id, 'published')
    expect(expectProblem(await call('PATCH', `/posts/${post.id}`, { token, body: { caption: 'x' } }), 409).detail).toMatch(/published/)
  })

  it('edits what is on the video (hook, call to action, framing, trim) and renders it again', async () => {
    const { token, project } = await ownerWithProject()
    const clip = await readyClip(project.workspaceId, project.id, 'Crêpes au beurre')
    const post = (await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt: new Date(Date.now() + 86_400_000).toISOString() } })).json
    // The spec the render server gets, and the preview draws: texts from the title, 12.5 s clip, fit for a wide clip.
    expect(post.spec).toMatchObject({ trim: { startSec: 0, durationSec: 12.5 }, framing: 'fit', aspect: '9:16', texts: { hook: post.hook } })
    expect(post.spec.texts.body).not.toContain(post.callToAction)
    await setStatus(post.id, 'scheduled', ", render_key = 'r/video.mp4', cover_key = 'r/cover.jpg'")
    const res = await call('PATCH', `/posts/${post.id}`, {
      token,
      body: { hook: 'Three crêpe tricks', callToAction: 'Recipe in bio', framing: 'crop', focus: { x: 0.25, y: 0.5 }, trim: { startSec: 2, endSec: 10 } },
    })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ hook: 'Three crêpe tricks', callToAction: 'Recipe in bio', framing: 'crop', focus: { x: 0.25, y: 0.5 }, trim: { startSec: 2, endSec: 10 }, render: null })
    expect(['planned', 'rendering', 'failed']).toContain(res.json.status)
    expect(res.json.events.some((e: any) => e.from === 'scheduled' && e.to === 'planned' && /rendering again/.test(e.message))).toBe(true)
    expect(res.json.spec).toMatchObject({ trim: { startSec: 2, durationSec: 8 }, framing: 'crop', focus: { x: 0.25, y: 0.5 }, texts: { hook: 'Three crêpe tricks', callToAction: 'Recipe in bio' } })
    // A trim past the clip's end, or shorter than a second, names the field; nothing changes.
    expect(expectProblem(await call('PATCH', `/posts/${post.id}`, { token, body: { trim: { startSec: 0, endSec: 20 } } }), 400).errors?.[0].field).toBe('trim.endSec')
    expect(expectProblem(await call('PATCH', `/posts/${post.id}`, { token, body: { trim: { startSec: 5, endSec: 5.5 } } }), 400).errors?.[0].field).toMatch(/trim/)
    expectProblem(await call('PATCH', `/posts/${post.id}`, { token, body: { framing: 'stretch' } }), 400)
    expect((await call('GET', `/posts/${post.id}`, { token })).json.trim).toEqual({ startSec: 2, endSec: 10 })
  })

  it('does not repeat the hooks of the project’s latest posts', async () => {
    const { token, project } = await ownerWithProject()
    const clip = await readyClip(project.workspaceId, project.id, 'Crêpes au beurre')
    const hooks: string[] = []
    for (let i = 0; i < 22; i++) {
      const res = await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt: new Date(Date.now() + (i + 1) * 3_600_000).toISOString() } })
      hooks.push(res.json.hook)
    }
    for (let i = 0; i < hooks.length; i++) expect(hooks.slice(Math.max(0, i - 20), i), hooks[i]).not.toContain(hooks[i])
  })

  it('approves only posts awaiting approval, and queues their publication', async () => {
    const { token, project } = await ownerWithProject()
    const clip = await readyClip(project.workspaceId, project.id)
    const post = (await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt: new Date(Date.now() + 86_400_000).toISOString() } })).json
    expectProblem(await call('POST', `/posts/${post.id}/approve`, { token }), 409)
    await setStatus(post.id, 'awaiting_approval', ", render_key = 'r/video.mp4', cover_key = 'r/cover.jpg'")
    const approved = await call('POST', `/posts/${post.id}/approve`, { token })
    expect(approved.status).toBe(200)
    expect(['scheduled', 'publishing']).toContain(approved.json.status)
    expect(approved.json.events.some((e: any) => e.from === 'awaiting_approval' && e.to === 'scheduled')).toBe(true)
    expectProblem(await call('POST', `/posts/${post.id}/approve`, { token }), 409)
  })

  it('cancels a post and its pending targets; a canceled post cannot be retried', async () => {
    const { token, project } = await ownerWithProject()
    const clip = await readyClip(project.workspaceId, project.id)
    const post = (await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt: new Date(Date.now() + 86_400_000).toISOString() } })).json
    const canceled = await call('POST', `/posts/${post.id}/cancel`, { token })
    expect(canceled.json.status).toBe('canceled')
    expect(canceled.json.targets.every((t: any) => t.status === 'canceled')).toBe(true)
    expectProblem(await call('POST', `/posts/${post.id}/cancel`, { token }), 409)
    expect(expectProblem(await call('POST', `/posts/${post.id}/retry`, { token }), 409).detail).toMatch(/only when failed/)
  })

  it('retries a failed post: to rendering without a render, to publishing with one', async () => {
    const { token, project } = await ownerWithProject()
    const clip = await readyClip(project.workspaceId, project.id)
    const a = (await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt: new Date(Date.now() + 86_400_000).toISOString() } })).json
    await setStatus(a.id, 'failed', ", error = 'render server down'")
    const retried = await call('POST', `/posts/${a.id}/retry`, { token })
    expect(['planned', 'rendering']).toContain(retried.json.status)
    expect(retried.json.error).toBeNull()

    const b = (await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt: new Date(Date.now() + 86_400_000).toISOString(), platforms: ['tiktok'] } })).json
    await setStatus(b.id, 'failed', ", render_key = 'r/video.mp4', cover_key = 'r/cover.jpg'")
    await env.DB.prepare(`update post_targets set status = 'failed', error = 'rate limited' where post_id = ?`).bind(b.id).run()
    const again = await call('POST', `/posts/${b.id}/retry`, { token })
    expect(again.json.status).toBe('scheduled')
    expect(again.json.targets[0]).toMatchObject({ platform: 'tiktok', status: 'pending', error: null })
  })

  it('refuses a post to platforms that are not connected', async () => {
    const { token, project } = await ownerWithProject('partial', ['youtube'])
    const clip = await readyClip(project.workspaceId, project.id)
    expect(expectProblem(await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, platforms: ['tiktok'] } }), 409).detail).toMatch(/tiktok is not connected/)
    const ok = await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip } })
    expect(ok.json.targets.map((t: any) => t.platform)).toEqual(['youtube'])
  })

  it('lets viewers read the timeline but not act on it', async () => {
    const { token, project } = await ownerWithProject()
    const viewer = await memberWithRole(token, project.workspaceId, 'viewer')
    const clip = await readyClip(project.workspaceId, project.id)
    const post = (await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip } })).json
    expect((await call('GET', `/posts/${post.id}`, { token: viewer.token })).status).toBe(200)
    expectProblem(await call('POST', `/posts/${post.id}/cancel`, { token: viewer.token }), 403)
  })
})

describe('media in use', () => {
  it('refuses to delete a clip an upcoming post uses, unless forced', async () => {
    const { token, project } = await ownerWithProject()
    const clip = await readyClip(project.workspaceId, project.id)
    const post = (await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt: new Date(Date.now() + 86_400_000).toISOString() } })).json
    const refused = expectProblem(await call('DELETE', `/media/${clip}`, { token }), 409)
    expect(refused.detail).toContain(post.id)
    expect((await env.DB.prepare('select count(*) as n from media where id = ?').bind(clip).first<{ n: number }>())?.n).toBe(1)
    // Once the post is published the clip is free to go.
    await setStatus(post.id, 'published')
    expect((await call('DELETE', `/media/${clip}`, { token })).status).toBe(204)

    const other = await readyClip(project.workspaceId, project.id)
    await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: other, scheduledAt: new Date(Date.now() + 86_400_000).toISOString() } })
    expect((await call('DELETE', `/media/${other}?force=true`, { token })).status).toBe(204)
  })
})
