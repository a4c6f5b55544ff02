/**
 * Test helpers for the render server: a real HTTP storage stand-in that serves files with
 * Range support (as R2 presigned GETs do) and accepts PUT uploads, and clip generation
 * with FFmpeg's lavfi sources, so no media is committed.
 */
import { execFile } from 'node:child_process'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { pipeline } from 'node:stream/promises'
import { createRenderServer, type RenderServerOptions } from './server.ts'

const exec = promisify(execFile)

/** The ffmpeg and ffprobe the tests run: vitest's config resolves them (scripts/tools.mjs). */
export const FFMPEG = process.env.FFMPEG_PATH ?? 'ffmpeg'
export const FFPROBE = process.env.FFPROBE_PATH ?? 'ffprobe'

export interface Upload {
  path: string
  contentType: string | undefined
  size: number
}

/** A storage stand-in: GET /files/<name> serves from dir (with Range), PUT /uploads/<name> stores into dir/uploads. */
export interface FakeStorage {
  url: (name: string) => string
  uploadUrl: (name: string) => string
  uploads: Map<string, Upload>
  /** Counts GET requests, to show sources are read through the URL. */
  gets: number
  /** Answer every request to a path with this status (to test upstream failures). */
  failWith: Map<string, number>
  /** Hold every read of a path until this promise settles (to keep checks running while a test looks). */
  holdUntil: Map<string, Promise<unknown>>
  dir: string
  close: () => Promise<void>
}

/** Starts the storage stand-in on a free port, serving files from a new temp folder. */
export async function startStorage(): Promise<FakeStorage> {
  const dir = await mkdtemp(join(tmpdir(), 'reelpilot-storage-'))
  const uploads = new Map<string, Upload>()
  const failWith = new Map<string, number>()
  const holdUntil = new Map<string, Promise<unknown>>()
  const state = { gets: 0 }
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://storage')
    await holdUntil.get(url.pathname)
    const fail = failWith.get(url.pathname)
    if (fail) {
      req.resume()
      res.writeHead(fail, { 'content-type': 'text/plain' }).end('refused by test')
      return
    }
    const name = decodeURIComponent(url.pathname.split('/').pop() ?? '')
    try {
      if (req.method === 'PUT' && url.pathname.startsWith('/uploads/')) {
        const path = join(dir, `upload-${name}`)
        await pipeline(req, createWriteStream(path))
        uploads.set(name, { path, contentType: req.headers['content-type'], size: (await stat(path)).size })
        res.writeHead(200).end()
        return
      }
      if ((req.method === 'GET' || req.method === 'HEAD') && url.pathname.startsWith('/files/')) {
        state.gets++
        const path = join(dir, name)
        const { size } = await stat(path).catch(() => ({ size: -1 }))
        if (size < 0) {
          res.writeHead(404, { 'content-type': 'text/plain' }).end('no such file')
          return
        }
        const range = /bytes=(\d*)-(\d*)/.exec(req.headers.range ?? '')
        if (range) {
          const start = range[1] ? Number(range[1]) : Math.max(0, size - Number(range[2]))
          const end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1
          if (start >= size) {
            res.writeHead(416, { 'content-range': `bytes */${size}` }).end()
            return
          }
          res.writeHead(206, {
            'content-type': 'application/octet-stream',
            'accept-ranges': 'bytes',
            'content-length': String(end - start + 1),
            'content-range': `bytes ${start}-${end}/${size}`,
          })
          if (req.method === 'HEAD') return res.end()
          createReadStream(path, { start, end }).on('error', () => res.destroy()).pipe(res)
          return
        }
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'accept-ranges': 'bytes', 'content-length': String(size) })
        if (req.method === 'HEAD') return res.end()
        createReadStream(path).on('error', () => res.destroy()).pipe(res)
        return
      }
      res.writeHead(404).end()
    } catch (error) {
      res.writeHead(500).end(String(error))
    }
  })
  const base = await listen(server)
  testOrigins.push(base)
  return {
    url: (name) => `${base}/files/${encodeURIComponent(name)}?X-Amz-Signature=test`,
    uploadUrl: (name) => `${base}/uploads/${encodeURIComponent(name)}?X-Amz-Signature=test`,
    uploads,
    get gets() {
      return state.gets
    },
    set gets(v: number) {
      state.gets = v
    },
    failWith,
    holdUntil,
    dir,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** The shared secret of test render servers, and the headers that carry it. */
export const TEST_RENDER_SECRET = 'test-render-secret'
export const renderAuth = { authorization: `Bearer ${TEST_RENDER_SECRET}` }
/**
 * Origins test render servers fetch from: every storage stand-in started adds its own, and
 * http://127.0.0.1:9 (where nothing listens) is there for tests of an unreachable source.
 */
export const testOrigins: string[] = ['http://127.0.0.1:9']

/** Starts a render server on a free port; answers its base URL and a close function. */
export async function startRenderServer(options: RenderServerOptions = {}) {
  const server = createRenderServer({ secret: TEST_RENDER_SECRET, allowedOrigins: testOrigins, ...options })
  const base = await listen(server)
  return {
    base,
    server,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

/** Runs ffmpeg with arguments (quiet, overwrite), failing loudly. */
export async function ffmpeg(args: string[]) {
  await exec(FFMPEG, ['-v', 'error', '-nostdin', '-y', ...args], { maxBuffer: 16 * 1024 * 1024 })
}

/** Runs ffprobe and answers its JSON. */
export async function ffprobeJson(path: string, extra: string[] = ['-show_format', '-show_streams']) {
  const { stdout } = await exec(FFPROBE, ['-v', 'error', '-print_format', 'json', ...extra, path], { maxBuffer: 64 * 1024 * 1024 })
  return JSON.parse(stdout)
}

export interface ClipOptions {
  seconds?: number
  width?: number
  height?: number
  fps?: number
  audio?: boolean
  /** Writes the index at the front (as phones and our renders do) instead of at the end. */
  faststart?: boolean
  /** Loudness of the test tone: a sine at this amplitude (0..1). */
  volume?: number
}

/** Generates an H.264/AAC MP4 test clip (testsrc2 picture, sine tone) at path. */
export async function makeClip(path: string, o: ClipOptions = {}) {
  const { seconds = 3, width = 640, height = 360, fps = 30, audio = true, faststart = false, volume = 0.5 } = o
  await ffmpeg([
    '-f', 'lavfi', '-i', `testsrc2=size=${width}x${height}:rate=${fps}:duration=${seconds}`,
    ...(audio ? ['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=44100:duration=${seconds},volume=${volume}`] : []),
    '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p',
    ...(audio ? ['-c:a', 'aac', '-b:a', '96k'] : []),
    ...(faststart ? ['-movflags', '+faststart'] : []),
    path,
  ])
}
