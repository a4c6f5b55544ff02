declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[]
    /** A render server whose ffprobe is missing (test/global-render-server.ts). */
    BROKEN_RENDER_URL: string
    /** A rate limiter of 3 a minute, to stand in for a per-client limiter (vitest.config.ts). */
    TEST_TINY_LIMITER: RateLimit
  }
}
