// POST /probe and POST /thumbnail through real HTTP, real storage stand-in, real ffprobe/FFmpeg.
import { copyFile, mkdtemp, readdir, readFile, rm, truncate, writeFile, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ffmpeg, ffprobeJson, makeClip, startRenderServer, startStorage, type FakeStorage, renderAuth } from './test-support.ts'

let storage: FakeStorage
let render: Awaited<ReturnType<typeof startRenderServer>>
// The server's own temp root, so other processes' temp files never count.
let temp: string

async function post(path: string, body: unknown, raw = false) {
  const res = await fetch(`${render.base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...renderAuth },
    body: raw ? (body as string) : JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as Record<string, any> }
}

async function thumbTemps() {
  return (await readdir(temp)).filter((f) => f.startsWith('reelpilot-thumb-'))
}

beforeAll(async () => {
  storage = await startStorage()
  temp = await mkdtemp(join(tmpdir(), 'reelpilot-media-test-'))
  render = await startRenderServer({ tempDir: temp })
  const d = storage.dir
  await makeClip(join(d, 'landscape.mp4'), { seconds: 3, width: 640, height: 360 })
  await makeClip(join(d, 'silent.mp4'), { seconds: 2, width: 320, height: 240, audio: false })
  // Truncated halfway, index at the end: FFmpeg cannot even open it.
  await makeClip(join(d, 'cut.mp4'), { seconds: 3 })
  await truncate(join(d, 'cut.mp4'), Math.floor((await stat(join(d, 'cut.mp4'))).size / 2))
  // Truncated halfway, index at the front: it opens, but its end is missing.
  await makeClip(join(d, 'cut-faststart.mp4'), { seconds: 3, faststart: true })
  await truncate(join(d, 'cut-faststart.mp4'), Math.floor((await stat(join(d, 'cut-faststart.mp4'))).size / 2))
  await writeFile(join(d, 'notes.mp4'), 'These are my meeting notes, not a video at all.\n'.repeat(20))
  await writeFile(join(d, 'empty.mp4'), '')
  await ffmpeg(['-f', 'lavfi', '-i', 'sine=frequency=300:duration=2', '-c:a', 'aac', join(d, 'voice.m4a')])
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=800x600', '-frames:v', '1', join(d, 'still.png')])
  await ffmpeg(['-f', 'lavfi', '-i', 'testsrc2=size=640x480', '-frames:v', '1', join(d, 'photo.jpg')])
  // A phone-style portrait clip: landscape frames with a 90° display rotation.
  await makeClip(join(d, 'raw.mp4'), { seconds: 2, width: 320, height: 180 })
  await ffmpeg(['-i', join(d, 'raw.mp4'), '-c', 'copy', '-metadata:s:v:0', 'rotate=90', join(d, 'rotated.mp4')])
  await copyFile(join(d, 'landscape.mp4'), join(d, 'clip with spaces.mp4'))
})

afterAll(async () => {
  await render?.close()
  await storage?.close()
  if (temp) await rm(temp, { recursive: true, force: true })
})

describe('POST /probe', () => {
  it('reports a clip read through its URL', async () => {
    const before = storage.gets
    const { status, body } = await post('/probe', { sourceUrl: storage.url('landscape.mp4') })
    expect(status).toBe(200)
    expect(body).toEqual({
      durationSec: expect.closeTo(3, 1),
      width: 640,
      height: 360,
      fps: 30,
      videoCodec: 'h264',
      audioCodec: 'aac',
      hasAudio: true,
      formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
      bitRate: expect.any(Number),
    })
    expect(body.bitRate).toBeGreaterThan(0)
    expect(storage.gets).toBeGreaterThan(before)
  })

  it('reads a name with spaces', async () => {
    const { status, body } = await post('/probe', { sourceUrl: storage.url('clip with spaces.mp4') })
    expect(status).toBe(200)
    expect(body.width).toBe(640)
  })

  it('reports a clip without sound', async () => {
    const { status, body } = await post('/probe', { sourceUrl: storage.url('silent.mp4') })
    expect(status).toBe(200)
    expect(body).toMatchObject({ hasAudio: false, audioCodec: null, width: 320, height: 240 })
  })

  it('reports the size a viewer sees for a rotated portrait clip', async () => {
    const { status, body } = await post('/probe', { sourceUrl: storage.url('rotated.mp4') })
    expect(status).toBe(200)
    expect(body).toMatchObject({ width: 180, height: 320 })
  })

  it('reports an image with duration 0', async () => {
    const png = await post('/probe', { sourceUrl: storage.url('still.png') })
    expect(png.status).toBe(200)
    expect(png.body).toMatchObject({ durationSec: 0, width: 800, height: 600, videoCodec: 'png', hasAudio: false })
    expect(png.body.formatName).toMatch(/png_pipe|image2/)
    const jpg = await post('/probe', { sourceUrl: storage.url('photo.jpg') })
    expect(jpg.status).toBe(200)
    expect(jpg.body).toMatchObject({ durationSec: 0, width: 640, height: 480, videoCodec: 'mjpeg' })
  })

  it('refuses text renamed .mp4 as not a video', async () => {
    const { status, body } = await post('/probe', { sourceUrl: storage.url('notes.mp4') })
    expect(status).toBe(422)
    expect(body.code).toBe('not_video')
    expect(body.error).toMatch(/not a video/)
  })

  it('refuses an empty file as not a video', async () => {
    const { status, body } = await post('/probe', { sourceUrl: storage.url('empty.mp4') })
    expect(status).toBe(422)
    expect(body).toMatchObject({ code: 'not_video', error: 'The file is empty.' })
  })

  it('refuses a truncated MP4 as damaged, whether its index is at the end or the front', async () => {
    for (const name of ['cut.mp4', 'cut-faststart.mp4']) {
      const { status, body } = await post('/probe', { sourceUrl: storage.url(name) })
      expect(status, name).toBe(422)
      expect(body.code, name).toBe('damaged')
      expect(body.error).toMatch(/damaged/)
    }
  })

  it('refuses audio only as having no video stream', async () => {
    const { status, body } = await post('/probe', { sourceUrl: storage.url('voice.m4a') })
    expect(status).toBe(422)
    expect(body.code).toBe('no_video_stream')
    expect(body.error).toMatch(/no video stream/)
  })

  it('answers 502 with the upstream status when the source cannot be fetched', async () => {
    const missing = await post('/probe', { sourceUrl: storage.url('nothing-here.mp4') })
    expect(missing.status).toBe(502)
    expect(missing.body.error).toMatch(/404/)
    expect(missing.body.upstreamStatus).toBe(404)
    storage.failWith.set('/files/landscape.mp4', 403)
    try {
      const forbidden = await post('/probe', { sourceUrl: storage.url('landscape.mp4') })
      expect(forbidden.status).toBe(502)
      expect(forbidden.body.error).toMatch(/403/)
      // The signature is never echoed back.
      expect(forbidden.body.error).not.toMatch(/Signature/)
    } finally {
      storage.failWith.delete('/files/landscape.mp4')
    }
    const refused = await post('/probe', { sourceUrl: 'http://127.0.0.1:9/x.mp4' })
    expect(refused.status).toBe(502)
    expect(refused.body.error).toMatch(/could not be fetched/)
  })

  it('answers 400 for a bad body', async () => {
    expect((await post('/probe', {})).status).toBe(400)
    const notUrl = await post('/probe', { sourceUrl: 'file:///etc/passwd' })
    expect(notUrl.status).toBe(400)
    expect(notUrl.body.error).toMatch(/sourceUrl/)
    expect((await post('/probe', '{nope', true)).status).toBe(400)
  })
})

describe('POST /thumbnail', () => {
  it('uploads a 480-wide JPEG that keeps the aspect', async () => {
    const before = await thumbTemps()
    const { status, body } = await post('/thumbnail', { sourceUrl: storage.url('landscape.mp4'), uploadUrl: storage.uploadUrl('t1.jpg') })
    expect(status).toBe(200)
    expect(body).toEqual({ width: 480, height: 270, size: expect.any(Number), contentType: 'image/jpeg' })
    const upload = storage.uploads.get('t1.jpg')!
    expect(upload.contentType).toBe('image/jpeg')
    expect(upload.size).toBe(body.size)
    const bytes = await readFile(upload.path)
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8])
    const info = await ffprobeJson(upload.path)
    expect(info.streams[0]).toMatchObject({ codec_name: 'mjpeg', width: 480, height: 270 })
    expect(await thumbTemps()).toEqual([])
    expect(before).toEqual([])
  })

  it('honours width and atSec, and grabs the frame asked for', async () => {
    const { status, body } = await post('/thumbnail', {
      sourceUrl: storage.url('landscape.mp4'),
      uploadUrl: storage.uploadUrl('t2.jpg'),
      atSec: 2.5,
      width: 320,
    })
    expect(status).toBe(200)
    expect(body).toMatchObject({ width: 320, height: 180 })
    // testsrc2 changes every frame: a frame at 2.5 s differs from the default (0.3 s) one.
    const early = await post('/thumbnail', { sourceUrl: storage.url('landscape.mp4'), uploadUrl: storage.uploadUrl('t3.jpg'), width: 320 })
    expect(early.status).toBe(200)
    const a = await readFile(storage.uploads.get('t2.jpg')!.path)
    const b = await readFile(storage.uploads.get('t3.jpg')!.path)
    expect(a.equals(b)).toBe(false)
  })

  it('still makes a thumbnail when atSec is past the end', async () => {
    const { status, body } = await post('/thumbnail', { sourceUrl: storage.url('silent.mp4'), uploadUrl: storage.uploadUrl('t4.jpg'), atSec: 50 })
    expect(status).toBe(200)
    expect(body).toMatchObject({ width: 480, height: 360 })
  })

  it('makes a thumbnail of an image and of a rotated clip upright', async () => {
    const png = await post('/thumbnail', { sourceUrl: storage.url('still.png'), uploadUrl: storage.uploadUrl('t5.jpg') })
    expect(png).toMatchObject({ status: 200, body: { width: 480, height: 360 } })
    const rotated = await post('/thumbnail', { sourceUrl: storage.url('rotated.mp4'), uploadUrl: storage.uploadUrl('t6.jpg'), width: 180 })
    expect(rotated).toMatchObject({ status: 200, body: { width: 180, height: 320 } })
  })

  it('answers the same 422 errors for bad media, uploading nothing and leaving no temp files', async () => {
    const before = await thumbTemps()
    for (const [name, code] of [
      ['notes.mp4', 'not_video'],
      ['cut.mp4', 'damaged'],
      ['cut-faststart.mp4', 'damaged'],
      ['voice.m4a', 'no_video_stream'],
    ]) {
      const { status, body } = await post('/thumbnail', { sourceUrl: storage.url(name), uploadUrl: storage.uploadUrl(`bad-${name}.jpg`) })
      expect(status, name).toBe(422)
      expect(body.code, name).toBe(code)
      expect(storage.uploads.has(`bad-${name}.jpg`)).toBe(false)
    }
    expect(await thumbTemps()).toEqual(before)
  })

  it('answers 502 naming the status when the upload is refused, and cleans up', async () => {
    const before = await thumbTemps()
    storage.failWith.set('/uploads/denied.jpg', 403)
    const { status, body } = await post('/thumbnail', { sourceUrl: storage.url('landscape.mp4'), uploadUrl: storage.uploadUrl('denied.jpg') })
    storage.failWith.delete('/uploads/denied.jpg')
    expect(status).toBe(502)
    expect(body.error).toMatch(/Uploading .* failed: storage answered 403/)
    expect(await thumbTemps()).toEqual(before)
  })

  it('answers 400 for a bad width or a missing uploadUrl', async () => {
    expect((await post('/thumbnail', { sourceUrl: storage.url('landscape.mp4') })).status).toBe(400)
    const bad = await post('/thumbnail', { sourceUrl: storage.url('landscape.mp4'), uploadUrl: storage.uploadUrl('x.jpg'), width: 0 })
    expect(bad.status).toBe(400)
    expect(bad.body.error).toMatch(/width/)
  })
})
