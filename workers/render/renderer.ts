/**
 * The renderer client: one interface over the two ways a render server is reached, the
 * RenderContainer in production and RENDER_URL in local mode.
 */
import { getRandom } from '@cloudflare/containers'
import type { RenderContainer } from './render-container'

/**
 * How many container instances renders are spread over. Each runs as many renders at once as it
 * has cores and queues the rest; keep this at or below `max_instances` in wrangler.toml.
 */
export const RENDER_INSTANCES = 5

export interface Renderer {
  /** Sends a request to the render server; `path` starts with `/`. */
  fetch(path: string, init?: RequestInit): Promise<Response>
  readonly kind: 'url' | 'container'
}

/** Every call carries the shared secret: the render server answers nobody else. */
function withSecret(env: Pick<Env, 'RENDER_SHARED_SECRET'>, init: RequestInit = {}): RequestInit {
  const headers = new Headers(init.headers)
  headers.set('authorization', `Bearer ${env.RENDER_SHARED_SECRET}`)
  return { ...init, headers }
}

export function rendererFor(env: Pick<Env, 'RENDER_URL' | 'RENDER_CONTAINER' | 'RENDER_SHARED_SECRET'>): Renderer {
  if (env.RENDER_URL) {
    const base = env.RENDER_URL.replace(/\/$/, '')
    return { kind: 'url', fetch: (path, init) => fetch(`${base}${path}`, withSecret(env, init)) }
  }
  return {
    kind: 'container',
    async fetch(path, init) {
      const container = await getRandom(env.RENDER_CONTAINER as unknown as DurableObjectNamespace<RenderContainer>, RENDER_INSTANCES)
      return container.fetch(new Request(`http://render${path}`, withSecret(env, init)))
    },
  }
}
