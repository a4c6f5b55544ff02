/**
 * When the autopilot posts: the next publish times (slots) of a project, as UTC instants.
 *
 * Daily cadence posts once each local day, weekly once on each chosen weekday. Each post falls in
 * one of the time windows at a minute that varies from day to day: a hash of the project id and
 * the local date picks the window (each window equally often) and the minute in it (each minute
 * equally often), so recomputing gives the same slots whatever the moment of the computation.
 * Times are local to the project's zone: a window crossing midnight belongs to the day it starts;
 * a time repeated by a fall-back change takes its first occurrence.
 *
 * Spring-forward days: the minute is picked among the minutes of the window that exist that day
 * (each equally often), so a window the change cuts into keeps its slot in the part that is left.
 * When none of the window exists that day (it lies wholly in the skipped hour), the slot is the
 * first instant after the gap, the moment the clocks jump: just past the window's end. The slot
 * list shows such a slot as moved (`isWithinWindows` is false for it).
 *
 * A learning autopilot (`learning: 'learn'`) does not rotate: its slot is the first minute of the
 * day's earliest window, so the post is planned before every part of the day, and the planner's
 * learner (`domain/learning.ts`, `scheduler/planner.ts` `learnedChoice`) then picks the window
 * part and the minute in it. The post keeps the slot's key at the time chosen.
 */
import { parseTimeWindow, WEEKDAYS, type AutopilotConfig, type TimeWindow } from './autopilot-config.ts'
import { timeZoneRules, type TimeZoneRules } from './time-zone-rules.ts'

const MS_PER_MINUTE = 60_000
const MS_PER_DAY = 86_400_000
const MINUTES_PER_DAY = 1440

/** The parts of a configuration that decide the slots. */
export type ScheduleConfig = Pick<AutopilotConfig, 'cadence' | 'timeWindows' | 'timezone' | 'weekdays' | 'learning'>

/** A configuration turned into what the slot arithmetic reads: parsed once, then reused. */
export interface CompiledSchedule {
  readonly timezone: string
  readonly windows: readonly TimeWindow[]
  /** Posting days by ISO weekday (index 1 = Monday … 7 = Sunday; index 0 unused). */
  readonly postsOn: readonly boolean[]
  readonly rules: TimeZoneRules
  /** The learner picks the part of the day: the slot is the start of the earliest window. */
  readonly learn: boolean
}

const compiled = new WeakMap<object, CompiledSchedule>()

/**
 * Parses a configuration's windows, weekdays and zone once. `nextSlots` calls it and caches the
 * result per configuration object, so calling it directly is only needed to hold on to the result.
 * Throws on a window the schema would refuse: configurations reach here already parsed.
 */
export function compileSchedule(config: ScheduleConfig): CompiledSchedule {
  const cached = compiled.get(config)
  if (cached) return cached
  const windows = config.timeWindows.map((text) => {
    const window = parseTimeWindow(text)
    if (!window) throw new RangeError(`invalid time window ${JSON.stringify(text)}`)
    return window
  })
  if (windows.length === 0) throw new RangeError('a schedule needs at least one time window')
  const postsOn = Array.from({ length: 8 }, (_, isoDay) => isoDay > 0 && config.cadence === 'daily')
  if (config.cadence === 'weekly') {
    for (const day of config.weekdays ?? ['mon']) postsOn[WEEKDAYS.indexOf(day) + 1] = true
  }
  if (!postsOn.includes(true)) throw new RangeError('a weekly schedule needs at least one weekday')
  const schedule: CompiledSchedule = {
    timezone: config.timezone,
    windows,
    postsOn,
    rules: timeZoneRules(config.timezone),
    learn: config.learning === 'learn',
  }
  compiled.set(config, schedule)
  return schedule
}

/** What `nextSlots` needs besides the configuration. */
export interface NextSlotsOptions {
  /** The project the slots are for; it seeds the choice of window and minute. */
  projectId: string
  /** Slots are strictly after this instant. */
  after: Date
  /** How many slots (a whole number ≥ 0). */
  count: number
}

/** The next `count` publish times of a project, strictly after `after`, ascending, whole UTC minutes. */
export function nextSlots(config: ScheduleConfig | CompiledSchedule, options: NextSlotsOptions): Date[] {
  const { projectId, after, count } = options
  const afterMs = after.getTime()
  if (!Number.isFinite(afterMs)) throw new RangeError('after is not a valid date')
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a whole number ≥ 0, not ${count}`)
  const schedule = 'rules' in config ? config : compileSchedule(config)
  const seed = hashString(projectId)
  const slots: Date[] = []
  if (count === 0) return slots
  // Start a day early: yesterday's window may cross midnight into today.
  let day = Math.floor(schedule.rules.toWall(afterMs) / MS_PER_DAY) - 1
  let last = afterMs
  while (slots.length < count) {
    if (schedule.postsOn[isoWeekday(day)]) {
      const slot = slotOnDay(schedule, seed, day)
      // Never equal nor earlier: holds by construction (windows do not overlap, wall → instant
      // never goes back), checked here so a caller can rely on it.
      if (slot > last) {
        slots.push(new Date(slot))
        last = slot
      }
    }
    day++
  }
  return slots
}

/**
 * The slot of a project on one local date ("2026-03-29"), or null when the cadence does not post
 * that day. Lets the scheduler recompute the slot it armed for, e.g. to see whether it was missed.
 */
export function slotOn(config: ScheduleConfig | CompiledSchedule, projectId: string, localDate: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(localDate)
  if (!match) throw new RangeError(`${JSON.stringify(localDate)} is not a date (YYYY-MM-DD)`)
  const schedule = 'rules' in config ? config : compileSchedule(config)
  const day = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / MS_PER_DAY
  if (!schedule.postsOn[isoWeekday(day)]) return null
  return new Date(slotOnDay(schedule, hashString(projectId), day))
}

/**
 * True when `instant` falls, in the schedule's zone, inside one of its windows (start included,
 * end excluded), whatever the day. A window crossing midnight covers both sides of it. A slot is
 * always inside its window except when the whole window was skipped by a spring-forward change
 * (02:30-02:45 on the day 02:00 jumps to 03:00 gives 03:00): false here marks that slot as moved.
 */
export function isWithinWindows(config: ScheduleConfig | CompiledSchedule, instant: Date): boolean {
  const schedule = 'rules' in config ? config : compileSchedule(config)
  const wall = schedule.rules.toWall(instant.getTime())
  const minute = Math.floor((wall - Math.floor(wall / MS_PER_DAY) * MS_PER_DAY) / MS_PER_MINUTE)
  return schedule.windows.some(
    (w) => (minute >= w.start && minute < w.end) || (minute + MINUTES_PER_DAY >= w.start && minute + MINUTES_PER_DAY < w.end),
  )
}

/**
 * Why `instant` is outside the posting windows, for the creator ("Wed 14:05 is outside the
 * posting windows 12:00-14:00, 18:30-20:00 (Europe/Paris)"), or null when it is inside one.
 */
export function outsideWindowsMessage(config: ScheduleConfig, instant: Date): string | null {
  const schedule = compileSchedule(config)
  if (isWithinWindows(schedule, instant)) return null
  const wall = schedule.rules.toWall(instant.getTime())
  const minute = Math.floor((wall - Math.floor(wall / MS_PER_DAY) * MS_PER_DAY) / MS_PER_MINUTE)
  const clock = `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`
  return `${clock} is outside the posting windows ${config.timeWindows.join(', ')} (${config.timezone})`
}

/**
 * The stable key of a slot: its UTC minute, as in "2026-11-22T12:37Z". The post of a slot is keyed
 * on (project, slotKey), so the same alarm delivered twice finds the post it already made.
 */
export function slotKey(slot: Date): string {
  const ms = slot.getTime()
  if (!Number.isFinite(ms)) throw new RangeError('slotKey of an invalid date')
  return `${new Date(Math.floor(ms / MS_PER_MINUTE) * MS_PER_MINUTE).toISOString().slice(0, 16)}Z`
}

/** The instant of the slot on local epoch day `day`, for a project whose id hashes to `seed`. */
function slotOnDay(schedule: CompiledSchedule, seed: number, day: number): number {
  const h = mix(seed ^ mix(day + 0x9e3779b9))
  const windows = schedule.windows
  const { rules } = schedule
  if (schedule.learn) {
    const earliest = windows.reduce((a, b) => (b.start < a.start ? b : a))
    return windowInstants(schedule, day, earliest)[0] ?? rules.fromWall(day * MS_PER_DAY + earliest.start * MS_PER_MINUTE)
  }
  const window = windows.length === 1 ? windows[0] : windows[h % windows.length]
  const pick = mix(h ^ 0x85ebca6b)
  const startWall = day * MS_PER_DAY + window.start * MS_PER_MINUTE
  const length = window.end - window.start
  const start = rules.fromWall(startWall)
  // Most days every minute of the window exists once: its instants are evenly spaced.
  if (rules.toWall(start) === startWall && rules.fromWall(startWall + length * MS_PER_MINUTE) - start === length * MS_PER_MINUTE) {
    return rules.fromWall(startWall + (pick % length) * MS_PER_MINUTE)
  }
  const instants = windowInstants(schedule, day, window)
  return instants.length > 0 ? instants[pick % instants.length] : start
}

/**
 * The instants of the minutes of a window that exist on local epoch day `day`, in order: all of
 * them, except on a spring-forward day, where the skipped ones are left out (empty when the whole
 * window is skipped). A minute repeated by a fall-back change counts once, at its first occurrence.
 */
export function windowInstants(schedule: CompiledSchedule, day: number, window: TimeWindow): number[] {
  const { rules } = schedule
  const instants: number[] = []
  for (let minute = window.start; minute < window.end; minute++) {
    const wall = day * MS_PER_DAY + minute * MS_PER_MINUTE
    const instant = rules.fromWall(wall)
    if (rules.toWall(instant) === wall) instants.push(instant)
  }
  return instants
}

/** ISO weekday (1 = Monday … 7 = Sunday) of local epoch day `day` (day 0, 1970-01-01, was a Thursday). */
function isoWeekday(day: number): number {
  return ((((day + 3) % 7) + 7) % 7) + 1
}

/** FNV-1a of a string's UTF-16 code units, 32 bits, unsigned. */
function hashString(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return mix(h)
}

/** The murmur3 finalizer: spreads every input bit over the 32 output bits; unsigned result. */
function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b)
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35)
  return (x ^ (x >>> 16)) >>> 0
}
