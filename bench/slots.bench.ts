// Slots computed per second for 100,000 projects, each with its own configuration (time zones
// from the runtime's whole database, varied windows and cadences), against baselines measured in
// the same run: the same number of plain Temporal conversions of a local time to an instant, and
// a naive UTC-only computation that ignores time zones. Figures, not pass/fail.
import { performance } from 'node:perf_hooks'
import { Temporal } from 'temporal-polyfill'
import { autopilotConfigSchema, type AutopilotConfig } from '../workers/domain/autopilot-config.ts'
import { compileSchedule, nextSlots } from '../workers/domain/slots.ts'
import { timeZoneRules } from '../workers/domain/time-zone-rules.ts'

const PROJECTS = 100_000
const AFTER = new Date('2026-11-22T10:00:00Z')

/** A small deterministic generator, so every run benchmarks the same projects. */
function random(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = Math.imul(s ^ (s >>> 15), 1 | s)
    t ^= t + Math.imul(t ^ (t >>> 7), 61 | t)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const rand = random(42)
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)]
const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
const zones = ['UTC', ...Intl.supportedValuesOf('timeZone')]
const windowSets = [
  ['12:00-14:00', '18:30-20:00'],
  ['07:15-08:45'],
  ['22:00-01:00'],
  ['09:00-10:00', '13:00-13:30', '17:45-19:15', '21:00-23:00'],
  ['02:00-03:30'], // inside DST gaps and repeats in many zones
]

function makeConfig(): AutopilotConfig {
  const start = Math.floor(rand() * 96) * 15
  const windows = rand() < 0.5 ? pick(windowSets) : [`${hhmm(start)}-${hhmm(start + 30 + Math.floor(rand() * 180))}`]
  return autopilotConfigSchema.parse({
    cadence: rand() < 0.7 ? 'daily' : 'weekly',
    language: 'en',
    style: 'minimal',
    objective: 'traffic',
    timezone: pick(zones),
    weekdays: pick([['mon'], ['tue', 'fri'], ['mon', 'wed', 'sat']]),
    timeWindows: windows,
  })
}

const configs = Array.from({ length: PROJECTS }, makeConfig)
const projectIds = Array.from({ length: PROJECTS }, (_, i) => `project-${i.toString(36)}-${Math.floor(rand() * 1e9)}`)

/** Runs `fn` `runs` times and returns [best seconds, result]: the least disturbed run. */
function time<T>(fn: () => T, runs = 1): [number, T] {
  let best = Infinity
  let result!: T
  for (let r = 0; r < runs; r++) {
    const start = performance.now()
    result = fn()
    best = Math.min(best, (performance.now() - start) / 1000)
  }
  return [best, result]
}

function runSlots(count: number): number {
  let made = 0
  for (let i = 0; i < PROJECTS; i++) made += nextSlots(configs[i], { projectId: projectIds[i], after: AFTER, count }).length
  return made
}

// One-off costs: each zone's offsets read from Temporal once, each configuration parsed once.
const [zoneSeconds] = time(() => {
  for (const zone of zones) timeZoneRules(zone).fromWall(AFTER.getTime())
})
const [compileSeconds] = time(() => {
  for (const config of configs) compileSchedule(config)
})
// What the scheduler does on each alarm (the next slot), then what the UI shows (seven).
const [next1Seconds, next1Slots] = time(() => runSlots(1), 3)
const [next7Seconds, next7Slots] = time(() => runSlots(7), 3)

// Baseline 1: one plain Temporal conversion of a local date-time to an instant per project, in
// the same zones ('earlier' disambiguation; gaps not handled), as a naive slot computation needs.
const localTimes = configs.map((c, i) => ({
  zone: c.timezone,
  plain: Temporal.PlainDateTime.from({ year: 2026, month: 11, day: 23 + (i % 7), hour: 12, minute: i % 60 }),
}))
const [temporalSeconds] = time(() => {
  let sum = 0
  for (const { zone, plain } of localTimes) sum += plain.toZonedDateTime(zone, { disambiguation: 'earlier' }).epochMilliseconds
  return sum
}, 3)

// Baseline 2: UTC-only, no time zone at all: the next day at noon plus a minute, as Date arithmetic.
const [naiveSeconds] = time(() => {
  let sum = 0
  for (let i = 0; i < PROJECTS; i++) {
    const d = new Date(AFTER)
    d.setUTCDate(d.getUTCDate() + 1)
    d.setUTCHours(12, i % 60, 0, 0)
    sum += d.getTime()
  }
  return sum
}, 3)

// Sanity: the compiled schedules are cached, one per configuration.
if (compileSchedule(configs[0]) !== compileSchedule(configs[0])) throw new Error('schedule not cached')

const rate = (n: number, s: number) => Math.round(n / s)
const fmt = (n: number) => n.toLocaleString('en-US')
const temporalRate = rate(PROJECTS, temporalSeconds)
const naiveRate = rate(PROJECTS, naiveSeconds)
const rows: [string, number, number][] = [
  ['nextSlots count=1 (scheduler alarm)', next1Slots, next1Seconds],
  ['nextSlots count=7 (next seven in the UI)', next7Slots, next7Seconds],
]
console.log(`slots for ${fmt(PROJECTS)} projects in ${zones.length} time zones (best of 3 runs each)`)
console.log(`one-off: offset tables of ${zones.length} zones ${(zoneSeconds * 1000).toFixed(0)} ms, compiling ${fmt(PROJECTS)} configurations ${(compileSeconds * 1000).toFixed(0)} ms`)
console.log(`baseline Temporal PlainDateTime→ZonedDateTime: ${fmt(temporalRate)} conversions/s`)
console.log(`baseline naive UTC Date arithmetic:             ${fmt(naiveRate)} computations/s`)
for (const [name, slots, seconds] of rows) {
  const r = rate(slots, seconds)
  console.log(
    `${name.padEnd(42)} ${fmt(r).padStart(12)} slots/s  ×${(r / temporalRate).toFixed(2)} Temporal  ×${(r / naiveRate).toFixed(2)} naive UTC`,
  )
}
