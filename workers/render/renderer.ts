/**
 * The renderer client: one interface over the two ways a render server is reached, the
 * RenderContainer in production and RENDER_URL in local mode.
 */
import { getContainer } from '@cloudflare/containers'

export interface Renderer {
  /** Sends a request to the render server; `path` starts with `/`. */
  fetch(path: string, init?: RequestInit): Promise<Response>
  readonly kind: 'url' | 'container'
}

export function rendererFor(env: Pick<Env, 'RENDER_URL' | 'RENDER_CONTAINER'>): Renderer {
  if (env.RENDER_URL) {
    const base = env.RENDER_URL.replace(/\/$/, '')
    return { kind: 'url', fetch: (path, init) => fetch(`${base}${path}`, init) }
  }
  return {
    kind: 'container',
    fetch: (path, init) => getContainer(env.RENDER_CONTAINER as never, 'render').fetch(new Request(`http://render${path}`, init)),
  }
}
