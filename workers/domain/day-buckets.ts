/**
 * Day buckets for the analytics rollups (issue 12). Every day's earnings are added to three
 * buckets: its own day, the 8-day block and the 64-day block holding it (blocks aligned on whole
 * multiples of their span counted from 1970-01-01). Any range of days is then the disjoint union
 * of a few buckets — a handful of days at each end, a few 8-day blocks, 64-day blocks in the
 * middle — so summing a 90-day range reads ~15 buckets instead of 90 days, and the sums are the
 * same numbers (the buckets partition the range exactly). Pure.
 */

export const SPANS = [1, 8, 64] as const
export type Span = (typeof SPANS)[number]

const DAY_MS = 86_400_000
const index = (day: string) => Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS)
const dayOf = (i: number) => new Date(i * DAY_MS).toISOString().slice(0, 10)

/** The first day of the bucket of `span` days holding `day`. */
export function bucketStart(day: string, span: Span): string {
  const i = index(day)
  return dayOf(i - (((i % span) + span) % span))
}

/** A run of consecutive buckets of one span: the buckets whose first day is `from`..`to` (inclusive). */
export interface BucketRun {
  span: Span
  from: string
  to: string
}

/**
 * The buckets that exactly cover the days `from`..`to` (inclusive), as at most one run per span
 * and side: greedy from the left, the largest aligned bucket that still fits.
 */
export function coveringRuns(from: string, to: string): BucketRun[] {
  const end = index(to) + 1
  const runs: BucketRun[] = []
  for (let i = index(from); i < end; ) {
    const span = [...SPANS].reverse().find((s) => i % s === 0 && i + s <= end)!
    const last = runs.at(-1)
    if (last && last.span === span && index(last.to) + span === i) last.to = dayOf(i)
    else runs.push({ span, from: dayOf(i), to: dayOf(i) })
    i += span
  }
  return runs
}
