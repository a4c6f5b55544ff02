// Locally the Worker's public origin is http://localhost:PORT, and storage URLs are signed on it.
// The npm FFmpeg and ffprobe are static builds that crash looking a host name up, so the render
// server hands them loopback by address. Real ffprobe, a real HTTP source.
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { loopbackByAddress } from './access.ts'
import { makeClip, renderAuth, startRenderServer, startStorage, type FakeStorage } from './test-support.ts'

let storage: FakeStorage
let server: Awaited<ReturnType<typeof startRenderServer>>

beforeAll(async () => {
  storage = await startStorage()
  await makeClip(join(storage.dir, 'clip.mp4'), { seconds: 2, width: 320, height: 240, faststart: true })
  const localhost = new URL(storage.url('clip.mp4')).origin.replace('127.0.0.1', 'localhost')
  server = await startRenderServer({ allowedOrigins: [localhost] })
})
afterAll(async () => {
  await server?.close()
  await storage?.close()
})

it('probes a source on http://localhost:… (the local public origin), reading it by 127.0.0.1', async () => {
  const sourceUrl = storage.url('clip.mp4').replace('127.0.0.1', 'localhost')
  const res = await fetch(`${server.base}/probe`, { method: 'POST', headers: { 'content-type': 'application/json', ...renderAuth }, body: JSON.stringify({ sourceUrl }) })
  const body = (await res.json()) as { width?: number; height?: number; error?: string }
  expect(res.status, body.error).toBe(200)
  expect(body).toMatchObject({ width: 320, height: 240 })
  expect(storage.gets).toBeGreaterThan(0)
})

it('rewrites only localhost', () => {
  expect(loopbackByAddress('http://localhost:8787/api/storage/t?x=1')).toBe('http://127.0.0.1:8787/api/storage/t?x=1')
  expect(loopbackByAddress('https://reelpilot.example/api/storage/t')).toBe('https://reelpilot.example/api/storage/t')
  expect(loopbackByAddress('http://localhost.evil.example/x')).toBe('http://localhost.evil.example/x')
})
