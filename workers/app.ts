/**
 * The Worker's HTTP surface without the web app: /api (Hono) plus a hook for everything else.
 * Kept apart from index.ts so tests can run the API without the React Router build.
 */
import { Hono } from 'hono'
import type { AppEnv } from './env'
import { createApi } from './api'
import { oauthRoutes } from './api/oauth-routes'
import { followLink } from './analytics/links'
import { misconfigurations, misconfigured } from './lib/config'
import { HttpError, problemResponse } from './lib/errors'
import { log } from './lib/log'
import { limitPerClient } from './api/middleware/rate-limit'
import { originCheck, securityHeaders } from './lib/security-headers'
import { requestContext } from './lib/request-context'
import { COUNT_HEADER, countingD1, QUERIES_HEADER, ROUND_TRIPS_HEADER } from './lib/d1-count'
import { isLocalAuth } from './lib/auth-mode'
import { publicOrigin } from './lib/public-url'

/** The web app; `nonce` is the CSP nonce its inline scripts must carry. */
export type AppHandler = (request: Request, env: Env, ctx: ExecutionContext, nonce: string) => Promise<Response>

export function createWorkerApp(handleApp: AppHandler) {
  const app = new Hono<AppEnv>()
  // CSP, HSTS, nosniff, frame and referrer policies on every answer; cross-site writes refused.
  app.use('*', securityHeaders())
  app.use('*', originCheck())
  app.use('*', requestContext())
  // The API benchmark counts D1 statements per request (local mode only; lib/d1-count.ts).
  app.use('*', async function countD1(c, next) {
    if (c.req.header(COUNT_HEADER) !== '1' || !isLocalAuth(c.env)) return next()
    const counter = { n: 0, trips: 0 }
    c.env = { ...c.env, DB: countingD1(c.env.DB, counter) }
    await next()
    c.res = new Response(c.res.body, c.res)
    c.res.headers.set(QUERIES_HEADER, String(counter.n))
    c.res.headers.set(ROUND_TRIPS_HEADER, String(counter.trips))
  })
  // Fail closed: a deployment that lacks a setting (its sign-in, its public origin, a key) serves
  // nothing, pages or API, and says which (lib/config.ts).
  app.use('*', async function configurationGuard(c, next) {
    const problems = misconfigurations(c.env)
    if (problems.length) {
      log.error('misconfigured', { settings: problems.map((p) => p.setting) })
      throw misconfigured(problems)
    }
    await next()
  })
  app.route('/api', createApi())
  // The OAuth callbacks and the sandbox post page are anyone's to call: limited per client address.
  app.use(
    '/oauth/*',
    limitPerClient((c) => (c.req.path.startsWith('/oauth/sandbox/') ? 'sandbox-page' : 'oauth'), (env) => env.ANON_RATE_LIMITER),
  )
  app.route('/oauth', oauthRoutes)
  // Tracked links in posts' texts (issue 13): a redirect to the project's link URL, counting the click.
  app.get('/l/:code', followLink)
  // A sub-app's notFound is not consulted when it is mounted: unknown /api paths stop here.
  app.all('/api/*', (c) => problemResponse(404, `No route ${c.req.method} ${c.req.path}`))
  // Pages are served on PUBLIC_URL only: storage links, the CSP and the session cookie are all
  // made for that origin, so a page opened on another name for the same Worker (wrangler's
  // "Ready on http://127.0.0.1:8787" when PUBLIC_URL is localhost, a workers.dev name beside the
  // custom domain) would fail its first upload. A browser's navigation there is sent to PUBLIC_URL.
  // (A `use`, not a GET route: /api's onKnownRoutes counts matched method routes to tell unknown paths.)
  app.use('*', async function canonicalOrigin(c, next) {
    if (!['GET', 'HEAD'].includes(c.req.method) || c.req.header('sec-fetch-mode') !== 'navigate') return next()
    const origin = publicOrigin(c.env)
    const url = new URL(c.req.url)
    if (url.origin === origin) return next()
    return c.redirect(`${origin}${url.pathname}${url.search}`, 308)
  })
  app.all('*', (c) => handleApp(c.req.raw, c.env, c.executionCtx as ExecutionContext, c.get('secureHeadersNonce') ?? ''))
  // Outside /api (which answers its own errors): a refusal by the middleware above (a 429) as problem+json.
  app.onError((error) => {
    if (error instanceof HttpError) {
      const { headers, ...extra } = error.extra
      return problemResponse(error.status, error.message, extra, headers)
    }
    log.error('unhandled', { error: String(error), stack: (error as Error)?.stack })
    return problemResponse(500, 'Something went wrong on our side. It has been logged.')
  })
  return app
}
