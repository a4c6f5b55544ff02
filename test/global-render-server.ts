/** Starts the real render server (native FFmpeg) for the Workers tests, and gives its URL to Miniflare. */
import type { AddressInfo } from 'node:net'
import type { TestProject } from 'vitest/node'
import { createRenderServer } from '../containers/render/server'
import { ffmpegPath } from '../scripts/ffmpeg-path.mjs'

declare module 'vitest' {
  export interface ProvidedContext {
    renderUrl: string
  }
}

export default async function setup(project: TestProject) {
  const server = createRenderServer({ ffmpegPath: ffmpegPath() })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  project.provide('renderUrl', `http://127.0.0.1:${port}`)
  return () => new Promise<void>((resolve) => server.close(() => resolve()))
}
