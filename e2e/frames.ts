/**
 * Frames of videos for e2e checks: a grey frame at a time, scaled to the browser preview's size,
 * and the boxes a recipe drew on it (against the clip's flat background), so a preview and a
 * server render of the same spec can be compared box by box (e2e/video.test.ts, e2e/speech.test.ts);
 * and the grey levels of a frame a page shows as an image (e2e/preview.test.ts, e2e/library.test.ts).
 */
import { execFileSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import type { Locator } from 'playwright-core'
import { expect } from 'vitest'
import { ffmpegPath } from '../scripts/tools.mjs'

/** The preview's size: frames of both videos are compared at it. */
export const W = 360
export const H = 640
/** A pixel farther than this from the clip's flat background is drawn by the recipe (text, box, bar, logo). */
export const INK = 48

/** A grey frame of an MP4 at a time, scaled to the preview's size. */
export function greyFrame(file: string, t: number): Buffer {
  return execFileSync(ffmpegPath(), ['-v', 'error', '-ss', t.toFixed(3), '-i', file, '-frames:v', '1', '-vf', `scale=${W}:${H}`, '-f', 'rawvideo', '-pix_fmt', 'gray', '-'], { maxBuffer: 16 * 1024 * 1024 })
}

export interface Box {
  y0: number
  y1: number
  x0: number
  x1: number
}

/**
 * The boxes the recipe drew on a frame of the flat grey clip: bands of rows holding ink (rows
 * closer than 6 px join one band), each with the columns its ink spans.
 */
export function inkBoxes(frame: Buffer, background: number, region: Box = { x0: 0, x1: W - 1, y0: 0, y1: H - 1 }): Box[] {
  const rows: Array<[number, number] | null> = new Array(region.y0).fill(null)
  for (let y = region.y0; y <= region.y1; y++) {
    let x0 = W
    let x1 = -1
    let count = 0
    for (let x = region.x0; x <= region.x1; x++) {
      if (Math.abs(frame[y * W + x] - background) <= INK) continue
      count++
      x0 = Math.min(x0, x)
      x1 = Math.max(x1, x)
    }
    rows.push(count >= 2 ? [x0, x1] : null)
  }
  const boxes: Box[] = []
  let gap = Infinity
  for (let y = region.y0; y <= region.y1; y++) {
    const r = rows[y]
    if (!r) {
      gap++
      continue
    }
    const last = boxes.at(-1)
    if (last && gap < 6) Object.assign(last, { y1: y, x0: Math.min(last.x0, r[0]), x1: Math.max(last.x1, r[1]) })
    else boxes.push({ y0: y, y1: y, x0: r[0], x1: r[1] })
    gap = 0
  }
  // Specks (a stray encoded pixel) are not boxes.
  return boxes.filter((b) => b.y1 - b.y0 >= 2)
}

/** The most common grey of a frame, or of a box of it: the background, or a box's or bar's fill. */
export function dominant(frame: Buffer, box: Box = { x0: 0, x1: W - 1, y0: 0, y1: H - 1 }): number {
  const counts = new Array(256).fill(0)
  for (let y = box.y0; y <= box.y1; y++) for (let x = box.x0; x <= box.x1; x++) counts[frame[y * W + x]]++
  return counts.indexOf(Math.max(...counts))
}

/** The share of a box's pixels within INK of a grey. */
export function share(frame: Buffer, box: Box, grey: number): number {
  let n = 0
  for (let y = box.y0; y <= box.y1; y++) for (let x = box.x0; x <= box.x1; x++) if (Math.abs(frame[y * W + x] - grey) <= INK) n++
  return n / ((box.x1 - box.x0 + 1) * (box.y1 - box.y0 + 1))
}

/**
 * The drawn boxes of a frame and, inside a filled one (the corporate bar, a caption box), the
 * boxes of what is drawn on it: so text on a bar is compared too, not only the bar.
 */
export function drawnBoxes(frame: Buffer): Box[] {
  const bg = dominant(frame)
  const out: Box[] = []
  for (const box of inkBoxes(frame, bg)) {
    out.push(box)
    const fill = dominant(frame, box)
    // A filled box (most of it one colour, not the background) has things drawn on it; looked
    // at inside its edges, as its own antialiased border is not one of them. A line of text is
    // not filled: its letters never cover most of their box.
    const inner = { x0: box.x0 + 2, x1: box.x1 - 2, y0: box.y0 + 2, y1: box.y1 - 2 }
    if (Math.abs(fill - bg) > INK && inner.x1 > inner.x0 && inner.y1 > inner.y0 && share(frame, box, fill) >= 0.6) out.push(...inkBoxes(frame, fill, inner))
  }
  return out
}

/** The picture an <img> on the page shows, as grey levels (the mean of R, G and B, row by row), read through a canvas in the page. */
export async function shownFrame(img: Locator): Promise<{ width: number; height: number; grey: number[] }> {
  return img.evaluate(async (node) => {
    const img = node as HTMLImageElement
    await img.decode()
    const canvas = document.createElement('canvas')
    canvas.width = img.naturalWidth
    canvas.height = img.naturalHeight
    const ctx = canvas.getContext('2d')!
    ctx.drawImage(img, 0, 0)
    const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height)
    const grey: number[] = []
    for (let i = 0; i < data.length; i += 4) grey.push((data[i] + data[i + 1] + data[i + 2]) / 3)
    return { width: img.naturalWidth, height: img.naturalHeight, grey }
  })
}

/** Writes the MP4 a preview region shows (its preview-video) to `file`. */
export async function savePreviewVideo(preview: Locator, file: string) {
  const b64 = await preview.getByTestId('preview-video').evaluate(async (v) => {
    const blob = await (await fetch((v as HTMLVideoElement).src)).blob()
    return await new Promise<string>((resolve) => {
      const reader = new FileReader()
      reader.onload = () => resolve(String(reader.result).split(',')[1])
      reader.readAsDataURL(blob)
    })
  })
  writeFileSync(file, Buffer.from(b64, 'base64'))
}

/**
 * A preview and a render of the same spec, at each moment: the same boxes drawn (at least one),
 * each within `tolerancePx` (preview pixels). Answers what was seen and the largest difference.
 */
export function sameBoxes(previewFile: string, serverFile: string, moments: { at: number; what: string }[], tolerancePx: number): { report: string[]; worst: number } {
  const report: string[] = []
  let worst = 0
  for (const { at, what } of moments) {
    const [pb, sb] = [drawnBoxes(greyFrame(previewFile, at)), drawnBoxes(greyFrame(serverFile, at))]
    report.push(`${at.toFixed(2)} s ${what}: preview ${JSON.stringify(pb)} server ${JSON.stringify(sb)}`)
    expect(pb.length, report.at(-1)).toBe(sb.length)
    expect(pb.length, report.at(-1)).toBeGreaterThan(0)
    for (const [i, b] of pb.entries()) {
      const d = Math.max(...(['x0', 'x1', 'y0', 'y1'] as const).map((k) => Math.abs(b[k] - sb[i][k])))
      worst = Math.max(worst, d)
      expect(d, report.at(-1)).toBeLessThanOrEqual(tolerancePx)
    }
  }
  return { report, worst }
}
