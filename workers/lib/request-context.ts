/**
 * The first middleware of the Worker: gives the request its id (`cf-ray`, or made), answers it
 * as `x-request-id`, runs the rest of the request inside that context (so every log line and
 * queue message carries it), writes one access line per /api request and counts it for
 * GET /api/metrics (route pattern, method, status, latency).
 */
import type { Context, MiddlewareHandler } from 'hono'
import { matchedRoutes } from 'hono/route'
import type { AppEnv } from '../env'
import { currentRequestId, requestIdFrom, withContext } from './context'
import { accessLine } from './log'
import { count, observe, withMetrics } from '../metrics/record'

export const REQUEST_ID_HEADER = 'x-request-id'

/** The route pattern that answered (`/api/posts/:id`), never the path: paths can hold a signed token. */
export function routeOf(c: Context): string {
  const route = matchedRoutes(c).findLast((r) => r.method !== 'ALL')
  return route?.path ?? 'unmatched'
}

export const requestContext = (): MiddlewareHandler<AppEnv> =>
  async function requestContext(c, next) {
    // The web app's loaders call the API in-process: that inner request is part of the outer one,
    // and its metrics go with the outer request's.
    const outer = currentRequestId()
    const requestId = outer ?? requestIdFrom(c.req.raw.headers)
    c.set('requestId', requestId)
    const started = Date.now()
    if (outer !== undefined) return handle(c, next, requestId, started)
    let waitUntil: ((p: Promise<unknown>) => void) | undefined
    try {
      const ctx = c.executionCtx
      waitUntil = (p) => ctx.waitUntil(p)
    } catch {
      // No execution context (a test's app.request): the metrics are sent before answering.
    }
    await withMetrics(c.env, () => withContext({ requestId }, () => handle(c, next, requestId, started)), waitUntil)
  }

async function handle(c: Context<AppEnv>, next: () => Promise<void>, requestId: string, started: number) {
  await next()
  try {
    c.res.headers.set(REQUEST_ID_HEADER, requestId)
  } catch {
    // A response with immutable headers (a fetched or stored one): copy it.
    c.res = new Response(c.res.body, c.res)
    c.res.headers.set(REQUEST_ID_HEADER, requestId)
  }
  if (c.req.path.startsWith('/api/')) {
    const route = routeOf(c)
    const ms = Date.now() - started
    count('reelpilot_http_requests_total', { route, method: c.req.method, status: String(c.res.status) })
    observe('reelpilot_http_request_duration_seconds', { route, method: c.req.method }, ms / 1000)
    accessLine({ requestId, method: c.req.method, route, status: c.res.status, durationMs: ms })
  }
}
