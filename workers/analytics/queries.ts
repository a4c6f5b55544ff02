/**
 * Reading analytics: the dashboard (totals with their change, a series grouped by day, platform,
 * style, window or weekday, the best and worst posts), one post's series per platform, and the
 * medians per platform that pricing and the learner compare against. Days are the project's.
 */
import { and, desc, eq, gte, inArray, lte, or, sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import { media, metricLatest, metricRollup, metricPulls, metricSnapshots, posts, postTargets } from '../db/schema'
import { ADDITIVE_METRICS, engagementRate, hourLabel, type AdditiveMetric, type MetricValues } from '../domain/metrics'
import { WEEKDAYS } from '../domain/autopilot-config'
import { coveringRuns } from '../domain/day-buckets'
import { PLATFORMS, type Platform } from '../domain/post-state'

export const GROUP_BYS = ['day', 'platform', 'style', 'window', 'weekday'] as const
export type GroupBy = (typeof GROUP_BYS)[number]

export interface DashboardQuery {
  projectId: string
  /** Inclusive local days, YYYY-MM-DD. */
  from: string
  to: string
  platform?: Platform
  groupBy: GroupBy
}

export interface Total {
  metric: AdditiveMetric
  value: number
  previous: number | null
  /** (value − previous) / previous; null without a previous value to compare with. */
  change: number | null
}

export interface SeriesPoint {
  key: string
  label: string
  metrics: Partial<Record<AdditiveMetric, number>>
}

export interface RankedPost {
  postId: string
  title: string
  style: string
  scheduledAt: string
  platforms: Platform[]
  thumbnailKey: string | null
  views: number
  engagementRate: number | null
}

const DAY_MS = 86_400_000
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`)
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** The days of an inclusive range. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = []
  for (let t = dayMs(from); t <= dayMs(to); t += DAY_MS) out.push(dayOf(t))
  return out
}

/** The range of the same length just before `from`..`to`. */
export function previousRange(from: string, to: string): { from: string; to: string } {
  const length = (dayMs(to) - dayMs(from)) / DAY_MS + 1
  return { from: dayOf(dayMs(from) - length * DAY_MS), to: dayOf(dayMs(from) - DAY_MS) }
}

/**
 * Rows of metric_rollup for one dimension over the days `from`..`to`: the buckets that cover the
 * range exactly (`domain/day-buckets.ts`), so every sum reads a few buckets, not every day.
 */
function rollupRange(dim: RollupDim, projectId: string, from: string, to: string, platform?: Platform) {
  const runs = coveringRuns(from, to).map((r) => and(eq(metricRollup.span, r.span), gte(metricRollup.start, r.from), lte(metricRollup.start, r.to)))
  const conditions = [eq(metricRollup.projectId, projectId), eq(metricRollup.dim, dim), or(...runs)]
  if (platform) conditions.push(eq(metricRollup.platform, platform))
  return and(...conditions)
}

type RollupDim = (typeof metricRollup.dim.enumValues)[number]

async function sums(db: Db, projectId: string, from: string, to: string, platform?: Platform) {
  const rows = await db
    .select({ metric: metricRollup.metric, value: sql<number>`sum(${metricRollup.value})` })
    .from(metricRollup)
    .where(rollupRange('all', projectId, from, to, platform))
    .groupBy(metricRollup.metric)
    .all()
  return new Map(rows.map((r) => [r.metric, r.value]))
}

/** The series' points: per day (the one-day buckets), or per platform, style, hour or weekday over the range. */
async function seriesRows(db: Db, q: DashboardQuery): Promise<{ key: string; metric: string; value: number }[]> {
  if (q.groupBy === 'day') {
    const conditions = [eq(metricRollup.projectId, q.projectId), eq(metricRollup.dim, 'all'), eq(metricRollup.span, 1), gte(metricRollup.start, q.from), lte(metricRollup.start, q.to)]
    if (q.platform) conditions.push(eq(metricRollup.platform, q.platform))
    return db
      .select({ key: metricRollup.start, metric: metricRollup.metric, value: sql<number>`sum(${metricRollup.value})` })
      .from(metricRollup)
      .where(and(...conditions))
      .groupBy(metricRollup.start, metricRollup.metric)
      .all()
  }
  const dim = ({ platform: 'all', style: 'style', window: 'hour', weekday: 'weekday' } as const)[q.groupBy]
  const column = q.groupBy === 'platform' ? metricRollup.platform : metricRollup.key
  return db
    .select({ key: sql<string>`${column}`, metric: metricRollup.metric, value: sql<number>`sum(${metricRollup.value})` })
    .from(metricRollup)
    .where(rollupRange(dim, q.projectId, q.from, q.to, q.platform))
    .groupBy(column, metricRollup.metric)
    .all()
}

function label(groupBy: GroupBy, key: string): string {
  if (groupBy === 'window') return hourLabel(Number(key))
  if (groupBy === 'weekday') return WEEKDAYS[Number(key)] ?? key
  return key
}

/** The dashboard for a range: totals with their change against the range before, a series, top and bottom posts. */
export async function dashboard(db: Db, q: DashboardQuery) {
  const prev = previousRange(q.from, q.to)
  // The four reads are independent: asked at once, the dashboard waits for the slowest, not the sum.
  const [now, before, rows, ranked] = await Promise.all([
    sums(db, q.projectId, q.from, q.to, q.platform),
    sums(db, q.projectId, prev.from, prev.to, q.platform),
    seriesRows(db, q),
    rankedPosts(db, q),
  ])
  const totals: Total[] = ADDITIVE_METRICS.filter((m) => now.has(m) || before.has(m)).map((metric) => {
    const value = now.get(metric) ?? 0
    const previous = before.get(metric) ?? null
    return { metric, value, previous, change: previous ? (value - previous) / previous : null }
  })

  const byKey = new Map<string, SeriesPoint>()
  // A day without pulls is a point without metrics (a gap), not a zero.
  if (q.groupBy === 'day') for (const day of daysBetween(q.from, q.to)) byKey.set(day, { key: day, label: day, metrics: {} })
  for (const r of rows) {
    const key = String(r.key)
    const point = byKey.get(key) ?? { key, label: label(q.groupBy, key), metrics: {} }
    point.metrics[r.metric as AdditiveMetric] = r.value
    byKey.set(key, point)
  }
  const series = [...byKey.values()].sort((a, b) => (q.groupBy === 'day' || q.groupBy === 'platform' || q.groupBy === 'style' ? a.key.localeCompare(b.key) : Number(a.key) - Number(b.key)))

  return { totals, series, top: ranked.slice(0, 5), bottom: ranked.length > 5 ? ranked.slice(-5).reverse() : [] }
}

/** Posts scheduled in the range (UTC bounds padded by a day, then kept by local day), by views so far. */
async function rankedPosts(db: Db, q: DashboardQuery): Promise<RankedPost[]> {
  // From the project's posts in the range (posts_project_scheduled_idx) to their newest values
  // (metric_latest's key), not from all of the project's newest values.
  const joined = [eq(metricLatest.postId, posts.id), inArray(metricLatest.metric, ['views', 'likes', 'comments', 'shares', 'saves'])]
  if (q.platform) joined.push(eq(metricLatest.platform, q.platform))
  const rows = await db
    .select({
      postId: metricLatest.postId,
      platform: metricLatest.platform,
      metric: metricLatest.metric,
      value: metricLatest.value,
      scheduledAt: posts.scheduledAt,
      style: posts.style,
      hook: posts.hook,
      coverKey: posts.coverKey,
      clipTitle: media.title,
      thumbnailKey: media.thumbnailKey,
    })
    .from(posts)
    .innerJoin(metricLatest, and(...joined))
    .leftJoin(media, eq(media.id, posts.mediaId))
    .where(and(eq(posts.projectId, q.projectId), gte(posts.scheduledAt, `${dayOf(dayMs(q.from) - DAY_MS)}T00:00:00.000Z`), lte(posts.scheduledAt, `${dayOf(dayMs(q.to) + 2 * DAY_MS)}T00:00:00.000Z`)))
    .all()
  const byPost = new Map<string, RankedPost & { values: MetricValues }>()
  for (const r of rows) {
    const p = byPost.get(r.postId) ?? {
      postId: r.postId,
      title: r.hook ?? r.clipTitle ?? 'Untitled',
      style: r.style,
      scheduledAt: r.scheduledAt,
      platforms: [],
      thumbnailKey: r.coverKey ?? r.thumbnailKey ?? null,
      views: 0,
      engagementRate: null,
      values: {},
    }
    if (!p.platforms.includes(r.platform)) p.platforms.push(r.platform)
    p.values[r.metric as AdditiveMetric] = (p.values[r.metric as AdditiveMetric] ?? 0) + r.value
    byPost.set(r.postId, p)
  }
  return [...byPost.values()]
    .filter((p) => p.values.views !== undefined)
    .map(({ values, ...p }) => ({ ...p, views: values.views ?? 0, engagementRate: engagementRate(values) }))
    .sort((a, b) => b.views - a.views || a.postId.localeCompare(b.postId))
}

export interface PostPlatformSeries {
  platform: Platform
  latest: MetricValues
  series: { pullIndex: number; pulledAt: string; metrics: MetricValues }[]
  nextPullAt: string | null
  lastError: string | null
}

/** One post's metrics per platform: each pull's values, the newest, and when the next pull is due. */
export async function postMetrics(db: Db, postId: string): Promise<PostPlatformSeries[]> {
  const [snaps, pulls, targets] = await Promise.all([
    db.select().from(metricSnapshots).where(eq(metricSnapshots.postId, postId)).orderBy(metricSnapshots.platform, metricSnapshots.pullIndex).all(),
    db.select().from(metricPulls).where(eq(metricPulls.postId, postId)).all(),
    db.select({ platform: postTargets.platform, status: postTargets.status }).from(postTargets).where(eq(postTargets.postId, postId)).all(),
  ])
  return targets
    .filter((t) => t.status === 'published')
    .map((t) => {
      const mine = snaps.filter((s) => s.platform === t.platform)
      const byPull = new Map<number, { pullIndex: number; pulledAt: string; metrics: MetricValues }>()
      for (const s of mine) {
        const point = byPull.get(s.pullIndex) ?? { pullIndex: s.pullIndex, pulledAt: s.pulledAt, metrics: {} }
        point.metrics[s.metric as keyof MetricValues] = s.value
        byPull.set(s.pullIndex, point)
      }
      const series = [...byPull.values()].sort((a, b) => a.pullIndex - b.pullIndex)
      const latest: MetricValues = {}
      for (const point of series) Object.assign(latest, point.metrics)
      const pull = pulls.find((p) => p.platform === t.platform)
      return { platform: t.platform, latest, series, nextPullAt: pull?.nextAt ?? null, lastError: pull?.lastError ?? null }
    })
}

/** When the project's next pull is due, and how many targets are followed (empty states). */
export async function collectionStatus(db: Db, projectId: string) {
  const row = await db
    .select({ tracked: sql<number>`count(*)`, nextAt: sql<string | null>`min(${metricPulls.nextAt})` })
    .from(metricPulls)
    .where(eq(metricPulls.projectId, projectId))
    .get()
  return { trackedTargets: row?.tracked ?? 0, nextPullAt: row?.nextAt ?? null }
}

/**
 * The median views and engagement rate per platform over a project's published posts (their
 * newest values), for pricing (issue 14) and the learner's baselines. Platforms without data
 * are absent.
 */
export async function medianByPlatform(db: Db, projectId: string): Promise<Partial<Record<Platform, { posts: number; views: number; engagementRate: number | null }>>> {
  const rows = await db
    .select({ postId: metricLatest.postId, platform: metricLatest.platform, metric: metricLatest.metric, value: metricLatest.value })
    .from(metricLatest)
    .where(and(eq(metricLatest.projectId, projectId), inArray(metricLatest.metric, ['views', 'likes', 'comments', 'shares', 'saves'])))
    .orderBy(desc(metricLatest.pulledAt))
    .all()
  const targets = new Map<string, { platform: Platform; values: MetricValues }>()
  for (const r of rows) {
    const key = `${r.postId}|${r.platform}`
    const t = targets.get(key) ?? { platform: r.platform, values: {} }
    t.values[r.metric as keyof MetricValues] = r.value
    targets.set(key, t)
  }
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b)
    return s.length === 0 ? null : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
  }
  const out: Partial<Record<Platform, { posts: number; views: number; engagementRate: number | null }>> = {}
  for (const platform of PLATFORMS) {
    const mine = [...targets.values()].filter((t) => t.platform === platform && t.values.views !== undefined)
    if (mine.length === 0) continue
    const rates = mine.map((t) => engagementRate(t.values)).filter((r): r is number => r !== null)
    out[platform] = { posts: mine.length, views: median(mine.map((t) => t.values.views!))!, engagementRate: median(rates) }
  }
  return out
}

