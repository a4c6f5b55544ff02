/**
 * Captions from speech (#15), in Chromium against the whole product with the OpenAI-compatible
 * transcription stub (test/stubs/transcription.ts, hearing the committed eSpeak fixture's words):
 * the autopilot's setting on its page; the fixture uploaded on the library page, cut by the real
 * render server, heard through the stub in parts and shown word by word in the library's panel,
 * a word fixed keeping its times, at 1440 px and 390 px; a post of it rendered on the real render
 * server with the words burned in inside the safe area, the browser preview drawing the same
 * boxes at each word; the post's own switch turning them off (rendered again without). And with no
 * provider configured, the library says captions from speech need one.
 */
import { writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { beforeAll, describe, expect, test } from 'vitest'
import { safeRect } from '../containers/render/recipe/safe-areas.ts'
import fixture from '../test/fixtures/speech/speech.json'
import { createPlatformStubServer } from '../test/stubs/server'
import { greyFrame, H, INK, sameBoxes, savePreviewVideo, W } from './frames'
import { settledPost } from './posts'
import { e2eSuite, resultPath, ROOT, signInLocally, unique, waitForHydration, watchPageErrors, type Product } from './harness'

const FIXTURE = join(ROOT, 'test', 'fixtures', 'speech', 'speech.mp4')
/** How far apart the same caption box may sit in the preview and the render (as e2e/video.test.ts). */
const BOX_TOLERANCE_PX = 4
const mid = (w: { start: number; end: number }) => (w.start + w.end) / 2

/** The Chromium of the describe block running now (each starts a product of its own). */
let browser: Browser

/** A signed-in page (at 1440 px) on a new workspace and project. */
async function newProject(product: Product, label: string): Promise<{ page: Page; projectId: string; errors: string[] }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } })
  const page = await context.newPage()
  const errors = watchPageErrors(page)
  await signInLocally(page, product, { email: `${unique(label)}@example.com`, name: 'Speech Tester' })
  const ws = await (await page.request.post(product.url('/api/workspaces'), { data: { name: 'Talks', slug: unique('talks').toLowerCase() } })).json()
  const project = await (await page.request.post(product.url('/api/projects'), { data: { workspaceId: ws.id, name: 'Talking shorts', description: 'Short videos that talk' } })).json()
  return { page, projectId: project.id, errors }
}

/** Whether the page scrolls sideways at this width. */
async function fitsAt(page: Page, width: number) {
  await page.setViewportSize({ width, height: 900 })
  return page.evaluate(() => document.documentElement.scrollWidth)
}

/** The pixels where two frames of the same size differ (a grey step over INK), as a bounding box. */
function differing(a: Buffer, b: Buffer) {
  let box: { x0: number; x1: number; y0: number; y1: number; count: number } | null = null
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      if (Math.abs(a[y * W + x] - b[y * W + x]) <= INK) continue
      box ??= { x0: x, x1: x, y0: y, y1: y, count: 0 }
      box.x0 = Math.min(box.x0, x)
      box.x1 = Math.max(box.x1, x)
      box.y0 = Math.min(box.y0, y)
      box.y1 = Math.max(box.y1, y)
      box.count++
    }
  return box
}

describe('with a transcription provider (the OpenAI-compatible stub)', () => {
  let product: Product
  let dir: string
  let stubs: Server
  let apiKey: string
  let stubUrl: string

  // The stub listens and hands out a key before the product starts (the product is pointed at it).
  beforeAll(async () => {
    stubs = createPlatformStubServer()
    await new Promise<void>((resolve) => stubs.listen(0, '127.0.0.1', resolve))
    stubUrl = `http://127.0.0.1:${(stubs.address() as AddressInfo).port}`
    const made = await fetch(`${stubUrl}/_control/transcription/keys`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ words: fixture.words, language: 'en' }) })
    apiKey = ((await made.json()) as { apiKey: string }).apiKey
  })

  // env is read when the product starts, after the stub listens.
  e2eSuite('speech', {
    get env() {
      // Parts of 3 s, so the 5.3 s fixture is cut, heard in two parts and joined.
      return { TRANSCRIPTION_BASE_URL: `${stubUrl}/openai/v1`, TRANSCRIPTION_API_KEY: apiKey, TRANSCRIPTION_MODEL: 'whisper-1', TRANSCRIPTION_PART_SEC: '3' }
    },
    ready: (s) => void ({ product, browser, dir } = s),
    done: async () => {
      stubs?.closeAllConnections()
      await new Promise<void>((resolve) => (stubs ? stubs.close(() => resolve()) : resolve()))
    },
  })

  test('the autopilot setting, the library transcript edited, a post rendered with the words and previewed the same, then turned off', async () => {
    const { page, projectId, errors } = await newProject(product, 'speech')
    expect((await page.request.post(product.url(`/api/projects/${projectId}/connections`), { data: { platform: 'tiktok', mode: 'sandbox' } })).status()).toBe(201)

    // The autopilot page: captions from speech per project, off then on again, saved through the API.
    await page.goto(product.url(`/projects/${projectId}/autopilot`))
    await waitForHydration(page)
    const setting = page.getByRole('checkbox', { name: /^Captions from speech/ })
    expect(await setting.isChecked()).toBe(true)
    await setting.uncheck()
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await page.getByText('Saved. The autopilot is off').waitFor()
    const off = await (await page.request.get(product.url(`/api/autopilot/${projectId}`))).json()
    expect(off.config.speechCaptions).toBe(false)
    await page.reload()
    await waitForHydration(page)
    expect(await setting.isChecked()).toBe(false)
    await setting.check()
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await page.getByText('Saved. The autopilot is off').waitFor()
    expect((await (await page.request.get(product.url(`/api/autopilot/${projectId}`))).json()).config.speechCaptions).toBe(true)

    // The fixture uploaded on the library page: checked, its sound cut and heard, its words shown.
    await page.goto(product.url(`/projects/${projectId}/library`))
    await waitForHydration(page)
    await page.getByLabel('Choose files to upload').setInputFiles(FIXTURE)
    await page.locator('[data-upload="speech.mp4"]').getByText('Ready').waitFor({ timeout: 120_000 })
    const media = (await (await page.request.get(product.url(`/api/projects/${projectId}/media`))).json()).data
    expect(media).toHaveLength(1)
    const mediaId = media[0].id as string
    await page.getByRole('button', { name: /^Captions from speech of / }).click()
    const panel = page.getByTestId('transcript-panel')
    await expect.poll(() => panel.getAttribute('data-state'), { timeout: 180_000, interval: 1_000 }).toBe('done')
    const words = panel.getByRole('list', { name: 'Words' }).getByRole('textbox')
    expect(await words.evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value))).toEqual(fixture.words.map((w) => w.word))
    expect(await panel.innerText()).toMatch(/7 words · language en · heard by an OpenAI-compatible API \(whisper-1\)/)
    const heard = (await (await fetch(`${stubUrl}/_control/transcription/keys/${encodeURIComponent(apiKey)}`)).json()) as { calls: number }
    expect(heard.calls, 'the 5.3 s clip heard in parts of at most 3 s, joined').toBeGreaterThanOrEqual(2)

    // Fix a word: its times stay.
    await words.first().fill('Subtitles')
    await panel.getByRole('button', { name: 'Save words' }).click()
    await panel.getByText('Saved: the next render uses these words.').waitFor()
    const saved = await (await page.request.get(product.url(`/api/media/${mediaId}/transcript`))).json()
    expect(saved.words.map((w: { word: string }) => w.word)).toEqual(['Subtitles', ...fixture.words.slice(1).map((w) => w.word)])
    expect(saved.words[0].start).toBeCloseTo(fixture.words[0].start, 1)
    expect(saved.words[0].end).toBeCloseTo(fixture.words[0].end, 1)
    await page.screenshot({ path: resultPath('speech-library-1440.png'), fullPage: true })
    expect(await fitsAt(page, 390)).toBeLessThanOrEqual(390)
    await page.screenshot({ path: resultPath('speech-library-390.png'), fullPage: true })
    expect(await fitsAt(page, 1440)).toBeLessThanOrEqual(1440)

    // A post of the clip (its own setting left to the autopilot's: on), rendered by the real server.
    const created = await page.request.post(product.url(`/api/projects/${projectId}/posts`), { data: { mediaId, scheduledAt: new Date(Date.now() + 86_400_000).toISOString() } })
    expect(created.status(), await created.text()).toBe(201)
    const postId = (await created.json()).id as string
    const settled = async () => {
      const post = await settledPost(page, product, postId)
      expect(post.render?.videoUrl, JSON.stringify(post.events)).toBeTruthy()
      return post
    }
    const post = await settled()
    expect(post.speechCaptions).toBeNull()
    expect(post.spec.speech.words.map((w: { word: string }) => w.word)).toEqual(saved.words.map((w: { word: string }) => w.word))
    const withFile = join(dir, 'server-with.mp4')
    writeFileSync(withFile, Buffer.from(await (await fetch(post.render.videoUrl)).arrayBuffer()))

    // The post's browser preview draws the same caption boxes as the render at every word.
    await page.goto(product.url(`/projects/${projectId}/content?post=${postId}`))
    await waitForHydration(page)
    const postPanel = page.getByRole('complementary', { name: 'Post' })
    const preview = postPanel.getByRole('region', { name: 'Preview of the video' })
    await preview.getByRole('button', { name: 'Preview the video' }).click()
    await preview.locator('[data-testid="preview-result"], [role="alert"]').first().waitFor({ timeout: 400_000 })
    if (await preview.getByRole('alert').count()) throw new Error(`preview failed: ${await preview.getByRole('alert').innerText()}`)
    const previewFile = join(dir, 'preview-with.mp4')
    await savePreviewVideo(preview, previewFile)
    const { report, worst } = sameBoxes(previewFile, withFile, saved.words.map((w: { word: string; start: number; end: number }) => ({ at: mid(w), what: `"${w.word}"` })), BOX_TOLERANCE_PX)
    writeFileSync(resultPath('speech-preview-vs-render.txt'), `${report.join('\n')}\nlargest difference: ${worst} px\n`)

    // The post's own switch: off for this post, saved, rendered again without the words.
    const edit = postPanel.getByRole('form', { name: 'Edit the post' })
    expect(await edit.getByLabel(/^Captions from speech/).inputValue()).toBe('')
    await edit.getByLabel(/^Captions from speech/).selectOption('off')
    // Before saving, the preview already follows the choice: previewed again, without the words.
    await preview.getByRole('button', { name: 'Preview the video' }).click()
    await preview.getByTestId('preview-result').waitFor({ state: 'detached' })
    await preview.locator('[data-testid="preview-result"], [role="alert"]').first().waitFor({ timeout: 400_000 })
    if (await preview.getByRole('alert').count()) throw new Error(`preview failed: ${await preview.getByRole('alert').innerText()}`)
    const previewOffFile = join(dir, 'preview-without.mp4')
    await savePreviewVideo(preview, previewOffFile)
    await edit.getByRole('button', { name: 'Save changes' }).click()
    await edit.getByText('Saved. The video renders again with your changes.').waitFor()
    const without = await settled()
    expect(without.speechCaptions).toBe(false)
    expect(without.spec.speech).toBeUndefined()
    const withoutFile = join(dir, 'server-without.mp4')
    writeFileSync(withoutFile, Buffer.from(await (await fetch(without.render.videoUrl)).arrayBuffer()))

    // The words are what differs between the two renders: during each word, inside TikTok's safe area.
    const safe = safeRect({ width: W, height: H }, '9:16', ['tiktok'])
    const seen: string[] = []
    for (const w of saved.words as { word: string; start: number; end: number }[]) {
      const box = differing(greyFrame(withFile, mid(w)), greyFrame(withoutFile, mid(w)))
      seen.push(`${mid(w).toFixed(2)} s "${w.word}": ${JSON.stringify(box)}`)
      expect(box, seen.at(-1)).not.toBeNull()
      expect(box!.count, seen.at(-1)).toBeGreaterThan(50)
      expect(box!.x0, seen.at(-1)).toBeGreaterThanOrEqual(safe.x0 - 1)
      expect(box!.x1, seen.at(-1)).toBeLessThanOrEqual(safe.x1 + 1)
      expect(box!.y0, seen.at(-1)).toBeGreaterThanOrEqual(safe.y0 - 1)
      expect(box!.y1, seen.at(-1)).toBeLessThanOrEqual(safe.y1 + 1)
    }
    writeFileSync(resultPath('speech-caption-pixels.txt'), `${seen.join('\n')}\nsafe area ${JSON.stringify(safe)}\n`)
    // The preview made before saving draws what the render without draws, at every word.
    const offPreview = sameBoxes(previewOffFile, withoutFile, saved.words.map((w: { word: string; start: number; end: number }) => ({ at: mid(w), what: `"${w.word}"` })), BOX_TOLERANCE_PX)
    writeFileSync(resultPath('speech-preview-off-vs-render.txt'), `${offPreview.report.join('\n')}\nlargest difference: ${offPreview.worst} px\n`)
    await page.reload()
    await waitForHydration(page)
    expect(await postPanel.getByRole('form', { name: 'Edit the post' }).getByLabel(/^Captions from speech/).inputValue()).toBe('off')
    expect(errors).toEqual([])
  }, 900_000)
})

describe('with no transcription provider', () => {
  let product: Product
  e2eSuite('speech-no-provider', { ready: (s) => void ({ product, browser } = s) })

  test('the library says captions from speech need a provider, and nothing is transcribed', async () => {
    const { page, projectId, errors } = await newProject(product, 'nospeech')
    await page.goto(product.url(`/projects/${projectId}/library`))
    await waitForHydration(page)
    await page.getByLabel('Choose files to upload').setInputFiles(FIXTURE)
    await page.locator('[data-upload="speech.mp4"]').getByText('Ready').waitFor({ timeout: 120_000 })
    await page.getByRole('button', { name: /^Captions from speech of / }).click()
    const panel = page.getByTestId('transcript-panel')
    await expect.poll(() => panel.getAttribute('data-state')).toBe('no_provider')
    expect(await panel.getByTestId('transcript-message').innerText()).toMatch(/need a transcription provider/)
    expect(await panel.getByRole('button', { name: /^Transcribe/ }).count()).toBe(0)
    expect(await fitsAt(page, 390)).toBeLessThanOrEqual(390)
    expect(errors).toEqual([])
  }, 300_000)
})
