declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[]
    /** A render server whose ffprobe is missing (test/global-render-server.ts). */
    BROKEN_RENDER_URL: string
  }
}
