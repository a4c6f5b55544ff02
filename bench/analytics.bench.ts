// `npm run bench analytics`: two figures for issue 12, on the built Worker under Miniflare.
//
// 1. The dashboard over 1,000,000 snapshots. One project with 1,000 published posts (one clip,
//    three styles, the hours of a day) made 90 to 180 days ago; every post has 50 pulls on each of
//    its three platforms with that platform's metrics (YouTube 8, TikTok 4, Instagram 8): 1,000 ×
//    50 × 20 = 1,000,000 rows in metric_snapshots (denser than the product's 15 pulls, to reach
//    the million over 1,000 posts), metric_latest from the last pull, and metric_daily rolled up
//    from the snapshots' deltas as the store does. The rows are made in D1 itself (INSERT … SELECT
//    over a recursive sequence): sending a million rows from Node would measure the proxy. Then,
//    in the same run, alternating: the 90-day dashboard query (`dashboard()`, totals against the
//    90 days before, the daily series, best and worst posts) and the same through the API over
//    HTTP, against the baseline: a plain `count(*)` over metric_snapshots. Medians (p50) printed.
//
// 2. Collection for 1,000 targets on each platform, counted against each platform's limits. The
//    real collectors against the platform stub servers (test/stubs, which count every call), the
//    quota taken in D1 before each call exactly as the metrics consumer does (`takeQuota`), and the
//    schedule of `domain/metrics.ts`: every target published at the same moment (the worst case:
//    all pulls fall due together), batched as the scheduler batches them (`PULL_BATCH`), one alarm
//    every 10 minutes for 8 days (the 1 h, 6 h, 24 h, 3 d and 7 d pulls). A batch over budget waits
//    for the budget's reset. Printed per platform: pulls done, calls the stub counted, the
//    most spent in one window against our budget and the platform's limit.
import type { AddressInfo } from 'node:net'
import { COLLECTION_BUDGETS, InstagramCollector, TikTokCollector, YouTubeCollector, type CollectContext, type CollectTarget, type MetricsCollector } from '../workers/analytics/collectors'
import { PULL_BATCH } from '../workers/analytics/pulls'
import { dashboard, GROUP_BYS, previousRange } from '../workers/analytics/queries'
import { bucketStart, SPANS } from '../workers/domain/day-buckets'
import { takeQuota } from '../workers/analytics/quota'
import { createDb } from '../workers/db/client'
import { nextPull } from '../workers/domain/metrics'
import { createPlatformStubServer } from '../test/stubs/server'
import { startWorker } from '../e2e/worker-harness'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40)
const POSTS = 1000
const PULLS = 50
const DAY = 86_400_000
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]

const METRICS: [string, string][] = [
  ...['views', 'likes', 'comments', 'shares', 'watch_time_minutes', 'avg_view_duration_sec', 'avg_view_percentage', 'subscribers_gained'].map((m) => ['youtube', m] as [string, string]),
  ...['views', 'likes', 'comments', 'shares'].map((m) => ['tiktok', m] as [string, string]),
  ...['views', 'reach', 'likes', 'comments', 'shares', 'saves', 'total_interactions', 'avg_watch_time_ms'].map((m) => ['instagram', m] as [string, string]),
]

const w = await startWorker({ vars: { RENDER_URL: 'http://127.0.0.1:9' } })
const stubs = createPlatformStubServer()
await new Promise<void>((resolve) => stubs.listen(0, '127.0.0.1', resolve))
const stubUrl = `http://127.0.0.1:${(stubs.address() as AddressInfo).port}`
try {
  const token = await w.tokenFor('bench@example.com')
  const workspaceId = (await w.api('POST', '/workspaces', { token, body: { name: 'Bench', slug: `bench-${Date.now()}` } })).json.id
  const projectId = (await w.api('POST', '/projects', { token, body: { workspaceId, name: 'Analytics bench' } })).json.id
  const DB = w.env.DB
  const now = Date.now()
  const t0 = performance.now()
  await DB.prepare(
    `insert into media (id, workspace_id, project_id, key, filename, title, content_type, size, status, kind, duration_sec, width, height)
     values ('med_bench', ?, ?, 'media/bench/c.mp4', 'c.mp4', 'Bench clip', 'video/mp4', 1000, 'ready', 'video', 20, 1920, 1080)`,
  )
    .bind(workspaceId, projectId)
    .run()
  // 1,000 posts, one every 2.16 hours from 180 days ago to 90 days ago.
  await DB.prepare(
    `with recursive n(i) as (select 0 union all select i + 1 from n where i < ${POSTS - 1})
     insert into posts (id, workspace_id, project_id, media_id, origin, slot_key, status, scheduled_at, language, style, objective, hook)
     select printf('post_bench%05d', i), ?1, ?2, 'med_bench', 'autopilot', printf('bench-%05d', i), 'published',
            strftime('%Y-%m-%dT%H:%M:%fZ', ?3 / 1000.0, 'unixepoch', printf('+%d minutes', i * 130)),
            'en', case i % 3 when 0 then 'minimal' when 1 then 'neon' else 'corporate' end, 'awareness', printf('Bench post %d', i)
     from n`,
  )
    .bind(workspaceId, projectId, now - 180 * DAY)
    .run()
  // The snapshots in chunks of 20 posts (20,000 rows a statement: larger ones outlast workerd's
  // patience with one D1 call). Pull k is at (k + 1) × 43 h;
  // each post earns a fixed amount per pull, so a pull's value is (k + 1) × that amount.
  const metricValues = METRICS.map(([p, m]) => `('${p}', '${m}')`).join(', ')
  for (let from = 0; from < POSTS; from += 20) {
    await DB.prepare(
      `with recursive k(i) as (select 0 union all select i + 1 from k where i < ${PULLS - 1}),
       m(platform, metric) as (values ${metricValues})
       insert into metric_snapshots (post_id, platform, metric, pull_index, project_id, value, pulled_at)
       select p.id, m.platform, m.metric, k.i, p.project_id, (k.i + 1) * (5 + (cast(substr(p.id, 11) as integer) * 7 + length(m.metric)) % 95),
              strftime('%Y-%m-%dT%H:%M:%fZ', p.scheduled_at, printf('+%d hours', (k.i + 1) * 43))
       from posts p, m, k where p.project_id = ?1 and p.id >= printf('post_bench%05d', ?2) and p.id < printf('post_bench%05d', ?3)`,
    )
      .bind(projectId, from, from + 20)
      .run()
  }
  await DB.prepare(
    `insert into metric_latest (post_id, platform, metric, project_id, value, pull_index, pulled_at)
     select post_id, platform, metric, project_id, value, pull_index, pulled_at from metric_snapshots where project_id = ?1 and pull_index = ${PULLS - 1}`,
  )
    .bind(projectId)
    .run()
  // The daily rollup of what each pull added (its delta: the post's fixed amount), by the post's
  // style, weekday and hour (UTC: the project has no zone). Summed here and written as literal
  // multi-row inserts: the same rollup in one INSERT … SELECT over the million rows outlasts the
  // local D1's connection.
  const daily = new Map<string, number>()
  const styles = ['minimal', 'neon', 'corporate']
  for (let i = 0; i < POSTS; i++) {
    const scheduled = now - 180 * DAY + i * 130 * 60_000
    const d = new Date(scheduled)
    const weekday = (d.getUTCDay() + 6) % 7
    const hour = d.getUTCHours()
    for (const [platform, metric] of METRICS) {
      const amount = 5 + ((i * 7 + metric.length) % 95)
      for (let k = 0; k < PULLS; k++) {
        const day = new Date(scheduled + (k + 1) * 43 * 3600_000).toISOString().slice(0, 10)
        const key = `${day}|${platform}|${styles[i % 3]}|${weekday}|${hour}|${metric}`
        daily.set(key, (daily.get(key) ?? 0) + amount)
      }
    }
  }
  // The proxy's kept-alive connection may have been closed by workerd while Node was summing
  // (seconds): a batch that fails on the dead socket is sent once more (the rows are
  // `insert or ignore` and a batch is one transaction, so a resend never doubles anything).
  const send = async (statements: D1PreparedStatement[]) => {
    try {
      await DB.batch(statements)
    } catch (error) {
      if ((error as { cause?: { code?: string } })?.cause?.code !== 'UND_ERR_SOCKET') throw error
      await DB.batch(statements)
    }
  }
  const dailyRows = [...daily].map(([key, value]) => {
    const [day, platform, style, weekday, hour, metric] = key.split('|')
    return `('${projectId}', '${day}', '${platform}', '${style}', ${weekday}, ${hour}, '${metric}', ${value})`
  })
  for (let i = 0; i < dailyRows.length; i += 500 * 20) {
    const statements = []
    for (let j = i; j < Math.min(i + 500 * 20, dailyRows.length); j += 500) {
      statements.push(DB.prepare(`insert or ignore into metric_daily (project_id, day, platform, style, weekday, hour, metric, value) values ${dailyRows.slice(j, j + 500).join(', ')}`))
    }
    await send(statements)
  }
  // The dashboard's coarse rollups (metric_rollup) from the same sums, as the store writes them:
  // the project's total and per style, weekday and hour, in buckets of 1, 8 and 64 days.
  const rollup = new Map<string, number>()
  for (const [key, value] of daily) {
    const [day, platform, style, weekday, hour, metric] = key.split('|')
    for (const [dim, k] of [['all', ''], ['style', style], ['weekday', weekday], ['hour', hour]]) {
      for (const span of SPANS) {
        const rk = `${dim}|${span}|${bucketStart(day, span)}|${platform}|${k}|${metric}`
        rollup.set(rk, (rollup.get(rk) ?? 0) + value)
      }
    }
  }
  const rollupRows = [...rollup].map(([key, value]) => {
    const [dim, span, start, platform, k, metric] = key.split('|')
    return `('${projectId}', '${dim}', ${span}, '${start}', '${platform}', '${k}', '${metric}', ${value})`
  })
  for (let i = 0; i < rollupRows.length; i += 500 * 20) {
    const statements = []
    for (let j = i; j < Math.min(i + 500 * 20, rollupRows.length); j += 500) {
      statements.push(DB.prepare(`insert or ignore into metric_rollup (project_id, dim, span, start, platform, key, metric, value) values ${rollupRows.slice(j, j + 500).join(', ')}`))
    }
    await send(statements)
  }
  const counts = await DB.prepare(
    `select (select count(*) from metric_snapshots) as snapshots, (select count(*) from metric_latest) as latest, (select count(*) from metric_daily) as daily, (select count(*) from metric_rollup) as rollup`,
  ).first<{ snapshots: number; latest: number; daily: number; rollup: number }>()
  console.log(
    `data: ${counts!.snapshots.toLocaleString('en')} snapshots over ${POSTS} posts, ${counts!.latest.toLocaleString('en')} latest values, ${counts!.daily.toLocaleString('en')} detailed daily rollup rows, ${counts!.rollup.toLocaleString('en')} coarse rollup rows (made in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  )
  if (counts!.snapshots !== POSTS * PULLS * METRICS.length) throw new Error('the snapshots were not all made')

  const db = createDb(DB)
  const to = new Date(now).toISOString().slice(0, 10)
  const from = new Date(now - 89 * DAY).toISOString().slice(0, 10)
  const query = { projectId, from, to, groupBy: 'day' as const }
  const check = await dashboard(db, query)
  const views = check.totals.find((t) => t.metric === 'views')
  if (!views || !views.previous || check.top.length !== 5) throw new Error(`the dashboard did not see the data: ${JSON.stringify(check.totals.slice(0, 2))}`)

  // The numbers must be the detailed rollup's: the totals of both periods and every group, checked once on this data.
  const prev = previousRange(from, to)
  const oldSums = async (a: string, b: string, column: string) =>
    (await DB.prepare(`select ${column} as key, metric, sum(value) as value from metric_daily where project_id = ?1 and day >= ?2 and day <= ?3 group by 1, 2`).bind(projectId, a, b).all<{ key: string; metric: string; value: number }>()).results
  for (const groupBy of GROUP_BYS) {
    const got = await dashboard(db, { ...query, groupBy })
    const column = { day: 'day', platform: 'platform', style: 'style', window: 'hour', weekday: 'weekday' }[groupBy]
    const want = Object.fromEntries((await oldSums(from, to, column)).map((r) => [`${r.key}|${r.metric}`, r.value]))
    const have = Object.fromEntries(got.series.flatMap((p) => Object.entries(p.metrics).map(([m, v]) => [`${p.key}|${m}`, v])))
    if (JSON.stringify(Object.entries(have).sort()) !== JSON.stringify(Object.entries(want).sort())) throw new Error(`by ${groupBy}: the coarse rollups differ from metric_daily`)
    const totalsNow = Object.fromEntries((await oldSums(from, to, "''")).map((r) => [r.metric, r.value]))
    const totalsBefore = Object.fromEntries((await oldSums(prev.from, prev.to, "''")).map((r) => [r.metric, r.value]))
    for (const t of got.totals) if (t.value !== (totalsNow[t.metric] ?? 0) || t.previous !== (totalsBefore[t.metric] ?? null)) throw new Error(`total ${t.metric} differs from metric_daily`)
  }

  const direct: Record<string, number[]> = Object.fromEntries(GROUP_BYS.map((g) => [g, []]))
  const before: number[] = []
  const http: number[] = []
  const page: number[] = []
  const count: number[] = []
  const trip: number[] = []
  const time = async (into: number[], run: () => Promise<unknown>) => {
    const t = performance.now()
    await run()
    into.push(performance.now() - t)
  }
  const get = async (groupBy: string) => {
    const res = await w.api('GET', `/projects/${projectId}/analytics?from=${from}&to=${to}&groupBy=${groupBy}`, { token })
    if (res.status !== 200) throw new Error(`${res.status} ${res.text}`)
  }
  for (let i = 0; i < ROUNDS; i++) {
    // Rotate the order so none always runs on a warm cache after another.
    const steps = [
      () => time(count, () => DB.prepare('select count(*) as n from metric_snapshots').first()),
      // The floor under every D1 figure here: one round trip through the proxy, reading nothing.
      () => time(trip, () => DB.prepare('select 1 as n').first()),
      ...GROUP_BYS.map((g) => () => time(direct[g], () => dashboard(db, { ...query, groupBy: g }))),
      // What the dashboard read before migration 0020: both periods' totals and the daily series from metric_daily.
      () => time(before, () => Promise.all([oldSums(from, to, "''"), oldSums(prev.from, prev.to, "''"), oldSums(from, to, 'day')])),
      () => time(http, () => get('day')),
      // The analytics page asks for the five groups at once.
      () => time(page, () => Promise.all(GROUP_BYS.map(get))),
    ]
    for (let s = 0; s < steps.length; s++) await steps[(s + i) % steps.length]()
  }
  const c = median(count)
  const line = (label: string, xs: number[]) => console.log(`${label.padEnd(58)} p50 ${median(xs).toFixed(1).padStart(6)} ms  p90 ${pct(xs, 0.9).toFixed(1).padStart(6)} ms  (${(median(xs) / c).toFixed(2)}× the count)`)
  console.log(`\ndashboard: ${ROUNDS} rounds, 90 days (${from}..${to}) against the 90 before, through the D1 binding (proxied from Node)`)
  console.log(`${'count(*) over metric_snapshots (baseline)'.padEnd(58)} p50 ${c.toFixed(1).padStart(6)} ms`)
  line('select 1: one D1 round trip from Node, reading nothing', trip)
  line('before 0020: the same sums over metric_daily', before)
  for (const g of GROUP_BYS) line(`90-day dashboard() by ${g} (metric_rollup)`, direct[g])
  line('GET /api/projects/:id/analytics?groupBy=day over HTTP', http)
  line('the analytics page: its 5 API calls at once over HTTP', page)

  // ---- 2. Collection for 1,000 targets per platform against the stubs, quota counted in D1.
  const control = async (path: string, body: unknown) => {
    const res = await fetch(`${stubUrl}/_control${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
    const text = await res.text()
    if (!res.ok) throw new Error(`stub ${path}: ${res.status} ${text}`)
    return (text ? JSON.parse(text) : undefined) as any
  }
  const TARGETS = 1000
  const published = now - 60_000
  const collectors: MetricsCollector[] = [
    new YouTubeCollector({ rootUrl: `${stubUrl}/youtube/`, analyticsUrl: `${stubUrl}/youtube/`, timeoutMs: 5000 }),
    new TikTokCollector({ apiUrl: `${stubUrl}/tiktok`, timeoutMs: 5000 }),
    new InstagramCollector({ apiUrl: `${stubUrl}/instagram`, timeoutMs: 5000 }),
  ]
  const LIMITS: Record<string, { ours: number; platform: number; per: string; counter: string[] }> = {
    youtube: { ours: COLLECTION_BUDGETS.youtubeDataUnitsPerDay, platform: 10_000, per: 'units a day (Data API)', counter: ['videosList', 'analyticsReports'] },
    tiktok: { ours: COLLECTION_BUDGETS.tiktokQueriesPerMinute, platform: 600, per: 'video/query calls a minute', counter: ['videoQuery'] },
    instagram: { ours: COLLECTION_BUDGETS.instagramCallsPerHourPerAccount, platform: 200, per: 'calls an hour per account', counter: ['insights'] },
  }
  console.log(`\ncollection: ${TARGETS} targets per platform, all published at once; an alarm every 10 minutes for 8 days`)
  for (const collector of collectors) {
    const platform = collector.platform
    const account = await control('/accounts', { platform })
    if (platform === 'youtube') await control(`/accounts/${account.accountId}`, { scopes: ['https://www.googleapis.com/auth/youtube.upload', 'https://www.googleapis.com/auth/yt-analytics.readonly'] })
    const { ids } = await control(`/accounts/${account.accountId}/items`, { count: TARGETS, metrics: { views: 100, likes: 5, comments: 1, shares: 1 } })
    const pulls = (ids as string[]).map((remoteId, i) => ({ target: { postId: `post_c${i}`, remoteId, publishedAt: new Date(published).toISOString(), style: 'neon', weekday: 0, hour: 12, durationSec: 20 } as CollectTarget, index: 0, at: nextPull(published, 0, published)!.at as number | null }))
    let done = 0
    let deferrals = 0
    for (let clock = published; clock <= published + 8 * DAY; clock += 10 * 60_000) {
      const ready = pulls.filter((p) => p.at !== null && p.at <= clock)
      for (let i = 0; i < ready.length; i += PULL_BATCH[platform]) {
        const batch = ready.slice(i, i + PULL_BATCH[platform])
        const ctx: CollectContext = { platform, connectionId: 'conn_bench', accessToken: account.accessToken, accountId: account.accountId, now: () => clock, scopes: platform === 'youtube' ? 'https://www.googleapis.com/auth/youtube.upload https://www.googleapis.com/auth/yt-analytics.readonly' : null, accountSeed: 'bench' }
        const taken = await takeQuota(db, collector.costs(batch.map((b) => b.target), ctx))
        if (!taken.ok) {
          deferrals++
          for (const b of batch) b.at = taken.retryAt
          continue
        }
        const values = await collector.collect(batch.map((b) => b.target), ctx)
        for (const b of batch) {
          if (values.has(b.target.remoteId)) done++
          const next = nextPull(published, b.index + 1, clock)
          b.index = next?.index ?? -1
          b.at = next?.at ?? null
        }
      }
    }
    const state = (await (await fetch(`${stubUrl}/_control/accounts/${account.accountId}`)).json()) as { counters: Record<string, number> }
    const calls = LIMITS[platform].counter.map((k) => `${k} ${state.counters[k] ?? 0}`).join(', ')
    const budgetPrefix = platform === 'instagram' ? `instagram:${account.accountId}` : platform === 'youtube' ? 'youtube:data' : 'tiktok:video.query'
    const peak = await DB.prepare('select max(used) as peak, count(*) as windows from platform_quotas where budget = ?').bind(budgetPrefix).first<{ peak: number; windows: number }>()
    const limit = LIMITS[platform]
    console.log(
      `${platform.padEnd(9)} pulls done ${String(done).padStart(5)} (the 1 h, 6 h, 24 h, 3 d and 7 d pulls of ${TARGETS}; one found late is done once, as the scheduler does); calls: ${calls}; most in one window ${peak!.peak} ${limit.per} ` +
        `(our budget ${limit.ours}, platform limit ${limit.platform}: ${peak!.peak <= limit.ours ? 'inside' : 'OVER'}); ${deferrals} batches waited for a reset`,
    )
    if (peak!.peak > limit.ours) throw new Error(`${platform} spent more than its budget`)
  }
} finally {
  stubs.closeAllConnections()
  stubs.close()
  await w.close()
}
