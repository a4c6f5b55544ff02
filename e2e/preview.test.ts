// The style preview in Chromium: the product started for real, a clip made with FFmpeg picked
// from disk, ffmpeg.wasm loaded only on demand, and a rendered frame shown.
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { expect, test } from 'vitest'
import { makeClip } from './clips'
import { shownFrame } from './frames'
import { e2eSuite, type Product } from './harness'

let product: Product
let browser: Browser
let dir: string

// A 3 s clip made with FFmpeg in the file's folder, picked from disk by the page.
e2eSuite('preview', {
  ready: (s) => {
    ;({ product, browser, dir } = s)
    makeClip(join(dir, 'clip.mp4'), { picture: 'testsrc2=size=640x360:rate=30', seconds: 3, tone: 440 })
  },
})

test('previews a style on a clip in the browser and shows a frame', async () => {
  const page = await browser.newPage()
  const engineRequests: string[] = []
  page.on('request', (r) => {
    if (r.url().includes('/vendor/ffmpeg/')) engineRequests.push(r.url())
  })
  // The page runs under the product's CSP (#11): hydration, the engine's worker and wasm, blob: results.
  const cspViolations: string[] = []
  page.on('console', (m) => /Content Security Policy/i.test(m.text()) && cspViolations.push(m.text()))
  const response = await page.goto(product.url('/preview'))
  expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self' 'nonce-[^']+' 'wasm-unsafe-eval'/)
  await page.waitForSelector('html[data-hydrated="true"]')
  await page.getByTestId('preview-file').setInputFiles(join(dir, 'clip.mp4'))
  await page.getByTestId('preview-style').selectOption('neon')
  // Nothing of the 32 MB engine is fetched until a preview is asked for.
  expect(engineRequests).toEqual([])
  const problems: string[] = []
  page.on('pageerror', (e) => problems.push(e.message))
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()))
  await page.getByRole('button', { name: 'Preview' }).click()
  // The engine (a module worker, a blob: wasm compiled under 'wasm-unsafe-eval') starts under the CSP.
  // The progress bar appears, unless the preview fails: then say why.
  await page.locator('[data-testid="preview-progress"], [role="alert"]').first().waitFor({ timeout: 120_000 })
  expect(cspViolations).toEqual([])
  const alert = page.getByRole('alert')
  if (await alert.count()) throw new Error(`preview failed: ${await alert.innerText()} ${problems.join(' | ')}`)
  await page.locator('[data-testid="preview-frame"], [role="alert"]').first().waitFor({ timeout: 240_000 })
  if (await alert.count()) throw new Error(`preview failed: ${await alert.innerText()} ${problems.join(' | ')}`)
  expect(engineRequests.some((u) => u.endsWith('ffmpeg-core.wasm.gz'))).toBe(true)

  // The frame is a real 360×640 picture with detail in it, not an empty image.
  const frame = await shownFrame(page.getByTestId('preview-frame'))
  let sum = 0
  let sumSq = 0
  for (const y of frame.grey) {
    sum += y
    sumSq += y * y
  }
  const n = frame.grey.length
  const stats = { width: frame.width, height: frame.height, variance: sumSq / n - (sum / n) ** 2 }
  expect(stats).toMatchObject({ width: 360, height: 640 })
  expect(stats.variance).toBeGreaterThan(100)
  expect(await page.getByTestId('preview-progress').evaluate((p) => (p as HTMLProgressElement).value)).toBe(1)
  const video = page.getByTestId('preview-video')
  await expect.poll(() => video.evaluate((v) => (v as HTMLVideoElement).readyState), { timeout: 30_000 }).toBeGreaterThanOrEqual(1)
  expect(await video.evaluate((v) => (v as HTMLVideoElement).duration)).toBeCloseTo(3, 0)
  expect(cspViolations).toEqual([])
})

test('a preview that takes too long says so and stops; one that hangs can be canceled (#18)', async () => {
  const page = await browser.newPage()
  // The page's clock is Playwright's, so the preview's time limit can pass without waiting for it.
  await page.clock.install()
  // The engine's wasm never arrives: the preview hangs at "Loading the preview engine…".
  const held: string[] = []
  await page.route('**/vendor/ffmpeg/ffmpeg-core.wasm.gz', (route) => void held.push(route.request().url()))
  await page.goto(product.url('/preview'))
  await page.waitForSelector('html[data-hydrated="true"]')
  await page.getByTestId('preview-file').setInputFiles(join(dir, 'clip.mp4'))
  await page.getByRole('button', { name: 'Preview' }).click()
  await expect.poll(() => page.getByTestId('preview-stage').innerText()).toBe('Loading the preview engine…')
  await expect.poll(() => held.length).toBeGreaterThan(0)
  expect(await page.getByRole('button', { name: 'Cancel preview' }).isVisible()).toBe(true)

  // Past its limit (60 s + 4 s a second of video): stopped, and said so.
  await page.clock.fastForward('10:00')
  const alert = page.getByRole('alert')
  await alert.waitFor()
  expect(await alert.innerText()).toMatch(/^The preview took longer than \d+ s and was stopped\. Try again/)
  expect(await page.getByRole('button', { name: 'Cancel preview' }).count()).toBe(0)
  expect(await page.getByRole('button', { name: 'Preview' }).isEnabled()).toBe(true)

  // Again, hanging the same way: Cancel stops it at once, and it says so (not as a failure).
  await page.getByRole('button', { name: 'Preview' }).click()
  await page.getByRole('button', { name: 'Cancel preview' }).click()
  await page.getByTestId('preview-stopped').waitFor()
  expect(await page.getByTestId('preview-stopped').innerText()).toBe('Preview canceled.')
  expect(await page.getByRole('alert').count()).toBe(0)
  expect(await page.getByRole('button', { name: 'Preview' }).isEnabled()).toBe(true)
  await page.close()
}, 120_000)
