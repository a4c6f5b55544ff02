import { Temporal } from 'temporal-polyfill'
import { describe, expect, it } from 'vitest'
import { autopilotConfigSchema, parseTimeWindow, type AutopilotConfig } from './autopilot-config.ts'
import { compileSchedule, isWithinWindows, nextSlots, slotKey, slotOn, type ScheduleConfig } from './slots.ts'

const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']

function config(overrides: Partial<Record<keyof AutopilotConfig, unknown>>): AutopilotConfig {
  return autopilotConfigSchema.parse({
    cadence: 'daily',
    language: 'en',
    style: 'minimal',
    objective: 'traffic',
    timeWindows: ['12:00-14:00'],
    ...overrides,
  })
}

/** The local wall time of an instant in a zone, through Temporal (not through the code under test). */
function local(slot: Date, zone: string): Temporal.ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(slot.getTime()).toZonedDateTimeISO(zone)
}

/**
 * The local date a slot belongs to: the day its window starts. Null when its local time lies in
 * no window, which a correct slot only does when it was moved out of a spring-forward gap.
 */
function owningDay(slot: Date, cfg: AutopilotConfig): Temporal.PlainDate | null {
  const zdt = local(slot, cfg.timezone)
  const minute = zdt.hour * 60 + zdt.minute
  for (const text of cfg.timeWindows) {
    const w = parseTimeWindow(text)!
    if (minute >= w.start && minute < w.end) return zdt.toPlainDate()
    if (minute + 1440 >= w.start && minute + 1440 < w.end) return zdt.toPlainDate().subtract({ days: 1 })
  }
  return null
}

/** Checks what every list of slots must satisfy; returns the local days they belong to. */
function checkSlots(slots: Date[], cfg: AutopilotConfig, after: Date, count: number): Temporal.PlainDate[] {
  expect(slots).toHaveLength(count)
  const days: Temporal.PlainDate[] = []
  slots.forEach((slot, i) => {
    expect(slot.getTime()).toBeGreaterThan(i === 0 ? after.getTime() : slots[i - 1].getTime())
    expect(slot.getTime() % 60_000).toBe(0)
    const day = owningDay(slot, cfg)
    expect(day, `${slot.toISOString()} is ${local(slot, cfg.timezone).toString()}, in no window of ${cfg.timeWindows}`).not.toBeNull()
    days.push(day!)
  })
  return days
}

/** The slots of the days around each of 2026's and 2027's daylight-saving changes in a zone. */
const dstCases = [
  { zone: 'Europe/Paris', changes: ['2026-03-29', '2026-10-25', '2027-03-28', '2027-10-31'] },
  { zone: 'America/New_York', changes: ['2026-03-08', '2026-11-01', '2027-03-14', '2027-11-07'] },
  { zone: 'Asia/Kolkata', changes: [] },
  { zone: 'Australia/Lord_Howe', changes: ['2026-04-05', '2026-10-04', '2027-04-04', '2027-10-03'] },
]

describe('nextSlots across daylight-saving changes', () => {
  for (const { zone, changes } of dstCases) {
    it(`posts once a day inside the windows in ${zone} through 2026 and 2027`, () => {
      const cfg = config({ timezone: zone, timeWindows: ['07:15-08:45', '12:00-14:00', '18:30-20:00', '23:00-01:30'] })
      const after = new Date('2026-01-01T00:00:00Z')
      const slots = nextSlots(cfg, { projectId: 'p-dst', after, count: 200 })
      const more = nextSlots(cfg, { projectId: 'p-dst', after: slots[199], count: 200 })
      const more2 = nextSlots(cfg, { projectId: 'p-dst', after: more[199], count: 200 })
      const more3 = nextSlots(cfg, { projectId: 'p-dst', after: more2[199], count: 200 })
      const all = [...slots, ...more, ...more2, ...more3]
      const days = checkSlots(all, cfg, after, 800)
      // One post per local day, none skipped, none doubled, DST changes included.
      const first = Temporal.PlainDate.from('2026-01-01')
      days.forEach((day, i) => expect(day.toString()).toBe(first.add({ days: i }).toString()))
      for (const change of changes) expect(days.map(String)).toContain(change)
      expect(days.at(-1)!.toString()).toBe('2028-03-10')
    })
  }

  it('gives Kolkata (+05:30) and Kathmandu (+05:45) their odd offsets', () => {
    const kolkata = config({ timezone: 'Asia/Kolkata', timeWindows: ['12:00-12:01'] })
    expect(slotOn(kolkata, 'p', '2026-06-01')!.toISOString()).toBe('2026-06-01T06:30:00.000Z')
    const kathmandu = config({ timezone: 'Asia/Kathmandu', timeWindows: ['09:00-09:01'] })
    expect(slotOn(kathmandu, 'p', '2027-01-15')!.toISOString()).toBe('2027-01-15T03:15:00.000Z')
    const slots = nextSlots(kathmandu, { projectId: 'p', after: new Date('2027-01-15T03:15:00Z'), count: 2 })
    expect(slots.map((s) => s.toISOString())).toEqual(['2027-01-16T03:15:00.000Z', '2027-01-17T03:15:00.000Z'])
  })
})

describe('spring-forward: a time that does not exist moves to the first instant that does', () => {
  // One-minute windows inside the gap, so the slot's wall time is known. "Shifted by the gap"
  // would give 03:30 in Paris and New York and 02:45 in Lord Howe; the first valid instant is
  // the end of the gap: 03:00, 03:00 and 02:30.
  const cases = [
    { zone: 'Europe/Paris', date: '2026-03-29', window: '02:30-02:31', expected: '2026-03-29T01:00:00.000Z' },
    { zone: 'Europe/Paris', date: '2027-03-28', window: '02:30-02:31', expected: '2027-03-28T01:00:00.000Z' },
    { zone: 'America/New_York', date: '2026-03-08', window: '02:30-02:31', expected: '2026-03-08T07:00:00.000Z' },
    { zone: 'America/New_York', date: '2027-03-14', window: '02:30-02:31', expected: '2027-03-14T07:00:00.000Z' },
    { zone: 'Australia/Lord_Howe', date: '2026-10-04', window: '02:15-02:16', expected: '2026-10-03T15:30:00.000Z' },
    { zone: 'Australia/Lord_Howe', date: '2027-10-03', window: '02:15-02:16', expected: '2027-10-02T15:30:00.000Z' },
  ]
  for (const { zone, date, window, expected } of cases) {
    it(`${zone} ${date} ${window} → ${expected}`, () => {
      const cfg = config({ timezone: zone, timeWindows: [window] })
      expect(slotOn(cfg, 'p', date)!.toISOString()).toBe(expected)
      // From a day and a half before: the day before keeps its usual wall time, then the moved slot.
      const after = new Date(new Date(expected).getTime() - 36 * 3_600_000)
      const [before, slot] = nextSlots(cfg, { projectId: 'p', after, count: 2 })
      expect(local(before, zone).toPlainTime().toString().slice(0, 5)).toBe(window.slice(0, 5))
      expect(slot.toISOString()).toBe(expected)
    })
  }

  it('keeps a window that starts in the gap and ends after it to its part that exists', () => {
    const cfg = config({ timezone: 'Europe/Paris', timeWindows: ['02:30-03:30'] })
    for (let p = 0; p < 200; p++) {
      const slot = slotOn(cfg, `project-${p}`, '2026-03-29')!
      const wall = local(slot, 'Europe/Paris').toPlainTime().toString()
      expect(wall >= '03:00' && wall < '03:30', `${slot.toISOString()} is ${wall}`).toBe(true)
    }
  })
})

describe('fall-back: a time that happens twice takes its first occurrence', () => {
  const cases = [
    { zone: 'Europe/Paris', date: '2026-10-25', window: '02:30-02:31', expected: '2026-10-25T00:30:00.000Z' },
    { zone: 'Europe/Paris', date: '2027-10-31', window: '02:30-02:31', expected: '2027-10-31T00:30:00.000Z' },
    { zone: 'America/New_York', date: '2026-11-01', window: '01:30-01:31', expected: '2026-11-01T05:30:00.000Z' },
    { zone: 'America/New_York', date: '2027-11-07', window: '01:30-01:31', expected: '2027-11-07T05:30:00.000Z' },
    { zone: 'Australia/Lord_Howe', date: '2026-04-05', window: '01:45-01:46', expected: '2026-04-04T14:45:00.000Z' },
    { zone: 'Australia/Lord_Howe', date: '2027-04-04', window: '01:45-01:46', expected: '2027-04-03T14:45:00.000Z' },
  ]
  for (const { zone, date, window, expected } of cases) {
    it(`${zone} ${date} ${window} → ${expected}`, () => {
      const cfg = config({ timezone: zone, timeWindows: [window] })
      expect(slotOn(cfg, 'p', date)!.toISOString()).toBe(expected)
      // Asked from between the two occurrences, the slot of that day is already past: next day.
      const between = new Date(new Date(expected).getTime() + 1000)
      const next = nextSlots(cfg, { projectId: 'p', after: between, count: 1 })[0]
      expect(local(next, zone).toPlainDate().toString() > date).toBe(true)
    })
  }

  it('keeps every slot of a window over the repeated hour inside the window, on the first pass', () => {
    const cfg = config({ timezone: 'America/New_York', timeWindows: ['01:00-02:00'] })
    for (let p = 0; p < 200; p++) {
      const slot = slotOn(cfg, `project-${p}`, '2026-11-01')!
      // Every minute 01:00..01:59 EDT is 05:00Z..05:59Z; the second pass (EST) would be 06:xxZ.
      expect(slot.getUTCHours()).toBe(5)
    }
  })
})

describe('windows crossing midnight', () => {
  it('belong to the day they start, in UTC and across a DST change', () => {
    for (const zone of ['UTC', 'Europe/Paris']) {
      const cfg = config({ cadence: 'weekly', weekdays: ['mon'], timezone: zone, timeWindows: ['23:00-01:00'] })
      const after = new Date('2026-01-01T00:00:00Z')
      const slots = nextSlots(cfg, { projectId: 'night-owl', after, count: 104 })
      const days = checkSlots(slots, cfg, after, 104)
      for (const day of days) expect(WEEKDAY_NAMES[day.dayOfWeek - 1]).toBe('mon')
      // Some slots fall after midnight, on the Tuesday.
      const tuesdays = slots.filter((s) => local(s, zone).dayOfWeek === 2)
      expect(tuesdays.length).toBeGreaterThan(10)
      expect(tuesdays.length).toBeLessThan(94)
    }
  })

  it('finds the slot of yesterday’s window that is still ahead after midnight', () => {
    const cfg = config({ timeWindows: ['23:00-01:00'] })
    // Find a day whose slot falls after midnight, then ask from just after that midnight.
    let day = Temporal.PlainDate.from('2026-05-01')
    while (slotOn(cfg, 'p', day.toString())!.getUTCHours() !== 0) day = day.add({ days: 1 })
    const slot = slotOn(cfg, 'p', day.toString())!
    const midnight = new Date(`${day.add({ days: 1 })}T00:00:00Z`)
    expect(nextSlots(cfg, { projectId: 'p', after: midnight, count: 1 })[0]).toEqual(slot)
  })
})

describe('determinism', () => {
  const cfg = config({ timezone: 'Europe/Paris', timeWindows: ['12:00-14:00', '18:30-20:00'] })

  it('gives the same slots for the same input, and from any earlier moment', () => {
    const after = new Date('2026-11-22T10:00:00Z')
    const a = nextSlots(cfg, { projectId: 'p1', after, count: 50 })
    // A fresh but equal configuration (nothing cached on the object) agrees.
    expect(nextSlots(config({ timezone: 'Europe/Paris', timeWindows: ['12:00-14:00', '18:30-20:00'] }), { projectId: 'p1', after, count: 50 })).toEqual(a)
    const earlier = nextSlots(cfg, { projectId: 'p1', after: new Date('2026-10-01T00:00:00Z'), count: 200 })
    expect(earlier.filter((s) => s > after).slice(0, 50)).toEqual(a)
    // Asking from the middle of the list gives the rest of it.
    expect(nextSlots(cfg, { projectId: 'p1', after: a[9], count: 40 })).toEqual(a.slice(10))
    // Asking from one ms before a slot includes it.
    expect(nextSlots(cfg, { projectId: 'p1', after: new Date(a[5].getTime() - 1), count: 1 })).toEqual([a[5]])
  })

  it('keeps the slots it gave before: a change to the hash would move every planned post', () => {
    const slots = nextSlots(config({ timezone: 'Europe/Paris', timeWindows: ['12:00-14:00', '18:30-20:00'] }), {
      projectId: 'prj_01JDEMO',
      after: new Date('2026-11-22T10:00:00Z'),
      count: 5,
    })
    expect(slots.map((s) => s.toISOString())).toEqual([
      '2026-11-22T12:28:00.000Z',
      '2026-11-23T12:16:00.000Z',
      '2026-11-24T18:40:00.000Z',
      '2026-11-25T11:44:00.000Z',
      '2026-11-26T17:40:00.000Z',
    ])
  })

  it('varies the minute from day to day and from project to project, and uses every window', () => {
    const one = nextSlots(cfg, { projectId: 'p1', after: new Date('2026-01-01T00:00:00Z'), count: 200 })
    const minutes = new Set(one.map((s) => local(s, 'Europe/Paris').toPlainTime().toString()))
    expect(minutes.size).toBeGreaterThan(100)
    const evening = one.filter((s) => local(s, 'Europe/Paris').hour >= 18).length
    expect(evening).toBeGreaterThan(60)
    expect(evening).toBeLessThan(140)

    const sameDay = Array.from({ length: 100 }, (_, i) => slotOn(cfg, `project-${i}`, '2026-11-22')!.getTime())
    expect(new Set(sameDay).size).toBeGreaterThan(60)
    expect(slotOn(cfg, 'p1', '2026-11-22')).not.toEqual(slotOn(cfg, 'p2', '2026-11-22'))
  })
})

describe('weekly cadence', () => {
  it('posts once on each chosen weekday, and on no other', () => {
    const cfg = config({ cadence: 'weekly', weekdays: ['fri', 'tue'], timezone: 'America/New_York', timeWindows: ['09:00-11:00', '15:00-16:00'] })
    const after = new Date('2026-03-01T00:00:00Z')
    const slots = nextSlots(cfg, { projectId: 'weekly', after, count: 200 })
    const days = checkSlots(slots, cfg, after, 200)
    expect(new Set(days.map(String)).size).toBe(200)
    expect(days.map((d) => WEEKDAY_NAMES[d.dayOfWeek - 1])).toEqual(Array.from({ length: 200 }, (_, i) => (i % 2 ? 'fri' : 'tue')))
    days.slice(1).forEach((day, i) => expect(days[i].until(day).days).toBe(i % 2 ? 4 : 3))
    expect(slotOn(cfg, 'weekly', '2026-03-04')).toBeNull() // a Wednesday
  })

  it('ignores weekdays when daily', () => {
    const daily = config({ cadence: 'daily', weekdays: ['sun'] })
    const dailySlots = nextSlots(daily, { projectId: 'p', after: new Date('2026-06-01T00:00:00Z'), count: 7 })
    expect(new Set(dailySlots.map((s) => s.getUTCDay())).size).toBe(7)
  })
})

describe('nextSlots arguments', () => {
  const cfg = config({})
  it('answers up to 200 slots, and none for a count of 0', () => {
    expect(nextSlots(cfg, { projectId: 'p', after: new Date(), count: 200 })).toHaveLength(200)
    expect(nextSlots(cfg, { projectId: 'p', after: new Date(), count: 0 })).toEqual([])
  })

  it('refuses a bad count or date', () => {
    expect(() => nextSlots(cfg, { projectId: 'p', after: new Date(), count: -1 })).toThrow(RangeError)
    expect(() => nextSlots(cfg, { projectId: 'p', after: new Date(), count: 1.5 })).toThrow(RangeError)
    expect(() => nextSlots(cfg, { projectId: 'p', after: new Date('nope'), count: 1 })).toThrow(RangeError)
    expect(() => slotOn(cfg, 'p', '22/11/2026')).toThrow(RangeError)
  })

  it('accepts a compiled schedule, which is the same object for the same configuration', () => {
    const compiled = compileSchedule(cfg)
    expect(compileSchedule(cfg)).toBe(compiled)
    const after = new Date('2026-02-02T00:00:00Z')
    expect(nextSlots(compiled, { projectId: 'p', after, count: 10 })).toEqual(nextSlots(cfg, { projectId: 'p', after, count: 10 }))
  })
})

describe('slotKey and isWithinWindows', () => {
  it('keys a slot by its UTC minute', () => {
    expect(slotKey(new Date('2026-11-22T12:37:00.000Z'))).toBe('2026-11-22T12:37Z')
    expect(slotKey(new Date('2026-11-22T12:37:59.999Z'))).toBe('2026-11-22T12:37Z')
    expect(() => slotKey(new Date('nope'))).toThrow(RangeError)
  })

  it('tells whether an instant is inside a window in the project’s zone', () => {
    const cfg = config({ timezone: 'Asia/Kolkata', timeWindows: ['12:00-14:00', '23:00-01:00'] })
    expect(isWithinWindows(cfg, new Date('2026-06-01T06:30:00Z'))).toBe(true) // 12:00 IST
    expect(isWithinWindows(cfg, new Date('2026-06-01T08:29:00Z'))).toBe(true) // 13:59
    expect(isWithinWindows(cfg, new Date('2026-06-01T08:30:00Z'))).toBe(false) // 14:00, end excluded
    expect(isWithinWindows(cfg, new Date('2026-06-01T19:00:00Z'))).toBe(true) // 00:30 next day
    expect(isWithinWindows(cfg, new Date('2026-06-01T19:30:00Z'))).toBe(false) // 01:00
    for (const slot of nextSlots(cfg, { projectId: 'p', after: new Date('2026-01-01T00:00:00Z'), count: 100 })) {
      expect(isWithinWindows(cfg, slot)).toBe(true)
    }
  })
})

describe('a learning autopilot', () => {
  it("posts at the start of the day's earliest window (the learner then picks the part), every posting day", () => {
    const config: ScheduleConfig = { cadence: 'daily', weekdays: [], timeWindows: ['19:00-20:00', '08:30-10:00', '12:00-14:00'], timezone: 'Europe/Paris', learning: 'learn' }
    const slots = nextSlots(config, { projectId: 'prj_learn', after: new Date('2026-03-25T00:00:00Z'), count: 10 })
    const local = slots.map((s) => Temporal.Instant.fromEpochMilliseconds(s.getTime()).toZonedDateTimeISO('Europe/Paris'))
    // Across the spring-forward change of 29 March too.
    expect(local.map((z) => z.toPlainTime().toString().slice(0, 5))).toEqual(new Array(10).fill('08:30'))
    expect(local.map((z) => z.toPlainDate().toString())).toEqual(Array.from({ length: 10 }, (_, i) => Temporal.PlainDate.from('2026-03-25').add({ days: i }).toString()))
    // Locked (the default) keeps the rotation.
    const locked = nextSlots({ ...config, learning: 'locked' }, { projectId: 'prj_learn', after: new Date('2026-03-25T00:00:00Z'), count: 10 })
    expect(new Set(locked.map((s) => Temporal.Instant.fromEpochMilliseconds(s.getTime()).toZonedDateTimeISO('Europe/Paris').hour)).size).toBeGreaterThan(1)
  })
})
