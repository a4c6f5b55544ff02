/**
 * The media library against the whole product started for real (Worker under Miniflare on a real
 * port, the native render server): bytes go through the very URLs the API hands out, then
 * complete has the render server read them back over HTTP, probe them and PUT a thumbnail.
 * Clips are generated here with FFmpeg. (The Workers-integration tests cannot do this: there the
 * Worker has no port the render server could reach.)
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { ffmpegPath } from '../scripts/tools.mjs'
import { signGrant } from '../workers/lib/signed-url'
import { makeClip } from './clips'
import { e2eSuite, ROOT, unique, type Product } from './harness'
import { workerSuite, type RunningWorker } from './worker-harness'

let product: Product
let dir: string
let token: string
let projectId: string
const ffmpeg = ffmpegPath()

function make(name: string, args: string[]) {
  const out = join(dir, name)
  execFileSync(ffmpeg, ['-v', 'error', '-y', ...args, out])
  return out
}

async function api(method: string, path: string, body?: unknown) {
  const res = await fetch(product.url(`/api${path}`), {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  })
  const text = await res.text()
  return { status: res.status, json: text ? JSON.parse(text) : undefined, text }
}

/** A read URL for any key, signed with the product's own key: how the test looks into R2 from outside. */
async function peek(key: string) {
  const secret = /^UPLOAD_SIGNING_KEY=(\S+)$/m.exec(readFileSync(join(ROOT, '.dev.vars'), 'utf8'))?.[1]
  if (!secret) throw new Error('no UPLOAD_SIGNING_KEY in .dev.vars')
  const url = product.url(`/api/storage/${await signGrant(secret, { op: 'get', key, contentType: 'application/octet-stream', exp: Math.floor(Date.now() / 1000) + 60 })}`)
  return fetch(url)
}

/** Uploads a file through the URL the API hands out and completes it; answers the media. */
async function upload(path: string, filename: string, contentType: string) {
  const data = readFileSync(path)
  const started = await api('POST', '/media/upload-url', { projectId, filename, contentType, size: data.length })
  expect(started.status, started.text).toBe(201)
  const put = await fetch(started.json.uploadUrl, { method: 'PUT', body: data })
  expect(put.status, await put.clone().text()).toBe(200)
  const done = await api('POST', `/media/${started.json.mediaId}/complete`)
  // Ready is a 200; a refused file a 422 problem naming the file, with the rejected item (#11).
  if (done.status === 422) {
    expect(done.json).toMatchObject({ errors: [{ field: 'file', message: done.json.media.rejectionReason }] })
    return { media: done.json.media, key: started.json.key as string, data }
  }
  expect(done.status, done.text).toBe(200)
  return { media: done.json, key: started.json.key as string, data }
}

// No browser: the product, a folder for the clips, and a person with a workspace and a project.
e2eSuite('media-pipeline', {
  browser: false,
  ready: async (s) => {
    product = s.product
    dir = s.dir
    const email = `${unique('media')}@example.com`
    token = ((await (await fetch(product.url('/api/dev/token'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) })).json()) as { token: string }).token
    const ws = await api('POST', '/workspaces', { name: 'Media', slug: unique('media').toLowerCase() })
    projectId = (await api('POST', '/projects', { workspaceId: ws.json.id, name: 'Clips' })).json.id
  },
})

describe('upload, complete, probe and thumbnail through the running product', () => {
  test('a clip made with FFmpeg goes up through its upload URL and comes back ready, probed, with a thumbnail', async () => {
    const clip = makeClip(join(dir, 'clip.mp4'), { picture: 'testsrc=size=320x240:rate=25', seconds: 3, tone: 440 })
    const { media, key, data } = await upload(clip, 'My clip.mp4', 'video/mp4')
    expect(media).toMatchObject({ status: 'ready', kind: 'video', contentType: 'video/mp4', width: 320, height: 240, fps: 25, videoCodec: 'h264', audioCodec: 'aac', hasAudio: true, rejectionReason: null })
    expect(media.durationSec).toBeGreaterThan(2.9)
    expect(media.durationSec).toBeLessThan(3.2)
    expect(media.formatName).toMatch(/mp4/)

    const thumb = await fetch(media.thumbnailUrl)
    expect(thumb.status).toBe(200)
    expect(thumb.headers.get('content-type')).toBe('image/jpeg')
    const jpeg = new Uint8Array(await thumb.arrayBuffer())
    expect([jpeg[0], jpeg[1]]).toEqual([0xff, 0xd8])

    const one = await api('GET', `/media/${media.id}`)
    const original = await fetch(one.json.downloadUrl)
    expect(Buffer.from(await original.arrayBuffer()).equals(data)).toBe(true)
    const range = await fetch(one.json.downloadUrl, { headers: { range: 'bytes=0-7' } })
    expect(range.status).toBe(206)
    expect(Buffer.from(await range.arrayBuffer()).subarray(4, 8).toString()).toBe('ftyp')
    expect((await peek(key)).status).toBe(200)

    const listed = await api('GET', `/projects/${projectId}/media?status=ready`)
    expect(listed.json.data.map((m: any) => m.id)).toContain(media.id)

    // Deleting takes the original and the thumbnail out of R2.
    const thumbKey = `${key.slice(0, key.lastIndexOf('/'))}/_thumbnail.jpg`
    expect((await peek(thumbKey)).status).toBe(200)
    expect((await api('DELETE', `/media/${media.id}`)).status).toBe(204)
    expect((await peek(key)).status).toBe(404)
    expect((await peek(thumbKey)).status).toBe(404)
  })

  test('a still PNG is accepted as an image', async () => {
    const png = make('still.png', ['-f', 'lavfi', '-i', 'testsrc=size=320x240', '-frames:v', '1'])
    const { media } = await upload(png, 'still.png', 'image/png')
    expect(media).toMatchObject({ status: 'ready', kind: 'image', contentType: 'image/png', width: 320, height: 240, durationSec: 0 })
    expect((await fetch(media.thumbnailUrl)).status).toBe(200)
  })

  const refusals: [string, () => string, string, string][] = [
    ['text renamed .mp4', () => (writeFileSync(join(dir, 'notes.mp4'), 'These are my notes, not a video.\n'.repeat(200)), join(dir, 'notes.mp4')), 'video/mp4', 'not a video'],
    [
      'a truncated MP4',
      () => {
        const whole = makeClip(join(dir, 'whole.mp4'), { picture: 'testsrc=size=320x240:rate=25', seconds: 4 })
        const bytes = readFileSync(whole)
        writeFileSync(join(dir, 'cut.mp4'), bytes.subarray(0, Math.floor(bytes.length * 0.6)))
        return join(dir, 'cut.mp4')
      },
      'video/mp4',
      'file is damaged',
    ],
    ['sound with no picture', () => make('voice.mp4', ['-f', 'lavfi', '-i', 'sine=frequency=300', '-t', '2', '-c:a', 'aac']), 'video/mp4', 'no video stream'],
    [
      'a clip of 11 minutes',
      () => makeClip(join(dir, 'long.mp4'), { picture: 'color=c=blue:size=64x64:rate=1', seconds: 660 }),
      'video/mp4',
      // Read from the headers before anything is decoded (the render server's limits, #11).
      'over the limits: The video is 660 s long: at most 10 minutes is accepted.',
    ],
  ]
  for (const [label, file, type, reason] of refusals) {
    test(`${label} is rejected as "${reason}", and its bytes leave R2`, async () => {
      const { media, key } = await upload(file(), label.replace(/\s+/g, '-') + '.mp4', type)
      expect(media).toMatchObject({ status: 'rejected', rejectionReason: reason, thumbnailUrl: null })
      expect((await peek(key)).status).toBe(404)
      expect((await api('GET', `/media/${media.id}`)).json).toMatchObject({ status: 'rejected', rejectionReason: reason, downloadUrl: null })
      // A rejected file does not count against the quota, and can be dismissed from the library.
      expect((await api('DELETE', `/media/${media.id}`)).status).toBe(204)
    })
  }
})

describe('multipart over the network', () => {
  /** PUTs `bytes` but drops the connection after `sendFirst` of them, as a flaky network would. */
  function putAndDrop(url: string, bytes: Buffer, sendFirst: number) {
    return new Promise<void>((resolve) => {
      const req = request(url, { method: 'PUT', headers: { 'content-length': String(bytes.length) } })
      req.on('error', () => resolve())
      req.on('response', (res) => {
        res.resume()
        resolve()
      })
      req.write(bytes.subarray(0, sendFirst), () => setTimeout(() => req.destroy(), 200))
    })
  }

  test('a clip in parts, one part cut off mid-way and resumed from the list of stored parts, completes ready', async () => {
    const clip = makeClip(join(dir, 'big.mp4'), { picture: 'testsrc2=size=1280x720:rate=30', seconds: 6, bitrate: { rate: '20M', buffer: '4M' } })
    const data = readFileSync(clip)
    const partSize = 5 * 1024 * 1024
    expect(statSync(clip).size).toBeGreaterThan(2 * partSize)
    const created = await api('POST', '/media/multipart', { projectId, filename: 'big.mp4', contentType: 'video/mp4', size: data.length, partSize })
    expect(created.status, created.text).toBe(201)
    const { mediaId, partCount } = created.json
    const urls = (await api('POST', `/media/${mediaId}/parts`, { partNumbers: Array.from({ length: partCount }, (_, i) => i + 1) })).json.parts
    const part = (n: number) => data.subarray((n - 1) * partSize, Math.min(n * partSize, data.length))

    await putAndDrop(urls[0].uploadUrl, part(1), 1024 * 1024)
    for (let n = 2; n <= partCount; n++) expect((await fetch(urls[n - 1].uploadUrl, { method: 'PUT', body: part(n) })).status).toBe(200)

    const listed = await api('GET', `/media/${mediaId}/parts`)
    expect(listed.json.missing).toEqual([1])
    for (const n of listed.json.missing as number[]) expect((await fetch(urls[n - 1].uploadUrl, { method: 'PUT', body: part(n) })).status).toBe(200)

    const done = await api('POST', `/media/${mediaId}/complete`)
    expect(done.status, done.text).toBe(200)
    expect(done.json).toMatchObject({ status: 'ready', multipart: true, width: 1280, height: 720, size: data.length })
    const original = await fetch((await api('GET', `/media/${mediaId}`)).json.downloadUrl)
    expect(Buffer.from(await original.arrayBuffer()).equals(data)).toBe(true)
  })
})

describe('a check left unfinished, finished by the sweeper', () => {
  // The Worker on a real port with its bindings in reach, so the render server can be stopped and
  // started again, and the cron handler run on demand.
  let w: RunningWorker
  let wToken: string
  let wProject: string
  workerSuite('media-sweep', { ready: (s) => void ({ w, token: wToken, projectId: wProject } = s) })

  test('complete finds the renderer down (503, stays processing); once it is back the sweeper checks the clip and it becomes ready', async () => {
    const clip = makeClip(join(dir, 'later.mp4'), { picture: 'testsrc=size=320x240:rate=25', seconds: 2 })
    const data = readFileSync(clip)
    const started = await w.api('POST', '/media/upload-url', { token: wToken, body: { projectId: wProject, filename: 'later.mp4', contentType: 'video/mp4', size: data.length } })
    expect(started.status, started.text).toBe(201)
    const mediaId = started.json.mediaId as string
    expect((await fetch(started.json.uploadUrl, { method: 'PUT', body: data })).status).toBe(200)

    await w.render.stop()
    const done = await w.api('POST', `/media/${mediaId}/complete`, { token: wToken })
    expect(done.status, done.text).toBe(503)
    expect(done.json.detail).toMatch(/stays processing/)
    expect((await w.api('GET', `/media/${mediaId}`, { token: wToken })).json.status).toBe('processing')

    // While it is down the sweeper's attempt changes nothing but the claim.
    const elevenMinutesAgo = () => new Date(Date.now() - 11 * 60_000).toISOString()
    await w.env.DB.prepare('update media set updated_at = ? where id = ?').bind(elevenMinutesAgo(), mediaId).run()
    await w.scheduled()
    expect((await w.api('GET', `/media/${mediaId}`, { token: wToken })).json.status).toBe('processing')

    // The renderer is back; the client never calls complete again. Ten minutes on, the sweeper does.
    await w.render.start()
    await w.env.DB.prepare('update media set updated_at = ? where id = ?').bind(elevenMinutesAgo(), mediaId).run()
    await w.scheduled()
    const item = await w.api('GET', `/media/${mediaId}`, { token: wToken })
    expect(item.json).toMatchObject({ status: 'ready', kind: 'video', width: 320, height: 240, videoCodec: 'h264', rejectionReason: null })
    const thumb = await fetch(item.json.thumbnailUrl)
    expect(thumb.status).toBe(200)
    expect(thumb.headers.get('content-type')).toBe('image/jpeg')
    expect(Buffer.from(await (await fetch(item.json.downloadUrl)).arrayBuffer()).equals(data)).toBe(true)

    // Another sweep leaves a ready clip as it is.
    const settled = await w.env.DB.prepare('select status, updated_at from media where id = ?').bind(mediaId).first()
    await w.scheduled()
    expect(await w.env.DB.prepare('select status, updated_at from media where id = ?').bind(mediaId).first()).toEqual(settled)
  })
})
