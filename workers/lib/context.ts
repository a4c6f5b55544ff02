/**
 * The fields that follow one piece of work through every await: a request id (from `cf-ray`, or
 * made), and for a queue message its queue, message id and post. `log` adds them to every line,
 * and the producers copy the request id into each message they send, so one post's path can be
 * followed from the request (or alarm) that started it to its publication.
 *
 * Held in an AsyncLocalStorage (nodejs_compat), so no function has to pass a logger along.
 */
import { AsyncLocalStorage } from 'node:async_hooks'

export interface WorkContext {
  requestId: string
  [field: string]: unknown
}

const storage = new AsyncLocalStorage<WorkContext>()

/** Runs `fn` with `fields` bound for every log line and queue message made inside it. */
export function withContext<T>(fields: WorkContext, fn: () => T): T {
  return storage.run({ ...storage.getStore(), ...fields }, fn)
}

/** The fields bound around the current work, if any. */
export const currentContext = (): WorkContext | undefined => storage.getStore()

/** The request id of the current work, if any. */
export const currentRequestId = (): string | undefined => storage.getStore()?.requestId

/** A request id as we accept it from outside (`cf-ray`, a queue message): short and plain. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,100}$/

/** A new request id, for work no request started (an alarm, the cron) or a request without `cf-ray`. */
export const newRequestId = (prefix = 'req') => `${prefix}-${crypto.randomUUID()}`

/** The request id of an incoming request: its `cf-ray` when that looks like one, else a new one. */
export function requestIdFrom(headers: Headers): string {
  const ray = headers.get('cf-ray')
  return ray && REQUEST_ID_PATTERN.test(ray) ? ray : newRequestId()
}
