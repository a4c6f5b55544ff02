/** The analytics API's answers as the app reads them (types from workers/api/analytics.ts), and how they are shown. */
import type { z } from '@hono/zod-openapi'
import type { DashboardSchema, PostMetricsSchema } from '../../workers/api/analytics'
import type { Platform } from '../../workers/domain/post-state'

export { METRIC_LABELS } from '../../workers/domain/metrics'

export type Dashboard = z.infer<typeof DashboardSchema>
export type GroupBy = Dashboard['groupBy']
export type SeriesPoint = Dashboard['series'][number]
export type RankedPost = Dashboard['top'][number]
export type PostMetrics = z.infer<typeof PostMetricsSchema>

/** Colours per platform, shared by every chart. */
export const PLATFORM_COLOURS: Record<Platform, string> = { youtube: '#f87171', tiktok: '#22d3ee', instagram: '#e879f9' }

/** 1234 → "1.2K", 0.0456 → "4.6%". */
export function formatNumber(n: number): string {
  if (Math.abs(n) >= 1_000_000) return `${(n / 1_000_000).toFixed(1).replace(/\.0$/, '')}M`
  if (Math.abs(n) >= 10_000) return `${Math.round(n / 1000)}K`
  if (Math.abs(n) >= 1000) return `${(n / 1000).toFixed(1).replace(/\.0$/, '')}K`
  return String(Math.round(n * 10) / 10)
}

export const formatPercent = (ratio: number) => `${(ratio * 100).toFixed(Math.abs(ratio) < 0.1 ? 1 : 0)}%`

/** The ranges the page offers, in days. */
export const RANGES = [7, 28, 90] as const
