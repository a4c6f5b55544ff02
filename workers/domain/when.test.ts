import { describe, expect, test } from 'vitest'
import { formatAt, formatDay, formatFromNow, formatWhen, instantsInWords, localeFrom } from './when'

const NOW = Date.parse('2026-12-02T18:00:00Z')

describe('dates in words', () => {
  test('today and tomorrow in the zone, not in UTC', () => {
    // 23:30 UTC on the 2nd is already the 3rd in Berlin: tomorrow there, today in UTC.
    expect(formatWhen('2026-12-02T23:30:00Z', 'Europe/Berlin', 'en-GB', NOW)).toBe('Tomorrow, 00:30')
    expect(formatWhen('2026-12-02T23:30:00Z', 'UTC', 'en-GB', NOW)).toBe('Today, 23:30')
    expect(formatWhen('2026-12-01T20:12:36.044Z', 'UTC', 'en-GB', NOW)).toBe('Yesterday, 20:12')
  })
  test('a weekday and a day further away; the year only when it is another', () => {
    expect(formatWhen('2026-12-10T09:05:00Z', 'UTC', 'en-GB', NOW)).toBe('Thu 10 Dec, 09:05')
    expect(formatWhen('2025-03-10T09:05:00Z', 'UTC', 'en-GB', NOW)).toBe('10 Mar 2025, 09:05')
    expect(formatWhen('2026-12-10T09:05:00Z', 'UTC', 'en-US', NOW)).toBe('Thu, Dec 10, 9:05 AM')
    expect(formatWhen('2026-12-10T09:05:00Z', 'UTC', 'de-DE', NOW)).toBe('Do., 10. Dez., 09:05')
  })
  test('never an ISO string, even for a bad zone or value', () => {
    expect(formatWhen('2026-12-10T09:05:00Z', 'Mars/Olympus', 'en-GB', NOW)).toBe('Thu 10 Dec, 09:05')
    expect(formatWhen('not a date', 'UTC', 'en-GB', NOW)).toBe('an unknown time')
    expect(formatWhen(null, 'UTC')).toBe('—')
  })
  test('days and distances', () => {
    expect(formatDay('2026-11-26', 'en-GB')).toBe('26 Nov 2026')
    expect(formatFromNow('2026-12-02T16:00:00Z', 'en', NOW)).toBe('2 hours ago')
    expect(formatFromNow('2026-12-05T18:00:00Z', 'en', NOW)).toBe('in 3 days')
  })
  test('stored messages: absolute, with the zone', () => {
    expect(formatAt('2026-12-01T20:12:36.044Z', 'Europe/Berlin')).toBe('Tue, 1 Dec 2026, 21:12 (Europe/Berlin)')
    expect(formatAt(new Date('2026-12-01T20:12:36.044Z'), 'UTC')).toBe('Tue, 1 Dec 2026, 20:12 (UTC)')
  })
  test('the locale from Accept-Language', () => {
    expect(localeFrom('de-DE,de;q=0.9,en;q=0.8')).toBe('de-DE')
    expect(localeFrom('*')).toBe('en')
    expect(localeFrom(null)).toBe('en')
    expect(localeFrom('xx-!!, fr')).toBe('fr')
  })
  test('French words for a French reader', () => {
    expect(formatWhen('2026-12-03T13:00:00Z', 'UTC', 'fr-FR', NOW)).toBe('Demain, 13:00')
    expect(formatWhen('2026-12-02T19:00:00Z', 'UTC', 'fr-FR', NOW)).toBe('Aujourd’hui, 19:00')
    expect(formatWhen('2026-12-10T09:05:00Z', 'UTC', 'fr-FR', NOW)).toBe('jeu. 10 déc., 09:05')
  })
  test('old history rows: their ISO instants shown in words, the rest of the text kept', () => {
    expect(instantsInWords('Scheduled by hand for 2026-12-01T20:12:36.044Z', 'Europe/Berlin', 'en-GB', NOW)).toBe('Scheduled by hand for yesterday, 21:12')
    expect(instantsInWords('Moved from 2026-12-10T09:05:00+01:00 to 2026-12-10 10:00 UTC', 'UTC', 'en-US', NOW)).toBe('Moved from Thu, Dec 10, 8:05 AM to Thu, Dec 10, 10:00 AM')
    expect(instantsInWords('Planned for Thu, 3 Dec 2026, 10:21 (Europe/Berlin)', 'UTC', 'en-GB', NOW)).toBe('Planned for Thu, 3 Dec 2026, 10:21 (Europe/Berlin)')
    expect(instantsInWords('2026-12-03T08:00:00Z: planned', 'UTC', 'fr-FR', NOW)).toBe('Demain, 08:00: planned')
    expect(instantsInWords('On 2026-13-45T99:99:00Z nothing', 'UTC', 'en-GB', NOW)).toBe('On 2026-13-45T99:99:00Z nothing')
  })
})
