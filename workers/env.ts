/** The Hono environment every API handler sees: bindings from `wrangler types`, plus per-request values. */
import type { Db } from './db/client'
import type { Principal } from './api/middleware/auth'

export interface AppEnv {
  Bindings: Env
  Variables: {
    db: Db
    principal: Principal
    requestId: string
  }
}
