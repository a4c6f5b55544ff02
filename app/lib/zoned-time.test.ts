import { Temporal } from 'temporal-polyfill'
import { describe, expect, test } from 'vitest'
import { formatClock, formatDay, formatDayRange, formatHour, formatMonth, inZone, weekdayName } from './zoned-time'

describe('calendar words in the reader’s locale (#16)', () => {
  const t = inZone('2026-12-03T13:05:00Z', 'Europe/Paris')
  test('times of day', () => {
    expect(formatClock(t, 'en-GB')).toBe('14:05')
    expect(formatClock(t, 'fr-FR')).toBe('14:05')
    expect(formatClock(t, 'en-US')).toMatch(/^2:05\sPM$/)
    expect(formatHour(14, 'en-GB')).toBe('14:00')
    expect(formatHour(14, 'en-US')).toMatch(/^2:00\sPM$/)
  })
  test('weekdays, days, months and a week', () => {
    expect([1, 7].map((d) => weekdayName(d, 'en-GB'))).toEqual(['Mon', 'Sun'])
    expect([1, 7].map((d) => weekdayName(d, 'fr-FR', 'long'))).toEqual(['lundi', 'dimanche'])
    const day = Temporal.PlainDate.from('2026-12-03')
    expect(formatDay(day, 'en-GB')).toBe('Thu 3 Dec')
    expect(formatDay(day, 'fr-FR')).toBe('jeu. 3 déc.')
    expect(formatDay(day, 'en-US')).toBe('Thu, Dec 3')
    expect(formatMonth(day, 'fr-FR')).toBe('décembre 2026')
    expect(formatMonth(day, 'en-US')).toBe('December 2026')
    expect(formatDayRange(Temporal.PlainDate.from('2026-11-30'), Temporal.PlainDate.from('2026-12-06'), 'en-GB').replace(/\s/g, ' ')).toBe('30 Nov – 6 Dec 2026')
    expect(formatDayRange(Temporal.PlainDate.from('2026-12-07'), Temporal.PlainDate.from('2026-12-13'), 'fr-FR').replace(/\s/g, ' ')).toBe('7–13 déc. 2026')
  })
  test('a locale Intl does not know falls back to English, never throws', () => {
    expect(formatClock(t, 'xx-!!')).toMatch(/2:05|14:05/)
  })
})
