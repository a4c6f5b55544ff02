/**
 * Starts the real render server (native FFmpeg) for the Workers tests, and gives its URL to
 * Miniflare; and a second one whose ffprobe is missing, for the health report's reason.
 */
import { randomBytes } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import type { TestProject } from 'vitest/node'
import { createRenderServer } from '../containers/render/server'
import { ffmpegPath, ffprobePath } from '../scripts/tools.mjs'

declare module 'vitest' {
  export interface ProvidedContext {
    renderUrl: string
    /** A render server that cannot run: its ffprobe does not exist. */
    brokenRenderUrl: string
    /** The shared secret both render servers want (the Worker's RENDER_SHARED_SECRET). */
    renderSecret: string
  }
}

async function listen(server: ReturnType<typeof createRenderServer>) {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

export default async function setup(project: TestProject) {
  // The Worker's PUBLIC_URL in these tests (vitest.config.ts): the only origin they fetch from.
  const access = { secret: randomBytes(32).toString('base64url'), allowedOrigins: ['http://127.0.0.1:9'] }
  const server = createRenderServer({ ffmpegPath: ffmpegPath(), ffprobePath: ffprobePath(), ...access })
  const broken = createRenderServer({ ffmpegPath: ffmpegPath(), ffprobePath: '/nonexistent/ffprobe', ...access })
  project.provide('renderSecret', access.secret)
  project.provide('renderUrl', await listen(server))
  project.provide('brokenRenderUrl', await listen(broken))
  return async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await new Promise<void>((resolve) => broken.close(() => resolve()))
  }
}
