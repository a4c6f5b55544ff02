/** Starts the YouTube, TikTok and Instagram stub servers for the Workers tests, and gives their base URL to Miniflare. */
import type { AddressInfo } from 'node:net'
import type { TestProject } from 'vitest/node'
import { createPlatformStubServer } from './stubs/server'

declare module 'vitest' {
  export interface ProvidedContext {
    platformStubUrl: string
  }
}

export default async function setup(project: TestProject) {
  const server = createPlatformStubServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  project.provide('platformStubUrl', `http://127.0.0.1:${port}`)
  return () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
}
