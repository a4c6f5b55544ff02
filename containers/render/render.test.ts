// POST /render end to end: real HTTP storage, real FFmpeg, outputs checked with ffprobe,
// the ebur128 loudness meter and pixels of grabbed frames.
import { execFile } from 'node:child_process'
import { createRequire } from 'node:module'
import { readdir, readFile, writeFile, truncate, stat, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseFontSelections } from './health.ts'
import { ASPECT_SIZES, ASPECTS, fontFamily, isFaceOf, detectScript, parseRenderSpec, planRender, renderEventSchema, STYLES, type Aspect, type StyleName } from './recipe/index.ts'
import { RENDER_TEMP_PREFIX, sha256File } from './render-job.ts'
import { FFMPEG, ffmpeg, ffprobeJson, makeClip, startRenderServer, startStorage, type FakeStorage, renderAuth } from './test-support.ts'

const exec = promisify(execFile)
// fontkit ships no types; only openSync and the face's hasGlyphForCodePoint are used.
const fontkit = createRequire(import.meta.url)('fontkit')
let storage: FakeStorage
let server: Awaited<ReturnType<typeof startRenderServer>>
let work: string

type Event = Record<string, any>

async function render(body: Record<string, unknown>, base = server.base, signal?: AbortSignal) {
  const res = await fetch(`${base}/render`, { method: 'POST', headers: { 'content-type': 'application/json', ...renderAuth }, body: JSON.stringify(body), signal })
  if (res.status !== 200) return { status: res.status, body: (await res.json()) as Event, events: [] as Event[] }
  // Every line the server sends is one of the render events the Worker reads (recipe/events.ts).
  const events = (await res.text()).trim().split('\n').map((l) => renderEventSchema.parse(JSON.parse(l)) as Event)
  return { status: 200, body: events.at(-1)!, events }
}

let n = 0
function job(source: string, spec: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  const id = `r${++n}`
  return { id, body: { sourceUrl: storage.url(source), outputUrl: storage.uploadUrl(`${id}.mp4`), coverUrl: storage.uploadUrl(`${id}.jpg`), spec, ...extra } }
}

/** Top-level MP4 boxes in order, to check the index (moov) comes before the media (mdat). */
async function topBoxes(path: string): Promise<string[]> {
  const buf = await readFile(path)
  const boxes: string[] = []
  let at = 0
  while (at + 8 <= buf.length) {
    let size = buf.readUInt32BE(at)
    const type = buf.toString('latin1', at + 4, at + 8)
    if (size === 1) size = Number(buf.readBigUInt64BE(at + 8))
    if (size === 0) size = buf.length - at
    boxes.push(type)
    at += size
  }
  return boxes
}

/** Integrated loudness (LUFS) by FFmpeg's EBU R128 meter. */
async function integratedLoudness(path: string): Promise<number> {
  const { stderr } = await exec(FFMPEG, ['-hide_banner', '-nostats', '-i', path, '-map', '0:a', '-af', 'ebur128', '-f', 'null', '-'])
  const summary = stderr.slice(stderr.lastIndexOf('Summary:'))
  return Number(/I:\s+(-?[\d.]+) LUFS/.exec(summary)![1])
}

/** A grey frame at t, scaled down, as raw bytes. */
async function frame(path: string, t: number, w = 108, h = 192): Promise<Buffer> {
  const { stdout } = await exec(FFMPEG, ['-v', 'error', '-ss', String(t), '-i', path, '-frames:v', '1', '-vf', `scale=${w}:${h}`, '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], {
    encoding: 'buffer',
    maxBuffer: 64 * 1024 * 1024,
  })
  return stdout as Buffer
}

/** Mean absolute difference of two grey frames (0..255), optionally over a column range. */
function diff(a: Buffer, b: Buffer, w = 108, cols: [number, number] = [0, w]): number {
  let sum = 0
  let count = 0
  for (let i = 0; i < a.length; i++) {
    const x = i % w
    if (x < cols[0] || x >= cols[1]) continue
    sum += Math.abs(a[i] - b[i])
    count++
  }
  return sum / count
}

/** The first and last columns where two grey frames differ clearly, within a band of rows. */
function textColumns(a: Buffer, b: Buffer, w: number, rows: [number, number]): { first: number; last: number } {
  let first = w
  let last = -1
  for (let y = rows[0]; y < rows[1]; y++) {
    for (let x = 0; x < w; x++) {
      if (Math.abs(a[y * w + x] - b[y * w + x]) < 40) continue
      first = Math.min(first, x)
      last = Math.max(last, x)
    }
  }
  if (last < 0) throw new Error('no text was drawn in the band')
  return { first, last }
}

async function renderTemps() {
  return (await readdir(work)).filter((f) => f.startsWith(RENDER_TEMP_PREFIX))
}

const texts = { hook: 'Three tricks nobody tells you', captions: [{ text: 'First: start with the end', startSec: 1.2, endSec: 2.4 }] }

beforeAll(async () => {
  storage = await startStorage()
  // The servers' temp root is the test's own folder, so other processes' renders never count.
  work = await mkdtemp(join(tmpdir(), 'reelpilot-render-test-'))
  server = await startRenderServer({ concurrency: 2, tempDir: work })
  const d = storage.dir
  await Promise.all([
    makeClip(join(d, 'landscape.mp4'), { seconds: 4, width: 1280, height: 720, volume: 0.5 }),
    makeClip(join(d, 'portrait.mp4'), { seconds: 2, width: 720, height: 1280 }),
    makeClip(join(d, 'uhd.mp4'), { seconds: 2, width: 3840, height: 2160 }),
    makeClip(join(d, 'silent.mp4'), { seconds: 2, width: 640, height: 360, audio: false }),
    makeClip(join(d, 'long.mp4'), { seconds: 20, width: 640, height: 360 }),
    makeClip(join(d, 'cut.mp4'), { seconds: 3 }),
    ffmpeg(['-f', 'lavfi', '-i', 'color=c=0x0a7d5a:s=240x120', '-frames:v', '1', join(d, 'logo.png')]),
  ])
  await truncate(join(d, 'cut.mp4'), Math.floor((await stat(join(d, 'cut.mp4'))).size / 2))
})

afterAll(async () => {
  await server?.close()
  await storage?.close()
  if (work) await rm(work, { recursive: true, force: true })
})

const styles: readonly StyleName[] = STYLES
const aspects: readonly Aspect[] = ASPECTS
const rendered: Record<string, string> = {}

describe.each(styles)('%s style', (style) => {
  it.each(aspects)('renders %s to spec: H.264 High yuv420p 30 fps, AAC 48 kHz stereo, faststart, -14 LUFS, with a cover', async (aspect) => {
    // The real 1080×1920 once per style at 3 s; the other aspects at 2 s to keep the file quick.
    const seconds = aspect === '9:16' ? 3 : 2
    const extra = style === 'corporate' ? { logoUrl: storage.url('logo.png') } : {}
    const { id, body } = job('landscape.mp4', { trim: { startSec: 0.5, durationSec: seconds }, aspect, style, texts, brandColor: '#0a7d5a' }, extra)
    const { status, body: result, events } = await render(body)
    expect(status).toBe(200)
    expect(result.type, JSON.stringify(result)).toBe('result')
    const { width, height } = ASPECT_SIZES[aspect]
    expect(result).toMatchObject({ width, height, contentType: 'video/mp4', cover: { width, height, contentType: 'image/jpeg' } })
    expect(result.durationSec).toBeCloseTo(seconds, 1)
    // Progress came from FFmpeg, never went back, and ended at 1. FFmpeg reports twice a second,
    // so a render of these few seconds may finish after its first report (seen in CI: one event);
    // progress during a long render is checked end to end in e2e/pipeline.test.ts.
    const progress = events.filter((e) => e.type === 'progress').map((e) => e.fraction)
    expect(progress.length).toBeGreaterThanOrEqual(1)
    expect(progress.at(-1)).toBe(1)
    expect(progress).toEqual([...progress].sort((a, b) => a - b))

    const upload = storage.uploads.get(`${id}.mp4`)!
    expect(upload.contentType).toBe('video/mp4')
    expect(upload.size).toBe(result.size)
    expect(await sha256File(upload.path)).toBe(result.sha256)
    const info = await ffprobeJson(upload.path)
    const v = info.streams.find((s: any) => s.codec_type === 'video')
    const a = info.streams.find((s: any) => s.codec_type === 'audio')
    expect(v).toMatchObject({ codec_name: 'h264', profile: 'High', pix_fmt: 'yuv420p', width, height, r_frame_rate: '30/1', avg_frame_rate: '30/1' })
    expect(a).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 2 })
    expect(Math.abs(Number(info.format.duration) - seconds)).toBeLessThanOrEqual(0.1)
    const boxes = await topBoxes(upload.path)
    expect(boxes.indexOf('moov')).toBeGreaterThanOrEqual(0)
    expect(boxes.indexOf('moov')).toBeLessThan(boxes.indexOf('mdat'))
    expect(Math.abs((await integratedLoudness(upload.path)) - -14)).toBeLessThanOrEqual(1)

    const cover = storage.uploads.get(`${id}.jpg`)!
    expect(cover.contentType).toBe('image/jpeg')
    expect((await ffprobeJson(cover.path)).streams[0]).toMatchObject({ codec_name: 'mjpeg', width, height })
    if (aspect === '9:16') rendered[style] = upload.path
  })
})

describe('what the styles look like', () => {
  it('shows the text, and each style differently', async () => {
    const { id, body } = job('landscape.mp4', { trim: { startSec: 0.5, durationSec: 3 }, texts: { callToAction: '' } })
    expect((await render(body)).body.type).toBe('result')
    const plain = await frame(storage.uploads.get(`${id}.mp4`)!.path, 1.5)
    const frames = await Promise.all(styles.map((s) => frame(rendered[s], 1.5)))
    for (const [i, f] of frames.entries()) expect(diff(f, plain), styles[i]).toBeGreaterThan(1.5)
    expect(diff(frames[0], frames[1])).toBeGreaterThan(1.5)
    expect(diff(frames[0], frames[2])).toBeGreaterThan(1.5)
    expect(diff(frames[1], frames[2])).toBeGreaterThan(1.5)
  })
})

describe('scripts', () => {
  const samples = [
    { language: 'ru', hook: 'Три приёма, о которых молчат' },
    { language: 'ar', hook: 'أولاً: ثلاث حيل لا يخبرك بها أحد' },
    { language: 'he', hook: 'שלושה טריקים שאף אחד לא מספר' },
    { language: 'zh', hook: '没有人告诉你的三个技巧' },
    { language: 'ja', hook: '誰も教えてくれない三つのコツ' },
    { language: 'ko', hook: '아무도 알려주지 않는 세 가지 팁' },
  ]

  /** The face a font file holds (a collection's member by PostScript name), read with fontkit. */
  function openFace(file: string, postscript: string) {
    const font = fontkit.openSync(file) as any
    return font.fonts ? font.fonts.find((f: any) => f.postscriptName === postscript) : font
  }

  it.each(samples)('draws $language text with a font that has every glyph', async ({ language, hook }) => {
    const spec = parseRenderSpec({ trim: { durationSec: 1 }, aspect: '1:1', style: 'corporate', language, texts: { hook, callToAction: '' } })
    const family = fontFamily('corporate', 'display', detectScript(hook), language)
    const out = join(work, `${language}.mp4`)
    const subtitles = join(work, `${language}.ass`)
    const plan = planRender(spec, { durationSec: 2, hasAudio: true }, { input: join(storage.dir, 'landscape.mp4'), output: out, subtitles })
    await writeFile(subtitles, plan.ass)
    const { stderr } = await exec(FFMPEG, ['-v', 'verbose', ...plan.renderArgs()], { maxBuffer: 64 * 1024 * 1024 })
    expect(stderr).not.toMatch(/failed to find any fallback|Error opening font|No glyph/i)
    // libass picked the recipe's family itself in bold (not a fallback), and that face holds
    // every letter of the text.
    const pick = parseFontSelections(stderr).get(`${family}|bold`)
    expect(pick, `fontselect for ${family}`).toBeDefined()
    expect(isFaceOf(family, true, pick!.postscript), `${family} got ${pick!.postscript}`).toBe(true)
    const face = openFace(pick!.file, pick!.postscript)
    const missing = [...hook.normalize('NFC')].filter((ch) => /\p{L}|\p{M}/u.test(ch)).filter((ch) => !face.hasGlyphForCodePoint(ch.codePointAt(0)!))
    expect(missing, `${family} lacks ${missing.join(' ')}`).toEqual([])

    // Right-to-left languages put the corporate hook on the right, the others on the left.
    const plainSpec = parseRenderSpec({ trim: { durationSec: 1 }, aspect: '1:1', style: 'corporate', language, texts: { callToAction: '' } })
    const plainOut = join(work, `${language}-plain.mp4`)
    const plainPlan = planRender(plainSpec, { durationSec: 2, hasAudio: true }, { input: join(storage.dir, 'landscape.mp4'), output: plainOut, subtitles: `${subtitles}.plain` })
    await writeFile(`${subtitles}.plain`, plainPlan.ass)
    await exec(FFMPEG, ['-v', 'error', ...plainPlan.renderArgs()])
    // Measured on the hook's band: the columns where the text changed the frame. Its edge on the
    // language's starting side sits at the margin; the other edge is wherever the line ends
    // (a font's width decides where a line wraps, so the npm and Debian faces differ there).
    const [withText, without] = await Promise.all([frame(out, 0.6, 108, 108), frame(plainOut, 0.6, 108, 108)])
    const { first, last } = textColumns(withText, without, 108, [8, 40])
    const fromLeft = first
    const fromRight = 107 - last
    if (language === 'ar' || language === 'he') expect(fromRight, `text spans columns ${first}-${last}`).toBeLessThan(fromLeft)
    else expect(fromLeft, `text spans columns ${first}-${last}`).toBeLessThan(fromRight)
    expect(Math.min(fromLeft, fromRight)).toBeLessThanOrEqual(8)
  })
})

describe('sources', () => {
  it('crops a portrait source to 9:16 and fits it in 16:9 over a blurred copy', async () => {
    const crop = job('portrait.mp4', { trim: { durationSec: 1.5 }, texts: { hook: 'Portrait' } })
    const cropped = await render(crop.body)
    expect(cropped.body).toMatchObject({ type: 'result', width: 1080, height: 1920 })
    const fit = job('portrait.mp4', { trim: { durationSec: 1.5 }, aspect: '16:9', framing: 'fit' })
    const fitted = await render(fit.body)
    expect(fitted.body).toMatchObject({ type: 'result', width: 1920, height: 1080 })
    // The blurred sides are not black bars.
    const f = await frame(storage.uploads.get(`${fit.id}.mp4`)!.path, 0.5, 192, 108)
    const leftEdge = diff(f, Buffer.alloc(f.length), 192, [0, 20])
    expect(leftEdge).toBeGreaterThan(10)
  })

  it('renders a 4K source down to 1080×1920', async () => {
    const { body } = job('uhd.mp4', { trim: { durationSec: 1.5 }, style: 'neon', texts: { hook: '4K in' } })
    const { body: result } = await render(body)
    expect(result).toMatchObject({ type: 'result', width: 1080, height: 1920 })
    expect(result.durationSec).toBeCloseTo(1.5, 1)
  })

  it('gives a source with no sound a silent 48 kHz stereo track', async () => {
    const { id, body } = job('silent.mp4', { trim: { durationSec: 1.5 } })
    expect((await render(body)).body.type).toBe('result')
    const info = await ffprobeJson(storage.uploads.get(`${id}.mp4`)!.path)
    expect(info.streams.find((s: any) => s.codec_type === 'audio')).toMatchObject({ codec_name: 'aac', sample_rate: '48000', channels: 2 })
  })

  it('refuses a trim past the end, and shortens one that runs over it', async () => {
    const past = await render(job('landscape.mp4', { trim: { startSec: 9, durationSec: 2 } }).body)
    expect(past.status).toBe(422)
    expect(past.body).toMatchObject({ code: 'trim_past_end', error: 'The trim starts at 9 s but the clip is only 4 s long.' })
    const over = job('silent.mp4', { trim: { startSec: 1, durationSec: 5 } })
    const { body: result } = await render(over.body)
    expect(result.type).toBe('result')
    expect(result.durationSec).toBeCloseTo(1, 1)
  })

  it('refuses a damaged source with 422 before rendering anything', async () => {
    const { id, body } = job('cut.mp4', { trim: { durationSec: 1 } })
    const { status, body: answer } = await render(body)
    expect(status).toBe(422)
    expect(answer.code).toBe('damaged')
    expect(storage.uploads.has(`${id}.mp4`)).toBe(false)
  })

  it('refuses a spec that breaks a platform limit, naming it', async () => {
    const { status, body } = await render(job('landscape.mp4', { trim: { durationSec: 2 }, aspect: '16:9', platforms: ['youtube', 'tiktok'] }).body)
    expect(status).toBe(422)
    expect(body.code).toBe('platform_limits')
    expect(body.error).toMatch(/YouTube Shorts needs a square or vertical video/)
    expect(body.error).toMatch(/TikTok needs at least 3 s/)
    expect(body.problems.map((p: any) => p.platform)).toEqual(['youtube', 'tiktok'])
  })

  it('answers 400 naming the field of a bad spec, and 502 for an unreachable source', async () => {
    const bad = await render(job('landscape.mp4', { trim: { durationSec: 2 }, style: 'grunge' }).body)
    expect(bad.status).toBe(400)
    expect(bad.body.error).toMatch(/spec\.style/)
    const missing = await render(job('nothing.mp4', { trim: { durationSec: 2 } }).body)
    expect(missing.status).toBe(502)
    expect(missing.body.error).toMatch(/404/)
  })
})

describe('running renders', () => {
  async function ffmpegsUsing(dir: string) {
    const pids = (await readdir('/proc')).filter((p) => /^\d+$/.test(p))
    const found: string[] = []
    for (const pid of pids) {
      const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')
      if (cmd.includes(dir)) found.push(pid)
    }
    return found
  }

  async function eventually(check: () => Promise<boolean>, what: string) {
    for (let i = 0; i < 200; i++) {
      if (await check()) return
      await new Promise((r) => setTimeout(r, 100))
    }
    throw new Error(`never happened: ${what}`)
  }

  it('kills FFmpeg and removes its temp files when the client goes away', async () => {
    const before = await renderTemps()
    const controller = new AbortController()
    const res = await fetch(`${server.base}/render`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...renderAuth },
      body: JSON.stringify(job('long.mp4', { trim: { durationSec: 20 } }).body),
      signal: controller.signal,
    })
    expect(res.status).toBe(200)
    const reader = res.body!.getReader()
    let text = ''
    while (!text.includes('"type":"progress"')) text += new TextDecoder().decode((await reader.read()).value)
    const mine = (await renderTemps()).filter((d) => !before.includes(d))
    expect(mine).toHaveLength(1)
    const dir = join(work, mine[0])
    expect((await ffmpegsUsing(dir)).length).toBe(1)
    controller.abort()
    await eventually(async () => (await ffmpegsUsing(dir)).length === 0, 'ffmpeg killed')
    await eventually(async () => !(await renderTemps()).includes(mine[0]), 'temp folder removed')
  })

  it('stops a render that outlives its timeout, with a clear error', async () => {
    const quick = await startRenderServer({ renderTimeoutMs: 1, tempDir: work })
    try {
      const before = await renderTemps()
      const { body } = await render(job('landscape.mp4', { trim: { durationSec: 3 } }).body, quick.base)
      expect(body).toMatchObject({ type: 'error', status: 504, code: 'timeout' })
      expect(body.error).toMatch(/took longer than/)
      await eventually(async () => (await renderTemps()).every((d) => before.includes(d)), 'temp folder removed')
    } finally {
      await quick.close()
    }
  })

  it('queues renders beyond its slots and runs them all', async () => {
    const single = await startRenderServer({ concurrency: 1 })
    try {
      const spec = { trim: { durationSec: 1 }, aspect: '1:1' }
      const [a, b] = await Promise.all([render(job('silent.mp4', spec).body, single.base), render(job('silent.mp4', spec).body, single.base)])
      expect(a.body.type).toBe('result')
      expect(b.body.type).toBe('result')
      const queued = [...a.events, ...b.events].filter((e) => e.type === 'queued')
      expect(queued).toEqual([{ type: 'queued', position: 1 }])
    } finally {
      await single.close()
    }
  })
})
