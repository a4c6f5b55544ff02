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

export const REDACTED = '[redacted]'

/**
 * The token of a signed storage URL is its credential (valid up to a day): wherever one appears in
 * a line (a request path, a URL in an error), only its route stays.
 */
const STORAGE_TOKEN = /(\/api\/storage\/)[^\s"'?#/\\<>]+/g

/** A log line with every signed storage token replaced by `[redacted]`. */
export const redactLine = (line: string) => line.replace(STORAGE_TOKEN, `$1${REDACTED}`)

/** Keys whose values are never logged, whatever they hold. */
const SECRET_KEY = /(^|_|-)?(authorization|cookie|password|passwd|secret|token|api_?key|signature|credential|private_?key|access_?key|refresh)(s)?$/i

/** Secrets in free text (error messages, bodies): each is masked, keeping what says what it was. */
const SECRET_TEXT: [RegExp, string][] = [
  // Our signed storage URLs: the path segment is the grant.
  [STORAGE_TOKEN, `$1${REDACTED}`],
  // Signed or token-bearing query parameters (S3/R2 presigning, OAuth, ours).
  [/([?&](?:x-amz-[a-z-]+|signature|sig|token|access_token|refresh_token|id_token|code|client_secret|key|upload_id|uploadId)=)[^&\s"'#]+/gi, `$1${REDACTED}`],
  [/(\bBearer\s+)[A-Za-z0-9._~+/=-]+/gi, `$1${REDACTED}`],
  [/\brp_[A-Za-z0-9_-]{8,}/g, `rp_${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, `jwt:${REDACTED}`],
  [/(-----BEGIN [A-Z ]*PRIVATE KEY-----)[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----)/g, `$1${REDACTED}$2`],
]

/** Masks secrets in a string. */
export function redactText(text: string): string {
  let out = text
  for (const [pattern, replacement] of SECRET_TEXT) out = out.replace(pattern, replacement)
  return out
}

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
