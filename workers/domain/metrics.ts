/**
 * What analytics measures and when: the metric names shared by the collectors, the store, the
 * API and the page, and the decaying pull schedule of a published target. Pure.
 */

import { timeZoneRules } from './time-zone-rules'

/** Every metric Reelpilot keeps. A platform gives a subset; a metric it does not give is absent. */
export const METRICS = [
  'views',
  'likes',
  'comments',
  'shares',
  'saves',
  'reach',
  'total_interactions',
  'watch_time_minutes',
  'avg_view_duration_sec',
  'avg_view_percentage',
  'avg_watch_time_ms',
  'subscribers_gained',
] as const
export type Metric = (typeof METRICS)[number]

/** Metrics that add up across days and posts (the daily rollup sums their increases). */
export const ADDITIVE_METRICS = ['views', 'likes', 'comments', 'shares', 'saves', 'reach', 'total_interactions', 'watch_time_minutes', 'subscribers_gained'] as const satisfies readonly Metric[]
export type AdditiveMetric = (typeof ADDITIVE_METRICS)[number]

export const isAdditive = (metric: string): metric is AdditiveMetric => (ADDITIVE_METRICS as readonly string[]).includes(metric)

/** One pull's values: only the metrics the platform gave. */
export type MetricValues = Partial<Record<Metric, number>>

export const METRIC_LABELS: Record<Metric, string> = {
  views: 'Views',
  likes: 'Likes',
  comments: 'Comments',
  shares: 'Shares',
  saves: 'Saves',
  reach: 'Reach',
  total_interactions: 'Interactions',
  watch_time_minutes: 'Watch time (min)',
  avg_view_duration_sec: 'Average view (s)',
  avg_view_percentage: 'Average % viewed',
  avg_watch_time_ms: 'Average watch time (ms)',
  subscribers_gained: 'Subscribers gained',
}

/** Likes + comments + shares + saves, over views; null without views. */
export function engagementRate(values: MetricValues): number | null {
  if (!values.views) return null
  return ((values.likes ?? 0) + (values.comments ?? 0) + (values.shares ?? 0) + (values.saves ?? 0)) / values.views
}

const HOUR = 60 * 60_000
const DAY = 24 * HOUR

/**
 * When a target is pulled, as ages after publication: 1 h, 6 h, 24 h, 3 days, 7 days, 28 days,
 * then weekly up to 90 days. Most of a short video's views come in its first days, so the
 * schedule is dense early and sparse late.
 */
export const PULL_AGES_MS: readonly number[] = [1 * HOUR, 6 * HOUR, 1 * DAY, 3 * DAY, 7 * DAY, 28 * DAY, ...[35, 42, 49, 56, 63, 70, 77, 84, 90].map((d) => d * DAY)]

/** The time of pull `index` of a target published at `publishedAtMs`, or null after the last one. */
export function pullTime(publishedAtMs: number, index: number): number | null {
  const age = PULL_AGES_MS[index]
  return age === undefined ? null : publishedAtMs + age
}

/**
 * The first pull still to do at `nowMs` for a target whose pulls before `fromIndex` are done:
 * pulls whose time has long passed (more than half-way to the next one) are skipped, so a target
 * found late is pulled once now rather than once per missed age.
 */
export function nextPull(publishedAtMs: number, fromIndex: number, nowMs: number): { index: number; at: number } | null {
  for (let i = fromIndex; i < PULL_AGES_MS.length; i++) {
    const at = publishedAtMs + PULL_AGES_MS[i]
    const next = PULL_AGES_MS[i + 1]
    if (next === undefined || nowMs < publishedAtMs + (PULL_AGES_MS[i] + next) / 2) return { index: i, at }
  }
  return null
}

/** A window of one hour in the project's zone, as the page labels it ("13:00–14:00"). */
export const hourLabel = (hour: number) => `${String(hour).padStart(2, '0')}:00–${String((hour + 1) % 24).padStart(2, '0')}:00`

/** The local calendar day, weekday (0 = Monday) and hour of an instant in a zone. */
export function localParts(timeZone: string, epochMs: number): { day: string; weekday: number; hour: number } {
  const wall = new Date(timeZoneRules(timeZone).toWall(epochMs))
  return { day: wall.toISOString().slice(0, 10), weekday: (wall.getUTCDay() + 6) % 7, hour: wall.getUTCHours() }
}
