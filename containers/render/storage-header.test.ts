// Signed storage tokens never in the URLs the render server asks (#11 item 9): every fetch and
// upload of a probe, a thumbnail, the sound of a clip and a render (source, logo, video, cover)
// goes to /api/storage/by-header with the token in `Authorization: Storage …`, so the Worker's
// request logs (wrangler tail, Logpush, zone logs) record no token. A strict stand-in for the
// storage route that refuses anything else; real FFmpeg and ffprobe.
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { storageRequest } from './access.ts'
import { ffmpeg, makeClip, renderAuth, startRenderServer } from './test-support.ts'

let dir: string
let storage: Server
let origin: string
let server: Awaited<ReturnType<typeof startRenderServer>>
/** Every request the stand-in saw: its path (what a log records) and its token header. */
const seen: { method: string; path: string; authorization?: string }[] = []
const uploads = new Map<string, number>()

/** A storage URL as the Worker signs it: the token (here `get.<file>` or `put.<name>`) in the path. */
const signed = (token: string) => `${origin}/api/storage/${token}`

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reelpilot-by-header-'))
  await makeClip(join(dir, 'clip.mp4'), { seconds: 2, width: 320, height: 240, faststart: true })
  await ffmpeg(['-f', 'lavfi', '-i', 'color=c=0x0a7d5a:s=120x60', '-frames:v', '1', join(dir, 'logo.png')])
  storage = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://storage').pathname
    seen.push({ method: req.method ?? '', path, authorization: req.headers.authorization })
    const token = /^Storage (\S+)$/.exec(req.headers.authorization ?? '')?.[1]
    if (path !== '/api/storage/by-header' || !token) {
      req.resume()
      return void res.writeHead(403, { 'content-type': 'text/plain' }).end('token in the URL: refused')
    }
    const [op, name] = [token.slice(0, 3), token.slice(4)]
    if (req.method === 'PUT' && op === 'put') {
      const file = join(dir, `up-${name}`)
      await pipeline(req, createWriteStream(file))
      uploads.set(name, (await stat(file)).size)
      return void res.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && op === 'get') {
      const file = join(dir, name)
      const { size } = await stat(file)
      const range = /bytes=(\d*)-(\d*)/.exec(req.headers.range ?? '')
      const start = range?.[1] ? Number(range[1]) : range?.[2] ? Math.max(0, size - Number(range[2])) : 0
      const end = range?.[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1
      if (start >= size) return void res.writeHead(416, { 'content-range': `bytes */${size}` }).end()
      res.writeHead(range ? 206 : 200, { 'accept-ranges': 'bytes', 'content-length': String(end - start + 1), ...(range ? { 'content-range': `bytes ${start}-${end}/${size}` } : {}) })
      if (req.method === 'HEAD') return void res.end()
      return void createReadStream(file, { start, end }).pipe(res)
    }
    req.resume()
    res.writeHead(403).end('wrong operation')
  })
  await new Promise<void>((resolve) => storage.listen(0, '127.0.0.1', resolve))
  origin = `http://127.0.0.1:${(storage.address() as AddressInfo).port}`
  server = await startRenderServer({ allowedOrigins: [origin] })
})

afterAll(async () => {
  await server?.close()
  storage?.closeAllConnections()
  await new Promise<void>((resolve) => (storage ? storage.close(() => resolve()) : resolve()))
  if (dir) await rm(dir, { recursive: true, force: true })
})

const post = async (path: string, body: unknown) => {
  const res = await fetch(`${server.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...renderAuth }, body: JSON.stringify(body) })
  return { status: res.status, text: await res.text() }
}

it('splits a signed storage URL into a bare URL and the header; other URLs stay as they are', () => {
  expect(storageRequest('https://reelpilot.example/api/storage/abc.def')).toEqual({ url: 'https://reelpilot.example/api/storage/by-header', headers: { authorization: 'Storage abc.def' } })
  expect(storageRequest('https://reelpilot.example/files/x.mp4')).toEqual({ url: 'https://reelpilot.example/files/x.mp4', headers: {} })
})

it('probes, thumbnails, cuts the sound and renders with the token in a header only', async () => {
  const probe = await post('/probe', { sourceUrl: signed('get.clip.mp4') })
  expect(probe.status, probe.text).toBe(200)
  const thumb = await post('/thumbnail', { sourceUrl: signed('get.clip.mp4'), uploadUrl: signed('put.thumb.jpg') })
  expect(thumb.status, thumb.text).toBe(200)
  const audio = await post('/audio', { sourceUrl: signed('get.clip.mp4'), parts: [{ startSec: 0, durationSec: 2, uploadUrl: signed('put.part0.wav') }] })
  expect(audio.status, audio.text).toBe(200)
  const render = await post('/render', {
    sourceUrl: signed('get.clip.mp4'),
    logoUrl: signed('get.logo.png'),
    outputUrl: signed('put.video.mp4'),
    coverUrl: signed('put.cover.jpg'),
    spec: { trim: { startSec: 0, durationSec: 1 }, aspect: '1:1', style: 'corporate', texts: { hook: 'Hello', captions: [] }, brandColor: '#0a7d5a' },
  })
  expect(render.status, render.text).toBe(200)
  expect(render.text.trim().split('\n').at(-1)).toMatch(/"type":"result"/)
  expect([...uploads.keys()].sort()).toEqual(['cover.jpg', 'part0.wav', 'thumb.jpg', 'video.mp4'])

  // Every request the storage saw asked /api/storage/by-header; no path held a token.
  expect(seen.length).toBeGreaterThan(6)
  expect(seen.filter((r) => r.path !== '/api/storage/by-header')).toEqual([])
  expect(seen.every((r) => /^Storage (get|put)\./.test(r.authorization ?? ''))).toBe(true)
  // The logo was read that way too.
  expect(seen.some((r) => r.authorization === 'Storage get.logo.png')).toBe(true)
})
