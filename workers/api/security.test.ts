/**
 * Issue #11 (security), the items that live in the Worker: each test fails on the code before
 * its fix. Real D1, R2 and the real render server (which, in these tests, cannot reach the Worker).
 */
import { env, SELF } from 'cloudflare:test'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { call, expectProblem, ownerWithProject, ownerWithWorkspace, readyClip } from '../../test/helpers'
import { createLogger } from '../lib/log'

afterEach(() => {
  vi.restoreAllMocks()
})

/** Every line the Worker logs while `run` runs (the logger writes JSON lines on the console). */
async function logsDuring(run: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = []
  for (const level of ['log', 'warn', 'error', 'debug'] as const) {
    vi.spyOn(console, level).mockImplementation((line: unknown) => {
      lines.push(String(line))
    })
  }
  try {
    await run()
  } finally {
    vi.restoreAllMocks()
  }
  return lines
}

describe('storage URLs are signed on PUBLIC_URL, whatever Host the request names (13)', () => {
  it('upload, part, download and thumbnail URLs all point at PUBLIC_URL', async () => {
    const { token, project } = await ownerWithProject('host', [])
    const publicOrigin = new URL(env.PUBLIC_URL).origin
    const asEvil = { token }
    const at = async (path: string, body?: unknown) => {
      const res = await SELF.fetch(`https://evil.example/api${path}`, {
        method: body ? 'POST' : 'GET',
        headers: { authorization: `Bearer ${asEvil.token}`, 'content-type': 'application/json' },
        body: body ? JSON.stringify(body) : undefined,
      })
      return { status: res.status, json: (await res.json()) as any }
    }
    const single = await at('/media/upload-url', { projectId: project.id, filename: 'a.mp4', contentType: 'video/mp4', size: 10 })
    expect(single.status).toBe(201)
    expect(new URL(single.json.uploadUrl).origin).toBe(publicOrigin)

    const multi = await at('/media/multipart', { projectId: project.id, filename: 'b.mp4', contentType: 'video/mp4', size: 12 * 1024 * 1024, partSize: 5 * 1024 * 1024 })
    expect(multi.status).toBe(201)
    const parts = await at(`/media/${multi.json.mediaId}/parts`, { partNumbers: [1, 2] })
    expect(parts.status, JSON.stringify(parts.json)).toBe(200)
    for (const part of parts.json.parts) expect(new URL(part.uploadUrl).origin).toBe(publicOrigin)

    const clip = await readyClip(project.workspaceId, project.id)
    await env.DB.prepare(`update media set thumbnail_key = key || '.jpg' where id = ?`).bind(clip).run()
    const item = await at(`/media/${clip}`)
    expect(item.status).toBe(200)
    expect(new URL(item.json.downloadUrl).origin).toBe(publicOrigin)
    expect(new URL(item.json.thumbnailUrl).origin).toBe(publicOrigin)
  })
})

describe('bad input never reaches a 5xx (14)', () => {
  it('a platform named twice is a 400 naming platforms, and no post is written', async () => {
    const { token, project } = await ownerWithProject('dupes')
    const clip = await readyClip(project.workspaceId, project.id)
    const res = expectProblem(await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, platforms: ['tiktok', 'tiktok'] } }), 400)
    expect(res.errors?.map((e) => e.field)).toContain('platforms')
    const bulk = expectProblem(await call('POST', `/projects/${project.id}/posts/bulk`, { token, body: { mediaIds: [clip], confirm: true, platforms: ['youtube', 'youtube'] } }), 400)
    expect(bulk.errors?.map((e) => e.field)).toContain('platforms')
    const draft = expectProblem(await call('POST', `/projects/${project.id}/drafts`, { token, body: { mediaId: clip, platforms: ['instagram', 'instagram'] } }), 400)
    expect(draft.errors?.map((e) => e.field)).toContain('platforms')
    const written = await env.DB.prepare('select count(*) as n from posts where project_id = ?').bind(project.id).first<{ n: number }>()
    expect(written?.n).toBe(0)
  })
})

describe('details stay in the logs (9)', () => {
  it("a 503 from complete says the renderer is unavailable, without the render server's words; the logs have them", async () => {
    const owner = await ownerWithWorkspace('leak')
    const project = await call('POST', '/projects', { token: owner.token, body: { workspaceId: owner.workspace.id, name: 'Leak' } })
    const started = await call('POST', '/media/upload-url', { token: owner.token, body: { projectId: project.json.id, filename: 'a.mp4', contentType: 'video/mp4', size: 4 } })
    expect((await SELF.fetch(started.json.uploadUrl, { method: 'PUT', body: new Uint8Array(4) })).status).toBe(200)
    let done!: Awaited<ReturnType<typeof call>>
    const lines = await logsDuring(async () => {
      done = await call('POST', `/media/${started.json.mediaId}/complete`, { token: owner.token })
    })
    const problem = expectProblem(done, 503)
    // The render server could not fetch the source from 127.0.0.1:9 and said so (502, with the URL).
    expect(problem.detail).toBe('The media could not be checked right now: the renderer is unavailable. It stays processing: call complete again in a moment.')
    expect(done.text).not.toMatch(/127\.0\.0\.1|502|storage|Connection/)
    const logged = lines.join('\n')
    expect(logged).toMatch(/the renderer failed/)
    expect(logged).toMatch(/502/)
    // The signed source URL appears in the render server's message, with its token redacted.
    expect(logged).not.toContain(new URL(started.json.uploadUrl).pathname.split('/').pop())
  })

  it('signed storage tokens are redacted wherever a logged line carries one', async () => {
    const token = 'eyJvcCI6ImdldCJ9.c2lnbmF0dXJl'
    const lines = await logsDuring(async () => {
      const log = createLogger({ requestId: 'r1' })
      log.error('unhandled', { path: `/api/storage/${token}`, error: `fetch https://x.example/api/storage/${token}?a=1 failed` })
      log.info('child', { url: `http://127.0.0.1:8787/api/storage/${token}` })
    })
    expect(lines).toHaveLength(2)
    for (const line of lines) {
      expect(line).not.toContain(token)
      expect(line).toContain('/api/storage/[redacted]')
    }
    expect(JSON.parse(lines[0])).toMatchObject({ level: 'error', msg: 'unhandled', requestId: 'r1', path: '/api/storage/[redacted]' })
  })
})
