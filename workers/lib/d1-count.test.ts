/** The benchmark's D1 statement count (local mode, `x-count-d1: 1`), plain statements and batches. */
import { describe, expect, it } from 'vitest'
import { call, memberWithRole, ownerWithProject, ownerWithWorkspace, readyClip } from '../../test/helpers'

describe('x-count-d1', () => {
  it('answers how many D1 statements a request ran, batches included, and changes nothing else', async () => {
    const { token, workspace } = await ownerWithWorkspace('counted')
    const plain = await call('GET', `/workspaces/${workspace.id}`, { token })
    expect(plain.headers.get('x-d1-queries')).toBeNull()
    const counted = await call('GET', `/workspaces/${workspace.id}`, { token, headers: { 'x-count-d1': '1' } })
    expect(counted.status).toBe(200)
    expect(counted.json).toEqual(plain.json)
    // The role and the workspace (the session's user was looked up by the first request).
    expect(Number(counted.headers.get('x-d1-queries'))).toBe(2)
    const member = await memberWithRole(token, workspace.id, 'viewer')
    // Removing a member is one batch of two statements, after the lookups.
    const removed = await call('DELETE', `/workspaces/${workspace.id}/members/${member.userId}`, { token, headers: { 'x-count-d1': '1' } })
    expect(removed.status).toBe(204)
    expect(Number(removed.headers.get('x-d1-queries'))).toBeGreaterThanOrEqual(4)
  })

  it('the list routes of the API bench take at most 3 statements each', async () => {
    const { token, project } = await ownerWithProject('listed')
    const clip = await readyClip(project.workspaceId, project.id)
    await call('PUT', `/autopilot/${project.id}`, { token, body: { cadence: 'daily', language: 'en', style: 'neon', objective: 'traffic', timezone: 'UTC', timeWindows: ['12:00-13:00'] } })
    for (const hours of [30, 54]) await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt: new Date(Date.now() + hours * 3_600_000).toISOString() } })
    const counted = (path: string) => call('GET', path, { token, headers: { 'x-count-d1': '1' } })
    const posts = await counted(`/projects/${project.id}/posts`)
    expect(posts.json.data).toHaveLength(2)
    // The clip and the autopilot's windows come joined to the posts.
    expect(posts.json.data[0].clip).toMatchObject({ id: clip })
    expect(posts.json.data[0]).toHaveProperty('outsideWindows')
    const figures: Record<string, number> = {}
    for (const path of ['/workspaces', `/projects?workspaceId=${project.workspaceId}`, `/projects/${project.id}/posts`]) {
      const res = path.endsWith('/posts') ? posts : await counted(path)
      expect(res.status, path).toBe(200)
      figures[path.split('?')[0]] = Number(res.headers.get('x-d1-queries'))
    }
    for (const [path, n] of Object.entries(figures)) expect(n, `${path}: ${JSON.stringify(figures)}`).toBeLessThanOrEqual(3)
  })

  it('a workspace\'s projects wait for the database once: the membership check goes with the read', async () => {
    const { token, project } = await ownerWithProject('trips')
    const clip = await readyClip(project.workspaceId, project.id)
    await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt: new Date(Date.now() + 30 * 3_600_000).toISOString() } })
    const trips: Record<string, [number, number]> = {}
    for (const path of ['/workspaces', `/projects?workspaceId=${project.workspaceId}`, `/projects/${project.id}/posts`]) {
      const res = await call('GET', path, { token, headers: { 'x-count-d1': '1' } })
      expect(res.status, path).toBe(200)
      expect(res.json.data, path).toHaveLength(1)
      trips[path.split('?')[0]] = [Number(res.headers.get('x-d1-queries')), Number(res.headers.get('x-d1-round-trips'))]
    }
    expect(trips).toEqual({
      '/workspaces': [1, 1],
      // The membership and the projects: one batch.
      '/projects': [2, 1],
      // The project with the membership, the page, its targets (not batched: access.ts says why).
      [`/projects/${project.id}/posts`]: [3, 3],
    })
  })

  it('a list read beside the access check is not given to whoever fails the check', async () => {
    const { token, project } = await ownerWithProject('hidden')
    const clip = await readyClip(project.workspaceId, project.id)
    const post = await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt: new Date(Date.now() + 30 * 3_600_000).toISOString() } })
    expect(post.status).toBe(201)
    const stranger = await ownerWithWorkspace('stranger')
    for (const path of [`/projects?workspaceId=${project.workspaceId}`, `/projects/${project.id}/posts`]) {
      const res = await call('GET', path, { token: stranger.token })
      expect(res.status, path).toBe(404)
      for (const secret of [project.name, post.json.id, clip]) expect(res.text, path).not.toContain(secret)
    }
  })
})
