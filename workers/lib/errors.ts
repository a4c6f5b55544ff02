/**
 * RFC 9457 problem details. Every error the API returns goes through here, so clients see
 * one shape: `{type, title, status, detail, errors?}` as `application/problem+json`.
 */
import type { ZodError } from 'zod'

export interface FieldError {
  field: string
  message: string
}

export interface Problem {
  type: string
  title: string
  status: number
  detail: string
  errors?: FieldError[]
  [extension: string]: unknown
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
}

/** An error that becomes a problem+json response with its status. Throw it anywhere in a handler. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly extra: { errors?: FieldError[]; headers?: Record<string, string>; [k: string]: unknown } = {},
  ) {
    super(message)
    this.name = 'HttpError'
  }
}

/** A problem with one field of the input, at any status (413 too large, 415 wrong type…). */
export const fieldProblem = (status: number, field: string, message: string, detail?: string) =>
  new HttpError(status, detail ?? `Invalid input: ${field}: ${message}`, { errors: [{ field, message }] })

export const badRequest = (message: string, errors?: FieldError[]) => new HttpError(400, message, { errors })
export const unauthorized = (message = 'Sign in first: send a session token or an API key as `Authorization: Bearer ...`.') =>
  new HttpError(401, message, { headers: { 'WWW-Authenticate': 'Bearer' } })
export const forbidden = (message: string) => new HttpError(403, message)
export const notFound = (what: string) => new HttpError(404, `${what} not found`)
export const conflict = (message: string) => new HttpError(409, message)

/** Builds the problem body; `type` links to the README section about errors. */
export function problem(status: number, detail: string, extra: Record<string, unknown> = {}): Problem {
  const title = TITLES[status] ?? 'Error'
  return {
    type: `https://reelpilot.dev/problems/${title.toLowerCase().replace(/[^a-z]+/g, '-')}`,
    title,
    status,
    detail,
    ...extra,
  }
}

export function problemResponse(status: number, detail: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(problem(status, detail, extra)), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  })
}

/** Turns zod issues into one error per field, with a dotted path (`timeWindows.1`). */
export function fieldErrors(error: ZodError, prefix?: string): FieldError[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.')
    // zod says a missing field is "Invalid input: expected string, received undefined": say it is required.
    const missing = issue.code === 'invalid_type' && /received undefined$/.test(issue.message)
    const message = missing ? `is required (${issue.expected === 'object' || issue.expected === 'array' ? `an ${issue.expected}` : `a ${issue.expected}`})` : issue.message
    return { field: [prefix, path].filter(Boolean).join('.') || (prefix ?? 'body'), message }
  })
}

/** The one-line summary of field errors used as `detail`. */
export function describeFieldErrors(errors: FieldError[]): string {
  return `Invalid input: ${errors.map((e) => `${e.field}: ${e.message}`).join('; ')}`
}
