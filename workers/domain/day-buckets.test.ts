import { describe, expect, it } from 'vitest'
import { bucketStart, coveringRuns, SPANS } from './day-buckets'

const DAY_MS = 86_400_000
const days = (from: string, to: string) => {
  const out: string[] = []
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS) out.push(new Date(t).toISOString().slice(0, 10))
  return out
}
/** Every day the runs cover, each as often as it is covered. */
const covered = (runs: ReturnType<typeof coveringRuns>) =>
  runs.flatMap((r) => days(r.from, r.to).filter((d) => bucketStart(d, r.span) === d).flatMap((start) => days(start, new Date(Date.parse(`${start}T00:00:00Z`) + (r.span - 1) * DAY_MS).toISOString().slice(0, 10))))

describe('day buckets', () => {
  it('puts a day in the aligned bucket of each span', () => {
    expect(bucketStart('1970-01-01', 64)).toBe('1970-01-01')
    expect(bucketStart('1970-01-08', 8)).toBe('1970-01-01')
    expect(bucketStart('1970-01-09', 8)).toBe('1970-01-09')
    expect(bucketStart('2026-12-02', 1)).toBe('2026-12-02')
    for (const span of SPANS) {
      const start = bucketStart('2026-12-02', span)
      expect(start <= '2026-12-02').toBe(true)
      expect(Date.parse('2026-12-02') - Date.parse(start)).toBeLessThan(span * DAY_MS)
    }
  })

  it('covers every range exactly once, with few buckets', () => {
    let worst = 0
    for (let offset = 0; offset < 130; offset += 1) {
      for (const length of [1, 2, 7, 8, 9, 28, 63, 64, 65, 90, 128, 366]) {
        const from = new Date(Date.parse('2026-01-01T00:00:00Z') + offset * DAY_MS).toISOString().slice(0, 10)
        const to = new Date(Date.parse(`${from}T00:00:00Z`) + (length - 1) * DAY_MS).toISOString().slice(0, 10)
        const runs = coveringRuns(from, to)
        expect(covered(runs), `${from}..${to}`).toEqual(days(from, to))
        expect(runs.length).toBeLessThanOrEqual(5)
        if (length === 90) worst = Math.max(worst, runs.reduce((n, r) => n + days(r.from, r.to).filter((d) => bucketStart(d, r.span) === d).length, 0))
      }
    }
    // A 90-day range reads at most 7 + 7 days, 7 + 7 eight-day blocks and one 64-day block.
    expect(worst).toBeLessThanOrEqual(29)
  })
})
