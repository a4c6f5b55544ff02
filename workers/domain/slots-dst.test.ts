// Slots on the days clocks change, in every IANA zone that changes them in the next two years:
// for windows around each change, every minute a slot can take is checked against the change's
// offsets (read from Temporal), and the slots projects get are checked with Temporal.
// A spring-forward day keeps a window's slot in the part of the window that exists; a window
// wholly in the skipped time gives the first instant after it (documented in slots.ts).
import { Temporal } from 'temporal-polyfill'
import { describe, expect, it } from 'vitest'
import { autopilotConfigSchema, parseTimeWindow } from './autopilot-config.ts'
import { compileSchedule, isWithinWindows, slotOn, windowInstants } from './slots.ts'

const MIN = 60_000
const DAY = 86_400_000

interface Change {
  zone: string
  /** The instant of the change. */
  at: number
  /** UTC offsets before and after, in ms. */
  before: number
  after: number
}

/** Every offset change of every zone the runtime knows, from now to two years on, read from Temporal. */
function changesInNextTwoYears(): Change[] {
  const from = Math.floor(Date.now() / DAY) * DAY
  const to = from + 2 * 366 * DAY
  const changes: Change[] = []
  for (const zone of Intl.supportedValuesOf('timeZone')) {
    let zdt = Temporal.Instant.fromEpochMilliseconds(from).toZonedDateTimeISO(zone)
    for (;;) {
      const next = zdt.getTimeZoneTransition('next')
      if (!next || next.epochMilliseconds > to) break
      const before = Temporal.Instant.fromEpochMilliseconds(next.epochMilliseconds - 1).toZonedDateTimeISO(zone).offsetNanoseconds / 1e6
      changes.push({ zone, at: next.epochMilliseconds, before, after: next.offsetNanoseconds / 1e6 })
      zdt = next
    }
  }
  return changes
}

const hhmm = (minuteOfDay: number) => {
  const m = ((minuteOfDay % 1440) + 1440) % 1440
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
}

/**
 * The first instant showing a wall time (ms since 1970-01-01T00:00 local) around one change, from
 * the change's offsets alone (not through the code under test); null when the change skips it.
 */
function firstInstant({ at, before, after }: Change, wall: number): number | null {
  if (wall - before < at) return wall - before // shown before the change
  if (wall - after >= at) return wall - after // shown after it
  return null
}

/** The wall time Temporal shows at an instant, to check the picked slots independently. */
const wallOf = (zone: string, instant: number) => {
  const z = Temporal.Instant.fromEpochMilliseconds(instant).toZonedDateTimeISO(zone)
  return Date.UTC(z.year, z.month - 1, z.day, z.hour, z.minute)
}

/** Windows around a change of local wall time [g0, g1): before it into it, from it out, over it, inside it. */
function windowsAround(g0: number, g1: number): Array<{ start: number; end: number; label: string }> {
  const gap = (g1 - g0) / MIN
  const windows = [
    { start: g0 - 45 * MIN, end: g0 + Math.ceil(gap / 2) * MIN, label: 'ends inside' },
    { start: g0 + Math.floor(gap / 2) * MIN, end: g1 + 45 * MIN, label: 'starts inside' },
    { start: g0 - 30 * MIN, end: g1 + 30 * MIN, label: 'spans' },
    { start: g0 - 20 * MIN, end: g1, label: 'ends at its end' },
  ]
  if (gap >= 3) windows.push({ start: g0 + MIN, end: g1 - MIN, label: 'wholly inside' })
  return windows
}

const changes = changesInNextTwoYears()
const springs = changes.filter((c) => c.after > c.before)
const falls = changes.filter((c) => c.after < c.before)

/** Changes no closer than two days to another of their zone, so one change decides each window. */
function alone(list: Change[]): Change[] {
  return list.filter((c) => !changes.some((o) => o !== c && o.zone === c.zone && Math.abs(o.at - c.at) < 2 * DAY))
}

function scheduleFor(zone: string, start: number, end: number) {
  const text = `${hhmm(new Date(start).getUTCHours() * 60 + new Date(start).getUTCMinutes())}-${hhmm(new Date(end).getUTCHours() * 60 + new Date(end).getUTCMinutes())}`
  const config = autopilotConfigSchema.parse({ cadence: 'daily', language: 'en', style: 'minimal', objective: 'traffic', timeWindows: [text], timezone: zone })
  const day = Math.floor(start / DAY)
  const date = new Date(day * DAY).toISOString().slice(0, 10)
  return { config, text, day, date, window: parseTimeWindow(text)! }
}

describe('slots on the days clocks change, in every zone that changes them in the next two years', () => {
  it('finds the changes: many zones, both directions', () => {
    expect(new Set(springs.map((c) => c.zone)).size).toBeGreaterThan(50)
    expect(new Set(falls.map((c) => c.zone)).size).toBeGreaterThan(50)
    // Half-hour changes (Lord Howe) and changes at midnight are among them.
    expect(springs.some((c) => c.after - c.before === 30 * MIN)).toBe(true)
    expect(springs.some((c) => (c.at + c.before) % DAY === 0)).toBe(true)
  })

  it('on spring-forward days, a slot can take exactly the minutes of its window that exist, and no other', () => {
    let minutes = 0
    let windows = 0
    for (const change of alone(springs)) {
      const { zone, at, before, after } = change
      const g0 = at + before // wall time where the clocks jump from...
      const g1 = at + after // ...and to
      for (const w of windowsAround(g0, g1)) {
        const { config, text, day, date, window } = scheduleFor(zone, w.start, w.end)
        const schedule = compileSchedule(config)
        const where = `${zone} ${date} ${text} (${w.label})`
        // Every minute of the window: its instant when it exists that day.
        const expected: number[] = []
        for (let m = window.start; m < window.end; m++) {
          const instant = firstInstant(change, day * DAY + m * MIN)
          if (instant !== null) expected.push(instant)
        }
        expect(windowInstants(schedule, day, window), where).toEqual(expected)
        minutes += window.end - window.start
        windows++
        // The slots projects get that day: inside the part that exists, or, when none does, the
        // first instant after the gap (the change itself), shown as moved.
        for (let p = 0; p < 4; p++) {
          const slot = slotOn(config, `project-${p}`, date)!.getTime()
          if (expected.length > 0) {
            expect(expected, `${where}: project-${p} got ${new Date(slot).toISOString()}`).toContain(slot)
            // And by Temporal: the slot's wall time is in the window, on that day.
            const wall = wallOf(zone, slot)
            expect(wall >= day * DAY + window.start * MIN && wall < day * DAY + window.end * MIN, where).toBe(true)
            expect(isWithinWindows(config, new Date(slot)), where).toBe(true)
          } else {
            expect(slot, where).toBe(at)
            expect(isWithinWindows(config, new Date(slot)), where).toBe(false)
          }
        }
      }
    }
    expect(windows).toBeGreaterThan(500)
    expect(minutes).toBeGreaterThan(50_000)
  })

  it('on fall-back days, every minute of a window over the repeated time is its first occurrence', () => {
    let windows = 0
    for (const change of alone(falls)) {
      const { zone, at, before, after } = change
      const o0 = at + after // the repeated wall time starts here...
      const o1 = at + before // ...and ends here
      for (const w of windowsAround(o0, o1).filter((x) => x.label !== 'wholly inside')) {
        const { config, text, day, date, window } = scheduleFor(zone, w.start, w.end)
        const expected: number[] = []
        for (let m = window.start; m < window.end; m++) expected.push(firstInstant(change, day * DAY + m * MIN)!)
        expect(expected.every((x) => x !== null)).toBe(true)
        expect(windowInstants(compileSchedule(config), day, window), `${zone} ${date} ${text}`).toEqual(expected)
        for (let p = 0; p < 4; p++) {
          const slot = slotOn(config, `project-${p}`, date)!.getTime()
          expect(expected).toContain(slot)
          const wall = wallOf(zone, slot)
          expect(wall >= day * DAY + window.start * MIN && wall < day * DAY + window.end * MIN).toBe(true)
        }
        windows++
      }
    }
    expect(windows).toBeGreaterThan(500)
  })
})
