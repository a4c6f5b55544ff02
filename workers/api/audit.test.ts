/** The audit log: every audited change writes one entry (actor, target, time, IP); admins read it, filtered and paged. */
import { env, SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { call, expectProblem, memberWithRole, ownerWithProject, ownerWithWorkspace, readyClip } from '../../test/helpers'
import { cookiesFrom, stubAccount } from '../../test/platform-stubs'

const IP = { 'cf-connecting-ip': '203.0.113.7' }
const AUTOPILOT = { cadence: 'daily', language: 'en', style: 'minimal', objective: 'awareness', timeWindows: ['12:00-13:00'], requireApproval: true }

async function entries(token: string, workspaceId: string, query = '') {
  const res = await call('GET', `/workspaces/${workspaceId}/audit${query}`, { token })
  expect(res.status, res.text).toBe(200)
  return res.json as { data: any[]; nextCursor: string | null }
}

describe('audit log', () => {
  it('records members and roles, API keys, connections, the autopilot, approvals and cancellations with actor, target, time and IP', async () => {
    const { token, workspace, project } = await ownerWithProject('auditor', [])
    const me = (await call('GET', '/me', { token })).json
    const before = new Date().toISOString()
    const headers = IP
    const invited = await call('POST', `/workspaces/${workspace.id}/members`, { token, headers, body: { email: 'grace.audit@example.com', role: 'viewer' } })
    await call('PATCH', `/workspaces/${workspace.id}/members/${invited.json.userId}`, { token, headers, body: { role: 'editor' } })
    const key = await call('POST', `/workspaces/${workspace.id}/api-keys`, { token, headers, body: { name: 'zapier', role: 'editor' } })
    const connection = await call('POST', `/projects/${project.id}/connections`, { token, headers, body: { platform: 'tiktok', mode: 'sandbox' } })
    await call('PATCH', `/projects/${project.id}/connections/${connection.json.id}`, { token, headers, body: { sandboxFaults: ['rate_limit'] } })
    await call('PUT', `/autopilot/${project.id}`, { token, headers, body: AUTOPILOT })
    await call('POST', `/autopilot/${project.id}/pause`, { token, headers })
    // The key acts: its actions are recorded as the key's, answered for by its creator.
    await call('POST', `/autopilot/${project.id}/resume`, { token: key.json.secret, headers: { 'cf-connecting-ip': '198.51.100.2' } })
    const clip = await readyClip(workspace.id, project.id)
    const post = await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt: new Date(Date.now() + 86_400_000).toISOString() } })
    await env.DB.prepare(`update posts set status = 'awaiting_approval', render_key = 'r' where id = ?`).bind(post.json.id).run()
    expect((await call('POST', `/posts/${post.json.id}/approve`, { token, headers })).status).toBe(200)
    expect((await call('POST', `/posts/${post.json.id}/cancel`, { token, headers })).status).toBe(200)
    await call('DELETE', `/projects/${project.id}/connections/${connection.json.id}`, { token, headers })
    await call('DELETE', `/workspaces/${workspace.id}/api-keys/${key.json.id}`, { token, headers })
    await call('DELETE', `/workspaces/${workspace.id}/members/${invited.json.userId}`, { token, headers })
    // Refused changes are not recorded.
    expectProblem(await call('PATCH', `/workspaces/${workspace.id}/members/${me.id ?? me.userId}`, { token, body: { role: 'viewer' } }), 409)

    const { data } = await entries(token, workspace.id, '?limit=200')
    const actions = data.map((e) => e.action).reverse()
    expect(actions).toEqual([
      'member.invited',
      'member.role_changed',
      'api_key.created',
      'connection.connected',
      'connection.updated',
      'autopilot.updated',
      'autopilot.paused',
      'autopilot.resumed',
      'post.approved',
      'post.canceled',
      'connection.disconnected',
      'api_key.revoked',
      'member.removed',
    ])
    const userId = me.id ?? me.userId
    const byAction = Object.fromEntries(data.map((e) => [e.action, e]))
    expect(byAction['member.role_changed']).toMatchObject({
      actor: { type: 'user', id: userId, userId, email: me.email },
      target: { type: 'member', id: invited.json.userId },
      details: { from: 'viewer', to: 'editor', email: 'grace.audit@example.com' },
      ip: '203.0.113.7',
    })
    expect(byAction['autopilot.resumed']).toMatchObject({ actor: { type: 'api_key', id: key.json.id, userId, keyName: 'zapier' }, target: { type: 'project', id: project.id, name: project.name }, ip: '198.51.100.2' })
    expect(byAction['api_key.created'].details).toEqual({ name: 'zapier', role: 'editor', prefix: key.json.prefix })
    expect(JSON.stringify(data)).not.toContain(key.json.secret)
    expect(byAction['post.canceled']).toMatchObject({ target: { type: 'post', id: post.json.id, name: post.json.hook || post.json.caption.slice(0, 80) }, details: { from: 'scheduled' } })
    // A target is named as it is called now; a member has no name of its own (details carry the email).
    expect(byAction['member.role_changed'].target.name).toBeNull()
    for (const e of data) {
      expect(e.at >= before).toBe(true)
      expect(e.requestId).toMatch(/^req-/)
    }
  })

  it('filters by actor, action and time, and pages with a cursor', async () => {
    const { token, workspace, project } = await ownerWithProject('filter', [])
    const key = await call('POST', `/workspaces/${workspace.id}/api-keys`, { token, body: { name: 'bot', role: 'editor' } })
    await call('PUT', `/autopilot/${project.id}`, { token, body: AUTOPILOT })
    for (let i = 0; i < 3; i++) {
      await call('POST', `/autopilot/${project.id}/pause`, { token: key.json.secret })
      await call('POST', `/autopilot/${project.id}/resume`, { token })
    }
    const byKey = await entries(token, workspace.id, `?actor=${key.json.id}`)
    expect(byKey.data.map((e) => e.action)).toEqual(['autopilot.paused', 'autopilot.paused', 'autopilot.paused'])
    const resumed = await entries(token, workspace.id, '?action=autopilot.resumed')
    expect(resumed.data).toHaveLength(3)
    const all = await entries(token, workspace.id)
    const middle = all.data[3].at
    const older = await entries(token, workspace.id, `?to=${encodeURIComponent(middle)}`)
    expect(older.data.every((e) => e.at < middle)).toBe(true)
    const newer = await entries(token, workspace.id, `?from=${encodeURIComponent(middle)}`)
    expect(newer.data.every((e) => e.at >= middle)).toBe(true)
    expect(older.data.length + newer.data.length).toBe(all.data.length)

    const seen: string[] = []
    let cursor: string | null = null
    do {
      const page: { data: any[]; nextCursor: string | null } = await entries(token, workspace.id, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`)
      expect(page.data.length).toBeLessThanOrEqual(2)
      seen.push(...page.data.map((e) => e.id))
      cursor = page.nextCursor
    } while (cursor)
    expect(seen).toEqual(all.data.map((e) => e.id))

    expectProblem(await call('GET', `/workspaces/${workspace.id}/audit?action=nope`, { token }), 400)
    expectProblem(await call('GET', `/workspaces/${workspace.id}/audit?from=yesterday`, { token }), 400)
    const bad = expectProblem(await call('GET', `/workspaces/${workspace.id}/audit?cursor=zzz`, { token }), 400)
    expect(bad.errors?.[0].field).toBe('query.cursor')
  })

  it('is for admins: editors and viewers get 403, another workspace 404', async () => {
    const { token, workspace } = await ownerWithWorkspace('admins')
    const admin = await memberWithRole(token, workspace.id, 'admin')
    expect((await call('GET', `/workspaces/${workspace.id}/audit`, { token: admin.token })).status).toBe(200)
    for (const role of ['editor', 'viewer']) {
      const member = await memberWithRole(token, workspace.id, role)
      expectProblem(await call('GET', `/workspaces/${workspace.id}/audit`, { token: member.token }), 403)
    }
    const outsider = await ownerWithWorkspace('outsider')
    expectProblem(await call('GET', `/workspaces/${workspace.id}/audit`, { token: outsider.token }), 404)
    const outsiderKey = (await call('POST', `/workspaces/${outsider.workspace.id}/api-keys`, { token: outsider.token, body: { name: 'k', role: 'owner' } })).json.secret
    expectProblem(await call('GET', `/workspaces/${workspace.id}/audit`, { token: outsiderKey }), 404)
    // The outsider's own log holds only their own workspace's entries.
    const theirs = await entries(outsider.token, outsider.workspace.id)
    expect(theirs.data.every((e) => e.actor.userId !== null)).toBe(true)
    expect(theirs.data.map((e) => e.action)).toEqual(['api_key.created'])
  })

  it('is append-only: the table refuses updates and deletes', async () => {
    const { token, workspace } = await ownerWithWorkspace('append')
    await call('PATCH', `/workspaces/${workspace.id}`, { token, body: { name: 'Renamed' } })
    const row = await env.DB.prepare(`select id from audit_log where workspace_id = ?`).bind(workspace.id).first<{ id: string }>()
    expect(row).not.toBeNull()
    await expect(env.DB.prepare(`update audit_log set action = 'x' where id = ?`).bind(row!.id).run()).rejects.toThrow(/append-only/)
    await expect(env.DB.prepare(`delete from audit_log where id = ?`).bind(row!.id).run()).rejects.toThrow(/append-only/)
    // Deleting the workspace keeps its record.
    await call('DELETE', `/workspaces/${workspace.id}`, { token })
    const left = await env.DB.prepare(`select action from audit_log where workspace_id = ? order by at`).bind(workspace.id).all<{ action: string }>()
    expect(left.results.map((r) => r.action)).toEqual(['workspace.updated', 'workspace.deleted'])
  })

  it('writes each entry in the same transaction as its change: when the entry fails, the change is not made', async () => {
    const { token, workspace, project } = await ownerWithProject('atomic', ['tiktok'])
    const invited = await call('POST', `/workspaces/${workspace.id}/members`, { token, body: { email: `${workspace.id}.atomic@example.com`, role: 'viewer' } })
    const key = await call('POST', `/workspaces/${workspace.id}/api-keys`, { token, body: { name: 'kept', role: 'editor' } })
    const clip = await readyClip(workspace.id, project.id)
    const post = await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt: new Date(Date.now() + 86_400_000).toISOString() } })
    expect(post.status, post.text).toBe(201)
    await env.DB.prepare(`update posts set status = 'awaiting_approval', render_key = 'r' where id = ?`).bind(post.json.id).run()
    const tiktok = (await env.DB.prepare(`select id from connections where project_id = ? and platform = 'tiktok'`).bind(project.id).first<{ id: string }>())!.id
    const comment = `cmt_${workspace.id.slice(-12)}`
    await env.DB.prepare(`insert into inbox_comments (id, workspace_id, project_id, post_id, platform, remote_id, author, text, published_at) values (?, ?, ?, ?, 'youtube', 'yt-c1', 'Sam', 'Nice', '2026-12-01T10:00:00.000Z')`)
      .bind(comment, workspace.id, project.id, post.json.id)
      .run()
    // A YouTube sign-in started (and consented to) before the log goes down; its callback comes after.
    const account = await stubAccount('youtube')
    const started = await call('POST', `/projects/${project.id}/connections`, { token, body: { platform: 'youtube' } })
    expect(started.status, started.text).toBe(200)
    const authorize = new URL(started.json.authorizeUrl)
    authorize.searchParams.set('stub_account', account.accountId)
    const consent = await fetch(authorize, { redirect: 'manual' })
    expect(consent.status).toBe(302)
    const before = (await env.DB.prepare('select count(*) as n from audit_log where workspace_id = ?').bind(workspace.id).first<{ n: number }>())!.n
    await env.DB.prepare(`create trigger audit_down_${workspace.id} before insert on audit_log when new.workspace_id = '${workspace.id}' begin select raise(abort, 'audit log down'); end`).run()
    try {
      expect((await call('PATCH', `/projects/${project.id}/connections/${tiktok}`, { token, body: { sandboxFaults: ['rate_limit'] } })).status).toBe(500)
      expect((await call('DELETE', `/projects/${project.id}/connections/${tiktok}`, { token })).status).toBe(500)
      expect((await call('POST', `/projects/${project.id}/connections`, { token, body: { platform: 'instagram', mode: 'sandbox' } })).status).toBe(500)
      const callback = await SELF.fetch(consent.headers.get('location')!, { redirect: 'manual', headers: { cookie: `${cookiesFrom(started.headers)}; __session=${token}` } })
      expect(callback.headers.get('location')).toBe(`/projects/${project.id}/connections?platform=youtube&error=exchange_failed`)
      expect((await call('PATCH', `/workspaces/${workspace.id}`, { token, body: { name: 'Renamed' } })).status).toBe(500)
      expect((await call('DELETE', `/workspaces/${workspace.id}`, { token })).status).toBe(500)
      expect((await call('PATCH', `/inbox/${comment}`, { token, body: { state: 'dismissed' } })).status).toBe(500)
      expect((await call('PATCH', `/workspaces/${workspace.id}/members/${invited.json.userId}`, { token, body: { role: 'editor' } })).status).toBe(500)
      expect((await call('DELETE', `/workspaces/${workspace.id}/members/${invited.json.userId}`, { token })).status).toBe(500)
      expect((await call('POST', `/workspaces/${workspace.id}/members`, { token, body: { email: `${workspace.id}.late@example.com`, role: 'viewer' } })).status).toBe(500)
      expect((await call('POST', `/workspaces/${workspace.id}/api-keys`, { token, body: { name: 'never', role: 'editor' } })).status).toBe(500)
      expect((await call('DELETE', `/workspaces/${workspace.id}/api-keys/${key.json.id}`, { token })).status).toBe(500)
      expect((await call('POST', `/posts/${post.json.id}/approve`, { token })).status).toBe(500)
      expect((await call('POST', `/posts/${post.json.id}/cancel`, { token })).status).toBe(500)
    } finally {
      await env.DB.prepare(`drop trigger audit_down_${workspace.id}`).run()
    }
    // Nothing changed, and nothing was recorded.
    const members = await env.DB.prepare('select u.email, m.role from members m join users u on u.id = m.user_id where m.workspace_id = ? order by u.email').bind(workspace.id).all()
    expect(members.results).toEqual(expect.arrayContaining([{ email: `${workspace.id}.atomic@example.com`, role: 'viewer' }]))
    expect(members.results.some((m: any) => m.email === `${workspace.id}.late@example.com`)).toBe(false)
    const keys = await env.DB.prepare('select name, revoked_at from api_keys where workspace_id = ?').bind(workspace.id).all()
    expect(keys.results).toEqual([{ name: 'kept', revoked_at: null }])
    expect((await env.DB.prepare('select status from posts where id = ?').bind(post.json.id).first())).toEqual({ status: 'awaiting_approval' })
    const conns = await env.DB.prepare('select platform, mode, status, sandbox_faults from connections where project_id = ? order by platform').bind(project.id).all()
    expect(conns.results).toEqual([{ platform: 'tiktok', mode: 'sandbox', status: 'active', sandbox_faults: '[]' }])
    expect(await env.DB.prepare('select name from workspaces where id = ?').bind(workspace.id).first()).toEqual({ name: workspace.name })
    expect(await env.DB.prepare('select state from inbox_comments where id = ?').bind(comment).first()).toEqual({ state: 'new' })
    expect((await env.DB.prepare('select count(*) as n from audit_log where workspace_id = ?').bind(workspace.id).first<{ n: number }>())!.n).toBe(before)
  })
})
