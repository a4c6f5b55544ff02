import { describe, expect, it } from 'vitest'
import { accountEffects, expectedFinalViews, growth, modelMetrics } from './metric-model'
import { localParts, nextPull, PULL_AGES_MS, pullTime } from './metrics'

const HOUR = 3600_000
const post = { accountSeed: 'prj_a', postSeed: 'post_1', platform: 'tiktok' as const, style: 'neon', weekday: 2, hour: 18, durationSec: 20 }

describe('the sandbox metric model', () => {
  it('is repeatable per post and differs between posts', () => {
    expect(modelMetrics(post, 30)).toEqual(modelMetrics(post, 30))
    expect(modelMetrics(post, 30).views).not.toBe(modelMetrics({ ...post, postSeed: 'post_2' }, 30).views)
  })

  it('grows and saturates: most views come in the first days, none before publication', () => {
    const at = (h: number) => modelMetrics(post, h).views!
    expect(at(0)).toBe(0)
    expect(at(1)).toBeLessThan(at(24))
    expect(at(24)).toBeLessThan(at(72))
    expect(at(72)).toBeLessThanOrEqual(at(24 * 90))
    expect(growth('tiktok', 24 * 90)).toBeGreaterThan(0.95)
    // The increase from day 28 to day 90 is small against the first three days.
    expect(at(24 * 90) - at(24 * 28)).toBeLessThan(at(72) * 0.2)
  })

  it('reports what each platform reports: TikTok no saves, Instagram reach and saves, YouTube watch time only after 48 h', () => {
    expect(Object.keys(modelMetrics(post, 30)).sort()).toEqual(['comments', 'likes', 'shares', 'views'])
    expect(modelMetrics({ ...post, platform: 'instagram' }, 30)).toHaveProperty('saves')
    expect(modelMetrics({ ...post, platform: 'instagram' }, 30)).toHaveProperty('reach')
    expect(modelMetrics({ ...post, platform: 'youtube' }, 30)).not.toHaveProperty('watch_time_minutes')
    expect(modelMetrics({ ...post, platform: 'youtube' }, 72)).toHaveProperty('watch_time_minutes')
  })

  it('hides effects a learner can find: the best hour and style of an account beat the worst by a wide margin', () => {
    const e = accountEffects('prj_a')
    const hours = Array.from({ length: 24 }, (_, h) => expectedFinalViews({ ...post, hour: h }))
    expect(Math.max(...hours) / Math.min(...hours)).toBeGreaterThan(2)
    const styles = ['minimal', 'neon', 'corporate'].map((s) => e.style.tiktok[s])
    expect(Math.max(...styles)).not.toBe(Math.min(...styles))
    expect(accountEffects('prj_b').bestHour.tiktok).not.toBe(e.bestHour.tiktok)
  })
})

describe('the pull schedule', () => {
  it('pulls at 1 h, 6 h, 24 h, 3 d, 7 d, 28 d, then weekly to 90 d', () => {
    expect(PULL_AGES_MS.slice(0, 6)).toEqual([1, 6, 24, 72, 168, 672].map((h) => h * HOUR))
    expect(PULL_AGES_MS.at(-1)).toBe(90 * 24 * HOUR)
    expect(pullTime(0, PULL_AGES_MS.length)).toBeNull()
  })

  it('a target found late is pulled once now, not once per missed age', () => {
    expect(nextPull(0, 0, 30 * 60_000)).toEqual({ index: 0, at: HOUR })
    // 2 days after publication: pulls 0 and 1 are long past, the 24 h one is the one to do now.
    expect(nextPull(0, 0, 40 * HOUR)).toEqual({ index: 2, at: 24 * HOUR })
    expect(nextPull(0, 0, 100 * 24 * HOUR)).toEqual({ index: PULL_AGES_MS.length - 1, at: 90 * 24 * HOUR })
    expect(nextPull(0, PULL_AGES_MS.length, 0)).toBeNull()
  })

  it('puts an instant on its day, weekday and hour in the project zone', () => {
    // 2026-12-01T23:30Z is Wednesday 00:30 in Paris.
    expect(localParts('Europe/Paris', Date.parse('2026-12-01T23:30:00Z'))).toEqual({ day: '2026-12-02', weekday: 2, hour: 0 })
    expect(localParts('UTC', Date.parse('2026-12-01T23:30:00Z'))).toEqual({ day: '2026-12-01', weekday: 1, hour: 23 })
  })
})
