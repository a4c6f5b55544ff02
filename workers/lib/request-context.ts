/**
 * The first middleware of the Worker: gives the request its id (`cf-ray`, or made), answers it
 * as `x-request-id`, runs the rest of the request inside that context (so every log line and
 * queue message carries it), and writes one access line per request.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { matchedRoutes } from 'hono/route'
import type { AppEnv } from '../env'
import { currentRequestId, requestIdFrom, withContext } from './context'
import { log } from './log'

export const REQUEST_ID_HEADER = 'x-request-id'

/** The route pattern that answered (`/api/posts/:id`), never the path: paths can hold a signed token. */
export function routeOf(c: Context): string {
  const route = matchedRoutes(c).findLast((r) => r.method !== 'ALL')
  return route?.path ?? 'unmatched'
}

export const requestContext = (): MiddlewareHandler<AppEnv> =>
  async function requestContext(c, next) {
    // The web app's loaders call the API in-process: that inner request is part of the outer one.
    const requestId = currentRequestId() ?? requestIdFrom(c.req.raw.headers)
    c.set('requestId', requestId)
    const started = Date.now()
    await withContext({ requestId }, async () => {
      await next()
      try {
        c.res.headers.set(REQUEST_ID_HEADER, requestId)
      } catch {
        // A response with immutable headers (a fetched or stored one): copy it.
        c.res = new Response(c.res.body, c.res)
        c.res.headers.set(REQUEST_ID_HEADER, requestId)
      }
      if (c.req.path.startsWith('/api/')) {
        log.info('request', { method: c.req.method, route: routeOf(c), status: c.res.status, durationMs: Date.now() - started })
      }
    })
  }
