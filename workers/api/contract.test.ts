/**
 * Properties that must hold for every route in the OpenAPI document, so that routes added later
 * are covered without anyone remembering to: tenant isolation, role checks, problem+json on bad
 * input, and the document itself being complete.
 */
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { call, connectSandbox, expectProblem, memberWithRole, ownerWithWorkspace, readyClip, unique } from '../../test/helpers'

interface Fixture {
  workspaceId: string
  projectId: string
  memberUserId: string
  keyId: string
  mediaId: string
  clipId: string
  postId: string
  connectionId: string
  draftId: string
  commentId: string
}

/**
 * A valid request for each operation that takes an id, given the target workspace's ids.
 * `write` says whether a viewer must be refused with 403.
 */
const OPERATIONS: Record<string, { write: boolean; path: (f: Fixture) => string; body?: (f: Fixture) => unknown }> = {
  'GET /workspaces/{id}': { write: false, path: (f) => `/workspaces/${f.workspaceId}` },
  'PATCH /workspaces/{id}': { write: true, path: (f) => `/workspaces/${f.workspaceId}`, body: () => ({ name: 'Taken over' }) },
  'DELETE /workspaces/{id}': { write: true, path: (f) => `/workspaces/${f.workspaceId}` },
  'POST /workspaces/{id}/members': { write: true, path: (f) => `/workspaces/${f.workspaceId}/members`, body: () => ({ email: `${unique('intruder')}@example.com`, role: 'viewer' }) },
  'PATCH /workspaces/{id}/members/{userId}': { write: true, path: (f) => `/workspaces/${f.workspaceId}/members/${f.memberUserId}`, body: () => ({ role: 'admin' }) },
  'DELETE /workspaces/{id}/members/{userId}': { write: true, path: (f) => `/workspaces/${f.workspaceId}/members/${f.memberUserId}` },
  'GET /workspaces/{id}/api-keys': { write: true, path: (f) => `/workspaces/${f.workspaceId}/api-keys` },
  'POST /workspaces/{id}/api-keys': { write: true, path: (f) => `/workspaces/${f.workspaceId}/api-keys`, body: () => ({ name: 'stolen', role: 'viewer' }) },
  'GET /workspaces/{id}/audit': { write: true, path: (f) => `/workspaces/${f.workspaceId}/audit` },
  'DELETE /workspaces/{id}/api-keys/{keyId}': { write: true, path: (f) => `/workspaces/${f.workspaceId}/api-keys/${f.keyId}` },
  'GET /projects': { write: false, path: (f) => `/projects?workspaceId=${f.workspaceId}` },
  'POST /projects': { write: true, path: () => '/projects', body: (f) => ({ workspaceId: f.workspaceId, name: 'Intruder project' }) },
  'GET /projects/{id}': { write: false, path: (f) => `/projects/${f.projectId}` },
  'PATCH /projects/{id}': { write: true, path: (f) => `/projects/${f.projectId}`, body: () => ({ name: 'Hijacked' }) },
  'DELETE /projects/{id}': { write: true, path: (f) => `/projects/${f.projectId}` },
  'POST /media/upload-url': { write: true, path: () => '/media/upload-url', body: (f) => ({ projectId: f.projectId, filename: 'x.mp4', contentType: 'video/mp4', size: 10 }) },
  'POST /media/multipart': { write: true, path: () => '/media/multipart', body: (f) => ({ projectId: f.projectId, filename: 'x.mp4', contentType: 'video/mp4', size: 10 }) },
  'POST /media/{id}/parts': { write: true, path: (f) => `/media/${f.mediaId}/parts`, body: () => ({ partNumbers: [1] }) },
  'GET /media/{id}/parts': { write: false, path: (f) => `/media/${f.mediaId}/parts` },
  'POST /media/{id}/complete': { write: true, path: (f) => `/media/${f.mediaId}/complete` },
  'POST /media/{id}/abort': { write: true, path: (f) => `/media/${f.mediaId}/abort` },
  'GET /projects/{id}/media': { write: false, path: (f) => `/projects/${f.projectId}/media` },
  'GET /media/{id}': { write: false, path: (f) => `/media/${f.mediaId}` },
  'PATCH /media/{id}': { write: true, path: (f) => `/media/${f.mediaId}`, body: () => ({ title: 'Hijacked' }) },
  'DELETE /media/{id}': { write: true, path: (f) => `/media/${f.mediaId}` },
  'PUT /autopilot/{projectId}': { write: true, path: (f) => `/autopilot/${f.projectId}`, body: () => AUTOPILOT },
  'GET /autopilot/{projectId}': { write: false, path: (f) => `/autopilot/${f.projectId}` },
  'GET /autopilot/{projectId}/slots': { write: false, path: (f) => `/autopilot/${f.projectId}/slots?count=3` },
  'GET /autopilot/{projectId}/learning': { write: false, path: (f) => `/autopilot/${f.projectId}/learning` },
  'GET /projects/{id}/posts': { write: false, path: (f) => `/projects/${f.projectId}/posts` },
  'POST /projects/{id}/posts': { write: true, path: (f) => `/projects/${f.projectId}/posts`, body: (f) => ({ mediaId: f.clipId }) },
  'POST /projects/{id}/posts/bulk': { write: true, path: (f) => `/projects/${f.projectId}/posts/bulk`, body: (f) => ({ mediaIds: [f.clipId], confirm: false }) },
  'POST /projects/{id}/drafts': { write: true, path: (f) => `/projects/${f.projectId}/drafts`, body: (f) => ({ mediaId: f.clipId, caption: 'Intruder draft' }) },
  'PATCH /drafts/{id}': { write: true, path: (f) => `/drafts/${f.draftId}`, body: () => ({ caption: 'Hijacked' }) },
  'DELETE /drafts/{id}': { write: true, path: (f) => `/drafts/${f.draftId}` },
  'POST /drafts/{id}/schedule': { write: true, path: (f) => `/drafts/${f.draftId}/schedule`, body: () => ({ scheduledAt: new Date(Date.now() + 3_600_000).toISOString() }) },
  'PATCH /posts/{id}': { write: true, path: (f) => `/posts/${f.postId}`, body: () => ({ caption: 'Hijacked' }) },
  'POST /posts/{id}/approve': { write: true, path: (f) => `/posts/${f.postId}/approve` },
  'POST /posts/{id}/cancel': { write: true, path: (f) => `/posts/${f.postId}/cancel` },
  'POST /posts/{id}/retry': { write: true, path: (f) => `/posts/${f.postId}/retry` },
  'GET /projects/{id}/analytics': { write: false, path: (f) => `/projects/${f.projectId}/analytics?groupBy=platform` },
  'POST /dev/demo-history': { write: true, path: () => '/dev/demo-history', body: (f) => ({ projectId: f.projectId, days: 1 }) },
  'GET /posts/{id}/metrics': { write: false, path: (f) => `/posts/${f.postId}/metrics` },
  'POST /ai-assistant/tools/content-ideas': { write: true, path: () => '/ai-assistant/tools/content-ideas', body: (f) => ({ projectId: f.projectId }) },
  'POST /content-ideas/generate': { write: true, path: () => '/content-ideas/generate', body: (f) => ({ projectId: f.projectId }) },
  'POST /ai-assistant/tools/captions': { write: true, path: () => '/ai-assistant/tools/captions', body: (f) => ({ projectId: f.projectId, mediaId: f.clipId }) },
  'POST /ai-assistant/tools/post-captions': { write: true, path: () => '/ai-assistant/tools/post-captions', body: (f) => ({ postId: f.postId }) },
  'POST /ai-assistant/tools/message-generator': { write: true, path: () => '/ai-assistant/tools/message-generator', body: (f) => ({ projectId: f.projectId, message: 'Nice!' }) },
  'POST /ai-assistant/tools/pricing-optimizer': { write: true, path: () => '/ai-assistant/tools/pricing-optimizer', body: (f) => ({ projectId: f.projectId }) },
  'POST /ai-assistant/generate': { write: true, path: () => '/ai-assistant/generate', body: (f) => ({ tool: 'content-ideas', input: { projectId: f.projectId } }) },
  'POST /ai-assistant/stream': { write: true, path: () => '/ai-assistant/stream', body: (f) => ({ tool: 'content-ideas', input: { projectId: f.projectId } }) },
  'GET /projects/{id}/inbox': { write: false, path: (f) => `/projects/${f.projectId}/inbox` },
  'POST /projects/{id}/inbox/refresh': { write: true, path: (f) => `/projects/${f.projectId}/inbox/refresh` },
  'PATCH /inbox/{commentId}': { write: true, path: (f) => `/inbox/${f.commentId}`, body: () => ({ state: 'dismissed' }) },
  'POST /inbox/{commentId}/reply': { write: true, path: (f) => `/inbox/${f.commentId}/reply`, body: () => ({ text: 'Hijacked reply' }) },
  'GET /projects/{id}/connections': { write: false, path: (f) => `/projects/${f.projectId}/connections` },
  'POST /projects/{id}/connections': { write: true, path: (f) => `/projects/${f.projectId}/connections`, body: () => ({ platform: 'tiktok', mode: 'sandbox' }) },
  'PATCH /projects/{id}/connections/{connectionId}': { write: true, path: (f) => `/projects/${f.projectId}/connections/${f.connectionId}`, body: () => ({ sandboxFaults: ['rate_limit'] }) },
  'DELETE /projects/{id}/connections/{connectionId}': { write: true, path: (f) => `/projects/${f.projectId}/connections/${f.connectionId}` },
}

const AUTOPILOT = { cadence: 'daily', language: 'en', style: 'minimal', objective: 'awareness', timeWindows: ['12:00-13:00'] }

/** Operations that are not about one workspace's data. */
// The storage routes are reached with a signed token instead of a session (workers/media/storage-route.ts).
const UNSCOPED = new Set(['GET /metrics', 'GET /health', 'GET /health/live', 'GET /me', 'POST /dev/token', 'GET /workspaces', 'POST /workspaces', 'PUT /storage/{token}', 'GET /storage/{token}'])

async function openapiOperations() {
  const doc = (await call('GET', '/openapi.json')).json
  return Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })),
  )
}

type Operation = (typeof OPERATIONS)[string]

/** The fixture id a path parameter names: `{id}` by the resource before it, others by their name. */
function idFor(path: string, param: string, f: Fixture): string | undefined {
  const byResource: Record<string, keyof Fixture> = { workspaces: 'workspaceId', projects: 'projectId', media: 'mediaId', posts: 'postId', drafts: 'draftId', autopilot: 'projectId' }
  const byName: Record<string, keyof Fixture> = { projectId: 'projectId', workspaceId: 'workspaceId', postId: 'postId', mediaId: 'mediaId', draftId: 'draftId', userId: 'memberUserId', keyId: 'keyId', connectionId: 'connectionId' }
  const field = param === 'id' ? byResource[path.split('/')[1]] : byName[param]
  return field ? f[field] : undefined
}

/** The smallest value a schema of the document accepts (its example where it gives one). */
function minimalValue(schema: any, doc: any, f: Fixture, depth = 0): unknown {
  if (!schema || depth > 8) return undefined
  if (schema.$ref) return minimalValue(doc.components.schemas[String(schema.$ref).split('/').pop()!], doc, f, depth + 1)
  if (schema.example !== undefined) return schema.example
  if ('const' in schema) return schema.const
  if (schema.enum) return schema.enum[0]
  if (schema.default !== undefined) return schema.default
  const alternatives = schema.anyOf ?? schema.oneOf
  if (alternatives) return minimalValue(alternatives.find((a: any) => a.type !== 'null') ?? alternatives[0], doc, f, depth + 1)
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== 'null') : schema.type
  switch (type) {
    case 'string':
      if (schema.format === 'date-time') return new Date(Date.now() + 3_600_000).toISOString()
      if (schema.format === 'email') return `${unique('contract')}@example.com`
      if (schema.format === 'uri' || schema.format === 'url') return 'https://example.com/'
      return 'x'.repeat(Math.max(1, schema.minLength ?? 1))
    case 'integer':
    case 'number':
      return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1)
    case 'boolean':
      return false
    case 'array':
      return Array.from({ length: schema.minItems ?? 0 }, () => minimalValue(schema.items, doc, f, depth + 1))
    default: {
      const out: Record<string, unknown> = {}
      for (const name of schema.required ?? []) out[name] = name === 'projectId' ? f.projectId : name === 'workspaceId' ? f.workspaceId : name === 'mediaId' ? f.clipId : minimalValue(schema.properties?.[name], doc, f, depth + 1)
      return out
    }
  }
}

/**
 * Every operation about one workspace's data, from the document: those in OPERATIONS as written
 * there, every other one derived (ids from the fixture by the path's resource, required query
 * parameters and body at their smallest valid value; a write unless it is a GET). A new route is
 * covered without being listed; list it only when the derived request does not fit.
 */
async function scopedOperations(): Promise<Record<string, Operation>> {
  const doc = (await call('GET', '/openapi.json')).json
  const out: Record<string, Operation> = { ...OPERATIONS }
  for (const { key, op } of await openapiOperations()) {
    if (OPERATIONS[key] || UNSCOPED.has(key)) continue
    const [method, template] = key.split(' ')
    const params: any[] = op.parameters ?? []
    const bodySchema = op.requestBody?.content?.['application/json']?.schema
    out[key] = {
      write: method !== 'GET',
      path: (f) => {
        let path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
          const id = idFor(template, name, f)
          if (!id) throw new Error(`${key}: no fixture id for {${name}}; add the operation to OPERATIONS in contract.test.ts`)
          return id
        })
        const query = new URLSearchParams()
        for (const p of params.filter((p) => p.in === 'query' && p.required)) query.set(p.name, String(minimalValue(p.schema, doc, f)))
        if (query.size) path += `?${query}`
        return path
      },
      body: bodySchema ? (f) => minimalValue(bodySchema, doc, f) : undefined,
    }
  }
  return out
}

async function fixture() {
  const owner = await ownerWithWorkspace('victim')
  const project = await call('POST', '/projects', { token: owner.token, body: { workspaceId: owner.workspace.id, name: 'Secret' } })
  const member = await memberWithRole(owner.token, owner.workspace.id, 'editor')
  const key = await call('POST', `/workspaces/${owner.workspace.id}/api-keys`, { token: owner.token, body: { name: 'k', role: 'viewer' } })
  const upload = await call('POST', '/media/multipart', { token: owner.token, body: { projectId: project.json.id, filename: 'secret.mp4', contentType: 'video/mp4', size: 10 } })
  const clipId = await readyClip(owner.workspace.id, project.json.id)
  await connectSandbox(owner.token, project.json.id, ['tiktok'])
  const autopilot = await call('PUT', `/autopilot/${project.json.id}`, { token: owner.token, body: AUTOPILOT })
  const post = await call('POST', `/projects/${project.json.id}/posts`, { token: owner.token, body: { mediaId: clipId } })
  const connection = await call('POST', `/projects/${project.json.id}/connections`, { token: owner.token, body: { platform: 'youtube', mode: 'sandbox' } })
  const draft = await call('POST', `/projects/${project.json.id}/drafts`, { token: owner.token, body: { mediaId: clipId } })
  if (autopilot.status !== 200 || post.status !== 201 || connection.status !== 201 || draft.status !== 201) throw new Error(`fixture: ${autopilot.text} ${post.text} ${connection.text} ${draft.text}`)
  const commentId = `cmt_${unique('c').replace(/[^a-z0-9]/g, '')}`
  await env.DB.prepare(`insert into inbox_comments (id, workspace_id, project_id, post_id, platform, remote_id, author, text, published_at) values (?, ?, ?, ?, 'youtube', ?, 'Fan', 'Nice!', ?)`)
    .bind(commentId, owner.workspace.id, project.json.id, post.json.id, `${commentId}-remote`, new Date().toISOString())
    .run()
  const f: Fixture = {
    commentId,
    workspaceId: owner.workspace.id,
    projectId: project.json.id,
    memberUserId: member.userId,
    keyId: key.json.id,
    mediaId: upload.json.mediaId,
    clipId,
    postId: post.json.id,
    connectionId: connection.json.id,
    draftId: draft.json.id,
  }
  return { owner, f }
}

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1, lists every tested operation, and every operation is tested here', async () => {
    const doc = (await call('GET', '/openapi.json')).json
    expect(doc.openapi).toBe('3.1.0')
    const keys = (await openapiOperations()).map((o) => o.key)
    for (const op of Object.keys(OPERATIONS)) expect(keys).toContain(op)
    // Every other operation is derived from the document (scopedOperations) and walked below.
    const { f } = await fixture()
    const scoped = await scopedOperations()
    expect(Object.keys(scoped).sort()).toEqual(keys.filter((k) => !UNSCOPED.has(k)).sort())
    for (const op of Object.values(scoped)) expect(() => op.path(f)).not.toThrow()
  })

  it('serves the interactive docs page from the app itself, with no CDN', async () => {
    const res = await call('GET', '/docs')
    expect(res.status).toBe(200)
    expect(res.text).toContain('/vendor/swagger-ui/swagger-ui-bundle.js')
    expect(res.text).not.toMatch(/https?:\/\/(cdn|unpkg|jsdelivr)/)
  })
})

describe('tenant isolation', () => {
  it('answers 404 to a member of another workspace on every route that takes an id, and changes nothing', async () => {
    const { owner, f } = await fixture()
    const outsider = await ownerWithWorkspace('outsider')
    for (const [key, op] of Object.entries(await scopedOperations())) {
      const [method] = key.split(' ')
      const res = await call(method, op.path(f), { token: outsider.token, body: op.body?.(f) })
      expect(res.status, `${key} as an outsider`).toBe(404)
    }
    // Nothing changed for the owner.
    const ws = await call('GET', `/workspaces/${f.workspaceId}`, { token: owner.token })
    expect(ws.json.name).not.toBe('Taken over')
    const project = await call('GET', `/projects/${f.projectId}`, { token: owner.token })
    expect(project.json.name).toBe('Secret')
    expect((await call('GET', `/workspaces/${f.workspaceId}/members`, { token: owner.token })).json.data).toHaveLength(2)
  })

  it("answers 404 to another workspace's API key too", async () => {
    const { f } = await fixture()
    const outsider = await ownerWithWorkspace('outsider')
    const key = (await call('POST', `/workspaces/${outsider.workspace.id}/api-keys`, { token: outsider.token, body: { name: 'k', role: 'owner' } })).json.secret
    for (const [key2, op] of Object.entries(await scopedOperations())) {
      const res = await call(key2.split(' ')[0], op.path(f), { token: key, body: op.body?.(f) })
      expect(res.status, `${key2} with another workspace's key`).toBe(404)
    }
  })

  it('refuses every write to a viewer with 403', async () => {
    const { owner, f } = await fixture()
    const viewer = await memberWithRole(owner.token, f.workspaceId, 'viewer')
    for (const [key, op] of Object.entries(await scopedOperations())) {
      const res = await call(key.split(' ')[0], op.path(f), { token: viewer.token, body: op.body?.(f) })
      if (op.write) expect(res.status, `${key} as a viewer`).toBe(403)
      else expect(res.status, `${key} as a viewer`).toBe(200)
    }
  })
})

describe('bad input', () => {
  it('gets a 4xx problem+json on every operation with a body, never a 500', async () => {
    const { owner, f } = await fixture()
    const operations = await openapiOperations()
    const withBody = operations.filter((o) => o.op.requestBody)
    expect(withBody.length).toBeGreaterThanOrEqual(8)
    const samples: [string, string | undefined, string][] = [
      ['not json', '{"name": ', 'application/json'],
      ['an array', '[1,2,3]', 'application/json'],
      ['an empty object', '{}', 'application/json'],
      ['wrong types', '{"name": 42, "slug": true, "email": 1, "role": [], "workspaceId": {}}', 'application/json'],
      ['a form post', 'name=x', 'application/x-www-form-urlencoded'],
      ['no body', undefined, 'application/json'],
    ]
    for (const { key } of withBody) {
      const [method, template] = key.split(' ')
      const known = OPERATIONS[key]
      const path = known ? known.path(f) : template
      for (const [label, body, type] of samples) {
        const res = await call(method, path, { token: owner.token, body, headers: { 'content-type': type } })
        expect(res.status, `${key} with ${label}: ${res.text}`).toBeGreaterThanOrEqual(400)
        expect(res.status, `${key} with ${label}`).toBeLessThan(500)
        expectProblem(res, res.status)
      }
    }
  })

  it('names each bad field', async () => {
    const { owner } = await fixture()
    const res = await call('POST', '/workspaces', { token: owner.token, body: { name: '', slug: 'NO' } })
    const problem = expectProblem(res, 400)
    expect([...new Set(problem.errors?.map((e) => e.field))].sort()).toEqual(['name', 'slug'])
    expect(problem.detail).toMatch(/slug/)
  })

  it('answers unknown ids and unknown /api paths with 404 problem+json', async () => {
    const { owner } = await fixture()
    expectProblem(await call('GET', '/projects/prj_doesnotexist', { token: owner.token }), 404)
    expectProblem(await call('GET', '/workspaces/ws_doesnotexist', { token: owner.token }), 404)
    expectProblem(await call('GET', '/nope'), 404)
    expectProblem(await call('POST', '/nope/deeper', { token: owner.token }), 404)
  })
})
