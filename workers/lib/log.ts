/**
 * The one logger: a JSON line per event, `{level, msg, requestId, ...fields}`, on the console
 * workerd and Workers Logs read. The fields of the current work (`lib/context.ts`: the request id,
 * a queue message's id and post) ride along on every line without being passed; `child` binds more:
 *
 *   log.warn('oauth callback failed', { platform })          // carries the request's requestId
 *   const jobLog = log.child({ postId }); jobLog.info('rendered')
 *
 * No line carries a secret: values under secret-looking keys are dropped, and signed storage URLs,
 * signed query parameters, bearer tokens, API keys and JWTs are masked wherever they appear in text.
 */
import { REDACTED, redactStorageTokens, redactText } from '../../containers/render/recipe/redact'
import { currentContext } from './context'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type LogFields = Record<string, unknown>

export interface Logger {
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
  /** A logger that adds `fields` (e.g. `{ postId }`) to every line. */
  child(fields: LogFields): Logger
}

const WRITE: Record<LogLevel, (line: string) => void> = {
  debug: (line) => console.debug(line),
  info: (line) => console.log(line),
  warn: (line) => console.warn(line),
  error: (line) => console.error(line),
}

export { REDACTED, redactText }

/**
 * The token of a signed storage URL is its credential (valid up to a day): wherever one appears in
 * a line (a request path, a URL in an error), only its route stays. The same rule as the render server's.
 */
export const redactLine = redactStorageTokens

/** Keys whose values are never logged, whatever they hold. */
const SECRET_KEY = /(^|_|-)?(authorization|cookie|password|passwd|secret|token|api_?key|signature|credential|private_?key|access_?key|refresh)(s)?$/i

/** A copy of `value` safe to log: secret-keyed fields dropped, secrets in strings masked. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value)
  if (value === null || typeof value !== 'object') return value
  if (depth > 6) return '[deep]'
  if (value instanceof Error) return redactText(String(value))
  if (value instanceof URL) return redactText(value.toString())
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1))
  const out: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) out[key] = SECRET_KEY.test(key) && v != null && v !== '' ? REDACTED : redact(v, depth + 1)
  return out
}

/** A logger with `bound` fields on every line (after the current work's fields). */
export function createLogger(bound: LogFields = {}): Logger {
  const write = (level: LogLevel) => (msg: string, fields?: LogFields) =>
    WRITE[level](redactLine(JSON.stringify(redact({ level, msg: redactText(msg), ...currentContext(), ...bound, ...fields }))))
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (fields) => createLogger({ ...bound, ...fields }),
  }
}

/** The Worker's logger: every line carries the current request id (`lib/context.ts`). */
export const log = createLogger()

/**
 * The access line of one API request (`msg: 'request'`), written without the redaction pass: its
 * fields are fixed and hold no free text (the route pattern, never the path; the method; the
 * status; the duration; the request id, which is a plain token by construction). One per request,
 * so it is kept cheap.
 */
export function accessLine(fields: { requestId: string; method: string; route: string; status: number; durationMs: number }): void {
  console.log(`{"level":"info","msg":"request","requestId":${JSON.stringify(fields.requestId)},"method":${JSON.stringify(fields.method)},"route":${JSON.stringify(fields.route)},"status":${fields.status},"durationMs":${fields.durationMs}}`)
}
