/**
 * Dates and times in words for people (#16): in the project's zone and the reader's locale
 * (Intl), with "today", "tomorrow" and "yesterday" where they apply. The pages take the locale
 * from the request's Accept-Language (the app layout's loader), so the server and the browser
 * write the same words; messages the API stores use formatAt (no "tomorrow" that goes stale).
 */

/** The first locale of an Accept-Language header that Intl knows; English otherwise. */
export function localeFrom(acceptLanguage: string | null | undefined): string {
  for (const part of (acceptLanguage ?? '').split(',')) {
    const tag = part.split(';')[0].trim()
    if (!tag || tag === '*') continue
    try {
      const [supported] = Intl.DateTimeFormat.supportedLocalesOf(tag)
      if (supported) return supported
    } catch {
      // Not a language tag.
    }
  }
  return 'en'
}

/** The calendar day of an instant in a zone, as a number of days (for "tomorrow"). */
function dayNumber(date: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date)
  return Math.round(Date.parse(`${parts}T00:00:00Z`) / 86_400_000)
}

function safeZone(timeZone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone })
    return timeZone
  } catch {
    return 'UTC'
  }
}

/**
 * "Tomorrow, 10:00", "Thu 3 Dec, 18:30", "3 Dec 2025, 18:30": an instant in `timeZone`, in
 * `locale`; the year only when it is not this year. Inside a sentence ("for tomorrow, 10:00") the
 * word is not capitalised.
 */
export function formatWhen(iso: string | null | undefined, timeZone: string, locale = 'en', now = Date.now(), startsSentence = true): string {
  if (!iso) return '—'
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return 'an unknown time'
  const zone = safeZone(timeZone)
  const time = new Intl.DateTimeFormat(locale, { timeZone: zone, timeStyle: 'short' }).format(date)
  const days = dayNumber(date, zone) - dayNumber(new Date(now), zone)
  if (Math.abs(days) <= 1) {
    const word = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }).format(days, 'day')
    return `${startsSentence ? `${word.charAt(0).toLocaleUpperCase(locale)}${word.slice(1)}` : word}, ${time}`
  }
  const sameYear = new Intl.DateTimeFormat('en', { timeZone: zone, year: 'numeric' }).format(date) === new Intl.DateTimeFormat('en', { timeZone: zone, year: 'numeric' }).format(new Date(now))
  const day = new Intl.DateTimeFormat(locale, { timeZone: zone, weekday: sameYear ? 'short' : undefined, day: 'numeric', month: 'short', year: sameYear ? undefined : 'numeric' }).format(date)
  return `${day}, ${time}`
}

/** "3 Dec 2026": a day, in `locale` (a date-only string such as 2026-12-03 is that day). */
export function formatDay(isoOrDay: string | null | undefined, locale = 'en', timeZone = 'UTC'): string {
  if (!isoOrDay) return '—'
  const dayOnly = /^\d{4}-\d{2}-\d{2}$/.test(isoOrDay)
  const date = new Date(dayOnly ? `${isoOrDay}T12:00:00Z` : isoOrDay)
  if (Number.isNaN(date.getTime())) return 'an unknown day'
  return new Intl.DateTimeFormat(locale, { timeZone: dayOnly ? 'UTC' : safeZone(timeZone), day: 'numeric', month: 'short', year: 'numeric' }).format(date)
}

/** "2 hours ago", "in 3 days": how far an instant is from now, in `locale`. */
export function formatFromNow(iso: string, locale = 'en', now = Date.now()): string {
  const seconds = (Date.parse(iso) - now) / 1000
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' })
  const steps: Array<[Intl.RelativeTimeFormatUnit, number]> = [['second', 60], ['minute', 60], ['hour', 24], ['day', 7], ['week', 4.35], ['month', 12], ['year', Infinity]]
  let value = seconds
  for (const [unit, size] of steps) {
    if (Math.abs(value) < size) return rtf.format(Math.round(value), unit)
    value /= size
  }
  return rtf.format(Math.round(value), 'year')
}

/**
 * "Thu, 3 Dec 2026, 10:21 (Europe/Berlin)": an instant for a message that is stored or sent,
 * absolute (never "tomorrow"), with the zone named.
 */
export function formatAt(at: string | Date, timeZone: string, locale = 'en-GB'): string {
  const date = typeof at === 'string' ? new Date(at) : at
  if (Number.isNaN(date.getTime())) return 'an unknown time'
  const zone = safeZone(timeZone)
  const day = new Intl.DateTimeFormat(locale, { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', year: 'numeric' }).format(date)
  const time = new Intl.DateTimeFormat(locale, { timeZone: zone, timeStyle: 'short' }).format(date)
  return `${day}, ${time} (${zone})`
}

/** An instant written as ISO ("2026-12-01T20:12:36.044Z", "…+01:00") or "2026-12-01 20:12 UTC". */
const WRITTEN_INSTANT = /\b\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})| \d{2}:\d{2} UTC)/g

/**
 * A stored text (a post's history, a reason) with every instant in it written in words: rows
 * written before #16 say "Scheduled by hand for 2026-12-01T20:12:36.044Z"; shown, they say
 * "Scheduled by hand for Tue 1 Dec, 21:12". The stored row is never rewritten.
 */
export function instantsInWords(text: string, timeZone: string, locale = 'en', now = Date.now()): string {
  return text.replace(WRITTEN_INSTANT, (written, offset: number) => {
    const iso = written.endsWith(' UTC') ? `${written.slice(0, 10)}T${written.slice(11, 16)}:00Z` : written
    return Number.isNaN(Date.parse(iso)) ? written : formatWhen(iso, timeZone, locale, now, offset === 0)
  })
}
