// POST /audio through real HTTP: the speech fixture's sound as 16 kHz mono WAV parts, uploaded.
import { copyFile, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeClip, renderAuth, startRenderServer, startStorage, type FakeStorage } from './test-support.ts'

const fixture = JSON.parse(await readFile(new URL('../../test/fixtures/speech/speech.json', import.meta.url), 'utf8')) as {
  durationSec: number
  words: { word: string; start: number; end: number }[]
}

let storage: FakeStorage
let render: Awaited<ReturnType<typeof startRenderServer>>

async function post(body: unknown) {
  const res = await fetch(`${render.base}/audio`, { method: 'POST', headers: { 'content-type': 'application/json', ...renderAuth }, body: JSON.stringify(body) })
  return { status: res.status, body: (await res.json()) as Record<string, any> }
}

/** The WAV's format and samples (little-endian 16-bit), read from its RIFF chunks. */
function readWav(bytes: Buffer) {
  expect(bytes.toString('latin1', 0, 4)).toBe('RIFF')
  expect(bytes.toString('latin1', 8, 12)).toBe('WAVE')
  let at = 12
  let format: { channels: number; sampleRate: number; bits: number } | undefined
  while (at + 8 <= bytes.length) {
    const id = bytes.toString('latin1', at, at + 4)
    const size = bytes.readUInt32LE(at + 4)
    if (id === 'fmt ') format = { channels: bytes.readUInt16LE(at + 10), sampleRate: bytes.readUInt32LE(at + 12), bits: bytes.readUInt16LE(at + 22) }
    if (id === 'data') {
      const samples = new Int16Array(bytes.buffer.slice(bytes.byteOffset + at + 8, bytes.byteOffset + at + 8 + size))
      return { ...format!, samples }
    }
    at += 8 + size
  }
  throw new Error('no data chunk')
}

/** Root mean square of the samples between two times (seconds), 0..1. */
function rms(samples: Int16Array, fromSec: number, toSec: number) {
  const from = Math.round(fromSec * 16000)
  const to = Math.round(toSec * 16000)
  let sum = 0
  for (let i = from; i < to; i++) sum += (samples[i] / 32768) ** 2
  return Math.sqrt(sum / Math.max(1, to - from))
}

beforeAll(async () => {
  storage = await startStorage()
  render = await startRenderServer()
  await copyFile(new URL('../../test/fixtures/speech/speech.mp4', import.meta.url), join(storage.dir, 'speech.mp4'))
  await makeClip(join(storage.dir, 'silent.mp4'), { seconds: 1, width: 160, height: 90, audio: false })
})

afterAll(async () => {
  await render?.close()
  await storage?.close()
})

describe('POST /audio', () => {
  it('cuts the sound into 16 kHz mono WAV parts laid on the clip timeline', async () => {
    const { status, body } = await post({
      sourceUrl: storage.url('speech.mp4'),
      parts: [
        { startSec: 0, durationSec: 3, uploadUrl: storage.uploadUrl('a0.wav') },
        { startSec: 3, durationSec: 3, uploadUrl: storage.uploadUrl('a1.wav') },
      ],
    })
    expect(status).toBe(200)
    expect(body).toMatchObject({ sampleRate: 16000, channels: 1, contentType: 'audio/wav' })
    // A few AAC frames (21 ms each) either way: Debian's FFmpeg 5.1 decodes 5.326 s where the npm build gives 5.26 s.
    expect(Math.abs(body.durationSec - fixture.durationSec)).toBeLessThan(0.1)
    expect(body.parts).toHaveLength(2)
    expect(body.parts[0]).toMatchObject({ startSec: 0, durationSec: expect.closeTo(3, 1) })
    // The second part is what is left of the clip, not the 3 s asked for.
    // (The decoded sound may run a few AAC frames past the container's duration.)
    expect(body.parts[1].startSec).toBe(3)
    expect(Math.abs(body.parts[1].durationSec - (fixture.durationSec - 3))).toBeLessThan(0.1)
    expect(storage.uploads.get('a0.wav')?.contentType).toBe('audio/wav')
    const first = readWav(await readFile(storage.uploads.get('a0.wav')!.path))
    const second = readWav(await readFile(storage.uploads.get('a1.wav')!.path))
    expect(first).toMatchObject({ channels: 1, sampleRate: 16000, bits: 16 })
    expect(second).toMatchObject({ channels: 1, sampleRate: 16000, bits: 16 })
    expect(first.samples.length / 16000).toBeCloseTo(3, 1)
    expect(body.parts[0].size).toBe(storage.uploads.get('a0.wav')!.size)
    // Speech where the fixture says a word is, silence before the first: in the first part at
    // the clip's own times, in the second shifted by its start.
    const [captions, , , , easy] = fixture.words
    expect(rms(first.samples, 0, 0.2)).toBeLessThan(0.005)
    expect(rms(first.samples, captions.start + 0.1, captions.end - 0.1)).toBeGreaterThan(0.03)
    expect(rms(second.samples, easy.start - 3 + 0.08, easy.end - 3 - 0.08)).toBeGreaterThan(0.03)
    expect(rms(second.samples, fixture.durationSec - 3 - 0.35, fixture.durationSec - 3 - 0.1)).toBeLessThan(0.005)
  })

  it('moves a cut back into the quiet before it, so no word is split, and says where each part starts', async () => {
    const videos = fixture.words[3]
    // Asked to cut in the middle of "videos": with snapSec the cut moves into the gap before it.
    const at = (videos.start + videos.end) / 2
    const { status, body } = await post({
      sourceUrl: storage.url('speech.mp4'),
      snapSec: 1,
      parts: [
        { startSec: 0, durationSec: at, uploadUrl: storage.uploadUrl('q0.wav') },
        { startSec: at, durationSec: 10, uploadUrl: storage.uploadUrl('q1.wav') },
      ],
    })
    expect(status).toBe(200)
    const cut = body.parts[1].startSec
    expect(cut).toBeGreaterThan(fixture.words[2].end - 0.02)
    expect(cut).toBeLessThan(videos.start + 0.02)
    expect(body.parts[0].durationSec).toBeCloseTo(cut, 2)
    const first = readWav(await readFile(storage.uploads.get('q0.wav')!.path))
    const second = readWav(await readFile(storage.uploads.get('q1.wav')!.path))
    // The first part ends where the second starts.
    expect(Math.abs(first.samples.length / 16000 - cut)).toBeLessThan(0.001)
    expect(rms(second.samples, videos.start - cut + 0.1, videos.end - cut - 0.1)).toBeGreaterThan(0.03)
  })

  it('says a clip without sound has none to transcribe', async () => {
    const { status, body } = await post({ sourceUrl: storage.url('silent.mp4'), parts: [{ startSec: 0, durationSec: 1, uploadUrl: storage.uploadUrl('s.wav') }] })
    expect(status).toBe(422)
    expect(body).toMatchObject({ code: 'no_audio', error: expect.stringMatching(/no sound/) })
    expect(storage.uploads.has('s.wav')).toBe(false)
  })

  it('refuses a part past the end, an upload elsewhere and a bad body, naming the field', async () => {
    const past = await post({ sourceUrl: storage.url('speech.mp4'), parts: [{ startSec: 60, durationSec: 5, uploadUrl: storage.uploadUrl('p.wav') }] })
    expect(past).toMatchObject({ status: 422, body: { code: 'part_past_end' } })
    const elsewhere = await post({ sourceUrl: storage.url('speech.mp4'), parts: [{ startSec: 0, durationSec: 1, uploadUrl: 'http://example.com/x.wav' }] })
    expect(elsewhere).toMatchObject({ status: 400, body: { error: expect.stringContaining('parts.0.uploadUrl') } })
    const none = await post({ sourceUrl: storage.url('speech.mp4'), parts: [] })
    expect(none).toMatchObject({ status: 400, body: { error: expect.stringContaining('parts') } })
  })
})
