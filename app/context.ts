/** The load context the Worker hands to React Router: bindings and the execution context. */
import { createContext } from 'react-router'

export interface CloudflareContext {
  env: Env
  ctx: ExecutionContext
}

export const cloudflareContext = createContext<CloudflareContext>()
