/**
 * Dates and times in a project's time zone for the calendar, content, autopilot and library
 * pages: the arithmetic with Temporal (the same library the slot computation uses), the words
 * with Intl in the reader's locale (useLocale(): the request's Accept-Language, handed to the
 * browser in the layout's loader, so the server and the browser write the same text).
 */
import { Temporal } from 'temporal-polyfill'
import { formatWhen } from './when'

const formats = new Map<string, Intl.DateTimeFormat>()
/** One Intl formatter per locale and options (they are slow to make, and a week grid asks often). */
function dtf(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`
  let f = formats.get(key)
  if (!f) {
    try {
      f = new Intl.DateTimeFormat(locale, options)
    } catch {
      f = new Intl.DateTimeFormat('en', options)
    }
    formats.set(key, f)
  }
  return f
}

/** Noon UTC of a calendar day: a Date that is that day in every use below (formatted in UTC). */
const dayDate = (d: Temporal.PlainDate | Temporal.ZonedDateTime) => new Date(Date.UTC(d.year, d.month - 1, d.day, 12))

/** An instant (ISO string) as a date-time in `timeZone`. */
export function inZone(iso: string, timeZone: string): Temporal.ZonedDateTime {
  return Temporal.Instant.from(iso).toZonedDateTimeISO(timeZone)
}

/** "14:05" (en-GB, fr), "2:05 PM" (en-US): the time of day in the reader's locale. */
export function formatClock(t: Temporal.ZonedDateTime, locale: string): string {
  return dtf(locale, { timeZone: t.timeZoneId, timeStyle: 'short' }).format(t.epochMilliseconds)
}

/** "14:00", "2:00 PM": a whole hour of the day (the hour grid's rows). */
export function formatHour(hour: number, locale: string): string {
  return dtf(locale, { timeZone: 'UTC', timeStyle: 'short' }).format(Date.UTC(2024, 0, 1, hour))
}

/** "Mon", "lun." (short) or "Monday", "lundi" (long): an ISO weekday (1 is Monday). */
export function weekdayName(dayOfWeek: number, locale: string, width: 'short' | 'long' = 'short'): string {
  // 1 January 2024 was a Monday.
  return dtf(locale, { timeZone: 'UTC', weekday: width }).format(Date.UTC(2024, 0, dayOfWeek, 12))
}

/** "Sun 22 Nov", "Sun, Nov 22", "dim. 22 nov.": a day with its weekday. */
export function formatDay(d: Temporal.PlainDate | Temporal.ZonedDateTime, locale: string): string {
  return dtf(locale, { timeZone: 'UTC', weekday: 'short', day: 'numeric', month: 'short' }).format(dayDate(d))
}

/** "December 2026", "décembre 2026": a month's title. */
export function formatMonth(d: Temporal.PlainDate, locale: string): string {
  return dtf(locale, { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(dayDate(d))
}

/** "30 Nov – 6 Dec 2026", "1–7 déc. 2026": a span of days, as the locale writes a range. */
export function formatDayRange(first: Temporal.PlainDate, last: Temporal.PlainDate, locale: string): string {
  return dtf(locale, { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' }).formatRange(dayDate(first), dayDate(last))
}

/** "Tomorrow, 14:05", "Thu 3 Dec, 09:05", "demain, 14:05": an instant in `timeZone`, in words of the reader's locale. */
export function formatDateTime(iso: string, timeZone: string, locale: string): string {
  return formatWhen(iso, timeZone, locale)
}

/** "UTC+05:30" — the zone's offset at `iso` (now by default). */
export function formatOffset(timeZone: string, iso?: string): string {
  const t = iso ? inZone(iso, timeZone) : Temporal.Now.zonedDateTimeISO(timeZone)
  return t.offset === '+00:00' ? 'UTC' : `UTC${t.offset}`
}

/** True when the runtime knows the zone. */
export function isTimeZone(timeZone: string): boolean {
  try {
    Temporal.Now.zonedDateTimeISO(timeZone)
    return true
  } catch {
    return false
  }
}

/** The browser's own zone (only meaningful in the browser). */
export function viewerTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC'
}

/** Every zone name the runtime knows, UTC first. */
export function timeZoneNames(): string[] {
  const names = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : []
  return ['UTC', ...names.filter((n) => n !== 'UTC')]
}

/** Today in `timeZone`. */
export function today(timeZone: string): Temporal.PlainDate {
  return Temporal.Now.plainDateISO(timeZone)
}

/** Parses "2026-11-22", or null. */
export function parseDate(text: string | null | undefined): Temporal.PlainDate | null {
  if (!text || !/^\d{4}-\d{2}-\d{2}$/.test(text)) return null
  try {
    return Temporal.PlainDate.from(text, { overflow: 'reject' })
  } catch {
    return null
  }
}

/** The Monday of the ISO week holding `date`. */
export function startOfWeek(date: Temporal.PlainDate): Temporal.PlainDate {
  return date.subtract({ days: date.dayOfWeek - 1 })
}

/** The weeks (Monday to Sunday) a month calendar of `date`'s month shows. */
export function monthWeeks(date: Temporal.PlainDate): Temporal.PlainDate[][] {
  const first = date.with({ day: 1 })
  const last = date.with({ day: date.daysInMonth })
  const weeks: Temporal.PlainDate[][] = []
  for (let start = startOfWeek(first); Temporal.PlainDate.compare(start, last) <= 0; start = start.add({ days: 7 })) {
    weeks.push(Array.from({ length: 7 }, (_, i) => start.add({ days: i })))
  }
  return weeks
}

/** The instant a local day starts in `timeZone` (not always 00:00 on a daylight-saving day). */
export function startOfDayInstant(date: Temporal.PlainDate, timeZone: string): string {
  return date.toZonedDateTime({ timeZone }).toInstant().toString()
}

/** A `<input type="datetime-local">` value for an instant, in `timeZone`. */
export function toLocalInput(iso: string, timeZone: string): string {
  const t = inZone(iso, timeZone)
  return `${t.toPlainDate().toString()}T${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`
}

/**
 * The instant of a `datetime-local` value read in `timeZone`, or null when it is not one. A time a
 * spring-forward change skips moves forward; a repeated one takes its first occurrence.
 */
export function fromLocalInput(value: string, timeZone: string): string | null {
  try {
    return Temporal.PlainDateTime.from(value).toZonedDateTime(timeZone, { disambiguation: 'compatible' }).toInstant().toString()
  } catch {
    return null
  }
}
