/** The load context the Worker hands to React Router: bindings, the execution context, and the API. */
import { createContext } from 'react-router'

export interface CloudflareContext {
  env: Env
  ctx: ExecutionContext
  /** The CSP nonce of this response: React Router's inline scripts carry it (app/entry.server.tsx). */
  nonce: string
  /**
   * Calls the REST API in-process (`path` is below /api, e.g. `/workspaces`), forwarding the
   * visitor's session cookie, so the web app goes through exactly the checks integrators do.
   */
  api: (path: string, init?: RequestInit) => Promise<Response>
}

export const cloudflareContext = createContext<CloudflareContext>()
