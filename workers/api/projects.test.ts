import { describe, expect, it } from 'vitest'
import { call, expectProblem, memberWithRole, ownerWithWorkspace, readyClip } from '../../test/helpers'

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

  it('keeps the brand: colour, font, logo from the library and default framing', async () => {
    const { token, workspace } = await ownerWithWorkspace()
    const id = (await call('POST', '/projects', { token, body: { workspaceId: workspace.id, name: 'Brand' } })).json.id
    expect((await call('GET', `/projects/${id}`, { token })).json).toMatchObject({ brandColor: null, font: null, logoMediaId: null, framing: 'auto' })
    const logo = await readyClip(workspace.id, id, 'Logo', 'image')
    const video = await readyClip(workspace.id, id, 'A clip')
    const res = await call('PATCH', `/projects/${id}`, { token, body: { brandColor: '#FF5500', font: 'Noto Serif Display', logoMediaId: logo, framing: 'pad' } })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ brandColor: '#ff5500', font: 'Noto Serif Display', logoMediaId: logo, framing: 'pad' })
    // The logo must be a ready image of this project; each bad field is named and nothing changes.
    expect(expectProblem(await call('PATCH', `/projects/${id}`, { token, body: { logoMediaId: video } }), 400).errors?.[0].field).toBe('logoMediaId')
    const fields = expectProblem(await call('PATCH', `/projects/${id}`, { token, body: { brandColor: 'orange', font: 'Comic Sans', framing: 'zoom' } }), 400).errors?.map((e) => e.field).sort()
    expect(fields).toEqual(['brandColor', 'font', 'framing'])
    expect((await call('GET', `/projects/${id}`, { token })).json).toMatchObject({ brandColor: '#ff5500', logoMediaId: logo, framing: 'pad' })
    expect((await call('PATCH', `/projects/${id}`, { token, body: { logoMediaId: null, brandColor: null } })).json).toMatchObject({ logoMediaId: null, brandColor: null })
  })

  it('names bad fields', async () => {
    const { token, workspace } = await ownerWithWorkspace()
    const problem = expectProblem(await call('POST', '/projects', { token, body: { workspaceId: workspace.id, name: '   ', description: 'x'.repeat(2001) } }), 400)
    expect(problem.errors?.map((e) => e.field).sort()).toEqual(['description', 'name'])
    expectProblem(await call('PATCH', `/projects/whatever`, { token, body: {} }), 400)
    const missing = expectProblem(await call('GET', '/projects', { token }), 400)
    expect(missing.errors?.[0].field).toBe('query.workspaceId')
    // A missing field is called required (zod's own words were "expected string, received undefined").
    expect(missing.detail).toBe('Invalid input: query.workspaceId: is required (a string)')
    const noName = expectProblem(await call('POST', '/projects', { token, body: { workspaceId: workspace.id } }), 400)
    expect(noName.errors).toEqual([{ field: 'name', message: 'is required (a string)' }])
  })
})
