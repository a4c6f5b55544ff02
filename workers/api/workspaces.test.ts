import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { call, expectProblem, memberWithRole, ownerWithWorkspace, tokenFor, unique } from '../../test/helpers'

describe('workspaces', () => {
  it('creates a workspace owned by its creator, and lists and gets it', async () => {
    const token = await tokenFor(`${unique('creator')}@example.com`, 'Creator')
    const slug = unique('studio').toLowerCase()
    const created = await call('POST', '/workspaces', { token, body: { name: 'Studio', slug } })
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject({ name: 'Studio', slug, role: 'owner' })
    expect(created.json.id).toMatch(/^ws_/)
    expect(Date.parse(created.json.createdAt)).not.toBeNaN()

    const list = await call('GET', '/workspaces', { token })
    expect(list.json.data.map((w: any) => w.id)).toEqual([created.json.id])

    const got = await call('GET', `/workspaces/${created.json.id}`, { token })
    expect(got.json).toMatchObject({ id: created.json.id, slug, role: 'owner' })
  })

  it('refuses a slug that is taken with 409', async () => {
    const { workspace } = await ownerWithWorkspace()
    const other = await tokenFor(`${unique('other')}@example.com`)
    const res = await call('POST', '/workspaces', { token: other, body: { name: 'Copy', slug: workspace.slug } })
    expect(expectProblem(res, 409).detail).toContain(workspace.slug)
  })

  it.each([
    ['too short', 'ab'],
    ['uppercase', 'Acme'],
    ['spaces', 'acme studio'],
    ['leading dash', '-acme'],
    ['trailing dash', 'acme-'],
    ['too long', 'a'.repeat(49)],
  ])('refuses a slug that is %s, naming the field', async (_, slug) => {
    const token = await tokenFor(`${unique('slug')}@example.com`)
    const problem = expectProblem(await call('POST', '/workspaces', { token, body: { name: 'X', slug } }), 400)
    expect(problem.errors?.map((e) => e.field)).toEqual(['slug'])
  })

  it('gives a slug to one of several creators racing for it; the others get 409, never a 500', async () => {
    const slug = unique('race').toLowerCase().slice(0, 40)
    const tokens = await Promise.all([1, 2, 3, 4].map((i) => tokenFor(`${unique(`racer${i}`)}@example.com`)))
    const answers = await Promise.all(tokens.map((token) => call('POST', '/workspaces', { token, body: { name: 'Race', slug } })))
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409])
    for (const refused of answers.filter((a) => a.status === 409)) expect(refused.json.detail ?? refused.json.title).toContain(`"${slug}" is taken`)
    expect((await env.DB.prepare('select count(*) as n from workspaces where slug = ?').bind(slug).first<{ n: number }>())?.n).toBe(1)
  })

  it('accepts slugs of exactly 3 and 48 characters', async () => {
    const token = await tokenFor(`${unique('edge')}@example.com`)
    const base = unique('e').toLowerCase().replace(/[^a-z0-9]/g, '')
    const three = base.slice(-3)
    const long = base.padEnd(48, 'x').slice(0, 48)
    // The three-letter slug may collide with another test's; either 201 or 409 proves it passed validation.
    expect([201, 409]).toContain((await call('POST', '/workspaces', { token, body: { name: 'Three', slug: three } })).status)
    expect((await call('POST', '/workspaces', { token, body: { name: 'Long', slug: long } })).status).toBe(201)
  })

  it('renames (admin) and refuses viewers and editors', async () => {
    const { token, workspace } = await ownerWithWorkspace()
    const editor = await memberWithRole(token, workspace.id, 'editor')
    expectProblem(await call('PATCH', `/workspaces/${workspace.id}`, { token: editor.token, body: { name: 'Nope' } }), 403)
    const admin = await memberWithRole(token, workspace.id, 'admin')
    const res = await call('PATCH', `/workspaces/${workspace.id}`, { token: admin.token, body: { name: 'Renamed' } })
    expect(res.status).toBe(200)
    expect(res.json.name).toBe('Renamed')
    expect(res.json.role).toBe('admin')
  })

  it('deletes only as owner, and the delete removes its projects and memberships', async () => {
    const { token, workspace } = await ownerWithWorkspace()
    const admin = await memberWithRole(token, workspace.id, 'admin')
    const project = await call('POST', '/projects', { token, body: { workspaceId: workspace.id, name: 'P' } })
    expect(project.status).toBe(201)

    expectProblem(await call('DELETE', `/workspaces/${workspace.id}`, { token: admin.token }), 403)
    expect((await call('DELETE', `/workspaces/${workspace.id}`, { token })).status).toBe(204)
    expectProblem(await call('GET', `/workspaces/${workspace.id}`, { token }), 404)

    const left = await env.DB.prepare('select (select count(*) from projects where workspace_id = ?1) as p, (select count(*) from members where workspace_id = ?1) as m').bind(workspace.id).first()
    expect(left).toEqual({ p: 0, m: 0 })
  })

  it('does not let an API key create workspaces', async () => {
    const { token, workspace } = await ownerWithWorkspace()
    const key = await call('POST', `/workspaces/${workspace.id}/api-keys`, { token, body: { name: 'ci', role: 'owner' } })
    const res = await call('POST', '/workspaces', { token: key.json.secret, body: { name: 'X', slug: unique('k').toLowerCase() } })
    expectProblem(res, 403)
  })
})
