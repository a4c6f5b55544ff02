import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { call } from '../../test/helpers'

describe('GET /api/health', () => {
  it('probes every service for real and reports them healthy', async () => {
    const res = await call('GET', '/health')
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({
      status: 'ok',
      services: { database: 'healthy', storage: 'healthy', queues: 'healthy', renderer: 'healthy' },
    })
    expect(Date.parse(res.json.timestamp)).toBeGreaterThan(Date.now() - 60_000)
  })

  it('answers 503 degraded and names the renderer when the render server is down', async () => {
    const { healthApi } = await import('./health')
    // The same route, with RENDER_URL pointing at a port nothing listens on.
    const res = await healthApi.request('/health', {}, { ...env, RENDER_URL: 'http://127.0.0.1:9' })
    expect(res.status).toBe(503)
    const body = (await res.json()) as any
    expect(body.status).toBe('degraded')
    expect(body.services).toMatchObject({ database: 'healthy', storage: 'healthy', queues: 'healthy', renderer: 'unhealthy' })
    expect(body.errors.renderer).toBeTruthy()
  })

  it("passes on the render server's reason when its tools are missing (here, ffprobe)", async () => {
    const { healthApi } = await import('./health')
    const res = await healthApi.request('/health', {}, { ...env, RENDER_URL: env.BROKEN_RENDER_URL })
    expect(res.status).toBe(503)
    const body = (await res.json()) as any
    expect(body.status).toBe('degraded')
    expect(body.services).toMatchObject({ database: 'healthy', storage: 'healthy', queues: 'healthy', renderer: 'unhealthy' })
    expect(body.errors.renderer).toBe('render server answered 503: ffprobe not found: /nonexistent/ffprobe')
  })

  it('reports the renderer unhealthy, not a 500, when renders go to containers that cannot start here', async () => {
    const { healthApi } = await import('./health')
    // No RENDER_URL: the production path, the RenderContainer. Without Docker it cannot start.
    const res = await healthApi.request('/health', {}, { ...env, RENDER_URL: '' })
    expect(res.status).toBe(503)
    const body = (await res.json()) as any
    expect(body.services.renderer).toBe('unhealthy')
    expect(body.services.database).toBe('healthy')
  })
})

describe('health is cheap to ask (16) and says little outside local mode (9)', () => {
  it('shares one deep probe between callers for a few seconds: the same answer, the same timestamp', async () => {
    const { healthApi } = await import('./health')
    const probeEnv = { ...env, RENDER_URL: `${env.RENDER_URL}/` }
    const [a, b] = await Promise.all([healthApi.request('/health', {}, probeEnv), healthApi.request('/health', {}, probeEnv)])
    const c = await healthApi.request('/health', {}, probeEnv)
    const [ja, jb, jc] = (await Promise.all([a.json(), b.json(), c.json()])) as any[]
    expect(ja.status).toBe('ok')
    expect(jb.timestamp).toBe(ja.timestamp)
    expect(jc.timestamp).toBe(ja.timestamp)
    expect(c.headers.get('cache-control')).toBe('no-store')
  })

  it('answers liveness without probing anything, even with every service down', async () => {
    const { healthApi } = await import('./health')
    const down = { ...env, RENDER_URL: 'http://127.0.0.1:9', DB: undefined, MEDIA: undefined } as unknown as Env
    const res = await healthApi.request('/health/live', {}, down)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ status: 'ok' })
    expect((await call('GET', '/health/live')).status).toBe(200)
  })

  it("outside local mode names the failing service but keeps the render server's reason for the logs", async () => {
    const { healthApi } = await import('./health')
    const res = await healthApi.request('/health', {}, { ...env, APP_ENV: 'production', RENDER_URL: `${env.BROKEN_RENDER_URL}/` })
    expect(res.status).toBe(503)
    const body = (await res.json()) as any
    expect(body.services.renderer).toBe('unhealthy')
    expect(body.errors.renderer).toBe('renderer is unavailable (the reason is in the logs)')
    expect(JSON.stringify(body)).not.toMatch(/ffprobe|nonexistent/)
  })
})
