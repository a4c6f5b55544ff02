/** The benchmark's D1 statement count (local mode, `x-count-d1: 1`), plain statements and batches. */
import { env } from 'cloudflare:test'
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

  it('the list routes wait for the database once per batch: the access check goes with the read', async () => {
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
      // The project with the membership and the page (one batch), then the page's targets.
      [`/projects/${project.id}/posts`]: [3, 2],
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

  it('the batched lists answer an API key as its role says, and a post whose clip is gone with no clip', async () => {
    const { token, project } = await ownerWithProject('keyed')
    const clip = await readyClip(project.workspaceId, project.id, 'Kept clip')
    const gone = await readyClip(project.workspaceId, project.id, 'Gone clip')
    for (const [mediaId, hours] of [[clip, 30], [gone, 54]] as const) {
      const made = await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId, scheduledAt: new Date(Date.now() + hours * 3_600_000).toISOString() } })
      expect(made.status).toBe(201)
    }
    // The clip's row goes (as when it is deleted: posts.media_id is set null).
    await env.DB.prepare('update posts set media_id = null where media_id = ?').bind(gone).run()
    const key = await call('POST', `/workspaces/${project.workspaceId}/api-keys`, { token, body: { name: 'lists', role: 'viewer' } })
    expect(key.status).toBe(201)
    const listed = await call('GET', `/projects/${project.id}/posts`, { token: key.json.secret })
    expect(listed.status).toBe(200)
    expect(listed.json.data.map((p: { clip: { id: string; title: string } | null }) => p.clip)).toEqual([expect.objectContaining({ id: clip, title: 'Kept clip' }), null])
    expect((await call('GET', `/projects?workspaceId=${project.workspaceId}`, { token: key.json.secret })).json.data).toEqual([expect.objectContaining({ id: project.id })])
    const other = await ownerWithWorkspace('other')
    const foreign = await call('POST', `/workspaces/${other.workspace.id}/api-keys`, { token: other.token, body: { name: 'foreign', role: 'admin' } })
    for (const path of [`/projects/${project.id}/posts`, `/projects?workspaceId=${project.workspaceId}`]) {
      const res = await call('GET', path, { token: foreign.json.secret })
      expect(res.status, path).toBe(404)
      expect(res.text, path).not.toContain(clip)
    }
  })
})
