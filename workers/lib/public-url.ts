/**
 * The Worker's public origin (`PUBLIC_URL`), the one origin every signed storage URL, OAuth
 * callback and tracked link is made on.
 * Never the request's Host: a client choosing the Host would choose where the URLs it is handed
 * (and the render server's fetches) point.
 */
import { misconfigured } from './config'

/**
 * `PUBLIC_URL`'s origin, or a 503 naming the setting when it is missing or not a URL. Entry points
 * check it first (lib/config.ts), so past them this throws only for a caller that skipped the check.
 */
export function publicOrigin(env: Pick<Env, 'PUBLIC_URL'>): string {
  const value = env.PUBLIC_URL
  try {
    if (value) return new URL(value).origin
  } catch {
    // Falls through to the configuration error.
  }
  throw misconfigured({ setting: 'PUBLIC_URL', problem: "PUBLIC_URL (the Worker's public origin) is not set, so no link to this deployment (storage, OAuth callback, tracked link) can be made." })
}
