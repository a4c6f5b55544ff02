/**
 * Dates and times in a project's time zone for the autopilot and content pages, computed with
 * Temporal (the same library the slot computation uses). Output is built from Temporal's fields,
 * not from locale formatting, so the server and the browser render the same text.
 */
import { Temporal } from 'temporal-polyfill'

export const WEEKDAY_SHORT = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const
export const MONTH_SHORT = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const
export const MONTH_LONG = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'] as const

const pad = (n: number) => String(n).padStart(2, '0')

/** An instant (ISO string) as a date-time in `timeZone`. */
export function inZone(iso: string, timeZone: string): Temporal.ZonedDateTime {
  return Temporal.Instant.from(iso).toZonedDateTimeISO(timeZone)
}

/** "14:05" */
export function formatClock(t: Temporal.ZonedDateTime | Temporal.PlainDateTime): string {
  return `${pad(t.hour)}:${pad(t.minute)}`
}

/** "Sun 22 Nov" */
export function formatDay(d: Temporal.PlainDate | Temporal.ZonedDateTime): string {
  return `${WEEKDAY_SHORT[d.dayOfWeek - 1]} ${d.day} ${MONTH_SHORT[d.month - 1]}`
}

/** "Sun 22 Nov 2026, 14:05" in `timeZone`. */
export function formatDateTime(iso: string, timeZone: string, withYear = false): string {
  const t = inZone(iso, timeZone)
  return `${formatDay(t)}${withYear ? ` ${t.year}` : ''}, ${formatClock(t)}`
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
  return `${t.toPlainDate().toString()}T${formatClock(t)}`
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
