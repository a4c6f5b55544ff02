/**
 * Request budgets through the Workers rate-limiting bindings (wrangler.toml `[[ratelimits]]`). Over
 * a limit the answer is 429 with `Retry-After` and `{"error": "Rate limit exceeded", "resetTime": …}`.
 * - `rateLimit()`: per signed-in person or API key, after authentication (API_RATE_LIMITER).
 * - `limitPerClient(group, binding)`: per client address, before anything else runs, on the routes
 *   anyone can call (health, local sign-in, storage URLs, OAuth callbacks, the sandbox post page).
 * - `badKeyGuard`: per client address, the API keys that matched nothing (a D1 query each).
 */
import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../env'
import { HttpError } from '../../lib/errors'
import { principalKey } from './auth'

/** The bindings count in fixed windows of this many seconds (each is set so in wrangler.toml). */
const PERIOD_SECONDS = 60

/** The 429 for a window that ends at the next multiple of the period. */
function tooManyRequests(): HttpError {
  const now = Date.now()
  const resetMs = Math.ceil((now + 1) / (PERIOD_SECONDS * 1000)) * PERIOD_SECONDS * 1000
  const retryAfter = Math.max(1, Math.ceil((resetMs - now) / 1000))
  return new HttpError(429, `Too many requests: retry after ${retryAfter} s.`, {
    error: 'Rate limit exceeded',
    resetTime: new Date(resetMs).toISOString(),
    headers: { 'Retry-After': String(retryAfter) },
  })
}

/**
 * Who is asking, for the per-client limits: `CF-Connecting-IP`, which Cloudflare sets on every
 * request it passes on (a client cannot choose it). Without it (wrangler dev, tests) a local
 * deployment does not count; any other counts every such request as one client.
 */
export function clientAddress(c: Context<AppEnv>): string | null {
  const ip = c.req.header('cf-connecting-ip')?.trim()
  if (ip) return ip
  return c.env.APP_ENV === 'local' ? null : 'unknown'
}

export const rateLimit = (): MiddlewareHandler<AppEnv> =>
  async function rateLimit(c, next) {
    const { success } = await c.env.API_RATE_LIMITER.limit({ key: principalKey(c.get('principal')) })
    if (!success) throw tooManyRequests()
    await next()
  }

/** A per-client budget for anonymous routes, counted under `group` (each route family apart). */
export const limitPerClient = (group: string | ((c: Context<AppEnv>) => string), binding: (env: Env) => RateLimit): MiddlewareHandler<AppEnv> =>
  async function limitPerClient(c, next) {
    const client = clientAddress(c)
    if (client !== null) {
      const name = typeof group === 'string' ? group : group(c)
      const { success } = await binding(c.env).limit({ key: `${name}:${client}` })
      if (!success) throw tooManyRequests()
    }
    await next()
  }

/**
 * Clients over their budget of unknown API keys, until their window ends: answered 429 before the
 * key is looked up (per isolate, which is all a cache needs to be).
 */
const refusedClients = new Map<string, number>()

/** Before an API key is looked up: 429 when this client is already over its budget of unknown keys. */
export function checkBadKeyBudget(c: Context<AppEnv>): void {
  const client = clientAddress(c)
  if (client === null) return
  const until = refusedClients.get(client)
  if (until === undefined) return
  if (until > Date.now()) throw tooManyRequests()
  refusedClients.delete(client)
}

/** After an API key matched nothing: counts it; over the budget, the answer becomes a 429. */
export async function countBadKey(c: Context<AppEnv>): Promise<void> {
  const client = clientAddress(c)
  if (client === null) return
  const { success } = await c.env.AUTH_FAILURE_LIMITER.limit({ key: `bad-key:${client}` })
  if (success) return
  const error = tooManyRequests()
  refusedClients.set(client, Date.parse(String(error.extra.resetTime)))
  if (refusedClients.size > 10_000) refusedClients.clear()
  throw error
}
