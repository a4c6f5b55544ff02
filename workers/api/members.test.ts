import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { call, expectProblem, memberWithRole, ownerWithWorkspace, tokenFor, unique } from '../../test/helpers'

describe('members', () => {
  it('invites by email; the invitee joins on first sign-in and sees the workspace', async () => {
    const { token, workspace, email: ownerEmail } = await ownerWithWorkspace()
    const email = `${unique('Invitee')}@Example.com`
    const invited = await call('POST', `/workspaces/${workspace.id}/members`, { token, body: { email, role: 'editor' } })
    expect(invited.status).toBe(201)
    expect(invited.json).toMatchObject({ email: email.toLowerCase(), role: 'editor', joined: false })

    const inviteeToken = await tokenFor(email.toLowerCase(), 'Invitee')
    const theirs = await call('GET', '/workspaces', { token: inviteeToken })
    expect(theirs.json.data).toEqual([expect.objectContaining({ id: workspace.id, role: 'editor' })])

    const list = await call('GET', `/workspaces/${workspace.id}/members`, { token })
    expect(list.json.data.map((m: any) => [m.email, m.role, m.joined])).toEqual([
      [ownerEmail, 'owner', true],
      [email.toLowerCase(), 'editor', true],
    ])
  })

  it('refuses to invite someone twice', async () => {
    const { token, workspace } = await ownerWithWorkspace()
    const email = `${unique('twice')}@example.com`
    expect((await call('POST', `/workspaces/${workspace.id}/members`, { token, body: { email, role: 'viewer' } })).status).toBe(201)
    expectProblem(await call('POST', `/workspaces/${workspace.id}/members`, { token, body: { email, role: 'viewer' } }), 409)
  })

  it('names bad fields in an invitation', async () => {
    const { token, workspace } = await ownerWithWorkspace()
    const problem = expectProblem(await call('POST', `/workspaces/${workspace.id}/members`, { token, body: { email: 'not-an-email', role: 'boss' } }), 400)
    expect(problem.errors?.map((e) => e.field).sort()).toEqual(['email', 'role'])
  })

  it('changes roles; admins cannot grant or touch owner, editors cannot manage members', async () => {
    const { token, workspace } = await ownerWithWorkspace()
    const admin = await memberWithRole(token, workspace.id, 'admin')
    const viewer = await memberWithRole(token, workspace.id, 'viewer')
    const editor = await memberWithRole(token, workspace.id, 'editor')

    const promoted = await call('PATCH', `/workspaces/${workspace.id}/members/${viewer.userId}`, { token: admin.token, body: { role: 'editor' } })
    expect(promoted.status).toBe(200)
    expect(promoted.json.role).toBe('editor')

    expectProblem(await call('PATCH', `/workspaces/${workspace.id}/members/${viewer.userId}`, { token: admin.token, body: { role: 'owner' } }), 403)
    expectProblem(await call('POST', `/workspaces/${workspace.id}/members`, { token: editor.token, body: { email: `${unique('x')}@example.com`, role: 'viewer' } }), 403)
    expectProblem(await call('DELETE', `/workspaces/${workspace.id}/members/${viewer.userId}`, { token: editor.token }), 403)
  })

  it('never removes or demotes the last owner', async () => {
    const { token, workspace } = await ownerWithWorkspace()
    const me = await call('GET', '/me', { token })
    expect(expectProblem(await call('DELETE', `/workspaces/${workspace.id}/members/${me.json.id}`, { token }), 409).detail).toMatch(/last owner/)
    expectProblem(await call('PATCH', `/workspaces/${workspace.id}/members/${me.json.id}`, { token, body: { role: 'admin' } }), 409)

    // With a second owner, the first may step down.
    const second = await memberWithRole(token, workspace.id, 'owner')
    expect((await call('PATCH', `/workspaces/${workspace.id}/members/${me.json.id}`, { token, body: { role: 'admin' } })).status).toBe(200)
    expectProblem(await call('DELETE', `/workspaces/${workspace.id}/members/${second.userId}`, { token: second.token }), 409)
  })

  it('lets a member leave, and removal takes their access away', async () => {
    const { token, workspace } = await ownerWithWorkspace()
    const viewer = await memberWithRole(token, workspace.id, 'viewer')
    const editor = await memberWithRole(token, workspace.id, 'editor')
    expect((await call('DELETE', `/workspaces/${workspace.id}/members/${viewer.userId}`, { token: viewer.token })).status).toBe(204)
    expect((await call('DELETE', `/workspaces/${workspace.id}/members/${editor.userId}`, { token })).status).toBe(204)
    expectProblem(await call('GET', `/workspaces/${workspace.id}`, { token: viewer.token }), 404)
    expectProblem(await call('GET', `/workspaces/${workspace.id}`, { token: editor.token }), 404)
    const rows = await env.DB.prepare('select count(*) as n from members where workspace_id = ?').bind(workspace.id).first<{ n: number }>()
    expect(rows?.n).toBe(1)
  })

  it('two owners demoting each other at once leave one owner, never none', async () => {
    for (let round = 0; round < 3; round++) {
      const { token, workspace } = await ownerWithWorkspace()
      const second = await memberWithRole(token, workspace.id, 'owner')
      const me = await call('GET', '/me', { token })
      await call('GET', '/me', { token: second.token }) // first sight done, so both requests run the same steps
      const [a, b] = await Promise.all([
        call('PATCH', `/workspaces/${workspace.id}/members/${second.userId}`, { token, body: { role: 'admin' } }),
        call('PATCH', `/workspaces/${workspace.id}/members/${me.json.id}`, { token: second.token, body: { role: 'admin' } }),
      ])
      // One wins; the other is refused (409 last owner, or 403 once its caller is no longer an owner).
      expect([a.status, b.status].filter((s) => s === 200)).toHaveLength(1)
      expect([a.status, b.status].filter((s) => s === 403 || s === 409)).toHaveLength(1)
      const owners = await env.DB.prepare("select count(*) as n from members where workspace_id = ? and role = 'owner'").bind(workspace.id).first<{ n: number }>()
      expect(owners?.n).toBe(1)
    }
  })

  it('two owners removing each other at once leave one owner', async () => {
    const { token, workspace } = await ownerWithWorkspace()
    const second = await memberWithRole(token, workspace.id, 'owner')
    const me = await call('GET', '/me', { token })
    await call('GET', '/me', { token: second.token })
    const [a, b] = await Promise.all([
      call('DELETE', `/workspaces/${workspace.id}/members/${second.userId}`, { token }),
      call('DELETE', `/workspaces/${workspace.id}/members/${me.json.id}`, { token: second.token }),
    ])
    expect([a.status, b.status].filter((s) => s === 204)).toHaveLength(1)
    expect([a.status, b.status].filter((s) => s === 403 || s === 404 || s === 409)).toHaveLength(1)
    const owners = await env.DB.prepare("select count(*) as n from members where workspace_id = ? and role = 'owner'").bind(workspace.id).first<{ n: number }>()
    expect(owners?.n).toBe(1)
  })
})
