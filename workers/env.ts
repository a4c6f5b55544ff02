/** The Hono environment every API handler sees: bindings from `wrangler types`, plus per-request values. */
import type { Db } from './db/client'
import type { Principal } from './api/middleware/auth'

export interface AppEnv {
  Bindings: Env
  Variables: {
    db: Db
    principal: Principal
    requestId: string
    /** The CSP script nonce of this response (hono/secure-headers sets it; workers/lib/security-headers.ts). */
    secureHeadersNonce?: string
  }
}
