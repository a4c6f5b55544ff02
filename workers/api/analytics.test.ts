import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { call, expectProblem, memberWithRole } from '../../test/helpers'
import { duePost } from '../../test/platform-stubs'
import { collectStep } from '../analytics/consumer'
import { gatewayForPost } from '../platforms/post-gateway'
import { publishStep } from '../queues/publish-consumer'

/** A post published to sandbox accounts on three platforms, pulled at 1 h, 6 h and 24 h. */
async function publishedAndPulled() {
  const platforms = ['youtube', 'tiktok', 'instagram'] as const
  const { token, project, postId } = await duePost([...platforms], async (token, projectId) => {
    for (const platform of platforms) await call('POST', `/projects/${projectId}/connections`, { token, body: { platform, mode: 'sandbox' } })
  })
  for (const platform of platforms) {
    let step = await publishStep(env, { postId, platform, kind: 'publish' }, { gateway: gatewayForPost })
    for (let i = 0; step === 'processing' && i < 5; i++) step = await publishStep(env, { postId, platform, kind: 'poll' }, { gateway: gatewayForPost })
    expect(step).toBe('published')
  }
  const pulls = (await env.DB.prepare('select platform, next_at from metric_pulls where post_id = ?').bind(postId).all<{ platform: any; next_at: string }>()).results
  expect(pulls).toHaveLength(3)
  for (const pull of pulls) {
    let at = Date.parse(pull.next_at)
    for (const pullIndex of [0, 1, 2]) {
      const step = await collectStep(env, { projectId: project.id, platform: pull.platform, targets: [{ postId, pullIndex }] }, { now: () => at + 1000 })
      expect(step.status).toBe('collected')
      at = Date.parse((await env.DB.prepare('select next_at from metric_pulls where post_id = ? and platform = ?').bind(postId, pull.platform).first<{ next_at: string }>())!.next_at)
    }
  }
  return { token, project, postId }
}

const parseCsv = (text: string) => text.trim().split('\r\n').map((line) => line.split(','))

describe('analytics API', () => {
  it('a post published to sandbox accounts earns metrics: on its own series, on the dashboard, and the CSV says the same to the unit', async () => {
    const { token, project, postId } = await publishedAndPulled()
    const metrics = await call('GET', `/posts/${postId}/metrics`, { token })
    expect(metrics.status).toBe(200)
    expect(metrics.json.platforms.map((p: any) => p.platform).sort()).toEqual(['instagram', 'tiktok', 'youtube'])
    for (const p of metrics.json.platforms) {
      expect(p.series.map((s: any) => s.pullIndex)).toEqual([0, 1, 2])
      const views = p.series.map((s: any) => s.metrics.views)
      expect(views[0]).toBeLessThan(views[2])
      expect(p.latest.views).toBe(views[2])
    }
    // TikTok gives no saves: absent, not zero.
    expect(metrics.json.platforms.find((p: any) => p.platform === 'tiktok').latest).not.toHaveProperty('saves')

    const today = new Date().toISOString().slice(0, 10)
    const range = `from=${today}&to=${new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10)}`
    for (const groupBy of ['day', 'platform', 'style', 'window', 'weekday']) {
      const dash = await call('GET', `/projects/${project.id}/analytics?${range}&groupBy=${groupBy}`, { token })
      expect(dash.status, dash.text).toBe(200)
      const total = dash.json.totals.find((t: any) => t.metric === 'views').value
      const newest = metrics.json.platforms.reduce((n: number, p: any) => n + p.latest.views, 0)
      // Every pull's increase adds up to the newest values.
      expect(total).toBe(newest)
      const seriesViews = dash.json.series.reduce((n: number, p: any) => n + (p.metrics.views ?? 0), 0)
      expect(seriesViews).toBe(total)
      const csv = await call('GET', `/projects/${project.id}/analytics?${range}&groupBy=${groupBy}`, { token, headers: { accept: 'text/csv' } })
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/)
      const [header, ...rows] = parseCsv(csv.text)
      expect(header[0]).toBe(groupBy)
      expect(rows.map((r) => r[0])).toEqual(dash.json.series.map((p: any) => p.key))
      for (const [i, row] of rows.entries()) for (const [j, metric] of header.slice(1).entries()) expect(row[j + 1]).toBe(String(dash.json.series[i].metrics[metric] ?? ''))
    }
    const byPlatform = await call('GET', `/projects/${project.id}/analytics?${range}&groupBy=platform`, { token })
    expect(byPlatform.json.series.map((p: any) => p.key)).toEqual(['instagram', 'tiktok', 'youtube'])
    expect(byPlatform.json.top[0]).toMatchObject({ postId, views: byPlatform.json.totals.find((t: any) => t.metric === 'views').value })
    const onlyTikTok = await call('GET', `/projects/${project.id}/analytics?${range}&platform=tiktok`, { token })
    expect(onlyTikTok.json.totals.find((t: any) => t.metric === 'views').value).toBe(metrics.json.platforms.find((p: any) => p.platform === 'tiktok').latest.views)

    const postCsv = await call('GET', `/posts/${postId}/metrics`, { token, headers: { accept: 'text/csv' } })
    const [header, ...rows] = parseCsv(postCsv.text)
    expect(header.slice(0, 3)).toEqual(['platform', 'pull', 'pulled_at'])
    expect(rows).toHaveLength(9)
    for (const row of rows) {
      const point = metrics.json.platforms.find((p: any) => p.platform === row[0]).series.find((s: any) => String(s.pullIndex) === row[1])
      for (const [j, metric] of header.slice(3).entries()) expect(row[j + 3]).toBe(String(point.metrics[metric] ?? ''))
    }

    // Viewers read analytics too.
    const viewer = await memberWithRole(token, project.workspaceId, 'viewer')
    expect((await call('GET', `/projects/${project.id}/analytics`, { token: viewer.token })).status).toBe(200)
  })

  it('answers bad ranges with a 400 naming the field', async () => {
    const { token, project } = await publishedAndPulled()
    const bad = async (query: string, field: string) => {
      const problem = expectProblem(await call('GET', `/projects/${project.id}/analytics?${query}`, { token }), 400)
      expect(problem.errors?.map((e) => e.field)).toContain(field)
    }
    await bad('from=2026-12-10&to=2026-12-01', 'query.from')
    await bad('from=2024-01-01&to=2026-01-01', 'query.to')
    await bad('from=2026-02-30', 'query.from')
    await bad('to=yesterday', 'query.to')
    await bad('groupBy=hour', 'query.groupBy')
    await bad('platform=myspace', 'query.platform')
  })

  it('is empty, not zero, before anything was pulled, and says when the first numbers come', async () => {
    const { token, project } = await duePost(['tiktok'], (token, projectId) => call('POST', `/projects/${projectId}/connections`, { token, body: { platform: 'tiktok', mode: 'sandbox' } }))
    const dash = await call('GET', `/projects/${project.id}/analytics`, { token })
    expect(dash.json.totals).toEqual([])
    expect(dash.json.series).toHaveLength(28)
    expect(dash.json.series.filter((p: any) => Object.keys(p.metrics).length > 0)).toEqual([])
    expect(dash.json.collection).toEqual({ trackedTargets: 0, nextPullAt: null })
  })
})
