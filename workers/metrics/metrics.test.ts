/**
 * GET /api/metrics: behind METRICS_TOKEN (404 without one configured, 401 without the right one),
 * in the Prometheus text format (read back with parse-prometheus-text-format), with gauges that
 * match D1 and counters summed in the MetricsStore Durable Object whoever recorded them.
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult, SELF } from 'cloudflare:test'
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format'
import { describe, expect, it, vi } from 'vitest'
import worker from '../index'
import { call, expectProblem, ownerWithProject, readyClip } from '../../test/helpers'
import { platformRequest } from '../platforms/http'
import { withMetrics } from './record'
import { metricsStore } from './store'

let lastText = ''
async function scrape(): Promise<ParsedFamily[]> {
  const res = await SELF.fetch('https://reelpilot.test/api/metrics', { headers: { authorization: `Bearer ${env.METRICS_TOKEN}` } })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8')
  lastText = await res.text()
  return parsePrometheusTextFormat(lastText)
}

/**
 * One histogram series of the last scrape. parse-prometheus-text-format checks the whole text and
 * types each family, but folds a histogram's labelled series into one (a limit of its port of the
 * Python parser), so a series' own lines are read here from the text it accepted.
 */
function histogramSeries(name: string, labels: Record<string, string>) {
  const wanted = (line: string) => Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))
  const lines = lastText.split('\n').filter((l) => l.startsWith(name) && wanted(l))
  const value = (l: string) => Number(l.slice(l.lastIndexOf(' ') + 1))
  const buckets = lines.filter((l) => l.startsWith(`${name}_bucket{`)).map((l) => ({ le: l.match(/le="([^"]+)"/)![1], value: value(l) }))
  const countLine = lines.find((l) => l.startsWith(`${name}_count`))
  const sumLine = lines.find((l) => l.startsWith(`${name}_sum`))
  return { buckets, count: countLine ? value(countLine) : NaN, sum: sumLine ? value(sumLine) : NaN }
}

const familyOf = (families: ParsedFamily[], name: string) => {
  const f = families.find((x) => x.name === name)
  if (!f) throw new Error(`no ${name} in the scrape`)
  return f
}
const valueOf = (families: ParsedFamily[], name: string, labels: Record<string, string>) =>
  Number(familyOf(families, name).metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))?.value ?? 0)

describe('GET /api/metrics', () => {
  it('is 404 when no METRICS_TOKEN is configured, 401 without the right token', async () => {
    const ctx = createExecutionContext()
    const off = await worker.fetch(new Request('https://reelpilot.test/api/metrics', { headers: { authorization: 'Bearer anything' } }), { ...env, METRICS_TOKEN: '' }, ctx)
    expect(off.status).toBe(404)
    expectProblem(await call('GET', '/metrics'), 401)
    expectProblem(await call('GET', '/metrics', { token: `${env.METRICS_TOKEN}x` }), 401)
    // A session is not the metrics token.
    const { token } = await ownerWithProject('scraper', [])
    expectProblem(await call('GET', '/metrics', { token }), 401)
  })

  it('gauges posts, targets, connections and media from D1', async () => {
    const { token, project } = await ownerWithProject('gauges', ['tiktok'])
    const clip = await readyClip(project.workspaceId, project.id)
    await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt: new Date(Date.now() + 86_400_000).toISOString() } })
    const families = await scrape()
    for (const f of ['reelpilot_posts', 'reelpilot_post_targets', 'reelpilot_connections', 'reelpilot_media']) expect(familyOf(families, f).type).toBe('GAUGE')
    const posts = (await env.DB.prepare(`select status, count(*) as n from posts group by status`).all<{ status: string; n: number }>()).results
    expect(posts.length).toBeGreaterThan(0)
    for (const row of posts) expect(valueOf(families, 'reelpilot_posts', { status: row.status })).toBe(row.n)
    const targets = (await env.DB.prepare(`select platform, status, count(*) as n from post_targets group by platform, status`).all<{ platform: string; status: string; n: number }>()).results
    for (const row of targets) expect(valueOf(families, 'reelpilot_post_targets', { platform: row.platform, status: row.status })).toBe(row.n)
    const connections = (await env.DB.prepare(`select platform, status, count(*) as n from connections group by platform, status`).all<{ platform: string; status: string; n: number }>()).results
    for (const row of connections) expect(valueOf(families, 'reelpilot_connections', { platform: row.platform, status: row.status })).toBe(row.n)
    const ready = (await env.DB.prepare(`select count(*) as n from media where status = 'ready'`).first<{ n: number }>())!.n
    expect(valueOf(families, 'reelpilot_media', { status: 'ready' })).toBe(ready)
    // Nothing failed to read.
    expect(familyOf(families, 'reelpilot_metrics_scrape_errors').metrics).toEqual([])
  })

  it('counts requests by route and status with a latency histogram, summed in the Durable Object', async () => {
    const { token } = await ownerWithProject('counter', [])
    const route = { route: '/api/me', method: 'GET', status: '200' }
    const before = valueOf(await scrape(), 'reelpilot_http_requests_total', route)
    for (let i = 0; i < 5; i++) expect((await call('GET', '/me', { token })).status).toBe(200)
    await call('GET', '/me', { token: 'nope' })
    // Each request sends its increments after answering (waitUntil).
    await vi.waitFor(async () => expect(valueOf(await scrape(), 'reelpilot_http_requests_total', route)).toBe(before + 5), { timeout: 10_000, interval: 100 })
    const families = await scrape()
    expect(familyOf(families, 'reelpilot_http_requests_total').type).toBe('COUNTER')
    expect(valueOf(families, 'reelpilot_http_requests_total', { route: '/api/me', status: '401' })).toBeGreaterThanOrEqual(1)
    expect(familyOf(families, 'reelpilot_http_request_duration_seconds').type).toBe('HISTOGRAM')
    const latency = histogramSeries('reelpilot_http_request_duration_seconds', { route: '/api/me', method: 'GET' })
    expect(latency.count).toBeGreaterThanOrEqual(6)
    expect(latency.sum).toBeGreaterThan(0)
    // Buckets in ascending order, cumulative, ending with +Inf = count.
    expect(latency.buckets.at(-1)).toEqual({ le: '+Inf', value: latency.count })
    const bounds = latency.buckets.slice(0, -1).map((b) => Number(b.le))
    expect(bounds).toEqual([...bounds].sort((a, b) => a - b))
    for (let i = 1; i < latency.buckets.length; i++) expect(latency.buckets[i].value).toBeGreaterThanOrEqual(latency.buckets[i - 1].value)

    // Increments from anywhere (another isolate, another instance) add up in the one store.
    await metricsStore(env).add([{ family: 'reelpilot_http_requests_total', sample: 'reelpilot_http_requests_total', labels: { status: '200', method: 'GET', route: '/api/me' }, value: 10 }])
    expect(valueOf(await scrape(), 'reelpilot_http_requests_total', route)).toBe(before + 15)
  })

  it('counts platform calls by platform, operation and outcome, and renders by outcome', async () => {
    const base = env.PLATFORM_API_BASE
    await withMetrics(env, async () => {
      await platformRequest('tiktok', `${base}/tiktok/v2/user/info/?fields=open_id`, { headers: { authorization: 'Bearer not-a-token' }, timeoutMs: 1000 }).catch(() => undefined)
    })
    let families = await scrape()
    const calls = familyOf(families, 'reelpilot_platform_calls_total').metrics.filter((m) => m.labels?.platform === 'tiktok' && m.labels?.operation === 'GET /tiktok/v2/user/info/')
    expect(calls.length).toBeGreaterThan(0)
    expect(calls.every((m) => m.labels?.outcome && m.labels.outcome !== 'ok')).toBe(true)
    expect(histogramSeries('reelpilot_platform_call_duration_seconds', { platform: 'tiktok', operation: 'GET /tiktok/v2/user/info/' }).count).toBeGreaterThanOrEqual(1)
    // No secret or token in any series.
    expect(JSON.stringify(families)).not.toContain('not-a-token')

    // A render delivery (it fails here: the render server cannot reach storage from these tests).
    const { token, project } = await ownerWithProject('render', ['tiktok'])
    const clip = await readyClip(project.workspaceId, project.id)
    const post = (await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt: new Date(Date.now() + 86_400_000).toISOString() } })).json
    await env.DB.prepare(`update posts set status = 'planned', lease_until = null where id = ?`).bind(post.id).run()
    const before = Object.fromEntries(familyOf(await scrape(), 'reelpilot_renders_total').metrics.map((m) => [m.labels!.outcome, Number(m.value)]))
    const batch = createMessageBatch('render-jobs', [{ id: 'metrics-render', timestamp: new Date(), attempts: 1, body: { postId: post.id } }])
    const ctx = createExecutionContext()
    await worker.queue(batch, env, ctx)
    await getQueueResult(batch, ctx)
    families = await scrape()
    const after = Object.fromEntries(familyOf(families, 'reelpilot_renders_total').metrics.map((m) => [m.labels!.outcome, Number(m.value)]))
    // (The queue may deliver the post's own render message meanwhile: then it finds the render busy.)
    const grew = Object.keys(after).filter((k) => after[k] > (before[k] ?? 0))
    expect(grew.filter((k) => k !== 'busy').length).toBe(1)
    for (const outcome of grew) expect(histogramSeries('reelpilot_render_duration_seconds', { outcome }).count).toBe(after[outcome])
  })
})
