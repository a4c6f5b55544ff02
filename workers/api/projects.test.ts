import { describe, expect, it } from 'vitest'
import { call, expectProblem, memberWithRole, ownerWithWorkspace } from '../../test/helpers'

describe('projects', () => {
  it('creates, lists, gets, updates and deletes a project', async () => {
    const { token, workspace } = await ownerWithWorkspace()
    const created = await call('POST', '/projects', { token, body: { workspaceId: workspace.id, name: 'Cooking shorts', description: 'Recipes in 30 s' } })
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject({ workspaceId: workspace.id, name: 'Cooking shorts', description: 'Recipes in 30 s' })
    const id = created.json.id
    expect(id).toMatch(/^prj_/)

    const list = await call('GET', `/projects?workspaceId=${workspace.id}`, { token })
    expect(list.json.data.map((p: any) => p.id)).toEqual([id])

    const updated = await call('PATCH', `/projects/${id}`, { token, body: { name: 'Cooking', description: null } })
    expect(updated.status).toBe(200)
    expect(updated.json).toMatchObject({ name: 'Cooking', description: null })
    expect((await call('GET', `/projects/${id}`, { token })).json.name).toBe('Cooking')

    expect((await call('DELETE', `/projects/${id}`, { token })).status).toBe(204)
    expectProblem(await call('GET', `/projects/${id}`, { token }), 404)
  })

  it('enforces roles: viewers read, editors write, admins delete', async () => {
    const { token, workspace } = await ownerWithWorkspace()
    const viewer = await memberWithRole(token, workspace.id, 'viewer')
    const editor = await memberWithRole(token, workspace.id, 'editor')
    const project = (await call('POST', '/projects', { token: editor.token, body: { workspaceId: workspace.id, name: 'By editor' } })).json

    expect((await call('GET', `/projects/${project.id}`, { token: viewer.token })).status).toBe(200)
    expectProblem(await call('POST', '/projects', { token: viewer.token, body: { workspaceId: workspace.id, name: 'No' } }), 403)
    expectProblem(await call('PATCH', `/projects/${project.id}`, { token: viewer.token, body: { name: 'No' } }), 403)
    expectProblem(await call('DELETE', `/projects/${project.id}`, { token: editor.token }), 403)
    expect((await call('PATCH', `/projects/${project.id}`, { token: editor.token, body: { name: 'Yes' } })).status).toBe(200)
  })

  it('names bad fields', async () => {
    const { token, workspace } = await ownerWithWorkspace()
    const problem = expectProblem(await call('POST', '/projects', { token, body: { workspaceId: workspace.id, name: '   ', description: 'x'.repeat(2001) } }), 400)
    expect(problem.errors?.map((e) => e.field).sort()).toEqual(['description', 'name'])
    expectProblem(await call('PATCH', `/projects/whatever`, { token, body: {} }), 400)
    const missing = expectProblem(await call('GET', '/projects', { token }), 400)
    expect(missing.errors?.[0].field).toBe('query.workspaceId')
  })
})
