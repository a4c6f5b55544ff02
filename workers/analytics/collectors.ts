/**
 * Metrics collectors, one per platform, behind one interface: a batch of published targets in,
 * each target's metrics out. A metric the platform did not give is left out, never zero; a target
 * the platform no longer knows (deleted video) is left out of the answer. Failures are thrown as
 * the publishers' classified `PublishError`s (auth → refresh once, then needs_reconnect).
 *
 * - YouTube: Data API `videos.list?part=statistics` (50 ids a call, 1 unit each) for views, likes
 *   and comments; where the connection granted `yt-analytics.readonly`, the Analytics API
 *   `reports.query` (dimensions=video, filters=video==a,b…) for watch time, average view
 *   duration and percentage, shares and subscribers gained. Analytics data lags 48–72 h.
 * - Instagram: `GET /{media-id}/insights?metric=views,reach,likes,comments,shares,saved,
 *   total_interactions,ig_reels_avg_watch_time` (one call per Reel; `plays` and `impressions`
 *   are deprecated). An empty `data` or error code 10 (not enough viewers) gives no metrics.
 * - TikTok: `POST /v2/video/query/?fields=id,view_count,like_count,comment_count,share_count`
 *   with `filters.video_ids` (20 ids a call).
 * - Sandbox accounts: the seeded model of `workers/domain/metric-model.ts`, no network.
 */
import { modelMetrics, type ModelPlatform } from '../domain/metric-model'
import type { MetricValues } from '../domain/metrics'
import { endpointsFor, timeoutMs, type PlatformEnv } from '../platforms/config'
import { HttpStatusError, nextPacificMidnight, platformRequest } from '../platforms/http'
import { toPublishError as instagramError } from '../platforms/instagram'
import { toPublishError as tiktokError } from '../platforms/tiktok'
import { PublishError, type Platform, type PublishContext } from '../platforms/types'
import { toPublishError as youtubeError } from '../platforms/youtube'

/** One published target to read, with what the sandbox model needs to invent its numbers. */
export interface CollectTarget {
  postId: string
  remoteId: string
  publishedAt: string
  style: string
  /** 0 = Monday, in the project's zone. */
  weekday: number
  /** 0–23, in the project's zone. */
  hour: number
  durationSec: number | null
}

export interface CollectContext extends PublishContext {
  /** The scopes the account granted (space- or comma-separated), null when unknown. */
  scopes: string | null
  /** Sandbox accounts: the seed of the account's hidden effects (the project). */
  accountSeed: string
}

/** A call counted against a budget before it is made. */
export interface QuotaCost {
  budget: string
  /** The window the budget is counted in (a key; calls in another window count apart). */
  window: string
  /** When the window ends (epoch ms): over budget waits until then. */
  resetAt: number
  limit: number
  cost: number
}

export interface MetricsCollector {
  readonly platform: Platform
  /** Targets per batch (the ids one call takes). */
  readonly batchSize: number
  /** What collecting this batch will spend, counted before calling. */
  costs(batch: CollectTarget[], ctx: CollectContext): QuotaCost[]
  /** Metrics by remote id; targets the platform does not know are absent. */
  collect(batch: CollectTarget[], ctx: CollectContext): Promise<Map<string, MetricValues>>
}

/**
 * Our share of each platform's limits for collection (publishing and the rest keep the remainder):
 * - YouTube Data API: 10,000 units a day per Google project, reset at midnight Pacific; videos.list
 *   costs 1 unit; collection spends at most 4,000.
 * - YouTube Analytics API: its own quota; we allow ourselves 2,000 report queries a day.
 * - Instagram: 200 calls an hour per account (Graph API user rate limit); collection 150.
 * - TikTok: 600 requests a minute per app for /v2/video/query/; collection 400.
 */
export const COLLECTION_BUDGETS = {
  youtubeDataUnitsPerDay: 4000,
  youtubeAnalyticsQueriesPerDay: 2000,
  instagramCallsPerHourPerAccount: 150,
  tiktokQueriesPerMinute: 400,
} as const

const HOUR = 3600_000
const MINUTE = 60_000

function fixedWindow(nowMs: number, sizeMs: number) {
  const start = Math.floor(nowMs / sizeMs) * sizeMs
  return { window: new Date(start).toISOString(), resetAt: start + sizeMs }
}

const count = (value: unknown): number | undefined => {
  if (value === undefined || value === null || value === '') return undefined
  const n = Number(value)
  return Number.isFinite(n) ? n : undefined
}

/** Drops the metrics that are absent. */
function present(values: Record<string, number | undefined>): MetricValues {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as MetricValues
}

const ANALYTICS_SCOPE = 'https://www.googleapis.com/auth/yt-analytics.readonly'
/** Whether a YouTube connection granted the Analytics scope (older connections did not). */
export const hasAnalyticsScope = (scopes: string | null) => !!scopes && scopes.split(/[\s,]+/).includes(ANALYTICS_SCOPE)

export class YouTubeCollector implements MetricsCollector {
  readonly platform = 'youtube' as const
  readonly batchSize = 50
  constructor(private readonly options: { rootUrl: string; analyticsUrl: string; timeoutMs: number }) {}

  costs(batch: CollectTarget[], ctx: CollectContext): QuotaCost[] {
    const resetAt = nextPacificMidnight(ctx.now())
    const day = { window: new Date(resetAt).toISOString(), resetAt }
    const costs: QuotaCost[] = [{ budget: 'youtube:data', ...day, limit: COLLECTION_BUDGETS.youtubeDataUnitsPerDay, cost: Math.ceil(batch.length / this.batchSize) }]
    if (hasAnalyticsScope(ctx.scopes)) costs.push({ budget: 'youtube:analytics', ...day, limit: COLLECTION_BUDGETS.youtubeAnalyticsQueriesPerDay, cost: 1 })
    return costs
  }

  async collect(batch: CollectTarget[], ctx: CollectContext): Promise<Map<string, MetricValues>> {
    const out = new Map<string, MetricValues>()
    const ids = batch.map((t) => t.remoteId).slice(0, this.batchSize)
    try {
      const res = await platformRequest('youtube', `${this.options.rootUrl}youtube/v3/videos?part=statistics&id=${ids.map(encodeURIComponent).join(',')}&maxResults=${ids.length}`, {
        headers: { authorization: `Bearer ${ctx.accessToken}` },
        timeoutMs: this.options.timeoutMs,
        idempotent: true,
      })
      for (const item of res.json?.items ?? []) {
        const s = item.statistics ?? {}
        // likeCount is missing when the creator hides likes: absent, not zero.
        out.set(item.id, present({ views: count(s.viewCount), likes: count(s.likeCount), comments: count(s.commentCount) }))
      }
      if (hasAnalyticsScope(ctx.scopes) && out.size > 0) {
        const start = batch.map((t) => t.publishedAt.slice(0, 10)).sort()[0]
        const end = new Date(ctx.now()).toISOString().slice(0, 10)
        const metrics = 'estimatedMinutesWatched,averageViewDuration,averageViewPercentage,shares,subscribersGained'
        const query = new URLSearchParams({ ids: 'channel==MINE', startDate: start, endDate: end, metrics, dimensions: 'video', filters: `video==${[...out.keys()].join(',')}`, maxResults: String(this.batchSize), sort: '-estimatedMinutesWatched' })
        const report = await platformRequest('youtube', `${this.options.analyticsUrl}v2/reports?${query}`, {
          headers: { authorization: `Bearer ${ctx.accessToken}` },
          timeoutMs: this.options.timeoutMs,
          idempotent: true,
        })
        const headers: string[] = (report.json?.columnHeaders ?? []).map((h: any) => h.name)
        const col = (row: unknown[], name: string) => count(row[headers.indexOf(name)])
        for (const row of (report.json?.rows ?? []) as unknown[][]) {
          const id = String(row[headers.indexOf('video')])
          const values = out.get(id)
          if (!values) continue
          Object.assign(
            values,
            present({
              watch_time_minutes: col(row, 'estimatedMinutesWatched'),
              avg_view_duration_sec: col(row, 'averageViewDuration'),
              avg_view_percentage: col(row, 'averageViewPercentage'),
              shares: col(row, 'shares'),
              subscribers_gained: col(row, 'subscribersGained'),
            }),
          )
        }
      }
    } catch (error) {
      throw youtubeError(error, ctx.now(), false)
    }
    return out
  }
}

const INSTAGRAM_METRICS = 'views,reach,likes,comments,shares,saved,total_interactions,ig_reels_avg_watch_time'
const INSTAGRAM_NAMES: Record<string, keyof MetricValues> = {
  views: 'views',
  reach: 'reach',
  likes: 'likes',
  comments: 'comments',
  shares: 'shares',
  saved: 'saves',
  total_interactions: 'total_interactions',
  ig_reels_avg_watch_time: 'avg_watch_time_ms',
}

export class InstagramCollector implements MetricsCollector {
  readonly platform = 'instagram' as const
  /** Insights are read one media at a time; a batch is the targets of one message. */
  readonly batchSize = 25
  constructor(private readonly options: { apiUrl: string; timeoutMs: number }) {}

  costs(batch: CollectTarget[], ctx: CollectContext): QuotaCost[] {
    return [{ budget: `instagram:${ctx.accountId}`, ...fixedWindow(ctx.now(), HOUR), limit: COLLECTION_BUDGETS.instagramCallsPerHourPerAccount, cost: batch.length }]
  }

  async collect(batch: CollectTarget[], ctx: CollectContext): Promise<Map<string, MetricValues>> {
    const out = new Map<string, MetricValues>()
    for (const target of batch) {
      try {
        const res = await platformRequest('instagram', `${this.options.apiUrl}/${encodeURIComponent(target.remoteId)}/insights?metric=${INSTAGRAM_METRICS}`, {
          headers: { authorization: `Bearer ${ctx.accessToken}` },
          timeoutMs: this.options.timeoutMs,
          idempotent: true,
        })
        const values: Record<string, number | undefined> = {}
        for (const entry of res.json?.data ?? []) {
          const name = INSTAGRAM_NAMES[entry.name]
          if (name) values[name] = count(entry.values?.[0]?.value ?? entry.total_value?.value)
        }
        out.set(target.remoteId, present(values))
      } catch (error) {
        const code = error instanceof HttpStatusError ? Number(error.body?.error?.code) : undefined
        // (#10) Not enough viewers for the media to show insights: nothing to record yet.
        if (code === 10 && /viewers/i.test(String(error instanceof HttpStatusError ? error.body?.error?.message : ''))) continue
        // (#100) The media is gone (deleted on Instagram): left out.
        if (error instanceof HttpStatusError && error.status === 400 && code === 100) continue
        throw instagramError(error, ctx.now())
      }
    }
    return out
  }
}

export class TikTokCollector implements MetricsCollector {
  readonly platform = 'tiktok' as const
  readonly batchSize = 20
  constructor(private readonly options: { apiUrl: string; timeoutMs: number }) {}

  costs(batch: CollectTarget[], ctx: CollectContext): QuotaCost[] {
    return [{ budget: 'tiktok:video.query', ...fixedWindow(ctx.now(), MINUTE), limit: COLLECTION_BUDGETS.tiktokQueriesPerMinute, cost: Math.ceil(batch.length / this.batchSize) }]
  }

  async collect(batch: CollectTarget[], ctx: CollectContext): Promise<Map<string, MetricValues>> {
    const out = new Map<string, MetricValues>()
    try {
      const res = await platformRequest('tiktok', `${this.options.apiUrl}/v2/video/query/?fields=id,view_count,like_count,comment_count,share_count`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ctx.accessToken}`, 'content-type': 'application/json' },
        body: () => JSON.stringify({ filters: { video_ids: batch.map((t) => t.remoteId).slice(0, this.batchSize) } }),
        timeoutMs: this.options.timeoutMs,
        idempotent: true,
      })
      if (res.json?.error?.code && res.json.error.code !== 'ok') throw new HttpStatusError(400, res.json, res.headers)
      for (const v of res.json?.data?.videos ?? []) {
        out.set(String(v.id), present({ views: count(v.view_count), likes: count(v.like_count), comments: count(v.comment_count), shares: count(v.share_count) }))
      }
    } catch (error) {
      throw tiktokError(error, ctx.now())
    }
    return out
  }
}

/** Sandbox accounts: the seeded model, as each platform would report it. No network, no quota. */
export class SandboxCollector implements MetricsCollector {
  readonly batchSize: number
  constructor(readonly platform: Platform) {
    this.batchSize = platform === 'tiktok' ? 20 : 50
  }

  costs(): QuotaCost[] {
    return []
  }

  async collect(batch: CollectTarget[], ctx: CollectContext): Promise<Map<string, MetricValues>> {
    const out = new Map<string, MetricValues>()
    for (const t of batch) {
      const ageHours = (ctx.now() - Date.parse(t.publishedAt)) / HOUR
      const post = { accountSeed: ctx.accountSeed, postSeed: t.postId, platform: this.platform as ModelPlatform, style: t.style, weekday: t.weekday, hour: t.hour, durationSec: t.durationSec ?? undefined }
      out.set(t.remoteId, modelMetrics(post, ageHours))
    }
    return out
  }
}

/** The real collector of a platform, configured from the environment. */
export function collectorFor(env: PlatformEnv, platform: Platform, mode: 'oauth' | 'sandbox'): MetricsCollector {
  if (mode === 'sandbox') return new SandboxCollector(platform)
  const endpoints = endpointsFor(env, platform)
  const ms = timeoutMs(env)
  if (platform === 'youtube') return new YouTubeCollector({ rootUrl: endpoints.api, analyticsUrl: endpoints.analytics ?? 'https://youtubeanalytics.googleapis.com/', timeoutMs: ms })
  if (platform === 'instagram') return new InstagramCollector({ apiUrl: endpoints.api, timeoutMs: ms })
  return new TikTokCollector({ apiUrl: endpoints.api, timeoutMs: ms })
}

/** A sandbox "dead grant" (injected revoked token) or any disconnected failure, for the consumer. */
export const isDisconnected = (error: unknown) => error instanceof PublishError && error.failure.kind === 'disconnected'
