// Media checks (#11 item 5): a pool of their own, and the limits read from headers before any decoding.
import { deflateSync } from 'node:zlib'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { imageHeaderSize } from './media.ts'
import { ffmpeg, renderAuth, startRenderServer, startStorage, type FakeStorage } from './test-support.ts'

let storage: FakeStorage
let render: Awaited<ReturnType<typeof startRenderServer>>

async function post(path: string, body: unknown) {
  const res = await fetch(`${render.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...renderAuth }, body: JSON.stringify(body) })
  return { status: res.status, body: (await res.json()) as Record<string, any> }
}
const health = async () => (await (await fetch(`${render.base}/health`, { headers: renderAuth })).json()) as Record<string, any>

/** A PNG whose header announces width×height, with only a few rows of (blank) picture after it. */
function pngClaiming(width: number, height: number): Buffer {
  const crc = (buf: Buffer) => {
    let c = ~0
    for (const byte of buf) {
      c ^= byte
      for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1))
    }
    return ~c >>> 0
  }
  const chunk = (type: string, data: Buffer) => {
    const head = Buffer.alloc(4)
    head.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const tail = Buffer.alloc(4)
    tail.writeUInt32BE(crc(body))
    return Buffer.concat([head, body, tail])
  }
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.set([8, 2, 0, 0, 0], 8)
  const rows = Buffer.alloc(4 * (1 + width * 3))
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))])
}

beforeAll(async () => {
  storage = await startStorage()
  render = await startRenderServer({ checkConcurrency: 1, concurrency: 2 })
  const d = storage.dir
  // 16000×16000: decoding it would take three quarters of a gigabyte per check; the file is tiny.
  await writeFile(join(d, 'huge.png'), pngClaiming(16000, 16000))
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=64x64:rate=240', '-t', '1', '-pix_fmt', 'yuv420p', join(d, 'fast.mp4')])
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=8200x16:rate=5', '-t', '1', '-pix_fmt', 'yuv420p', join(d, 'wide.mp4')])
  await ffmpeg(['-f', 'lavfi', '-i', 'color=c=black:size=16x16:rate=1', '-t', '605', '-pix_fmt', 'yuv420p', join(d, 'long.mp4')])
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=320x240:rate=30', '-t', '2', '-pix_fmt', 'yuv420p', join(d, 'ok.mp4')])
})

afterAll(async () => {
  await render?.close()
  await storage?.close()
})

describe('media past the limits is refused from its headers, naming the limit', () => {
  it.each([
    ['huge.png', /16000×16000 px: at most 8192 px on a side/],
    ['wide.mp4', /8200×16 px: at most 8192 px on a side/],
    ['fast.mp4', /240 frames a second: at most 120/],
    ['long.mp4', /605 s long: at most 10 minutes/],
  ])('%s', async (name, message) => {
    for (const path of ['/probe', '/thumbnail']) {
      const { status, body } = await post(path, { sourceUrl: storage.url(name), uploadUrl: storage.uploadUrl(`${name}.jpg`) })
      expect(status, path).toBe(422)
      expect(body.code).toBe('over_limits')
      expect(body.error).toMatch(message)
    }
    expect(storage.uploads.has(`${name}.jpg`)).toBe(false)
  })

  it('reads the size from the image headers themselves when the container does not say', () => {
    expect(imageHeaderSize(pngClaiming(9000, 12))).toEqual({ width: 9000, height: 12 })
    // A JPEG: SOI, an APP0 segment, then SOF0 with height 10 and width 9000.
    const jpeg = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x04, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x0a, 0x23, 0x28, 0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])
    expect(imageHeaderSize(jpeg)).toEqual({ width: 9000, height: 10 })
    expect(imageHeaderSize(Buffer.from('GIF89a\x10\x27\x05\x00', 'latin1'))).toEqual({ width: 10000, height: 5 })
    expect(imageHeaderSize(Buffer.from('not an image at all, not at all'))).toBeNull()
  })
})

describe('checks run in a pool of their own', () => {
  it('queues checks beyond the pool, leaves the render slots free, and answers every one', async () => {
    let release!: () => void
    storage.holdUntil.set('/files/ok.mp4', new Promise<void>((resolve) => (release = resolve)))
    const probes = Array.from({ length: 3 }, () => post('/probe', { sourceUrl: storage.url('ok.mp4') }))
    await expect.poll(async () => (await health()).checks, { timeout: 20_000 }).toEqual({ slots: 1, active: 1, queued: 2 })
    expect(await health()).toMatchObject({ slots: 2, active: 0, queued: 0 })
    storage.holdUntil.delete('/files/ok.mp4')
    release()
    for (const answer of await Promise.all(probes)) expect(answer).toMatchObject({ status: 200, body: { width: 320, height: 240 } })
    expect((await health()).checks).toEqual({ slots: 1, active: 0, queued: 0 })
  })
})
