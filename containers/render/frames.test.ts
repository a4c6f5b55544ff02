// What the videos look like, checked on real renders (the recipe's FFmpeg commands, native
// FFmpeg, full size): for every style and aspect, on a white clip and on a black clip, with the
// texts the product writes for a clip named landscape.mp4 (#18):
// - text on screen in every 2 s window;
// - every drawn pixel inside the safe area of the targeted platforms;
// - text that stands out from what is around it (contrast of the two tones inside each text box);
// - no text from the file name.
// Then golden frames per style (committed, small), compared with a measured tolerance, and a
// contact sheet of every style and aspect written to test-results/ for a person to look at.
//
// Regenerate the goldens after a deliberate change of look:
//   UPDATE_GOLDENS=1 flock /tmp/heavy.lock npx vitest run --project unit containers/render/frames.test.ts
// and commit containers/render/goldens/*.png (review them: they are the new look).
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TemplateCaptionWriter, titleFromFilename } from '../../workers/domain/captions.ts'
import { postRenderSpec } from '../../workers/domain/post-spec.ts'
import { ASPECT_SIZES, ASPECTS, framingGraph, parseRenderSpec, planRender, safeRect, STYLES, timeline, type Aspect, type RenderSpec, type StyleName } from './recipe/index.ts'
import { FFMPEG, ffmpeg } from './test-support.ts'

const exec = promisify(execFile)
const HERE = dirname(fileURLToPath(import.meta.url))
const GOLDENS = join(HERE, 'goldens')
const RESULTS = join(HERE, '..', '..', 'test-results')
const UPDATE = process.env.UPDATE_GOLDENS === '1'
// The goldens were made with the npm FFmpeg and fonts; another FFmpeg (Debian's, in .ci/run)
// draws text with other builds of the same fonts, so only the frame checks apply to it.
const NPM_FFMPEG = /@ffmpeg-installer/.test(FFMPEG)

const SECONDS = 8
/** Frames are read at a quarter of the size, four a second. */
const SCALE = 4
const FPS = 4
/** A pixel this far (0..255 grey) from the clip's flat colour was drawn by the recipe. */
const INK = 40
/** A frame has text when at least this share of its pixels is ink. */
const MIN_INK_SHARE = 0.002
/**
 * How far past the safe area a drawn pixel may reach, in full-size pixels. Measured: at most 2 px
 * (the minimal caption box's antialiased edge, 1:1 and 16:9), the neon glow included; the frames
 * are read at a quarter of the size, so 8 px is two of their pixels.
 */
const SAFE_SLACK_PX = 8
/** The least contrast (WCAG ratio) between the two tones inside a text box (large text: 3:1). */
const MIN_CONTRAST = 4.5

let work: string
const clips = { white: '', black: '', pattern: '' }
/** The texts the product writes for landscape.mp4 in "Kitchen hacks" (French, traffic). */
let written: { hook: string; caption: string; callToAction: string }

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'reelpilot-frames-'))
  clips.white = join(work, 'white', 'landscape.mp4')
  clips.black = join(work, 'black', 'landscape.mp4')
  clips.pattern = join(work, 'pattern', 'landscape.mp4')
  const make = async (path: string, video: string) => {
    mkdirSync(dirname(path), { recursive: true })
    await ffmpeg(['-v', 'error', '-y', '-f', 'lavfi', '-i', video, '-f', 'lavfi', '-i', `sine=frequency=440:duration=${SECONDS}`, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', path])
  }
  await make(clips.white, `color=c=white:s=1280x720:r=30:d=${SECONDS}`)
  await make(clips.black, `color=c=black:s=1280x720:r=30:d=${SECONDS}`)
  await make(clips.pattern, `testsrc2=s=1280x720:r=30:d=${SECONDS}`)
  // As the planner writes them: the title from the file name (none: it does not read like one).
  written = await new TemplateCaptionWriter().write({
    language: 'fr', style: 'minimal', objective: 'traffic', title: titleFromFilename('landscape.mp4'), topic: '', tags: [],
    projectName: 'Kitchen hacks', projectDescription: 'Astuces de cuisine rapides', durationSec: SECONDS, seed: 'frames:1',
  })
}, 120_000)

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true })
})

/** The spec of a post with the written texts, as the render consumer makes it. */
function specFor(style: StyleName, aspect: Aspect, framing: 'crop' | 'fit' = 'crop'): RenderSpec {
  const input = postRenderSpec(
    { style, language: 'fr', objective: 'traffic', hook: written.hook, caption: written.caption, callToAction: written.callToAction, framing, focusX: null, focusY: null, trimStartSec: null, trimEndSec: null },
    { durationSec: SECONDS, width: 1280, height: 720 },
    { brandColor: null, font: null, framing: 'auto' },
    { platforms: ['tiktok', 'instagram', 'youtube'] },
  )
  return parseRenderSpec({ ...input, aspect })
}

const renders = new Map<string, Promise<string>>()
/** Renders a spec from a clip with the recipe's own commands (final quality); answers the MP4's path (once per name). */
function render(spec: RenderSpec, clip: string, name: string): Promise<string> {
  if (!renders.has(name)) renders.set(name, renderOnce(spec, clip, name))
  return renders.get(name)!
}

async function renderOnce(spec: RenderSpec, clip: string, name: string): Promise<string> {
  const output = join(work, `${name}.mp4`)
  const subtitles = join(work, `${name}.ass`)
  // With the clip's size, as the server's probe gives it (the fit framing stacks its bands then).
  const plan = planRender(spec, { durationSec: SECONDS, hasAudio: true, width: 1280, height: 720 }, { input: clip, output, subtitles })
  await writeFile(subtitles, plan.ass)
  await exec(FFMPEG, ['-v', 'error', ...plan.renderArgs()], { maxBuffer: 64 * 1024 * 1024 })
  return output
}

/** Every frame at FPS a second, grey, a SCALE-th of the size. */
async function greyFrames(file: string, w: number, h: number): Promise<Buffer[]> {
  const { stdout } = await exec(FFMPEG, ['-v', 'error', '-i', file, '-vf', `fps=${FPS},scale=${w}:${h}`, '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 })
  const out = stdout as unknown as Buffer
  const size = w * h
  return Array.from({ length: Math.floor(out.length / size) }, (_, i) => out.subarray(i * size, (i + 1) * size))
}

const linear = (v: number) => {
  const c = v / 255
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
}
/** WCAG contrast of two grey levels. */
const contrast = (a: number, b: number) => (Math.max(linear(a), linear(b)) + 0.05) / (Math.min(linear(a), linear(b)) + 0.05)

/** Otsu's split of grey values into two tones; answers their means. */
function twoTones(values: number[]): [number, number] {
  const hist = new Array(256).fill(0)
  for (const v of values) hist[v]++
  const total = values.length
  let sumAll = 0
  for (let i = 0; i < 256; i++) sumAll += i * hist[i]
  let best = -1
  let split = 128
  let wB = 0
  let sumB = 0
  for (let t = 0; t < 256; t++) {
    wB += hist[t]
    if (wB === 0 || wB === total) continue
    sumB += t * hist[t]
    const mB = sumB / wB
    const mF = (sumAll - sumB) / (total - wB)
    const between = wB * (total - wB) * (mB - mF) ** 2
    if (between > best) {
      best = between
      split = t
    }
  }
  let lo = 0, nLo = 0, hi = 0, nHi = 0
  for (const v of values) v <= split ? ((lo += v), nLo++) : ((hi += v), nHi++)
  return [nLo ? lo / nLo : 0, nHi ? hi / nHi : 255]
}

interface Band {
  y0: number
  y1: number
  x0: number
  x1: number
}

/** One grey frame at a time, full size. */
async function fullFrame(file: string, at: number): Promise<Buffer> {
  const { stdout } = await exec(FFMPEG, ['-v', 'error', '-ss', at.toFixed(3), '-i', file, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 })
  return stdout as unknown as Buffer
}

/** Bands of rows with ink (rows closer than `join` px join), each with the columns its ink spans. */
function inkBands(frame: Buffer, w: number, h: number, bg: number, join = 12): Band[] {
  const bands: Band[] = []
  let gap = Infinity
  for (let y = 0; y < h; y++) {
    let x0 = w
    let x1 = -1
    for (let x = 0; x < w; x++) {
      if (Math.abs(frame[y * w + x] - bg) <= INK) continue
      x0 = Math.min(x0, x)
      x1 = Math.max(x1, x)
    }
    if (x1 < 0) {
      gap++
      continue
    }
    const last = bands.at(-1)
    if (last && gap < join) Object.assign(last, { y1: y, x0: Math.min(last.x0, x0), x1: Math.max(last.x1, x1) })
    else bands.push({ y0: y, y1: y, x0, x1 })
    gap = 0
  }
  return bands.filter((b) => b.y1 - b.y0 >= 1)
}

const inkCount = (frame: Buffer, bg: number) => {
  let n = 0
  for (const v of frame) if (Math.abs(v - bg) > INK) n++
  return n
}

/** What the checks measured, written beside the contact sheet. */
const measured: string[] = []

describe.each(ASPECTS)('%s', (aspect) => {
  describe.each(STYLES)('%s', (style) => {
    it.each(['white', 'black'] as const)('on a %s clip: text in every 2 s window, inside the safe area, in contrast, none from the file name', async (colour) => {
      const spec = specFor(style, aspect)
      const plan = planRender(spec, { durationSec: SECONDS, hasAudio: true }, { input: 'x', output: 'y', subtitles: 'z' })
      // No text from the file name, anywhere on the video.
      const events = plan.ass.split('\n').filter((l) => l.startsWith('Dialogue:'))
      expect(events.length).toBeGreaterThan(2)
      expect(plan.ass.toLowerCase()).not.toContain('landscape')

      const { width, height } = ASPECT_SIZES[aspect]
      const [w, h] = [width / SCALE, height / SCALE]
      const file = await render(spec, clips[colour], `${style}-${aspect.replace(':', 'x')}-${colour}`)
      const frames = await greyFrames(file, w, h)
      expect(frames.length).toBeGreaterThanOrEqual(SECONDS * FPS - 1)
      const bg = colour === 'white' ? 255 : 0
      // Background is flat: check the corners hold the clip's colour (no stray overlay).
      expect(Math.abs(frames[0][0] - bg)).toBeLessThanOrEqual(INK)

      // Text in every 2 s window.
      const hasText = frames.map((f) => inkCount(f, bg) >= MIN_INK_SHARE * w * h)
      for (let start = 0; start < SECONDS; start += 2) {
        const inWindow = hasText.slice(start * FPS, Math.min(SECONDS, start + 2) * FPS)
        expect(inWindow.some(Boolean), `${style} ${aspect} ${colour}: no text between ${start} and ${start + 2} s (${hasText.map((t) => (t ? '#' : '.')).join('')})`).toBe(true)
      }

      // Every drawn pixel inside the safe area (with the glow's slack), once each text has come
      // in (the corporate hook and bar slide in from the side over their first 0.4 s).
      const t = timeline(spec, plan.durationSec)
      const beats = [t.hook, ...t.captions, t.cta].filter((b): b is NonNullable<typeof b> => !!b)
      const entering = (at: number) => beats.some((b) => at >= b.start && at < b.start + 0.45)
      const safe = safeRect({ width, height }, aspect, spec.platforms)
      const over = { left: 0, right: 0, top: 0, bottom: 0 }
      for (const [i, f] of frames.entries()) {
        if (entering(i / FPS)) continue
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            if (Math.abs(f[y * w + x] - bg) <= INK) continue
            const [fx, fy] = [x * SCALE, y * SCALE]
            over.left = Math.max(over.left, safe.x0 - fx - SCALE)
            over.right = Math.max(over.right, fx - safe.x1)
            over.top = Math.max(over.top, safe.y0 - fy - SCALE)
            over.bottom = Math.max(over.bottom, fy - safe.y1)
          }
        }
      }
      measured.push(`${style} ${aspect} ${colour}: past the safe area by left ${over.left}, right ${over.right}, top ${over.top}, bottom ${over.bottom} px`)
      for (const [side, px] of Object.entries(over)) expect(px, `${style} ${aspect} ${colour}: ${side} edge passed by ${px} px`).toBeLessThanOrEqual(SAFE_SLACK_PX)

      // Contrast: at the middle of every beat, full size, the two tones inside each text band.
      let least = Infinity
      let leastAt = ''
      for (const beat of beats) {
        const f = await fullFrame(file, (beat.start + beat.end) / 2)
        const bands = inkBands(f, width, height, bg).filter((b) => b.y1 - b.y0 >= 8)
        expect(bands.length, `${style} ${aspect} ${colour} at "${beat.text}"`).toBeGreaterThan(0)
        for (const b of bands) {
          const values: number[] = []
          for (let y = b.y0; y <= b.y1; y++) for (let x = b.x0; x <= b.x1; x++) values.push(f[y * width + x])
          const [lo, hi] = twoTones(values)
          if (contrast(lo, hi) < least) [least, leastAt] = [contrast(lo, hi), beat.text]
        }
      }
      measured.push(`${style} ${aspect} ${colour}: least contrast in a text band ${least.toFixed(1)}:1 ("${leastAt}")`)
      expect(least, `${style} ${aspect} ${colour}`).toBeGreaterThanOrEqual(MIN_CONTRAST)
    })
  })
})

/** Golden frames: the hook, a caption segment and the call to action, side by side, 90×160 each. */
const GOLDEN_W = 90
const GOLDEN_H = 160
/**
 * Largest mean difference (0..255 per channel) from a golden that still counts as the same look.
 * Measured: 0.000 for every style between runs of the same FFmpeg (x264 and libass are
 * deterministic), so any change of look shows; 1 leaves room only for rounding. How large a
 * given change of look reads was not measured yet (see the notes of #18).
 */
const GOLDEN_TOLERANCE = 1

async function goldenStrip(style: StyleName): Promise<{ rgb: Buffer; file: string }> {
  const spec = specFor(style, '9:16', 'fit')
  const file = await render(spec, clips.pattern, `golden-${style}`)
  const t = timeline(spec, SECONDS)
  const times = [t.hook, t.captions[0], t.cta].map((b) => (b ? (b.start + b.end) / 2 : 0))
  const parts: Buffer[] = []
  for (const at of times) {
    const { stdout } = await exec(FFMPEG, ['-v', 'error', '-ss', at.toFixed(3), '-i', file, '-frames:v', '1', '-vf', `scale=${GOLDEN_W}:${GOLDEN_H}:flags=area`, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 })
    parts.push(stdout as unknown as Buffer)
  }
  // Side by side: row by row, the three frames' rows one after another.
  const row = GOLDEN_W * 3
  const rgb = Buffer.alloc(row * 3 * GOLDEN_H)
  for (let y = 0; y < GOLDEN_H; y++) for (const [i, p] of parts.entries()) p.copy(rgb, y * row * 3 + i * row, y * row, (y + 1) * row)
  return { rgb, file }
}

async function writePng(rgb: Buffer, w: number, h: number, path: string) {
  const raw = join(work, `${Math.random().toString(36).slice(2)}.rgb`)
  await writeFile(raw, rgb)
  await ffmpeg(['-v', 'error', '-y', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${w}x${h}`, '-i', raw, '-frames:v', '1', path])
}

async function readPng(path: string): Promise<Buffer> {
  const { stdout } = await exec(FFMPEG, ['-v', 'error', '-i', path, '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { encoding: 'buffer', maxBuffer: 16 * 1024 * 1024 })
  return stdout as unknown as Buffer
}

describe('fit framing', () => {
  it('stacked around a clip of known size gives the very pixels of the overlay (every frame, every plane)', async () => {
    // Sizes that give bands above and below, left and right, none, and odd first sizes (resized to even).
    const sizes = [[1280, 720], [720, 1280], [1000, 1000], [1080, 2400], [1446, 1080], [1086, 1920], [642, 478]]
    const outputs = [[1080, 1920], [1080, 1080], [1920, 1080], [360, 640]]
    const fit = { framing: 'fit' as const, focus: { x: 0.5, y: 0.5 } }
    const seen: string[] = []
    for (const [width, height] of sizes) {
      const clip = join(work, `fit-${width}x${height}.mp4`)
      await ffmpeg(['-v', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=s=${width}x${height}:r=30:d=0.2`, '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', clip])
      for (const [W, H] of outputs) {
        const md5 = async (graph: string) => (await exec(FFMPEG, ['-v', 'error', '-i', clip, '-filter_complex', graph, '-map', '[framed]', '-f', 'md5', '-'])).stdout.trim()
        const stacked = framingGraph(fit, W, H, { width, height })
        expect(stacked).not.toContain('overlay')
        const [a, b] = [await md5(framingGraph(fit, W, H)), await md5(stacked)]
        seen.push(`${width}x${height} → ${W}x${H}: ${a === b ? 'same' : `overlay ${a}, stacked ${b}`}`)
        expect(b, seen.at(-1)).toBe(a)
      }
    }
  })
})

describe('golden frames', () => {
  it.each(STYLES)('%s looks as it did (hook, caption, call to action over a fitted clip)', async (style) => {
    const { rgb } = await goldenStrip(style)
    const golden = join(GOLDENS, `${style}.png`)
    mkdirSync(RESULTS, { recursive: true })
    await writePng(rgb, GOLDEN_W * 3, GOLDEN_H, join(RESULTS, `golden-${style}-now.png`))
    if (UPDATE) {
      mkdirSync(GOLDENS, { recursive: true })
      await writePng(rgb, GOLDEN_W * 3, GOLDEN_H, golden)
      return
    }
    if (!NPM_FFMPEG) return // Another FFmpeg draws other glyphs: the frame checks above still ran on it.
    expect(existsSync(golden), `no golden for ${style}: run with UPDATE_GOLDENS=1`).toBe(true)
    const want = await readPng(golden)
    expect(want.length).toBe(rgb.length)
    let sum = 0
    for (let i = 0; i < rgb.length; i++) sum += Math.abs(rgb[i] - want[i])
    const mean = sum / rgb.length
    measured.push(`golden ${style}: mean difference ${mean.toFixed(3)}`)
    expect(mean, `${style} differs from its golden by ${mean.toFixed(2)} (see test-results/golden-${style}-now.png)`).toBeLessThanOrEqual(GOLDEN_TOLERANCE)
  })

  it('writes a contact sheet of every style and aspect for a person to look at', async () => {
    // One row per style: 9:16, 1:1 and 16:9 at the hook and at a caption, over the pattern clip.
    const cell = 240
    const inputs: string[] = []
    const filters: string[] = []
    let n = 0
    for (const style of STYLES) {
      for (const aspect of ASPECTS) {
        const spec = specFor(style, aspect, 'fit')
        const file = await render(spec, clips.pattern, `sheet-${style}-${aspect.replace(':', 'x')}`)
        const t = timeline(spec, SECONDS)
        for (const beat of [t.hook, t.captions[0]]) {
          inputs.push('-ss', (beat ? (beat.start + beat.end) / 2 : 1).toFixed(3), '-i', file)
          filters.push(`[${n}:v]scale=${cell}:${cell}:force_original_aspect_ratio=decrease,pad=${cell}:${cell}:(ow-iw)/2:(oh-ih)/2:0x202020,setsar=1[c${n}]`)
          n++
        }
      }
    }
    const perRow = ASPECTS.length * 2
    for (let r = 0; r < STYLES.length; r++) filters.push(`${Array.from({ length: perRow }, (_, i) => `[c${r * perRow + i}]`).join('')}hstack=inputs=${perRow}[r${r}]`)
    filters.push(`${STYLES.map((_, r) => `[r${r}]`).join('')}vstack=inputs=${STYLES.length}[sheet]`)
    mkdirSync(RESULTS, { recursive: true })
    const sheet = join(RESULTS, 'contact-sheet.png')
    await ffmpeg(['-v', 'error', '-y', ...inputs, '-filter_complex', filters.join(';'), '-map', '[sheet]', '-frames:v', '1', sheet])
    expect((await readFile(sheet)).length).toBeGreaterThan(10_000)
    await writeFile(join(RESULTS, 'frames-measured.txt'), `${measured.join('\n')}\n`)
  })
})
