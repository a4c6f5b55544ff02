// The render server serves only its Worker: the shared secret, the Worker's origin only, and
// every FFmpeg input behind the protocol whitelist. No FFmpeg runs here: each request is refused
// before anything is fetched.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listenHost, onAllowedOrigin, secretMatches } from './access.ts'
import { parseRenderSpec, planRender } from './recipe/index.ts'
import { renderFiles } from './render-job.ts'
import { renderServerSettings } from './config.ts'
import { createRenderServer } from './server.ts'
import { startRenderServer } from './test-support.ts'

const SECRET = 'a-long-shared-secret-from-the-worker'
const ORIGIN = 'https://reelpilot.example'
let server: Awaited<ReturnType<typeof startRenderServer>>

beforeAll(async () => {
  server = await startRenderServer({ secret: SECRET, allowedOrigins: [ORIGIN] })
})
afterAll(() => server.close())

const post = (path: string, body: unknown, authorization?: string) =>
  fetch(`${server.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body: JSON.stringify(body) })

describe('render server access', () => {
  it('answers 401 to every route without the shared secret, or with another one', async () => {
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${SECRET}x`, SECRET, 'Bearer ']) {
      expect((await fetch(`${server.base}/health`, { headers: authorization ? { authorization } : {} })).status, String(authorization)).toBe(401)
      expect((await post('/probe', { sourceUrl: `${ORIGIN}/api/storage/t` }, authorization)).status).toBe(401)
    }
    expect((await fetch(`${server.base}/health`, { headers: { authorization: `Bearer ${SECRET}` } })).status).not.toBe(401)
  })

  it("fetches and uploads only on the Worker's origin, naming the field", async () => {
    const auth = `Bearer ${SECRET}`
    for (const sourceUrl of ['http://169.254.169.254/latest/meta-data/', 'http://127.0.0.1:8080/health', 'https://evil.example/x.mp4', `https://user:pw@reelpilot.example/x`, 'file:///etc/passwd']) {
      const res = await post('/probe', { sourceUrl }, auth)
      expect(res.status, sourceUrl).toBe(400)
      expect(((await res.json()) as { error: string }).error).toMatch(/sourceUrl/)
    }
    const upload = await post('/thumbnail', { sourceUrl: `${ORIGIN}/api/storage/a`, uploadUrl: 'https://attacker.example/put' }, auth)
    expect(upload.status).toBe(400)
    expect(((await upload.json()) as { error: string }).error).toMatch(/uploadUrl/)
    const logo = await post('/render', { sourceUrl: `${ORIGIN}/a`, outputUrl: `${ORIGIN}/b`, coverUrl: `${ORIGIN}/c`, logoUrl: 'http://10.0.0.1/logo.png', spec: { trim: { durationSec: 5 }, style: 'corporate' } }, auth)
    expect(logo.status).toBe(400)
    expect(((await logo.json()) as { error: string }).error).toMatch(/logoUrl/)
  })

  it('does not start without a secret or an allowed origin', () => {
    expect(() => createRenderServer({ secret: '', allowedOrigins: [ORIGIN] })).toThrow(/RENDER_SHARED_SECRET/)
    expect(() => createRenderServer({ secret: SECRET, allowedOrigins: [] })).toThrow(/RENDER_ALLOWED_ORIGINS/)
    // Every missing setting is named at once, from the environment when no option gives it.
    expect(() => renderServerSettings({}, {})).toThrow(/RENDER_SHARED_SECRET.*RENDER_ALLOWED_ORIGINS/s)
    expect(renderServerSettings({}, { RENDER_SHARED_SECRET: SECRET, PUBLIC_URL: `${ORIGIN}/` })).toMatchObject({ secret: SECRET, allowedOrigins: [ORIGIN], ffmpeg: 'ffmpeg', checkConcurrency: 2 })
    expect(() => renderServerSettings({}, { RENDER_SHARED_SECRET: SECRET, PUBLIC_URL: ORIGIN, CHECK_CONCURRENCY: 'many' })).toThrow(/CHECK_CONCURRENCY/)
  })

  it('listens on 127.0.0.1 unless HOST says otherwise (the container sets 0.0.0.0)', () => {
    expect(listenHost({})).toBe('127.0.0.1')
    expect(listenHost({ HOST: '0.0.0.0' })).toBe('0.0.0.0')
  })

  it('compares secrets and origins strictly', () => {
    expect(secretMatches(`Bearer ${SECRET}`, SECRET)).toBe(true)
    expect(secretMatches(`Bearer ${SECRET.slice(0, -1)}`, SECRET)).toBe(false)
    expect(onAllowedOrigin('https://reelpilot.example.evil.com/x', [ORIGIN])).toBe(false)
    expect(onAllowedOrigin('https://reelpilot.example/api/storage/t?x=1', [ORIGIN])).toBe(true)
  })

  it('gives every FFmpeg input that is a URL, the logo too, the protocol whitelist and timeouts', () => {
    const req = { sourceUrl: `${ORIGIN}/api/storage/src`, logoUrl: `${ORIGIN}/api/storage/logo` }
    const plan = planRender(parseRenderSpec({ trim: { durationSec: 5 }, style: 'corporate' }), { durationSec: 10, hasAudio: true }, renderFiles(req, '/tmp/x'))
    const args = plan.renderArgs(null)
    const urlInputs = args.flatMap((a, i) => (a === '-i' && /^https?:/.test(args[i + 1]) ? [i] : []))
    expect(urlInputs).toHaveLength(2)
    for (const i of urlInputs) {
      const before = args.slice(Math.max(0, i - 8), i)
      expect(before, args[i + 1]).toContain('-protocol_whitelist')
      expect(before, args[i + 1]).toContain('-rw_timeout')
    }
  })
})
