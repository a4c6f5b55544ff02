import { Temporal } from 'temporal-polyfill'
import { describe, expect, it } from 'vitest'
import { TimeZoneRules } from './time-zone-rules.ts'

const MINUTE = 60_000

/** What fromWall must answer, computed the slow way with Temporal alone. */
function referenceFromWall(timeZone: string, wallMs: number): number {
  const plain = Temporal.PlainDateTime.from(new Date(wallMs).toISOString().slice(0, 19))
  const earlier = plain.toZonedDateTime(timeZone, { disambiguation: 'earlier' })
  if (Temporal.PlainDateTime.compare(earlier.toPlainDateTime(), plain) === 0) return earlier.epochMilliseconds
  // A gap: 'earlier' moved back by its length, into the old offset; the gap ends at the next transition.
  return earlier.getTimeZoneTransition('next')!.epochMilliseconds
}

const zones = [
  'Europe/Paris',
  'America/New_York',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'America/Santiago',
  'Europe/Dublin',
  'Africa/Casablanca',
  'UTC',
]

describe('TimeZoneRules', () => {
  it('agrees with Temporal on offsets across 2026 and 2027', () => {
    for (const zone of zones) {
      const rules = new TimeZoneRules(zone)
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2028, 0, 1); t += 97 * 60 * MINUTE) {
        const offset = Temporal.Instant.fromEpochMilliseconds(t).toZonedDateTimeISO(zone).offsetNanoseconds / 1e6
        expect(rules.offsetAt(t), `${zone} at ${new Date(t).toISOString()}`).toBe(offset)
      }
    }
  })

  it('agrees with Temporal on every minute around each transition of 2026 and 2027', () => {
    for (const zone of zones) {
      const rules = new TimeZoneRules(zone)
      let zdt = Temporal.Instant.fromEpochMilliseconds(Date.UTC(2026, 0, 1)).toZonedDateTimeISO(zone)
      let transitions = 0
      for (;;) {
        const next = zdt.getTimeZoneTransition('next')
        if (!next || next.year > 2027) break
        transitions++
        const wall = next.epochMilliseconds + next.offsetNanoseconds / 1e6
        for (let w = wall - 150 * MINUTE; w <= wall + 150 * MINUTE; w += MINUTE) {
          expect(rules.fromWall(w), `${zone} wall ${new Date(w).toISOString()}`).toBe(referenceFromWall(zone, w))
        }
        zdt = next
      }
      if (['Asia/Kolkata', 'Asia/Kathmandu', 'UTC'].includes(zone)) expect(transitions).toBe(0)
      else expect(transitions, zone).toBeGreaterThanOrEqual(2)
    }
  })

  it('turns a skipped time into the moment of the change, and a repeated one into its first occurrence', () => {
    const paris = new TimeZoneRules('Europe/Paris')
    // 2026-03-29 02:30 does not exist in Paris; clocks jump from 02:00 CET to 03:00 CEST (01:00Z).
    expect(new Date(paris.fromWall(Date.UTC(2026, 2, 29, 2, 30))).toISOString()).toBe('2026-03-29T01:00:00.000Z')
    // 2026-10-25 02:30 happens twice; the first time is CEST (00:30Z).
    expect(new Date(paris.fromWall(Date.UTC(2026, 9, 25, 2, 30))).toISOString()).toBe('2026-10-25T00:30:00.000Z')
    const lordHowe = new TimeZoneRules('Australia/Lord_Howe')
    // 2026-10-04 02:15 is in Lord Howe's 30-minute gap (02:00 +10:30 → 02:30 +11:00).
    expect(new Date(lordHowe.fromWall(Date.UTC(2026, 9, 4, 2, 15))).toISOString()).toBe('2026-10-03T15:30:00.000Z')
  })

  it('reaches far from where it started, both ways', () => {
    const rules = new TimeZoneRules('America/New_York')
    expect(rules.offsetAt(Date.UTC(2026, 6, 1))).toBe(-4 * 60 * MINUTE)
    expect(rules.offsetAt(Date.UTC(2040, 0, 1))).toBe(-5 * 60 * MINUTE)
    expect(rules.offsetAt(Date.UTC(2040, 6, 1))).toBe(-4 * 60 * MINUTE)
    expect(rules.offsetAt(Date.UTC(2000, 0, 1))).toBe(-5 * 60 * MINUTE)
    expect(rules.offsetAt(Date.UTC(2026, 0, 1))).toBe(-5 * 60 * MINUTE)
  })
})
