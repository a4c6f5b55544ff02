/**
 * The autopilot configuration of one project, as `PUT /api/autopilot/:projectId` takes it.
 * Pure: the API parses requests with it, the scheduler and the slot computation read its output.
 * Every bad value gives a zod issue whose path names the field (`timeWindows.1`) and whose
 * message a person understands ("22:00-22:00 is empty").
 */
import { z } from 'zod'
import { OBJECTIVES, PLATFORMS, STYLES } from '../../containers/render/recipe/vocabulary'

/** How the autopilot picks a slot's window part and style (see workers/domain/learning.ts). */
export const LEARNING_MODES = ['locked', 'learn'] as const
export type LearningMode = (typeof LEARNING_MODES)[number]

export { OBJECTIVES, PLATFORMS, STYLES, type Objective, type Platform, type StyleName } from '../../containers/render/recipe/vocabulary'

/** How often the autopilot posts: once a day, or once on each chosen weekday. */
export const CADENCES = ['daily', 'weekly'] as const
/** Weekday names in ISO order: index 0 is Monday (ISO day 1). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const

/** One of `CADENCES`; likewise for the types below. */
export type Cadence = (typeof CADENCES)[number]
export type Weekday = (typeof WEEKDAYS)[number]

/** The ISO 639-1 two-letter language codes (the 2023 list, `bh` included for older clients). */
export const ISO_639_1 = new Set(
  (
    'aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy ' +
    'da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu ' +
    'hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb ' +
    'lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om ' +
    'or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ' +
    'ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu'
  ).split(' '),
)

const MINUTES_PER_DAY = 24 * 60
const WINDOW_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/

/**
 * One time window in minutes after local midnight. `end` is exclusive and greater than `start`;
 * a window that crosses midnight has `end` above 1440 ("22:00-01:00" is 1320..1500).
 */
export interface TimeWindow {
  start: number
  end: number
}

/**
 * Parses one "HH:MM-HH:MM" window, or returns null when it is not one or is empty.
 * A window whose end is earlier than its start crosses midnight and belongs to the day it starts.
 */
export function parseTimeWindow(text: string): TimeWindow | null {
  const m = WINDOW_PATTERN.exec(text)
  if (!m) return null
  const start = Number(m[1]) * 60 + Number(m[2])
  let end = Number(m[3]) * 60 + Number(m[4])
  if (end === start) return null
  if (end < start) end += MINUTES_PER_DAY
  return { start, end }
}

/** True when two windows share a minute on the 24-hour clock, including through midnight. */
export function windowsOverlap(a: TimeWindow, b: TimeWindow): boolean {
  for (const shift of [-MINUTES_PER_DAY, 0, MINUTES_PER_DAY]) {
    if (a.start < b.end + shift && b.start + shift < a.end) return true
  }
  return false
}

const zoneIds = new Map<string, string | null>()
let spellings: Map<string, string> | undefined

/** The runtime's zone names by their lower-case spelling. */
function zoneSpellings(): Map<string, string> {
  if (!spellings) {
    spellings = new Map(['UTC', ...Intl.supportedValuesOf('timeZone')].map((name) => [name.toLowerCase(), name]))
  }
  return spellings
}

/**
 * The IANA zone `id`, spelled with its proper case ("europe/paris" → "Europe/Paris"), or null when the
 * runtime's time-zone database does not know it. Fixed offsets ("+05:30") are refused: a project
 * lives in a place, and a place's offset changes. Results are cached.
 */
export function resolveTimeZone(id: string): string | null {
  const cached = zoneIds.get(id)
  if (cached !== undefined) return cached
  let resolved: string | null = null
  if (/^[A-Za-z]/.test(id)) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: id })
      // Keep the name as written (ICU would turn "Asia/Kathmandu" into "Asia/Katmandu"); fix only its case.
      resolved = zoneSpellings().get(id.toLowerCase()) ?? id
    } catch {
      resolved = null
    }
  }
  zoneIds.set(id, resolved)
  return resolved
}

/** A zod enum whose messages say which values are allowed, and that the field is required. */
function oneOf<const T extends readonly [string, ...string[]]>(field: string, values: T) {
  const list = values.map((v) => `"${v}"`).join(', ')
  return z.enum(values, {
    error: (issue) =>
      issue.input === undefined
        ? `${field} is required (one of ${list})`
        : `${JSON.stringify(issue.input)} is not a ${field}; use one of ${list}`,
  })
}

/** Adds an issue on each repeated item of a list, naming the item. */
function noDuplicates(values: readonly string[], ctx: z.RefinementCtx) {
  const seen = new Set<string>()
  values.forEach((v, i) => {
    if (seen.has(v)) ctx.addIssue({ code: 'custom', path: [i], message: `${v} is listed twice` })
    seen.add(v)
  })
}

const timeWindowsSchema = z
  .array(z.string({ error: 'a time window is a string like "12:00-14:00"' }), {
    error: (issue) =>
      issue.input === undefined
        ? 'timeWindows is required, e.g. ["12:00-14:00", "18:30-20:00"]'
        : 'timeWindows is a list like ["12:00-14:00", "18:30-20:00"]',
  })
  .min(1, 'give at least one time window, e.g. "12:00-14:00"')
  .max(24, 'give at most 24 time windows')
  .superRefine((texts, ctx) => {
    const parsed: (TimeWindow | null)[] = texts.map((text, i) => {
      const trimmed = text.trim()
      if (!WINDOW_PATTERN.test(trimmed)) {
        ctx.addIssue({
          code: 'custom',
          path: [i],
          message: `${JSON.stringify(text)} is not a time window; write HH:MM-HH:MM on a 24-hour clock, e.g. "12:00-14:00"`,
        })
        return null
      }
      const window = parseTimeWindow(trimmed)
      if (!window) ctx.addIssue({ code: 'custom', path: [i], message: `${trimmed} is empty` })
      return window
    })
    for (let j = 0; j < parsed.length; j++) {
      const b = parsed[j]
      if (!b) continue
      for (let i = 0; i < j; i++) {
        const a = parsed[i]
        if (a && windowsOverlap(a, b)) {
          ctx.addIssue({
            code: 'custom',
            path: [j],
            message: `${texts[j].trim()} overlaps ${texts[i].trim()}`,
          })
          break
        }
      }
    }
  })
  .transform((texts) => texts.map((t) => t.trim()))

const timezoneSchema = z
  .string({ error: 'timezone is an IANA time zone name such as "Europe/Paris"' })
  .trim()
  .transform((id, ctx) => {
    const zone = resolveTimeZone(id)
    if (zone === null) {
      ctx.addIssue({
        code: 'custom',
        message: `${id || '""'} is not a time zone; use an IANA name such as "Europe/Paris" or "UTC"`,
      })
      return z.NEVER
    }
    return zone
  })

const languageSchema = z
  .string({
    error: (issue) =>
      issue.input === undefined ? 'language is required (an ISO 639-1 code such as "en")' : 'language is an ISO 639-1 code such as "en"',
  })
  .trim()
  .toLowerCase()
  .refine((code) => ISO_639_1.has(code), {
    error: (issue) => `${JSON.stringify(issue.input)} is not an ISO 639-1 language code (two letters, e.g. "en", "fr")`,
  })

/**
 * The autopilot configuration schema. Output has every default applied: `timezone` "UTC",
 * `weekdays` ["mon"] when daily (read only when the cadence is weekly), `enabled` true,
 * `requireApproval` false, `keepToWindows` false. A weekly cadence needs its weekdays: nothing
 * picks a day for the creator. `platforms` stays undefined when not given, meaning every
 * connected platform. Unknown keys are dropped, so a client may send back what `GET` returned.
 */
export const autopilotConfigSchema = z
  .object({
    cadence: oneOf('cadence', CADENCES),
    language: languageSchema,
    style: oneOf('style', STYLES),
    objective: oneOf('objective', OBJECTIVES),
    timeWindows: timeWindowsSchema,
    timezone: timezoneSchema.default('UTC'),
    weekdays: z
      .array(oneOf('weekday', WEEKDAYS), { error: 'weekdays is a list like ["mon", "thu"]' })
      .min(1, 'choose at least one weekday, e.g. ["mon"]')
      .superRefine(noDuplicates)
      .optional(),
    platforms: z
      .array(oneOf('platform', PLATFORMS), { error: 'platforms is a list like ["youtube", "tiktok"]' })
      .min(1, 'choose at least one platform, or leave platforms out to use every connected one')
      .superRefine(noDuplicates)
      .optional(),
    enabled: z.boolean({ error: 'enabled is true or false' }).default(true),
    requireApproval: z.boolean({ error: 'requireApproval is true or false' }).default(false),
    /**
     * true: a post moved or scheduled by hand outside the time windows is refused; false (the
     * default): it is accepted, with a warning.
     */
    keepToWindows: z.boolean({ error: 'keepToWindows is true or false' }).default(false),
    /**
     * The styles the learning autopilot may choose among (issue 13); left out, `style` alone.
     * `style` stays the creator's first choice: the learner's prior, and what a lock keeps.
     */
    stylesAllowed: z
      .array(oneOf('style', STYLES), { error: 'stylesAllowed is a list like ["neon", "minimal"]' })
      .min(1, 'allow at least one style, or leave stylesAllowed out to use style alone')
      .superRefine(noDuplicates)
      .optional(),
    /**
     * "learn": the planner chooses each slot's window part and style from measured results,
     * inside the windows and allowed styles; "locked" (also when left out): today's fixed choice.
     */
    learning: oneOf('learning mode', LEARNING_MODES).optional(),
    /**
     * Captions from speech (issue 15): the clip's transcript burned in word by word, replacing the
     * caption segments, on every post that has one; left out, on. A post can say otherwise.
     */
    speechCaptions: z.boolean({ error: 'speechCaptions is true or false' }).optional(),
  })
  .refine((c) => !c.stylesAllowed || !c.style || c.stylesAllowed.includes(c.style), {
    path: ['stylesAllowed'],
    message: 'stylesAllowed must include style (your first choice)',
    when: (payload) => Array.isArray((payload.value as { stylesAllowed?: unknown } | undefined)?.stylesAllowed),
  })
  .refine((c) => c.cadence !== 'weekly' || c.weekdays !== undefined, {
    path: ['weekdays'],
    message: 'choose at least one weekday for a weekly cadence',
    // Also when other fields are wrong, so every problem is named at once.
    when: (payload) => (payload.value as { cadence?: unknown } | undefined)?.cadence === 'weekly',
  })
  .transform((c) => ({ ...c, weekdays: c.weekdays ?? (['mon'] as Weekday[]) }))

/** A parsed configuration, defaults applied. */
export type AutopilotConfig = z.output<typeof autopilotConfigSchema>
/** What a client may send. */
export type AutopilotConfigInput = z.input<typeof autopilotConfigSchema>
