/**
 * The dashboard reads the coarse rollups (metric_rollup, day buckets of 1, 8 and 64 days); its
 * numbers must be exactly the ones the detailed daily rollup (metric_daily) gives for the same
 * data. 120 days of demo history (the planner's posts, the sandbox model's metrics, recorded by
 * the store as collection does), then every group and platform over ranges that start and end
 * inside buckets, span several, or cover the whole history, against the plain sums of metric_daily
 * (the query the dashboard ran before 0020).
 */
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { call, ownerWithProject, readyClip } from '../../test/helpers'
import { createDb } from '../db/client'
import { localParts } from '../domain/metrics'
import { dashboard, GROUP_BYS, previousRange, type GroupBy } from './queries'

const CONFIG = { cadence: 'daily', language: 'en', style: 'neon', objective: 'awareness', timeWindows: ['09:00-10:00', '12:00-14:00', '19:00-21:00'], timezone: 'America/New_York', enabled: false }

const COLUMN: Record<GroupBy, string> = { day: 'day', platform: 'platform', style: 'style', window: 'hour', weekday: 'weekday' }

/** The sums straight from metric_daily: per metric, and per group and metric. */
async function fromDaily(projectId: string, from: string, to: string, groupBy: GroupBy, platform?: string) {
  const where = `project_id = ?1 and day >= ?2 and day <= ?3${platform ? ' and platform = ?4' : ''}`
  const bind = platform ? [projectId, from, to, platform] : [projectId, from, to]
  const totals = await env.DB.prepare(`select metric, sum(value) as value from metric_daily where ${where} group by metric`).bind(...bind).all<{ metric: string; value: number }>()
  const groups = await env.DB.prepare(`select ${COLUMN[groupBy]} as key, metric, sum(value) as value from metric_daily where ${where} group by 1, 2`).bind(...bind).all<{ key: string | number; metric: string; value: number }>()
  return {
    totals: Object.fromEntries(totals.results.map((r) => [r.metric, r.value])),
    groups: Object.fromEntries(groups.results.map((r) => [`${r.key}|${r.metric}`, r.value])),
  }
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)
const DAY_MS = 86_400_000

describe('the dashboard from the coarse rollups', () => {
  it('gives exactly the numbers of the detailed daily rollup, for every group, platform and range', { timeout: 300_000 }, async () => {
    const { token, project } = await ownerWithProject('rollups')
    for (let i = 0; i < 3; i++) await readyClip(project.workspaceId, project.id, `Clip ${i}`)
    expect((await call('PUT', `/autopilot/${project.id}`, { token, body: { ...CONFIG, stylesAllowed: ['neon', 'minimal', 'corporate'], learning: 'learn' } })).status).toBe(200)
    const history = await call('POST', '/dev/demo-history', { token, body: { projectId: project.id, days: 120 } })
    expect(history.status, history.text).toBe(200)
    const count = await env.DB.prepare('select count(*) as n, count(distinct day) as days, count(distinct style) as styles from metric_daily where project_id = ?').bind(project.id).first<{ n: number; days: number; styles: number }>()
    expect(count!.days).toBeGreaterThan(100)
    expect(count!.styles).toBeGreaterThan(1)

    const today = localParts(CONFIG.timezone, Date.now()).day
    const t = Date.parse(`${today}T00:00:00Z`)
    const ranges = [
      [day(t - 6 * DAY_MS), today],
      [day(t - 27 * DAY_MS), today],
      [day(t - 89 * DAY_MS), today],
      [day(t - 130 * DAY_MS), today],
      [day(t - 77 * DAY_MS), day(t - 13 * DAY_MS)],
      [day(t - 40 * DAY_MS), day(t - 40 * DAY_MS)],
    ]
    const db = createDb(env.DB)
    let compared = 0
    for (const [from, to] of ranges) {
      for (const platform of [undefined, 'youtube', 'tiktok', 'instagram'] as const) {
        for (const groupBy of GROUP_BYS) {
          const got = await dashboard(db, { projectId: project.id, from, to, platform, groupBy })
          const now = await fromDaily(project.id, from, to, groupBy, platform)
          const prev = previousRange(from, to)
          const before = await fromDaily(project.id, prev.from, prev.to, groupBy, platform)
          const label = `${from}..${to} ${platform ?? 'all'} by ${groupBy}`
          expect(Object.fromEntries(got.totals.filter((x) => now.totals[x.metric] !== undefined).map((x) => [x.metric, x.value])), label).toEqual(now.totals)
          expect(Object.fromEntries(got.totals.filter((x) => x.previous !== null).map((x) => [x.metric, x.previous])), label).toEqual(before.totals)
          const groups = Object.fromEntries(got.series.flatMap((p) => Object.entries(p.metrics).map(([metric, value]) => [`${p.key}|${metric}`, value])))
          expect(groups, label).toEqual(now.groups)
          compared += Object.keys(groups).length
        }
      }
    }
    // Enough numbers compared to mean something (every group of every range).
    expect(compared).toBeGreaterThan(5000)
  })
})
