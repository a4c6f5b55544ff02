/**
 * Per-principal request budget through the Workers rate-limiting binding. Over the limit the
 * answer is 429 with `Retry-After` and `{"error": "Rate limit exceeded", "resetTime": …}`.
 */
import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../../env'
import { HttpError } from '../../lib/errors'
import { principalKey } from './auth'

/** The binding counts in fixed windows of this many seconds (it is set in wrangler.toml). */
const PERIOD_SECONDS = 60

export const rateLimit = (): MiddlewareHandler<AppEnv> =>
  async function rateLimit(c, next) {
    const { success } = await c.env.API_RATE_LIMITER.limit({ key: principalKey(c.get('principal')) })
    if (!success) {
      const now = Date.now()
      const resetMs = Math.ceil((now + 1) / (PERIOD_SECONDS * 1000)) * PERIOD_SECONDS * 1000
      const retryAfter = Math.max(1, Math.ceil((resetMs - now) / 1000))
      throw new HttpError(429, `Too many requests: retry after ${retryAfter} s.`, {
        error: 'Rate limit exceeded',
        resetTime: new Date(resetMs).toISOString(),
        headers: { 'Retry-After': String(retryAfter) },
      })
    }
    await next()
  }
