/**
 * Issue #11 (security), the items that live in the Worker: each test fails on the code before
 * its fix. Real D1, R2 and the real render server (which, in these tests, cannot reach the Worker).
 */
import { createExecutionContext, env, SELF } from 'cloudflare:test'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { call, expectProblem, ownerWithProject, ownerWithWorkspace, readyClip } from '../../test/helpers'
import { cookiesFrom, stubAccount } from '../../test/platform-stubs'
import { createLogger } from '../lib/log'
import { createWorkerApp } from '../app'
import { createDb } from '../db/client'
import { processMedia } from '../media/check'

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

describe('the OAuth redirect_uri is made on PUBLIC_URL, whatever Host the request names (13)', () => {
  it('a spoofed Host, X-Forwarded-Host or Forwarded header cannot choose where the platform sends the code', async () => {
    const { token, project } = await ownerWithProject('oauth-host', [])
    const expected = new URL('/oauth/youtube/callback', env.PUBLIC_URL).toString()
    for (const [url, headers] of [
      ['https://evil.example/api', {}],
      ['https://reelpilot.test/api', { host: 'evil.example', 'x-forwarded-host': 'evil.example', forwarded: 'host=evil.example;proto=https' }],
    ] as const) {
      const res = await SELF.fetch(`${url}/projects/${project.id}/connections`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ platform: 'youtube' }),
      })
      expect(res.status).toBe(200)
      const authorize = new URL(((await res.json()) as any).authorizeUrl)
      expect(authorize.searchParams.get('redirect_uri')).toBe(expected)
    }
  })

  it('the code is exchanged with the same PUBLIC_URL redirect_uri when the callback arrives on another Host', async () => {
    const { token, project } = await ownerWithProject('oauth-host-cb', [])
    const account = await stubAccount('youtube')
    const started = await call('POST', `/projects/${project.id}/connections`, { token, body: { platform: 'youtube' } })
    const authorize = new URL(started.json.authorizeUrl)
    authorize.searchParams.set('stub_account', account.accountId)
    const consent = await fetch(authorize, { redirect: 'manual' })
    const location = new URL(consent.headers.get('location')!)
    expect(location.origin).toBe(new URL(env.PUBLIC_URL).origin)
    // The same callback reached through another name: the stub accepts the code only with the redirect_uri it was issued for.
    const cookie = `${cookiesFrom(started.headers)}; __session=${token}`
    const callback = await SELF.fetch(`https://evil.example${location.pathname}${location.search}`, { redirect: 'manual', headers: { cookie } })
    expect(callback.status).toBe(302)
    expect(callback.headers.get('location')).toBe(`/projects/${project.id}/connections?connected=youtube`)
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

describe('anonymous routes are limited per client address, before any work (8)', () => {
  // The per-client limiters replaced by one of 3 a minute, so a test reaches the limit in a few calls.
  const tiny = { ...env, ANON_RATE_LIMITER: env.TEST_TINY_LIMITER, STORAGE_RATE_LIMITER: env.TEST_TINY_LIMITER, AUTH_FAILURE_LIMITER: env.TEST_TINY_LIMITER }
  const app = createWorkerApp(async () => new Response('the web app'))
  const address = () => `198.51.100.${Math.floor(Math.random() * 250)}-${Math.random().toString(36).slice(2, 8)}`
  const send = (method: string, path: string, ip: string | null, headers: Record<string, string> = {}, body?: string) =>
    app.request(path, { method, headers: { ...(ip ? { 'cf-connecting-ip': ip } : {}), ...headers }, body }, tiny, createExecutionContext())

  /**
   * The first 3 calls get the route's own answer; a 429 follows within the next 4 (the limiter
   * counts in fixed windows, so a window ending mid-test allows at most 3 more).
   */
  async function expectLimited(call: (ip: string | null) => Response | Promise<Response>, ownStatus: number) {
    const ip = address()
    for (let i = 0; i < 3; i++) expect((await call(ip)).status, `call ${i + 1}`).toBe(ownStatus)
    let limited: Response | undefined
    for (let i = 0; i < 4 && !limited; i++) {
      const res = await call(ip)
      if (res.status === 429) limited = res
      else expect(res.status).toBe(ownStatus)
    }
    expect(limited, 'a 429 within 7 calls').toBeDefined()
    expect(limited!.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await limited!.json()).toMatchObject({ status: 429, error: 'Rate limit exceeded' })
    // Another address is counted apart.
    expect((await call(address())).status).toBe(ownStatus)
    return ip
  }

  it('health (deep and live), per address; without CF-Connecting-IP a local deployment does not count', async () => {
    await expectLimited((ip) => send('GET', '/api/health/live', ip), 200)
    await expectLimited((ip) => send('GET', '/api/health', ip), 200)
    for (let i = 0; i < 8; i++) expect((await send('GET', '/api/health/live', null)).status).toBe(200)
  })

  it('local sign-in, signed storage URLs, the OAuth callbacks and the sandbox post page', async () => {
    await expectLimited((ip) => send('POST', '/api/dev/token', ip, { 'content-type': 'application/json' }, JSON.stringify({ email: 'rate@example.com' })), 200)
    await expectLimited((ip) => send('GET', '/api/storage/not-a-token', ip), 403)
    await expectLimited((ip) => send('GET', '/oauth/youtube/callback?code=x&state=y', ip), 400)
    await expectLimited((ip) => send('GET', '/oauth/sandbox/posts/nope', ip), 404)
  })

  it('unknown API keys: 401 until the budget is spent, then 429 before any lookup, for every key from that address', async () => {
    const { token, workspace } = await ownerWithWorkspace('keys')
    const key = (await call('POST', `/workspaces/${workspace.id}/api-keys`, { token, body: { name: 'k', role: 'viewer' } })).json.secret as string
    const asKey = (secret: string) => (ip: string | null) => send('GET', '/api/me', ip, { authorization: `Bearer ${secret}` })
    const ip = await expectLimited(asKey('rp_guessed_000000000000000000000000'), 401)
    // Over the budget, even a real key from that address waits for the window to end.
    expect((await asKey(key)(ip)).status).toBe(429)
    expect((await asKey(key)(address())).status).toBe(200)
  })
})

describe('security headers and the Origin check (7)', () => {
  const pages: { nonce: string }[] = []
  const app = createWorkerApp(async (request, _env, _ctx, nonce) => {
    pages.push({ nonce })
    return new Response(`<!doctype html><script nonce="${nonce}">1</script>${request.method}`, { headers: { 'content-type': 'text/html' } })
  })
  const send = (path: string, init: RequestInit = {}, over: Partial<Env> = {}) => app.request(path, init, { ...env, ...over }, createExecutionContext())

  it('pages and API answers carry CSP (own assets, a script nonce, wasm for the preview, no framing), HSTS, nosniff and Referrer-Policy', async () => {
    for (const path of ['/api/health/live', '/projects/x/library', '/api/nope']) {
      const res = await send(path)
      const csp = res.headers.get('content-security-policy') ?? ''
      expect(csp, path).toMatch(/default-src 'self'/)
      expect(csp).toMatch(/frame-ancestors 'none'/)
      expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'wasm-unsafe-eval'/)
      expect(csp).toMatch(/object-src 'none'/)
      expect(csp).not.toMatch(/unsafe-eval'(?<!wasm-unsafe-eval')|\*/)
      expect(res.headers.get('strict-transport-security')).toMatch(/max-age=\d{7,}/)
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
      expect(res.headers.get('x-frame-options')).toBe('DENY')
    }
    // The page's inline script carries the nonce its CSP names.
    const page = await send('/dashboard')
    const nonce = /'nonce-([^']+)'/.exec(page.headers.get('content-security-policy')!)![1]
    expect(pages.at(-1)!.nonce).toBe(nonce)
    expect(await page.text()).toContain(`nonce="${nonce}"`)
    // With Clerk configured, its Frontend API (the sign-in script) is allowed, and nothing else remote.
    const host = 'clerk.reelpilot.example'
    const clerk = await send('/sign-in', {}, { CLERK_PUBLISHABLE_KEY: `pk_live_${btoa(`${host}$`)}`, APP_ENV: 'local' })
    const clerkCsp = clerk.headers.get('content-security-policy')!
    expect(clerkCsp).toMatch(new RegExp(`script-src [^;]*https://${host.replace(/\./g, '\\.')}`))
    expect(clerkCsp).toMatch(new RegExp(`connect-src [^;]*https://${host.replace(/\./g, '\\.')}`))
  })

  it('a page opened on another name for the Worker is sent to PUBLIC_URL, where its storage links and cookie work (13)', async () => {
    const navigate = { headers: { 'sec-fetch-mode': 'navigate' } }
    // wrangler dev says "Ready on http://127.0.0.1:…" while PUBLIC_URL is localhost: the first upload would break on the CSP.
    const elsewhere = await send('http://localhost:9/projects/p1/library?tab=clips', navigate)
    expect(elsewhere.status).toBe(308)
    expect(elsewhere.headers.get('location')).toBe('http://127.0.0.1:9/projects/p1/library?tab=clips')
    // On PUBLIC_URL the page is served; the API, fetches by scripts and other methods are never redirected.
    expect((await send('http://127.0.0.1:9/projects/p1/library', navigate)).status).toBe(200)
    expect((await send('http://localhost:9/projects/p1/library')).status).toBe(200)
    expect((await send('http://localhost:9/api/health/live', navigate)).status).toBe(200)
  })

  it('storage downloads are attachments with nosniff', async () => {
    const { token, project } = await ownerWithProject('dl', [])
    const clip = await readyClip(project.workspaceId, project.id)
    const item = await call('GET', `/media/${clip}`, { token })
    const res = await SELF.fetch(item.json.downloadUrl)
    expect(res.status).toBe(200)
    await res.arrayBuffer()
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="clip.mp4"; filename*=UTF-8''clip.mp4`)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('content-type')).toBe('video/mp4')
  })

  it("refuses writes another site's page sends (form actions with the session cookie, and the API), not those of API clients", async () => {
    const cookie = { cookie: '__session=whatever' }
    const evil = await send('/projects/p/connections', { method: 'POST', headers: { ...cookie, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' }, body: 'intent=disconnect' })
    expect(evil.status).toBe(403)
    expect(evil.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    const before = pages.length
    expect((await send('/projects/p/connections', { method: 'POST', headers: { ...cookie, 'sec-fetch-site': 'cross-site' } })).status).toBe(403)
    expect((await send('/projects/p/connections', { method: 'POST', headers: { ...cookie, origin: 'null' } })).status).toBe(403)
    expect(pages.length).toBe(before)
    // The page's own origin (the request's, or PUBLIC_URL) goes through to the action.
    expect((await send('http://localhost/projects/p/connections', { method: 'POST', headers: { ...cookie, origin: 'http://localhost' } })).status).toBe(200)
    expect((await send('/projects/p/connections', { method: 'POST', headers: { ...cookie, origin: new URL(env.PUBLIC_URL).origin, 'sec-fetch-site': 'same-origin' } })).status).toBe(200)
    expect(pages.length).toBe(before + 2)
    // The API: a cross-site write is refused before authentication; an API client (no Origin) is not.
    const { token } = await ownerWithWorkspace('origin')
    const body = JSON.stringify({ name: 'X', slug: `x-${Date.now().toString(36)}` })
    expect((await send('/api/workspaces', { method: 'POST', headers: { authorization: `Bearer ${token}`, origin: 'https://evil.example', 'content-type': 'application/json' }, body })).status).toBe(403)
    expect((await send('/api/workspaces', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body })).status).toBe(201)
  })
})

describe('a refused file is a clear 4xx (14)', () => {
  it('complete answers 422 problem+json naming the file and why, with the rejected item; again, the same', async () => {
    const { token, project } = await ownerWithProject('refused', [])
    const started = await call('POST', '/media/upload-url', { token, body: { projectId: project.id, filename: 'notes.mp4', contentType: 'video/mp4', size: 4 } })
    expect((await SELF.fetch(started.json.uploadUrl, { method: 'PUT', body: new Uint8Array(4) })).status).toBe(200)
    // The check refused it (here the render server cannot reach this Worker, so the verdict is written as check.ts writes it).
    await env.DB.prepare(`update media set status = 'rejected', rejection_reason = 'not a video', completed_at = ? where id = ?`).bind(new Date().toISOString(), started.json.mediaId).run()
    for (let i = 0; i < 2; i++) {
      const refused = expectProblem(await call('POST', `/media/${started.json.mediaId}/complete`, { token }), 422)
      expect(refused).toMatchObject({
        status: 422,
        detail: 'This file was refused: not a video.',
        errors: [{ field: 'file', message: 'not a video' }],
        media: { id: started.json.mediaId, status: 'rejected', rejectionReason: 'not a video', thumbnailUrl: null },
      })
    }
  })
})

describe('media checks are joined, and everyone gets the one right answer (5, 14)', () => {
  async function processingItem() {
    const owner = await ownerWithWorkspace('check')
    const project = await call('POST', '/projects', { token: owner.token, body: { workspaceId: owner.workspace.id, name: 'Checks' } })
    const started = await call('POST', '/media/upload-url', { token: owner.token, body: { projectId: project.json.id, filename: 'a.mp4', contentType: 'video/mp4', size: 4 } })
    expect((await SELF.fetch(started.json.uploadUrl, { method: 'PUT', body: new Uint8Array(4) })).status).toBe(200)
    // The render server cannot reach this Worker: the first complete leaves the item processing.
    expectProblem(await call('POST', `/media/${started.json.mediaId}/complete`, { token: owner.token }), 503)
    return { token: owner.token, mediaId: started.json.mediaId as string }
  }

  it('parallel completes of one item make one check, and all get its answer', async () => {
    const { token, mediaId } = await processingItem()
    let answers: Awaited<ReturnType<typeof call>>[] = []
    const lines = await logsDuring(async () => {
      answers = await Promise.all(Array.from({ length: 5 }, () => call('POST', `/media/${mediaId}/complete`, { token })))
    })
    for (const answer of answers) expect(answer.status).toBe(503)
    expect(new Set(answers.map((a) => a.text)).size).toBe(1)
    // One probe reached the render server (and failed there), not five.
    expect(lines.filter((l) => l.includes('media check: the renderer failed'))).toHaveLength(1)
  })

  it('a check running in another isolate (its lease on the row) is joined: no second probe, its verdict answered', async () => {
    const { token, mediaId } = await processingItem()
    const lines: string[] = []
    for (const level of ['log', 'warn', 'error', 'debug'] as const) vi.spyOn(console, level).mockImplementation((line: unknown) => void lines.push(String(line)))
    const holdLease = () => env.DB.prepare(`update media set check_lease_id = 'other-isolate', check_lease_until = ? where id = ?`).bind(new Date(Date.now() + 600_000).toISOString(), mediaId).run()
    const joining = () => vi.waitFor(() => expect(lines.filter((l) => l.includes('joining the check another run holds'))).not.toHaveLength(0), { timeout: 20_000 })

    // The other run gives up (the renderer was unreachable there): this call answers its 503, without asking again.
    await holdLease()
    const first = call('POST', `/media/${mediaId}/complete`, { token })
    await joining()
    await env.DB.prepare(`update media set check_lease_id = null, check_lease_until = null where id = ?`).bind(mediaId).run()
    expectProblem(await first, 503)

    // The other run settles the item: this call answers its verdict.
    lines.length = 0
    await holdLease()
    const second = call('POST', `/media/${mediaId}/complete`, { token })
    await joining()
    await env.DB.prepare(`update media set status = 'rejected', rejection_reason = 'not a video', check_lease_id = null, check_lease_until = null where id = ?`).bind(mediaId).run()
    const answer = expectProblem(await second, 422)
    expect(answer.media).toMatchObject({ id: mediaId, status: 'rejected', rejectionReason: 'not a video' })
    vi.restoreAllMocks()
    expect(lines.filter((l) => l.includes('media check: the renderer failed'))).toHaveLength(0)
    // The lease columns are not part of the API.
    expect(Object.keys(answer.media as object)).not.toContain('checkLeaseId')
  })

  it("a lease whose run died (it ran out) is taken over: the check runs, and the sweeper leaves a live one alone", async () => {
    const { token, mediaId } = await processingItem()
    await env.DB.prepare(`update media set check_lease_id = 'dead-isolate', check_lease_until = ? where id = ?`).bind(new Date(Date.now() - 1000).toISOString(), mediaId).run()
    const lines = await logsDuring(async () => expectProblem(await call('POST', `/media/${mediaId}/complete`, { token }), 503))
    expect(lines.filter((l) => l.includes('media check: the renderer failed'))).toHaveLength(1)
    // Released after the run: the row holds no lease.
    expect(await env.DB.prepare('select check_lease_id as id, check_lease_until as until from media where id = ?').bind(mediaId).first()).toEqual({ id: null, until: null })

    const db = createDb(env.DB)
    await env.DB.prepare(`update media set check_lease_id = 'live-isolate', check_lease_until = ? where id = ?`).bind(new Date(Date.now() + 600_000).toISOString(), mediaId).run()
    const row = (await db.query.media.findFirst({ where: (m, { eq }) => eq(m.id, mediaId) }))!
    const swept = await logsDuring(async () => expect(await processMedia(env, db, row, env.PUBLIC_URL, { wait: false })).toMatchObject({ status: 'processing', checkLeaseId: 'live-isolate' }))
    expect(swept.filter((l) => l.includes('media check: the renderer failed'))).toHaveLength(0)
  })

  it('a run whose renderer call failed because another run already rejected the item answers the rejection, not a 503', async () => {
    const { mediaId } = await processingItem()
    const db = createDb(env.DB)
    const stale = (await env.DB.prepare('select * from media where id = ?').bind(mediaId).first<any>())!
    const row = await db.query.media.findFirst({ where: (m, { eq }) => eq(m.id, mediaId) })
    expect(stale.status).toBe('processing')
    // Another complete rejected it meanwhile (and removed the bytes this run is about to read).
    await env.DB.prepare(`update media set status = 'rejected', rejection_reason = 'not a video' where id = ?`).bind(mediaId).run()
    const answer = await processMedia(env, db, row!, env.PUBLIC_URL)
    expect(answer).toMatchObject({ id: mediaId, status: 'rejected', rejectionReason: 'not a video' })
  })
})
