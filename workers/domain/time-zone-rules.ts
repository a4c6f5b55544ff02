/**
 * UTC offsets of one IANA time zone as a table of transitions, read from Temporal (the runtime's
 * real time-zone database through Intl) once per zone and span of years, then looked up with plain
 * arithmetic. The slot computation converts hundreds of thousands of local times; asking Temporal
 * each time would cost an Intl round trip per conversion.
 */
import { Temporal } from 'temporal-polyfill'

const MS_PER_DAY = 86_400_000
const MS_PER_YEAR = 365.25 * MS_PER_DAY
/** How far the table reaches beyond a requested instant, so neighbouring lookups stay in it. */
const MARGIN_MS = 2 * MS_PER_YEAR

/**
 * The offsets of one zone. Period `i` starts at `starts[i]` (epoch ms) and runs to `starts[i + 1]`,
 * with local time = UTC + `offsets[i]` ms. `starts[0]` is -Infinity, so every instant has a period.
 */
export class TimeZoneRules {
  readonly timeZone: string
  private starts: number[] = []
  private offsets: number[] = []
  private from = Infinity
  private to = -Infinity

  constructor(timeZone: string) {
    this.timeZone = timeZone
  }

  /** The offset from UTC, in ms, in force at the instant `epochMs`. */
  offsetAt(epochMs: number): number {
    this.cover(epochMs)
    return this.offsets[this.periodOf(epochMs)]
  }

  /** Local wall-clock time at `epochMs`, as ms since 1970-01-01T00:00 of the local calendar. */
  toWall(epochMs: number): number {
    return epochMs + this.offsetAt(epochMs)
  }

  /**
   * The instant of a local wall-clock time (ms since 1970-01-01T00:00 local). A time that occurs
   * twice (fall back) gives its first occurrence; a time that does not exist (spring forward) gives
   * the first instant that does, the moment of the transition — not the time shifted by the gap.
   */
  fromWall(wallMs: number): number {
    this.cover(wallMs - MS_PER_DAY)
    this.cover(wallMs + MS_PER_DAY)
    const { starts, offsets } = this
    // Offsets stay within a day of UTC, so only periods around wallMs - 1 day .. + 1 day can hold it.
    let i = this.periodOf(wallMs - MS_PER_DAY)
    for (; i < starts.length; i++) {
      const next = i + 1 < starts.length ? starts[i + 1] : Infinity
      const candidate = wallMs - offsets[i]
      if (candidate >= starts[i] && candidate < next) return candidate
      // Past this period's end, yet before the next period begins under the next offset: a gap.
      if (candidate >= next && wallMs - offsets[i + 1] < next) return next
      if (starts[i] > wallMs + MS_PER_DAY) break
    }
    throw new Error(`no instant for local time ${new Date(wallMs).toISOString()} in ${this.timeZone}`)
  }

  /** Index of the period holding `epochMs` (binary search; the table covers it). */
  private periodOf(epochMs: number): number {
    const { starts } = this
    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (starts[mid] <= epochMs) lo = mid
      else hi = mid - 1
    }
    return lo
  }

  /** Makes sure the table is exact at `epochMs`, reading transitions from Temporal when it is not. */
  private cover(epochMs: number): void {
    if (epochMs >= this.from && epochMs <= this.to) return
    const from = Math.min(this.from, epochMs - MARGIN_MS)
    const to = Math.max(this.to, epochMs + MARGIN_MS)
    let zdt = Temporal.Instant.fromEpochMilliseconds(Math.round(from)).toZonedDateTimeISO(this.timeZone)
    const starts = [-Infinity]
    const offsets = [zdt.offsetNanoseconds / 1e6]
    let end = to
    for (;;) {
      const next = zdt.getTimeZoneTransition('next')
      if (!next) {
        end = Infinity // no transition ever again: the last offset holds for good
        break
      }
      if (next.epochMilliseconds > to) break
      starts.push(next.epochMilliseconds)
      offsets.push(next.offsetNanoseconds / 1e6)
      zdt = next
    }
    this.starts = starts
    this.offsets = offsets
    this.from = from
    this.to = end
  }
}

const rulesByZone = new Map<string, TimeZoneRules>()

/** The shared offset table of `timeZone` (an id Temporal accepts); one per zone per isolate. */
export function timeZoneRules(timeZone: string): TimeZoneRules {
  let rules = rulesByZone.get(timeZone)
  if (!rules) {
    rules = new TimeZoneRules(timeZone)
    rulesByZone.set(timeZone, rules)
  }
  return rules
}
