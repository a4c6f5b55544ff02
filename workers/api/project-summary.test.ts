/**
 * The project at a glance (the dashboard's card): setup steps in order, the next post, posts
 * awaiting approval, the last published, what needs attention, and this week's results.
 */
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { localParts } from '../domain/metrics'
import { recordPulls, type PullRecord } from '../analytics/store'
import { call, connectSandbox, expectProblem, ownerWithProject, readyClip, tokenFor, unique } from '../../test/helpers'

const DAY = 86_400_000
const setStatus = (postId: string, status: string) => env.DB.prepare(`update posts set status = ?, lease_until = null where id = ?`).bind(status, postId).run()

describe('GET /projects/:id/summary', () => {
  it('leads a new project through connect, upload and the autopilot, in that order', async () => {
    const { token, project } = await ownerWithProject('fresh', [])
    const summary = async () => {
      const res = await call('GET', `/projects/${project.id}/summary`, { token })
      expect(res.status, res.text).toBe(200)
      return res.json
    }
    const empty = await summary()
    expect(empty).toMatchObject({
      timezone: 'UTC',
      setup: { connections: 0, readyClips: 0, autopilot: 'none', nextStep: 'connect' },
      nextPost: null,
      nextSlot: null,
      awaitingApproval: { count: 0, posts: [] },
      lastPublished: null,
      attention: { connections: [], failedPosts: 0 },
      week: { published: 0, totals: [], best: null },
    })
    await connectSandbox(token, project.id, ['tiktok'])
    expect((await summary()).setup).toMatchObject({ connections: 1, nextStep: 'upload' })
    // An image is not a clip to post.
    await readyClip(project.workspaceId, project.id, 'Logo', 'image')
    expect((await summary()).setup.nextStep).toBe('upload')
    await readyClip(project.workspaceId, project.id, 'Pasta')
    expect((await summary()).setup).toMatchObject({ readyClips: 1, nextStep: 'autopilot' })
    const settings = { cadence: 'daily', language: 'en', style: 'minimal', objective: 'awareness', timeWindows: ['12:00-14:00'], timezone: 'Europe/Paris' }
    expect((await call('PUT', `/autopilot/${project.id}`, { token, body: { ...settings, enabled: false } })).status).toBe(200)
    const saved = await summary()
    // A saved autopilot starts off: turning it on is still to do.
    expect(saved.setup).toMatchObject({ autopilot: 'paused', nextStep: 'autopilot' })
    expect(saved.timezone).toBe('Europe/Paris')
    expect(saved.nextSlot).toBeNull()
    expect((await call('POST', `/autopilot/${project.id}/resume`, { token })).status).toBe(200)
    const on = await summary()
    expect(on.setup).toMatchObject({ autopilot: 'on', nextStep: null })
    expect(on.nextSlot).toBe((await call('GET', `/autopilot/${project.id}/slots?count=1&free=true`, { token })).json.slots[0])
    expect(on.week.to).toBe(localParts('Europe/Paris', Date.now()).day)
  })

  it('names the next post, those awaiting approval, the last published, failures and connections needing attention, and the week', async () => {
    const { token, project } = await ownerWithProject('busy', ['youtube', 'tiktok'])
    const clip = await readyClip(project.workspaceId, project.id, 'Pasta night')
    const post = async (inMs: number, caption: string) => {
      const res = await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt: new Date(Date.now() + DAY).toISOString(), hook: caption, caption } })
      expect(res.status, res.text).toBe(201)
      // Past ones as if they had been made then (a post cannot be made in the past).
      await env.DB.prepare(`update posts set scheduled_at = ? where id = ?`).bind(new Date(Date.now() + inMs).toISOString(), res.json.id).run()
      return res.json.id as string
    }
    const soon = await post(2 * 3600_000, 'Soon')
    const later = await post(5 * DAY, 'Later')
    const waiting1 = await post(2 * DAY, 'Waiting one')
    const waiting2 = await post(3 * DAY, 'Waiting two')
    const old = await post(-3 * DAY, 'Old one')
    const recent = await post(-1 * DAY, 'Recent one')
    const broken = await post(-2 * DAY, 'Broken')
    await setStatus(soon, 'scheduled')
    await setStatus(later, 'scheduled')
    await setStatus(waiting1, 'awaiting_approval')
    await setStatus(waiting2, 'awaiting_approval')
    await setStatus(old, 'published')
    await setStatus(recent, 'published')
    await setStatus(broken, 'failed')
    await env.DB.prepare(`update post_targets set status = 'published', remote_url = 'https://example.com/v/1' where post_id = ? and platform = 'youtube'`).bind(recent).run()
    await env.DB.prepare(`update connections set status = 'needs_reconnect', status_reason = 'TikTok asked to sign in again' where project_id = ? and platform = 'tiktok'`).bind(project.id).run()
    // What the collectors earned this week and the week before, written as the collectors write it.
    const today = localParts('UTC', Date.now()).day
    const nineDaysAgo = new Date(Date.now() - 9 * DAY)
    const pull = (postId: string, at: Date, day: string, views: number): PullRecord => ({
      projectId: project.id, postId, platform: 'youtube', pullIndex: 1, pulledAt: at.toISOString(),
      day, style: 'minimal', weekday: 0, hour: 12, values: { views },
    })
    await recordPulls(env.DB, [pull(old, nineDaysAgo, nineDaysAgo.toISOString().slice(0, 10), 200), pull(recent, new Date(), today, 300)])

    const res = await call('GET', `/projects/${project.id}/summary`, { token })
    expect(res.status, res.text).toBe(200)
    const s = res.json
    expect(s.nextPost).toMatchObject({ id: soon, status: 'scheduled', label: 'Soon', clipTitle: 'Pasta night' })
    expect(s.awaitingApproval.count).toBe(2)
    expect(s.awaitingApproval.posts.map((p: any) => p.id)).toEqual([waiting1, waiting2])
    expect(s.lastPublished).toMatchObject({ id: recent, label: 'Recent one' })
    expect(s.lastPublished.targets).toContainEqual({ platform: 'youtube', status: 'published', remoteUrl: 'https://example.com/v/1' })
    expect(s.attention).toEqual({ connections: [{ platform: 'tiktok', status: 'needs_reconnect', reason: 'TikTok asked to sign in again' }], failedPosts: 1 })
    expect(s.setup).toMatchObject({ connections: 1, readyClips: 1 })
    expect(s.week.published).toBe(2)
    expect(s.week.totals).toContainEqual({ metric: 'views', value: 300, previous: 200, change: 0.5 })
    expect(s.week.best).toEqual({ postId: recent, title: 'Recent one', views: 300 })
  })

  it('is hidden from people outside the workspace', async () => {
    const { project } = await ownerWithProject('private', [])
    const stranger = await tokenFor(`${unique('stranger')}@example.com`)
    expectProblem(await call('GET', `/projects/${project.id}/summary`, { token: stranger }), 404)
  })
})
