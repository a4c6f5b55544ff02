/**
 * The one logger: a JSON line per event, `{level, msg, ...fields}`, on the console workerd and
 * Workers Logs read. Fields bound with `child` ride along on every line, which is how a request id
 * (or a queue message id, a post id) follows the work it names:
 *
 *   const reqLog = log.child({ requestId })
 *   reqLog.warn('oauth callback failed', { platform })
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type LogFields = Record<string, unknown>

export interface Logger {
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
  /** A logger that adds `fields` (e.g. `{ requestId }`) to every line. */
  child(fields: LogFields): Logger
}

const WRITE: Record<LogLevel, (line: string) => void> = {
  debug: (line) => console.debug(line),
  info: (line) => console.log(line),
  warn: (line) => console.warn(line),
  error: (line) => console.error(line),
}

/**
 * The token of a signed storage URL is its credential (valid up to a day): wherever one appears in
 * a line (a request path, a URL in an error), only its route stays.
 */
const STORAGE_TOKEN = /(\/api\/storage\/)[^\s"'?#/\\]+/g

/** A log line with every signed storage token replaced by `[redacted]`. */
export const redactLine = (line: string) => line.replace(STORAGE_TOKEN, '$1[redacted]')

/** A logger with `bound` fields on every line. */
export function createLogger(bound: LogFields = {}): Logger {
  const write = (level: LogLevel) => (msg: string, fields?: LogFields) => WRITE[level](redactLine(JSON.stringify({ level, msg, ...bound, ...fields })))
  return {
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (fields) => createLogger({ ...bound, ...fields }),
  }
}

/** The Worker's logger; `log.child({ requestId })` for one request. */
export const log = createLogger()
