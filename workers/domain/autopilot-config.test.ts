import { describe, expect, it } from 'vitest'
import { autopilotConfigSchema, parseTimeWindow, resolveTimeZone, windowsOverlap } from './autopilot-config.ts'

const valid = {
  cadence: 'daily',
  language: 'en',
  style: 'neon',
  objective: 'traffic',
  timeWindows: ['12:00-14:00', '18:30-20:00'],
}

/** The issues of a failed parse as "path: message" lines, so a test reads like the 400 body. */
function issues(input: unknown): string[] {
  const result = autopilotConfigSchema.safeParse(input)
  if (result.success) return []
  return result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
}

describe('autopilotConfigSchema', () => {
  it('applies the defaults', () => {
    const config = autopilotConfigSchema.parse(valid)
    expect(config).toEqual({
      ...valid,
      timezone: 'UTC',
      weekdays: ['mon'],
      enabled: true,
      requireApproval: false,
      keepToWindows: false,
    })
    expect(config.platforms).toBeUndefined()
  })

  it('refuses a weekly cadence without its weekdays, beside the other problems', () => {
    expect(issues({ ...valid, cadence: 'weekly' })).toEqual(['weekdays: choose at least one weekday for a weekly cadence'])
    expect(issues({ ...valid, cadence: 'weekly', weekdays: [] })).toEqual(['weekdays: choose at least one weekday, e.g. ["mon"]'])
    const both = issues({ ...valid, cadence: 'weekly', timeWindows: ['25:00-26:00'] })
    expect(both).toContain('weekdays: choose at least one weekday for a weekly cadence')
    expect(both.some((line) => line.startsWith('timeWindows.0: "25:00-26:00" is not a time window'))).toBe(true)
  })

  it('keeps every optional field given, and spells the zone canonically', () => {
    const config = autopilotConfigSchema.parse({
      ...valid,
      cadence: 'weekly',
      language: 'FR',
      timezone: 'europe/paris',
      weekdays: ['tue', 'fri'],
      platforms: ['tiktok'],
      enabled: false,
      requireApproval: true,
    })
    expect(config.language).toBe('fr')
    expect(config.timezone).toBe('Europe/Paris')
    expect(config.weekdays).toEqual(['tue', 'fri'])
    expect(config.platforms).toEqual(['tiktok'])
    expect(config.enabled).toBe(false)
    expect(config.requireApproval).toBe(true)
  })

  it('accepts windows that cross midnight and windows that touch', () => {
    expect(issues({ ...valid, timeWindows: ['22:00-01:00', '01:00-02:00', '12:00-14:00', '14:00-15:00'] })).toEqual([])
  })

  it('names each missing required field', () => {
    const found = issues({})
    for (const field of ['cadence', 'language', 'style', 'objective', 'timeWindows']) {
      expect(found.some((line) => line.startsWith(`${field}: ${field} is required`))).toBe(true)
    }
  })

  it('names a wrong enum value and lists the allowed ones', () => {
    expect(issues({ ...valid, cadence: 'hourly' })).toEqual([
      'cadence: "hourly" is not a cadence; use one of "daily", "weekly"',
    ])
    expect(issues({ ...valid, style: 'retro' })[0]).toMatch(/^style: "retro" is not a style/)
    expect(issues({ ...valid, objective: 'fame' })[0]).toMatch(/^objective: "fame" is not a objective/)
  })

  it('refuses a language that is not ISO 639-1', () => {
    expect(issues({ ...valid, language: 'xx' })).toEqual([
      'language: "xx" is not an ISO 639-1 language code (two letters, e.g. "en", "fr")',
    ])
    expect(issues({ ...valid, language: 'eng' })).toHaveLength(1)
    expect(issues({ ...valid, language: 42 })).toEqual(['language: language is an ISO 639-1 code such as "en"'])
  })

  it('refuses a time zone that does not exist, and fixed offsets', () => {
    expect(issues({ ...valid, timezone: 'Mars/Olympus' })).toEqual([
      'timezone: Mars/Olympus is not a time zone; use an IANA name such as "Europe/Paris" or "UTC"',
    ])
    expect(issues({ ...valid, timezone: '+05:30' })[0]).toMatch(/^timezone: \+05:30 is not a time zone/)
    expect(issues({ ...valid, timezone: '' })[0]).toMatch(/^timezone: "" is not a time zone/)
  })

  it('names the malformed window by its index', () => {
    expect(issues({ ...valid, timeWindows: ['12:00-14:00', '25:00-26:00'] })).toEqual([
      'timeWindows.1: "25:00-26:00" is not a time window; write HH:MM-HH:MM on a 24-hour clock, e.g. "12:00-14:00"',
    ])
    expect(issues({ ...valid, timeWindows: ['noon'] })[0]).toMatch(/^timeWindows\.0: "noon" is not a time window/)
    expect(issues({ ...valid, timeWindows: ['9:00-10:00'] })[0]).toMatch(/^timeWindows\.0: /)
  })

  it('names an empty window', () => {
    expect(issues({ ...valid, timeWindows: ['12:00-14:00', '22:00-22:00'] })).toEqual([
      'timeWindows.1: 22:00-22:00 is empty',
    ])
  })

  it('names overlapping windows, including through midnight', () => {
    expect(issues({ ...valid, timeWindows: ['13:00-15:00', '12:00-14:00'] })).toEqual([
      'timeWindows.1: 12:00-14:00 overlaps 13:00-15:00',
    ])
    expect(issues({ ...valid, timeWindows: ['08:00-09:00', '22:00-01:00', '00:30-02:00'] })).toEqual([
      'timeWindows.2: 00:30-02:00 overlaps 22:00-01:00',
    ])
    expect(issues({ ...valid, timeWindows: ['23:00-02:00', '22:00-23:30'] })).toEqual([
      'timeWindows.1: 22:00-23:30 overlaps 23:00-02:00',
    ])
    expect(issues({ ...valid, timeWindows: ['12:00-14:00', '12:00-14:00'] })).toEqual([
      'timeWindows.1: 12:00-14:00 overlaps 12:00-14:00',
    ])
  })

  it('refuses an empty list of windows', () => {
    expect(issues({ ...valid, timeWindows: [] })).toEqual([
      'timeWindows: give at least one time window, e.g. "12:00-14:00"',
    ])
  })

  it('names bad weekdays and platforms by index', () => {
    expect(issues({ ...valid, weekdays: ['mon', 'funday'] })).toEqual([
      'weekdays.1: "funday" is not a weekday; use one of "mon", "tue", "wed", "thu", "fri", "sat", "sun"',
    ])
    expect(issues({ ...valid, weekdays: ['mon', 'mon'] })).toEqual(['weekdays.1: mon is listed twice'])
    expect(issues({ ...valid, weekdays: [] })[0]).toMatch(/^weekdays: choose at least one weekday/)
    expect(issues({ ...valid, platforms: ['youtube', 'myspace'] })[0]).toMatch(/^platforms\.1: "myspace" is not a platform/)
    expect(issues({ ...valid, platforms: [] })[0]).toMatch(/^platforms: choose at least one platform/)
  })

  it('names wrongly typed booleans', () => {
    expect(issues({ ...valid, enabled: 'yes', requireApproval: 1 })).toEqual([
      'enabled: enabled is true or false',
      'requireApproval: requireApproval is true or false',
    ])
  })
})

describe('time windows', () => {
  it('parses windows into minutes, crossing midnight past 1440', () => {
    expect(parseTimeWindow('12:00-14:00')).toEqual({ start: 720, end: 840 })
    expect(parseTimeWindow('22:00-01:00')).toEqual({ start: 1320, end: 1500 })
    expect(parseTimeWindow('10:00-10:00')).toBeNull()
    expect(parseTimeWindow('24:00-01:00')).toBeNull()
  })

  it('sees overlaps on the 24-hour circle', () => {
    const w = (s: string) => parseTimeWindow(s)!
    expect(windowsOverlap(w('22:00-01:00'), w('00:59-02:00'))).toBe(true)
    expect(windowsOverlap(w('22:00-01:00'), w('01:00-02:00'))).toBe(false)
    expect(windowsOverlap(w('00:00-01:00'), w('23:00-00:01'))).toBe(true)
    expect(windowsOverlap(w('12:00-13:00'), w('13:00-14:00'))).toBe(false)
  })

  it('resolves real zones only', () => {
    expect(resolveTimeZone('Asia/Kathmandu')).toBe('Asia/Kathmandu')
    expect(resolveTimeZone('UTC')).toBe('UTC')
    expect(resolveTimeZone('Mars/Olympus')).toBeNull()
  })
})
