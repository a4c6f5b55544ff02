/**
 * One request id follows the work: taken from cf-ray (or made), answered as x-request-id, on every
 * log line of the request, copied into the queue messages it causes and bound by the consumers to
 * theirs. And no line carries a secret or a signed URL.
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import worker from '../index'
import { call, ownerWithProject, readyClip, scheduledPost, unique } from '../../test/helpers'
import { recordingQueues } from '../../test/recording-queues'
import { handlePublishBatch } from '../queues/publish-consumer'
import { gatewayForPost } from '../platforms/post-gateway'
import { enqueueRender } from '../queues/producers'
import { withContext } from './context'
import { log, redact, REDACTED } from './log'

/** Every line the Worker logs while a test runs (the Worker and the tests share the isolate). */
let lines: string[] = []
beforeEach(() => {
  lines = []
  for (const method of ['debug', 'log', 'warn', 'error'] as const) vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void lines.push(args.map(String).join(' ')))
})
afterEach(() => vi.restoreAllMocks())
const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>)

describe('request ids', () => {
  it('takes cf-ray as the request id, answers it as x-request-id and puts it on every line of the request', async () => {
    const ray = `8f${unique('ray').replace(/[^a-z0-9]/g, '')}-CDG`
    // A refused session token logs a warning inside the request, then the access line.
    const res = await call('GET', '/me', { token: 'not-a-token', headers: { 'cf-ray': ray } })
    expect(res.status).toBe(401)
    expect(res.headers.get('x-request-id')).toBe(ray)
    const mine = parsed()
    expect(mine.map((l) => l.msg)).toEqual(expect.arrayContaining(['session token refused', 'request']))
    for (const line of mine) expect(line.requestId).toBe(ray)
    expect(mine.find((l) => l.msg === 'request')).toMatchObject({ method: 'GET', route: '/api/me', status: 401 })
  })

  it('makes one when there is no cf-ray (or it is not one), different per request', async () => {
    const a = await call('GET', '/health')
    const b = await call('GET', '/health', { headers: { 'cf-ray': 'not a ray; <script>' } })
    const [idA, idB] = [a.headers.get('x-request-id'), b.headers.get('x-request-id')]
    expect(idA).toMatch(/^req-[0-9a-f-]{36}$/)
    expect(idB).toMatch(/^req-[0-9a-f-]{36}$/)
    expect(idA).not.toBe(idB)
  })

  it('follows a post from the request that made it into the messages it caused', async () => {
    const { token, project } = await ownerWithProject()
    const clip = await readyClip(project.workspaceId, project.id)
    const ray = `9a${unique('ray').replace(/[^a-z0-9]/g, '')}-AMS`
    // The Worker's own fetch, with its queues recorded: what the request sent, and under which id.
    const rec = recordingQueues({ forward: false })
    const req = new Request(`https://reelpilot.test/api/projects/${project.id}/posts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'cf-ray': ray },
      body: JSON.stringify({ mediaId: clip, scheduledAt: new Date(Date.now() + 86_400_000).toISOString() }),
    })
    const res = await worker.fetch(req, rec.env as Env, createExecutionContext())
    expect(res.status).toBe(201)
    const post = (await res.json()) as { id: string }
    expect(rec.sent.render.map((s) => s.body)).toEqual([{ postId: post.id, requestId: ray }])

    // The render consumer handles that message under the same id.
    const batch = createMessageBatch('render-jobs', [{ id: 'render-1', timestamp: new Date(), attempts: 1, body: rec.sent.render[0].body }])
    const ctx = createExecutionContext()
    await worker.queue(batch, env, ctx)
    await getQueueResult(batch, ctx)
    const mine = parsed().filter((l) => l.messageId === 'render-1')
    // (The render itself fails here: the render server cannot reach storage from inside these tests.)
    expect(mine.length).toBeGreaterThan(0)
    for (const line of mine) expect(line).toMatchObject({ requestId: ray, queue: 'render-jobs', postId: post.id })
  })

  it('producers copy the current request id into each message; consumers log under it and pass it on', async () => {
    const rec = recordingQueues({ forward: false })
    await withContext({ requestId: 'req-producer' }, () => enqueueRender(rec.env, ['post_a', 'post_b']))
    await enqueueRender(rec.env, ['post_c'])
    expect(rec.sent.render.map((s) => s.body)).toEqual([
      { postId: 'post_a', requestId: 'req-producer' },
      { postId: 'post_b', requestId: 'req-producer' },
      { postId: 'post_c' },
    ])

    // A due post published on the TikTok sandbox is polled next: the poll message keeps the id.
    const { postId } = await scheduledPost(-1000)
    // The render scheduledPost pretends was made.
    await env.MEDIA.put('r', new Uint8Array(2048))
    await env.MEDIA.put('c', new Uint8Array(64))
    await env.DB.prepare(`update posts set render_size = 2048 where id = ?`).bind(postId).run()
    const batch = createMessageBatch('publish-jobs', [{ id: 'pub-1', timestamp: new Date(), attempts: 1, body: { postId, platform: 'tiktok', requestId: 'ray-from-api' } }])
    await handlePublishBatch(batch, rec.env as Env, { gateway: gatewayForPost })
    const mine = parsed().filter((l) => l.messageId === 'pub-1')
    expect(mine.length).toBeGreaterThan(0)
    for (const line of mine) expect(line).toMatchObject({ requestId: 'ray-from-api', queue: 'publish-jobs', postId })
    expect(rec.sent.publish.map((s) => s.body)).toEqual([expect.objectContaining({ postId, platform: 'tiktok', kind: 'poll', requestId: 'ray-from-api' })])

    // A message without one (sent before ids existed) is handled under its message id; a bad one is ignored.
    const old = createMessageBatch('publish-jobs', [
      { id: 'old-1', timestamp: new Date(), attempts: 1, body: { postId: 'post_gone', platform: 'tiktok' } },
      { id: 'odd-1', timestamp: new Date(), attempts: 1, body: { postId: 'post_gone', platform: 'tiktok', requestId: 'x'.repeat(500) } },
    ])
    const ctx = createExecutionContext()
    await worker.queue(old, env, ctx)
    expect((await getQueueResult(old, ctx)).explicitAcks).toEqual(['old-1', 'odd-1'])
    expect(parsed().find((l) => l.messageId === 'old-1')?.requestId).toBe('msg-old-1')
    expect(parsed().find((l) => l.messageId === 'odd-1')?.requestId).toBe('msg-odd-1')
  })
})

describe('no secret in any log line', () => {
  it('the API, the storage route and the publishers log none of the secrets and signed URLs they handle', async () => {
    const { token, project, workspace } = await ownerWithProject()
    const key = await call('POST', `/workspaces/${workspace.id}/api-keys`, { token, body: { name: 'ci', role: 'editor' } })
    expect(key.status).toBe(201)
    const apiKey = key.json.secret as string
    await call('GET', `/projects?workspaceId=${workspace.id}`, { token: apiKey })
    await call('GET', '/me', { token: `${apiKey}x` })
    const up = await call('POST', '/media/upload-url', { token, body: { projectId: project.id, filename: 'a.mp4', contentType: 'video/mp4', size: 10 } })
    expect(up.status).toBe(201)
    const uploadUrl = new URL(up.json.uploadUrl as string)
    // A wrong-sized upload is refused: the refusal is logged, the URL must not be.
    await call('PUT', uploadUrl.pathname.replace(/^\/api/, ''), { body: 'too long for ten bytes' })
    await call('GET', `${uploadUrl.pathname.replace(/^\/api/, '')}x`)
    const { postId } = await scheduledPost(-1000)
    const batch = createMessageBatch('publish-jobs', ['youtube', 'tiktok', 'instagram'].map((platform, i) => ({ id: `p${i}`, timestamp: new Date(), attempts: 1, body: { postId, platform } })))
    await handlePublishBatch(batch, env, { gateway: gatewayForPost })

    const text = lines.join('\n')
    expect(lines.length).toBeGreaterThan(5)
    const storageToken = uploadUrl.pathname.split('/').pop()!
    for (const secret of [token, apiKey, storageToken, env.UPLOAD_SIGNING_KEY, env.TOKEN_ENCRYPTION_KEY, env.YOUTUBE_CLIENT_SECRET, env.TIKTOK_CLIENT_SECRET, env.INSTAGRAM_APP_SECRET, env.RENDER_SHARED_SECRET]) {
      expect(secret.length).toBeGreaterThan(8)
      expect(text).not.toContain(secret)
    }
    expect(text).not.toMatch(/\/api\/storage\/(?!\[redacted\]|:token)/)
  })

  it('masks secrets wherever a caller puts them', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c3JfMSJ9.c2lnbmF0dXJl'
    const fields = {
      error: `fetch https://reelpilot.test/api/storage/eyJvcCI6InB1dCJ9.abc123?x=1 failed; Authorization: Bearer ${jwt}`,
      url: 'https://up.example/v?X-Amz-Signature=deadbeef&X-Amz-Credential=AKIA/x&partNumber=2',
      nested: { accessToken: 'ya29.secret', refresh_token: 'r1', apiKey: 'rp_abcdefghijklmnop', clientSecret: 'shh', headers: { authorization: 'Basic x' } },
      note: `key rp_abcdefghijklmnop and ${jwt}`,
      postId: 'post_1',
    }
    const out = JSON.stringify(redact(fields))
    for (const secret of ['abc123', jwt, 'deadbeef', 'AKIA', 'ya29.secret', '"r1"', 'rp_abcdefghijklmnop', 'shh', 'Basic x']) expect(out).not.toContain(secret)
    expect(out).toContain('post_1')
    expect(out).toContain('partNumber=2')
    expect(out).toContain(REDACTED)
    log.warn('masked at the source', { error: fields.error })
    expect(lines.at(-1)).not.toContain(jwt)
  })
})
