/**
 * Helpers for declaring routes once, in zod, so validation and the OpenAPI document can't drift.
 */
import { OpenAPIHono, z } from '@hono/zod-openapi'
import type { AppEnv } from '../env'
import { badRequest, describeFieldErrors, fieldErrors } from '../lib/errors'

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem')

const problem = (description: string) => ({ description, content: { 'application/problem+json': { schema: ProblemSchema } } })

/** The error answers every authenticated route can give. */
export const commonErrors = {
  400: problem('The input is invalid; `errors` names each bad field.'),
  401: problem('No valid session or API key.'),
  403: problem('Your role does not allow this.'),
  404: problem('Not found, or not in a workspace you belong to.'),
  429: problem('Rate limit exceeded; see `Retry-After`.'),
} as const

export const errorResponses = (...statuses: (keyof typeof extraErrors)[]) =>
  Object.fromEntries(statuses.map((s) => [s, extraErrors[s]])) as Partial<typeof extraErrors>

const extraErrors = {
  409: problem('The request conflicts with the current state.'),
  413: problem('Too large.'),
  415: problem('Unsupported media type.'),
  502: problem('An outside service (e.g. the AI provider) answered something unusable.'),
  503: problem('A service is unavailable.'),
} as const

/**
 * A string that must match `pattern`, with the pattern in the document as JSON Schema wants it:
 * the ECMA-262 source alone (the generator would write `/…/u` flags into it otherwise). Patterns
 * are read with Unicode semantics (`u`), as JSON Schema 2020-12 validators do.
 */
export const matching = (schema: z.ZodString, pattern: RegExp, message: string) => schema.regex(pattern, message).openapi({ pattern: pattern.source })

/** A required JSON body. */
export const jsonBody = <T extends z.ZodType>(schema: T, description?: string) => ({
  required: true,
  description,
  content: { 'application/json': { schema } },
})

/** A JSON response. */
export const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
})

export const security = [{ bearer: [] }]

/** A sub-app whose validation failures become problem+json 400s that name every bad field. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook(result) {
      if (!result.success) throw invalidInput(result.error, result.target === 'json' ? undefined : result.target)
    },
  })
}

export const IdParam = (name: string, example: string) =>
  z.string().min(1).max(64).openapi({ param: { name, in: 'path' }, example })

export const Timestamp = z.string().openapi({ example: '2026-11-21T12:00:00.000Z' })

/** Parses `value` with a domain schema; a failure is a 400 naming each bad field, like route validation. */
export function parseInput<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value)
  if (!result.success) throw invalidInput(result.error)
  return result.data
}

/** A 400 naming each field of a failed parse (`prefix` is the request part: query, param…). */
function invalidInput(error: z.ZodError, prefix?: string) {
  const errors = fieldErrors(error, prefix)
  return badRequest(describeFieldErrors(errors), errors)
}
