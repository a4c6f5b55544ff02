/**
 * The REST API, mounted at /api. Public routes first (health, docs, local sign-in), then every
 * resource behind authentication and the rate limiter. Errors are problem+json everywhere.
 */
import { HTTPException } from 'hono/http-exception'
import { matchedRoutes } from 'hono/route'
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../env'
import { HttpError, problemResponse } from '../lib/errors'
import { isLocalAuth } from '../lib/auth-mode'
import { analyticsApi } from './analytics'
import { aiApi } from '../ai/routes'
import { aiUsageApi } from '../ai/usage-routes'
import { aiStreamApi } from '../ai/stream'
import { inboxApi } from '../inbox/routes'
import { apiKeysApi } from './api-keys'
import { auditApi } from './audit'
import { connectionsApi } from './connections'
import { autopilotApi } from './autopilot'
import { postsApi } from './posts'
import { draftsApi } from './drafts'
import { devTokenApi } from './dev-token'
import { docsApi } from './docs'
import { healthApi } from './health'
import { mediaApi } from '../media/routes'
import { transcriptsApi } from '../speech/routes'
import { meApi } from './me'
import { membersApi } from './members'
import { authenticate } from './middleware/auth'
import { withDb } from './middleware/db'
import { limitPerClient, rateLimit } from './middleware/rate-limit'
import { createRouter } from './openapi'
import { projectsApi } from './projects'
import { projectSummaryApi } from './project-summary'
import { uploadsApi } from '../media/storage-route'
import { workspacesApi } from './workspaces'
import { metricsApi } from '../metrics/routes'
import { log } from '../lib/log'

/** Runs `inner` only when the request matched a real route, so unknown paths fall through to 404. */
const onKnownRoutes = (...inner: MiddlewareHandler<AppEnv>[]): MiddlewareHandler<AppEnv> =>
  async function onKnownRoutes(c, next) {
    if (!matchedRoutes(c).some((r) => r.method !== 'ALL')) return next()
    const run = (i: number): Promise<void> => (i < inner.length ? (inner[i](c, () => run(i + 1)) as Promise<void>) : next())
    await run(0)
  }

const localOnly: MiddlewareHandler<AppEnv> = async function localOnly(c, next) {
  if (!isLocalAuth(c.env)) return problemResponse(404, `No route ${c.req.method} ${c.req.path}`)
  await next()
}

export function createApi() {
  const api = createRouter()
  api.use('*', withDb())
  // Anonymous routes are limited per client address before they do any work.
  api.use('/health/*', limitPerClient('health', (env) => env.ANON_RATE_LIMITER)) // /health too
  api.use('/dev/token', limitPerClient('dev-token', (env) => env.ANON_RATE_LIMITER))
  api.use('/storage/*', limitPerClient('storage', (env) => env.STORAGE_RATE_LIMITER))
  api.route('/', healthApi)
  api.route('/', docsApi)
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    description: 'A Clerk session token (local mode: from POST /api/dev/token) or an API key `rp_…`.',
  })
  api.openAPIRegistry.registerComponent('securitySchemes', 'metricsToken', { type: 'http', scheme: 'bearer', description: 'The METRICS_TOKEN of this deployment (GET /api/metrics only).' })
  // The document is generated per request from the registry, so routes mounted below are in it.
  api.doc31('/openapi.json', (c) => ({
    openapi: '3.1.0',
    info: { title: 'Reelpilot API', version: '1.0.0', description: 'Autopilot for short-form video. Errors are RFC 9457 problem+json.' },
    servers: [{ url: new URL('/api', c.req.url).toString() }],
  }))

  api.use('/dev/*', localOnly)
  api.route('/', devTokenApi)
  // Signed storage URLs: the token in the path is the credential.
  api.route('/', uploadsApi)
  // The Prometheus scrape: its own token, not a session or an API key.
  api.route('/', metricsApi)
  api.use('*', onKnownRoutes(authenticate(), rateLimit()))
  api.route('/', meApi)
  api.route('/', workspacesApi)
  api.route('/', membersApi)
  api.route('/', apiKeysApi)
  api.route('/', auditApi)
  api.route('/', projectsApi)
  api.route('/', projectSummaryApi)
  api.route('/', mediaApi)
  api.route('/', transcriptsApi)
  api.route('/', connectionsApi)
  api.route('/', autopilotApi)
  api.route('/', postsApi)
  api.route('/', analyticsApi)
  api.route('/', draftsApi)
  api.route('/', aiApi)
  api.route('/', aiUsageApi)
  api.route('/', aiStreamApi)
  api.route('/', inboxApi)

  api.notFound((c) => problemResponse(404, `No route ${c.req.method} ${c.req.path}`))
  api.onError((error, c) => {
    if (error instanceof HttpError) {
      const { headers, ...extra } = error.extra
      return problemResponse(error.status, error.message, extra, headers)
    }
    if (error instanceof HTTPException) {
      const message = error.status === 415 ? 'Send the body as application/json.' : error.message || 'The request could not be read.'
      return problemResponse(error.status, message)
    }
    log.child({ requestId: c.get('requestId') }).error('unhandled', { path: c.req.path, error: String(error), stack: (error as Error)?.stack })
    return problemResponse(500, 'Something went wrong on our side. It has been logged.')
  })
  return api
}

export type Api = ReturnType<typeof createApi>
