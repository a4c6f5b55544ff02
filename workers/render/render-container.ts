/**
 * The render container (production): a Container Durable Object running containers/render's
 * server with native FFmpeg. Locally there is no Docker, and RENDER_URL points at the same
 * server started natively.
 */
import { Container } from '@cloudflare/containers'

export const RENDER_PORT = 8080

export class RenderContainer extends Container<Env> {
  defaultPort = RENDER_PORT
  // Renders arrive in bursts around posting windows; keep a warm instance a while after the last.
  sleepAfter = '10m'
  enableInternet = true

  constructor(ctx: DurableObjectState<{}>, env: Env) {
    super(ctx, env)
    // The server serves only requests carrying this secret, and fetches only from our own origin.
    this.envVars = { RENDER_SHARED_SECRET: env.RENDER_SHARED_SECRET, RENDER_ALLOWED_ORIGINS: env.PUBLIC_URL }
  }
}
