/**
 * The library page in Chromium against the whole product: pick a clip (made here with FFmpeg),
 * watch its progress bar move, see its thumbnail appear in the grid; a text file renamed .mp4
 * shows why it was refused; deleting asks first and takes the clip away; a large file resumes
 * after a dropped connection and after a page reload; a ready clip opens the style preview on
 * itself, which renders a frame with its text drawn.
 */
import { execFileSync } from 'node:child_process'
import { statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { ffmpegPath } from '../scripts/tools.mjs'
import { makeClip, type ClipOptions } from './clips'
import { shownFrame } from './frames'
import { e2eSuite, resultPath, signInLocally, unique, waitForHydration, watchPageErrors, type Product } from './harness'

let product: Product
let browser: Browser
let dir: string

e2eSuite('library', { ready: (s) => void ({ product, browser, dir } = s) })

/** Lossless noise: a clip that cannot be compressed below 100 MB in a few seconds. */
const NOISE: ClipOptions = { picture: "nullsrc=s=960x540:r=25,geq=lum='random(1)*255':cb=128:cr=128", seconds: 6, lossless: true }

/** A signed-in page on the library of a new project of a new workspace. */
async function openLibrary(): Promise<{ page: Page; projectId: string }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  const page = await context.newPage()
  await signInLocally(page, product, { email: `${unique('lib')}@example.com`, name: 'Lib Tester' })
  // The session cookie set by signing in authenticates these API calls, as it does the page's own.
  const ws = await (await page.request.post(product.url('/api/workspaces'), { data: { name: 'Clips', slug: unique('clips').toLowerCase() } })).json()
  const project = await (await page.request.post(product.url('/api/projects'), { data: { workspaceId: ws.id, name: 'Summer shorts' } })).json()
  await page.goto(product.url(`/projects/${project.id}/library`))
  await page.getByText('Drop clips here').waitFor()
  return { page, projectId: project.id }
}

describe('library page', () => {
  test('upload a clip: the progress bar moves with bytes, speed and time left, then the thumbnail appears', async () => {
    const clip = join(dir, 'beach day.mp4')
    makeClip(clip, { picture: 'testsrc2=size=640x360:rate=25', seconds: 4, bitrate: { rate: '8M', buffer: '2M' } })
    const size = statSync(clip).size
    const { page } = await openLibrary()

    // A slow uplink, so there is a transfer to watch.
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 20, downloadThroughput: -1, uploadThroughput: Math.max(256 * 1024, Math.floor(size / 4)) })

    await page.getByLabel('Choose files to upload').setInputFiles(clip)
    const bar = page.getByRole('progressbar', { name: 'Upload of beach day.mp4' })
    await bar.waitFor()

    // Watch the bar until the upload is done: it must pass through values between 0 and 100,
    // with the bytes sent, the speed and the time left shown beside it.
    const seen = new Set<number>()
    const stats: string[] = []
    const row = page.locator('[data-upload="beach day.mp4"]')
    for (;;) {
      seen.add(Number(await bar.getAttribute('aria-valuenow')))
      stats.push(await row.getByTestId('upload-stats').innerText())
      const phase = await row.locator('[data-phase]').getAttribute('data-phase')
      if (phase === 'checking' || phase === 'done' || phase === 'failed') break
      await page.waitForTimeout(100)
    }
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 })
    expect([...seen].some((v) => v > 0 && v < 100), `progress values seen: ${[...seen].join(', ')}`).toBe(true)
    expect(stats.some((s) => /\d+(\.\d)? (kB|MB) of \d+(\.\d)? MB · \d+% · [\d.]+ (kB|MB)\/s · (\d+ s left|\d+ min left)/.test(s)), stats.join('\n')).toBe(true)

    await row.getByText('Ready').waitFor({ timeout: 60_000 })
    expect(await bar.getAttribute('aria-valuenow')).toBe('100')

    // The grid now shows the clip with a thumbnail that really loaded, its duration and size.
    const card = page.getByRole('listitem', { name: 'beach day' })
    await card.waitFor()
    const thumb = card.getByRole('img', { name: 'Thumbnail of beach day' })
    await thumb.waitFor()
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0)
    await expect.poll(() => card.innerText()).toMatch(/0:04/)
    expect(await card.innerText()).toMatch(/Ready/)
    expect(await card.innerText()).toMatch(/640×360/)
    await page.screenshot({ path: resultPath('library-uploaded.png'), fullPage: true })
    await page.context().close()
  })

  test('several files at once: a text file renamed .mp4 shows why it was refused; delete asks first', async () => {
    const fake = join(dir, 'notes.mp4')
    writeFileSync(fake, 'Shopping list: eggs, milk, flour.\n'.repeat(100))
    const still = join(dir, 'cover.png')
    execFileSync(ffmpegPath(), ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc=size=320x240', '-frames:v', '1', still])
    const { page } = await openLibrary()

    await page.getByLabel('Choose files to upload').setInputFiles([fake, still])
    await page.locator('[data-upload="notes.mp4"]').getByText('Rejected: not a video').waitFor({ timeout: 60_000 })
    await page.locator('[data-upload="cover.png"]').getByText('Ready').waitFor({ timeout: 60_000 })

    const refused = page.getByRole('listitem', { name: 'notes' })
    await refused.getByTestId('rejection-reason').waitFor()
    expect(await refused.getByTestId('rejection-reason').innerText()).toBe('Refused: not a video')
    await page.getByRole('listitem', { name: 'cover' }).getByRole('img', { name: 'Thumbnail of cover' }).waitFor()

    // Delete asks first; keeping it changes nothing.
    await refused.getByRole('button', { name: 'Delete notes' }).click()
    await refused.getByRole('button', { name: 'Keep' }).click()
    expect(await page.getByRole('listitem', { name: 'notes' }).count()).toBe(1)
    await refused.getByRole('button', { name: 'Delete notes' }).click()
    await refused.getByRole('button', { name: 'Yes, delete' }).click()
    await page.getByRole('listitem', { name: 'notes' }).waitFor({ state: 'detached' })
    expect(await page.getByRole('listitem', { name: 'cover' }).count()).toBe(1)

    // After a reload the library shows the same thing: the server's truth, not the page's memory.
    await page.reload()
    await page.getByRole('listitem', { name: 'cover' }).waitFor()
    expect(await page.getByRole('listitem', { name: 'notes' }).count()).toBe(0)
    await page.context().close()
  })

  test('a file over 100 MB goes up in parts; the network drops mid-way and the upload resumes from the stored parts', async () => {
    const big = join(dir, 'long take.mp4')
    makeClip(big, NOISE)
    expect(statSync(big).size).toBeGreaterThan(100_000_000)
    const { page } = await openLibrary()
    const cdp = await page.context().newCDPSession(page)
    const throttle = (offline: boolean) =>
      cdp.send('Network.emulateNetworkConditions', { offline, latency: 5, downloadThroughput: -1, uploadThroughput: 20 * 1024 * 1024 })
    await throttle(false)

    await page.getByLabel('Choose files to upload').setInputFiles(big)
    const row = page.locator('[data-upload="long take.mp4"]')
    const bar = page.getByRole('progressbar', { name: 'Upload of long take.mp4' })
    await expect.poll(async () => Number(await bar.getAttribute('aria-valuenow')), { timeout: 60_000, interval: 100 }).toBeGreaterThanOrEqual(30)

    // The connection drops: the page says so and waits.
    await throttle(true)
    await row.locator('[data-phase="reconnecting"]').waitFor({ timeout: 60_000 })
    const atDrop = Number(await bar.getAttribute('aria-valuenow'))
    await throttle(false)

    // Back online it resumes: the parts the server already holds are not sent again, so the bar
    // restarts from them rather than from zero, and the clip completes.
    await row.locator('[data-phase="uploading"]').waitFor({ timeout: 60_000 })
    const resumedFrom = Number(await bar.getAttribute('aria-valuenow'))
    expect(resumedFrom).toBeGreaterThan(0)
    await row.getByText('Ready').waitFor({ timeout: 120_000 })
    const card = page.getByRole('listitem', { name: 'long take' })
    await card.getByRole('img', { name: 'Thumbnail of long take' }).waitFor()
    expect(await card.innerText()).toMatch(/960×540/)
    expect(atDrop).toBeGreaterThanOrEqual(30)
    await page.context().close()
  })

  test('a multipart upload survives a page reload: the same file picked again sends only the parts the server lacks and completes', async () => {
    const big = join(dir, 'reloaded take.mp4')
    makeClip(big, NOISE)
    expect(statSync(big).size).toBeGreaterThan(100_000_000)
    const { page, projectId } = await openLibrary()
    // A slow enough uplink that the reload lands mid-upload.
    const cdp = await page.context().newCDPSession(page)
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 5, downloadThroughput: -1, uploadThroughput: 10 * 1024 * 1024 })

    // Every part PUT to storage after the reload, by the part number its signed URL grants.
    let reloaded = false
    const sentAfterReload: number[] = []
    page.on('request', (req) => {
      if (!reloaded || req.method() !== 'PUT' || !req.url().includes('/api/storage/')) return
      const token = new URL(req.url()).pathname.split('/').pop()!
      sentAfterReload.push(JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString()).partNumber)
    })

    await page.getByLabel('Choose files to upload').setInputFiles(big)
    // The page remembers the upload for this file; wait until the server holds a few of its parts.
    let mediaId: string | undefined
    await expect
      .poll(async () => (mediaId = await page.evaluate(() => Object.entries(localStorage).find(([k]) => k.startsWith('reelpilot:upload:') && k.includes('reloaded take.mp4'))?.[1])), { timeout: 60_000, interval: 100 })
      .toBeTruthy()
    const parts = async () => (await (await page.request.get(product.url(`/api/media/${mediaId}/parts`))).json()) as { partCount: number; uploaded: { partNumber: number }[]; missing: number[] }
    await expect.poll(async () => (await parts()).uploaded.length, { timeout: 60_000, interval: 100 }).toBeGreaterThanOrEqual(2)
    const heldBeforeReload = (await parts()).uploaded.map((p) => p.partNumber)
    const { partCount } = await parts()
    expect(heldBeforeReload.length).toBeLessThan(partCount)

    // Reload mid-upload: the page forgets everything but localStorage; the server keeps the parts.
    await page.reload()
    reloaded = true
    await page.getByText('Drop clips here').waitFor()
    expect(await page.getByRole('listitem', { name: 'reloaded take' }).getAttribute('data-status')).toBe('uploading')
    const heldAtResume = (await parts()).uploaded.map((p) => p.partNumber)

    // The same file picked again resumes the same upload and completes it.
    await page.getByLabel('Choose files to upload').setInputFiles(big)
    const row = page.locator('[data-upload="reloaded take.mp4"]')
    await row.getByText('Ready').waitFor({ timeout: 120_000 })
    await page.getByRole('listitem', { name: 'reloaded take' }).getByRole('img', { name: 'Thumbnail of reloaded take' }).waitFor()

    // Only the parts the server lacked went up again: fewer requests than parts, none it held.
    expect(sentAfterReload.length).toBeGreaterThan(0)
    expect(sentAfterReload.length).toBeLessThan(partCount)
    expect(sentAfterReload.filter((n) => heldAtResume.includes(n))).toEqual([])
    // One media item: the reload did not start a second upload, and the page forgot the finished one.
    const library = await (await page.request.get(product.url(`/api/projects/${projectId}/media`))).json()
    expect(library.data.map((m: any) => [m.id, m.status])).toEqual([[mediaId, 'ready']])
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('reelpilot:upload:')))).toEqual([])
    await page.context().close()
  })

  test('a ready clip opens the style preview on itself: a frame renders in the browser, with its text drawn', async () => {
    const clip = join(dir, 'city walk.mp4')
    makeClip(clip, { picture: 'smptehdbars=size=640x360:rate=30', seconds: 3, tone: 440 })
    const { page } = await openLibrary()
    const errors = watchPageErrors(page)
    await waitForHydration(page)
    await page.getByLabel('Choose files to upload').setInputFiles(clip)
    const card = page.getByRole('listitem', { name: 'city walk' })
    const open = card.getByRole('button', { name: 'Preview a style on city walk' })
    await open.waitFor({ timeout: 60_000 })
    await open.click()

    // The panel fetches the original through its download URL and hands it to the preview.
    const panel = page.getByTestId('clip-preview')
    const preview = panel.getByRole('region', { name: 'Style preview' })
    await preview.getByTestId('preview-clip').getByText('city walk.mp4').waitFor({ timeout: 30_000 })
    const run = preview.getByRole('button', { name: 'Preview', exact: true })
    expect(await run.isEnabled()).toBe(true)

    /** Runs the preview and answers the grey levels of the frame it shows. */
    const previewFrame = async () => {
      await run.click()
      await preview.getByTestId('preview-result').waitFor({ state: 'detached' })
      await preview.locator('[data-testid="preview-frame"], [role="alert"]').first().waitFor({ timeout: 240_000 })
      const alert = preview.getByRole('alert')
      if (await alert.count()) throw new Error(`preview failed: ${await alert.innerText()} ${errors.join(' | ')}`)
      // Every font the texts need was served (scripts/vendor-assets.mjs copies them).
      expect(await preview.getByTestId('preview-result').innerText()).not.toMatch(/Fonts not served/)
      return shownFrame(preview.getByTestId('preview-frame'))
    }

    // The hook alone: with no caption, the hook holds until the call to action near the end.
    await preview.getByLabel('Caption').fill('')
    const withText = await previewFrame()
    expect({ width: withText.width, height: withText.height }).toEqual({ width: 360, height: 640 })
    await page.screenshot({ path: resultPath('library-preview.png'), fullPage: true })

    // The same clip with no hook: the frame (about 1 s in, before the call to action; no caption;
    // the clip is still bars, so the exact moment does not matter) carries no text at all, so whatever differs is the hook drawn with the served fonts (about
    // a few % of the pixels: away from the text the two frames are identical).
    await preview.getByLabel('Hook').fill('')
    const bare = await previewFrame()
    const changed = withText.grey.filter((v, i) => Math.abs(v - bare.grey[i]) > 40).length / withText.grey.length
    expect(changed, `share of pixels the hook changed: ${changed}`).toBeGreaterThan(0.003)
    // Only the upper part of the frame, where the minimal style puts its hook (from the top of the
    // safe area down, at most about half the height for a four-line hook), changes: the lowest
    // 40 % (the caption and the call to action come later than this frame) stays as it was.
    const rows = withText.height
    const lowStart = Math.floor(rows * 0.6) * withText.width
    const low = withText.grey.slice(lowStart)
    const lowChanged = low.filter((v, i) => Math.abs(v - bare.grey[lowStart + i]) > 40).length / low.length
    expect(lowChanged, `share of the lowest 40 % changed: ${lowChanged}`).toBeLessThan(changed / 4)
    expect(errors).toEqual([])
    await page.context().close()
  })
})
