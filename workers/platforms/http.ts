/**
 * HTTP to a platform: every call goes through the platform's circuit breaker with a timeout, and
 * idempotent calls retry transient failures (5xx, timeouts, dropped connections). 429 is not
 * retried here: it goes back to the queue with the platform's Retry-After.
 */
import { callService, TimeoutError } from '../lib/resilience'
import { parseJsonOrUndefined } from '../lib/json'
import { count, observe } from '../metrics/record'
import type { Platform } from './types'

/** A platform answered with a status the caller did not expect. */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly body: any,
    readonly headers: Headers,
  ) {
    super(`HTTP ${status}: ${typeof body === 'string' ? body.slice(0, 300) : JSON.stringify(body).slice(0, 300)}`)
    this.name = 'HttpStatusError'
  }

  /** Retry-After in seconds, if the platform sent one. */
  get retryAfterSec(): number | undefined {
    const value = this.headers.get('retry-after')
    if (!value) return undefined
    const n = Number(value)
    if (Number.isFinite(n)) return Math.max(0, Math.ceil(n))
    const date = Date.parse(value)
    return Number.isFinite(date) ? Math.max(0, Math.ceil((date - Date.now()) / 1000)) : undefined
  }
}

/** Whether an error is a passing failure of the platform (counts for its breaker, retried if idempotent). */
export function isTransient(error: unknown): boolean {
  if (error instanceof HttpStatusError) return error.status >= 500
  if (error instanceof TimeoutError) return true
  return error instanceof TypeError || (error instanceof Error && /network|connection|socket|ECONN|terminated/i.test(error.message))
}

export interface PlatformResponse {
  status: number
  headers: Headers
  text: string
  json: any
}

export interface RequestOptions {
  method?: string
  headers?: Record<string, string>
  /** Made fresh for each attempt (a stream can be read once). */
  body?: () => Promise<BodyInit | null> | BodyInit | null
  timeoutMs: number
  /** Safe to send twice: retried on transient failures. */
  idempotent?: boolean
  /** Statuses that are answers rather than errors (default: 2xx). */
  accept?: (status: number) => boolean
}

/** One call to a platform API through its breaker. Throws HttpStatusError, TimeoutError or CircuitOpenError. */
export async function platformRequest(platform: Platform, url: string, options: RequestOptions): Promise<PlatformResponse> {
  const operation = operationOf(options.method ?? 'GET', url)
  const started = Date.now()
  let outcome = 'ok'
  try {
    return await send(platform, url, options)
  } catch (error) {
    outcome = outcomeOf(error)
    throw error
  } finally {
    count('reelpilot_platform_calls_total', { platform, operation, outcome })
    observe('reelpilot_platform_call_duration_seconds', { platform, operation }, (Date.now() - started) / 1000)
  }
}

/** The operation a call is counted under: its method and path, ids replaced (`POST /v2/post/publish/status/fetch/`, `GET /:id/insights`). */
export function operationOf(method: string, url: string): string {
  let path: string
  try {
    path = new URL(url).pathname
  } catch {
    path = '/'
  }
  const segments = path.split('/').map((s) => (/^\d+$/.test(s) || (s.length >= 16 && /\d/.test(s)) || /^[A-Za-z0-9_-]{24,}$/.test(s) ? ':id' : s))
  return `${method.toUpperCase()} ${segments.join('/').slice(0, 120)}`
}

function outcomeOf(error: unknown): string {
  if (error instanceof HttpStatusError) return error.status >= 500 ? 'http_5xx' : error.status === 429 ? 'http_429' : 'http_4xx'
  if (error instanceof TimeoutError) return 'timeout'
  if (error instanceof Error && error.name === 'CircuitOpenError') return 'circuit_open'
  return 'error'
}

async function send(platform: Platform, url: string, options: RequestOptions): Promise<PlatformResponse> {
  const accept = options.accept ?? ((s: number) => s >= 200 && s < 300)
  return callService(
    platform,
    async (signal) => {
      const res = await fetch(url, {
        method: options.method ?? 'GET',
        headers: options.headers,
        body: options.body ? await options.body() : undefined,
        signal,
        redirect: 'manual',
      })
      const text = await res.text()
      const json: any = parseJsonOrUndefined(text)
      if (!accept(res.status)) throw new HttpStatusError(res.status, json ?? text, res.headers)
      return { status: res.status, headers: res.headers, text, json }
    },
    { timeoutMs: options.timeoutMs, maxAttempts: options.idempotent ? 3 : 1, isTransient },
  )
}

/** Midnight in Los Angeles after `nowMs`: when YouTube's daily quota resets. */
export function nextPacificMidnight(nowMs: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/Los_Angeles',
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(nowMs))
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  const wallAsUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'))
  const offsetMs = wallAsUtc - Math.floor(nowMs / 1000) * 1000
  // Next local midnight, expressed in UTC with today's offset. On the night of a DST change this
  // is an hour off; if that is early, the upload meets quotaExceeded again and waits once more.
  const nextMidnightWall = Date.UTC(get('year'), get('month') - 1, get('day') + 1)
  return nextMidnightWall - offsetMs
}
