import type { MiddlewareHandler } from 'hono'
import { createDb } from '../../db/client'
import type { AppEnv } from '../../env'

/** Puts one drizzle handle on the context for the request. */
export const withDb = (): MiddlewareHandler<AppEnv> =>
  async function withDb(c, next) {
    c.set('db', createDb(c.env.DB))
    await next()
  }
