// Captions from speech in the rendered video (#15): the speech fixture rendered with its words
// through the recipe and FFmpeg, frames checked at chosen times: caption pixels inside the safe
// area during each word, none before the first or after the last, the spoken word highlighted
// (its colour moves along the group), a trim shifting the captions, every style, and Arabic and
// Japanese transcripts drawn with fonts that have every glyph.
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseFontSelections } from './health.ts'
import { parseRenderSpec, planRender, safeRect, speechGroupsOf, STYLES, type RenderSpecInput } from './recipe/index.ts'
import { FFMPEG } from './test-support.ts'

const exec = promisify(execFile)
const SOURCE = new URL('../../test/fixtures/speech/speech.mp4', import.meta.url).pathname
const fixture = JSON.parse(await readFile(new URL('../../test/fixtures/speech/speech.json', import.meta.url), 'utf8')) as {
  durationSec: number
  words: { word: string; start: number; end: number }[]
}
let work: string

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'reelpilot-speech-'))
})
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true })
})

let n = 0
/** Renders the fixture with a spec at preview quality (360×640, the same recipe); answers the file, its size and FFmpeg's log. */
async function renderWith(input: Partial<RenderSpecInput>) {
  const spec = parseRenderSpec({ trim: { durationSec: fixture.durationSec }, aspect: '9:16', texts: { callToAction: '' }, ...input })
  const out = join(work, `r${++n}.mp4`)
  const subtitles = join(work, `r${n}.ass`)
  const plan = planRender(spec, { durationSec: fixture.durationSec, hasAudio: true }, { input: SOURCE, output: out, subtitles }, 'preview')
  await writeFile(subtitles, plan.ass)
  const { stderr } = await exec(FFMPEG, ['-v', 'verbose', ...plan.renderArgs()], { maxBuffer: 64 * 1024 * 1024 })
  return { out, spec, width: plan.width, height: plan.height, stderr }
}

/** An RGB frame at t (seconds of the output). */
async function rgbAt(path: string, t: number, w: number, h: number) {
  const { stdout } = await exec(FFMPEG, ['-v', 'error', '-ss', t.toFixed(3), '-i', path, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 })
  const buf = stdout as Buffer
  expect(buf.length).toBe(w * h * 3)
  return buf
}

// The fixture's picture is a plain 0x102040 blue: anything else is something drawn on it.
const BG = [0x10, 0x20, 0x40]
const drawn = (buf: Buffer, i: number) => Math.abs(buf[i] - BG[0]) + Math.abs(buf[i + 1] - BG[1]) + Math.abs(buf[i + 2] - BG[2]) > 60
const yellowish = (buf: Buffer, i: number) => buf[i] > 180 && buf[i + 1] > 150 && buf[i + 2] < 110
const limeish = (buf: Buffer, i: number) => buf[i] > 130 && buf[i + 1] > 190 && buf[i + 2] < 110

/** Where the drawn pixels are: their count and bounding box, and the mean x of pixels matching `mark`. */
function measure(buf: Buffer, w: number, h: number, mark: (buf: Buffer, i: number) => boolean = yellowish) {
  let count = 0
  let marked = 0
  let markX = 0
  let markY = 0
  const box = { x0: w, y0: h, x1: -1, y1: -1 }
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3
      if (!drawn(buf, i)) continue
      count++
      box.x0 = Math.min(box.x0, x)
      box.y0 = Math.min(box.y0, y)
      box.x1 = Math.max(box.x1, x)
      box.y1 = Math.max(box.y1, y)
      if (mark(buf, i)) {
        marked++
        markX += x
        markY += y
      }
    }
  }
  return { count, box, marked, markX: marked ? markX / marked : NaN, markY: marked ? markY / marked : NaN }
}

const mid = (w: { start: number; end: number }) => (w.start + w.end) / 2

describe('captions from speech in the render', () => {
  it('shows each word inside the safe area while it is said, highlighted, and nothing outside the words', async () => {
    const { out, spec, width, height } = await renderWith({ style: 'minimal', speech: { words: fixture.words } })
    const safe = safeRect({ width, height }, '9:16', [])
    const groups = speechGroupsOf(spec, fixture.durationSec)
    expect(groups.length).toBeGreaterThan(1)
    for (const g of groups) expect(g.words.length).toBeGreaterThanOrEqual(2), expect(g.words.length).toBeLessThanOrEqual(5)
    for (const group of groups) {
      let previous = { x: -Infinity, y: -Infinity }
      for (const word of group.words) {
        const m = measure(await rgbAt(out, mid(word), width, height), width, height)
        expect(m.count, `caption pixels while "${word.word}" is said`).toBeGreaterThan(200)
        // Every drawn pixel inside the safe area (a pixel of antialiasing allowed).
        expect(m.box.x0).toBeGreaterThanOrEqual(safe.x0 - 1)
        expect(m.box.x1).toBeLessThanOrEqual(safe.x1 + 1)
        expect(m.box.y0).toBeGreaterThanOrEqual(safe.y0 - 1)
        expect(m.box.y1).toBeLessThanOrEqual(safe.y1 + 1)
        // The spoken word is the yellow one, and it moves in reading order through the group:
        // left to right on a line, then down to the next line (a group of five takes two).
        expect(m.marked, `highlighted pixels for "${word.word}"`).toBeGreaterThan(20)
        const nextLine = m.markY > previous.y + 5
        if (!nextLine) expect(m.markX, `"${word.word}" right of the word before`).toBeGreaterThan(previous.x)
        previous = { x: m.markX, y: m.markY }
      }
    }
    // Before the first word and after the last one: the frame is the bare picture.
    for (const t of [0.1, fixture.words.at(-1)!.end + 0.2, fixture.durationSec - 0.1]) {
      expect(measure(await rgbAt(out, t, width, height), width, height).count, `drawn pixels at ${t} s`).toBeLessThan(5)
    }
  })

  it('shifts the captions with the trim', async () => {
    const trimmed = await renderWith({ trim: { startSec: 1, durationSec: fixture.durationSec - 1 }, style: 'minimal', speech: { words: fixture.words } })
    const w = trimmed.width
    const h = trimmed.height
    // "make" (1.191–1.612 on the clip) is said at 0.19–0.61 of the trimmed post.
    expect(measure(await rgbAt(trimmed.out, mid(fixture.words[1]) - 1, w, h), w, h).count).toBeGreaterThan(200)
    // 3.7 s into the post is 4.7 s into the clip, after the last word: nothing (unshifted, "to" would show).
    expect(measure(await rgbAt(trimmed.out, 3.7, w, h), w, h).count).toBeLessThan(5)
    expect(measure(await rgbAt(trimmed.out, 0.1, w, h), w, h).count).toBeLessThan(5)
  })

  it.each(STYLES.filter((s) => s !== 'minimal'))('draws them in the %s look, inside the safe area', async (style) => {
    const { out, width, height } = await renderWith({ style, brandColor: '#1e40af', speech: { words: fixture.words } })
    const safe = safeRect({ width, height }, '9:16', [])
    const m = measure(await rgbAt(out, mid(fixture.words[2]), width, height), width, height, style === 'neon' ? limeish : yellowish)
    expect(m.count).toBeGreaterThan(200)
    expect(m.marked).toBeGreaterThan(10)
    expect(m.box.x0).toBeGreaterThanOrEqual(safe.x0 - 1)
    expect(m.box.x1).toBeLessThanOrEqual(safe.x1 + 1)
    expect(m.box.y0).toBeGreaterThanOrEqual(safe.y0 - 1)
    expect(m.box.y1).toBeLessThanOrEqual(safe.y1 + 1)
    expect(measure(await rgbAt(out, 0.1, width, height), width, height).count).toBeLessThan(5)
  })

  const samples = [
    { language: 'ar', words: ['مرحبا', 'بكم', 'في', 'القناة'], family: 'Noto Sans Arabic', rtl: true },
    { language: 'ja', words: ['今日', 'は', '料理', 'を', '作り', 'ます'], family: 'Noto Sans JP', rtl: false },
  ]
  it.each(samples)('draws a $language transcript with a font that has its glyphs, in its direction', async ({ language, words, family, rtl }) => {
    const timed = words.map((word, i) => ({ word, start: 0.3 + i * 0.6, end: 0.3 + i * 0.6 + 0.5 }))
    const { out, width, height, stderr } = await renderWith({ style: 'minimal', language, speech: { words: timed, language } })
    expect(stderr).not.toMatch(/failed to find any fallback|Error opening font|No glyph/i)
    expect(parseFontSelections(stderr).get(`${family}|bold`), `libass chose ${family}`).toBeDefined()
    const first = measure(await rgbAt(out, mid(timed[0]), width, height), width, height)
    const second = measure(await rgbAt(out, mid(timed[1]), width, height), width, height)
    expect(first.count).toBeGreaterThan(100)
    expect(first.marked).toBeGreaterThan(10)
    // The first word said is on the right in Arabic, on the left in Japanese.
    if (rtl) expect(first.markX).toBeGreaterThan(second.markX)
    else expect(first.markX).toBeLessThan(second.markX)
  })
})
