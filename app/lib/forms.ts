/**
 * What a form action answers, and how an API problem (RFC 9457, with `errors: [{field, message}]`)
 * lands next to the right fields. Shared by server actions and the components that show them.
 */
import type { z } from '@hono/zod-openapi'
import type { ProblemSchema } from '../../workers/api/openapi'

type ApiProblem = z.infer<typeof ProblemSchema>
export type FieldError = NonNullable<ApiProblem['errors']>[number]

/** An API error as the app sees it (the API's problem; `title` absent when the app made it). */
export type Problem = Pick<ApiProblem, 'status' | 'detail' | 'errors'> & { title?: string }

/** The answer of a form action: which form, and either success or what went wrong where. */
export interface FormResult {
  intent: string
  ok: boolean
  /** Which item a per-row form acted on (a member, a key). */
  target?: string
  /** A message about the whole form (or a success note). */
  message?: string
  /** Messages per form field name. */
  fieldErrors?: Record<string, string>
  /** What was typed, to put back into the form after an error. */
  values?: Record<string, string>
}

export interface ProblemMapping {
  /** API field name → form field name, when they differ. */
  fields?: Record<string, string>
  /** The form field a status without field errors belongs to (e.g. 409 → `slug`). */
  byStatus?: Partial<Record<number, string>>
}

/** Turns an API problem into a failed FormResult with field messages where the API named fields. */
export function problemResult(intent: string, problem: Problem, values: Record<string, string> = {}, mapping: ProblemMapping = {}, target?: string): FormResult {
  const fieldErrors: Record<string, string> = {}
  const unplaced: string[] = []
  for (const error of problem.errors ?? []) {
    const name = mapping.fields?.[error.field] ?? error.field
    if (name in values || mapping.fields?.[error.field]) fieldErrors[name] ??= capitalize(error.message)
    else unplaced.push(`${fieldLabel(error.field)}: ${error.message}`)
  }
  const statusField = mapping.byStatus?.[problem.status]
  if (statusField && !problem.errors?.length) fieldErrors[statusField] = problem.detail
  const placed = Object.keys(fieldErrors).length > 0
  let message: string | undefined
  if (unplaced.length) message = `Please check: ${unplaced.join('; ')}`
  else if (!placed) message = problem.detail
  return { intent, ok: false, target, message, fieldErrors, values }
}

/** The string fields of a form, trimmed (files and missing fields are left out). */
export function formValues(form: FormData, names: string[]): Record<string, string> {
  const values: Record<string, string> = {}
  for (const name of names) {
    const value = form.get(name)
    if (typeof value === 'string') values[name] = value.trim()
  }
  return values
}

/** The FormResult of one form among several on a page, if the last submission was that form. */
export function resultFor(result: FormResult | undefined, intent: string, target?: string): FormResult | undefined {
  if (!result || result.intent !== intent) return undefined
  if (target !== undefined && result.target !== target) return undefined
  return result
}

function capitalize(message: string) {
  return message.charAt(0).toUpperCase() + message.slice(1)
}

/** The words the forms use for the API's fields (their labels), so no machine name reaches a page. */
const FIELD_LABELS: Record<string, string> = {
  mediaId: 'Clip',
  mediaIds: 'Clips',
  scheduledAt: 'Time',
  caption: 'Caption',
  hashtags: 'Hashtags',
  hook: 'Hook',
  callToAction: 'Call to action',
  framing: 'Framing',
  trim: 'Trim',
  trimStart: 'Start (s)',
  'trim.startSec': 'Start (s)',
  trimEnd: 'End (s)',
  'trim.endSec': 'End (s)',
  focus: 'Focus point',
  focusX: 'Focus point',
  focusY: 'Focus point',
  platforms: 'Platforms',
  platformTexts: 'Text per platform',
  speechCaptions: 'Captions from speech',
  style: 'Style',
  stylesAllowed: 'Styles it may try',
  objective: 'Objective',
  language: 'Language',
  cadence: 'Cadence',
  weekdays: 'Weekdays',
  timezone: 'Time zone',
  timeZone: 'Time zone',
  timeWindows: 'Time windows',
  keepToWindows: 'Keep posts inside the windows',
  requireApproval: 'Approval',
  slot: 'Slot',
  slug: 'Slug',
  name: 'Name',
  email: 'Email',
  role: 'Role',
  brandColor: 'Brand colour',
  font: 'Font',
  words: 'Words',
}
const PLATFORM_WORDS: Record<string, string> = { youtube: 'YouTube', tiktok: 'TikTok', instagram: 'Instagram' }

/**
 * A field of an API error as the page labels it: "trimEnd" is "End (s)", "timeWindows.1" is
 * "Window 2", "platformTexts.youtube.title" is "YouTube title". A field it does not know is put
 * into words ("someField" is "Some field"), never shown as it is.
 */
export function fieldLabel(field: string): string {
  if (FIELD_LABELS[field]) return FIELD_LABELS[field]
  const item = /^(timeWindows|words|mediaIds)\.(\d+)/.exec(field)
  if (item) return `${{ timeWindows: 'Window', words: 'Word', mediaIds: 'Clip' }[item[1]]} ${Number(item[2]) + 1}`
  const text = /^platformTexts\.(\w+)\.(\w+)$/.exec(field)
  if (text) return `${PLATFORM_WORDS[text[1]] ?? capitalize(text[1])} ${text[2]}`
  const head = field.split('.')[0]
  if (FIELD_LABELS[head]) return FIELD_LABELS[head]
  return capitalize(head.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase())
}
