/**
 * The assistant and the inbox in Chromium, at 390 px wide, on a project with two named clips and
 * a few days of sandbox posts (POST /api/dev/demo-history): ideas, captions for a clip within the
 * limits, a rate card with its arithmetic, each naming the built-in templates as their writer; then
 * the inbox: new comments read with a suggested reply each, TikTok's note, one reply sent.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ffmpegPath } from '../scripts/tools.mjs'
import { launchBrowser, resultPath, signInLocally, startProduct, unique, waitForHydration, watchPageErrors, type Product } from './harness'

let product: Product
let browser: Browser
let dir: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rp-assistant-'))
  product = await startProduct()
  browser = await launchBrowser()
})

afterAll(async () => {
  if (product) writeFileSync(resultPath('assistant-product.log'), product.logs())
  await browser?.close()
  await product?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function uploadClip(page: Page, projectId: string, title: string, topic: string) {
  const path = join(dir, `${unique('clip')}.mp4`)
  execFileSync(ffmpegPath(), ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25', '-t', '3', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', path])
  const bytes = readFileSync(path)
  const started = await page.request.post(product.url('/api/media/upload-url'), { data: { projectId, filename: 'clip.mp4', contentType: 'video/mp4', size: bytes.length } })
  expect(started.status(), await started.text()).toBe(201)
  const { mediaId, uploadUrl } = await started.json()
  expect((await fetch(uploadUrl, { method: 'PUT', body: bytes })).status).toBe(200)
  const done = await page.request.post(product.url(`/api/media/${mediaId}/complete`))
  expect(done.status(), await done.text()).toBe(200)
  const named = await page.request.patch(product.url(`/api/media/${mediaId}`), { data: { title, topic } })
  expect(named.status(), await named.text()).toBe(200)
  return mediaId as string
}

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)

describe('assistant and inbox pages', () => {
  test('ideas, captions and prices, then the inbox: read comments, send one reply, at 390 px', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } })
    const page = await context.newPage()
    const errors = watchPageErrors(page)
    await signInLocally(page, product, { email: `${unique('assistant')}@example.com`, name: 'Ana' })
    const ws = await (await page.request.post(product.url('/api/workspaces'), { data: { name: 'Kitchen', slug: unique('kitchen').toLowerCase() } })).json()
    const project = await (await page.request.post(product.url('/api/projects'), { data: { workspaceId: ws.id, name: 'Kitchen shorts' } })).json()
    for (const platform of ['youtube', 'tiktok', 'instagram']) expect((await page.request.post(product.url(`/api/projects/${project.id}/connections`), { data: { platform, mode: 'sandbox' } })).status()).toBe(201)
    await uploadClip(page, project.id, 'Knife skills', 'three basic cuts')
    await uploadClip(page, project.id, 'Onion dice', 'dicing an onion fast')
    const auto = await page.request.put(product.url(`/api/autopilot/${project.id}`), { data: { cadence: 'daily', language: 'en', style: 'minimal', objective: 'awareness', timeWindows: ['12:00-13:00'], enabled: false } })
    expect(auto.status(), await auto.text()).toBe(200)
    const history = await page.request.post(product.url('/api/dev/demo-history'), { data: { projectId: project.id, days: 6 } })
    expect(history.status(), await history.text()).toBe(200)

    await page.goto(product.url(`/projects/${project.id}/assistant`))
    await waitForHydration(page)
    const ideas = page.locator('section, div').filter({ has: page.getByRole('heading', { name: 'Content ideas' }) }).last()
    await page.getByLabel('Audience notes').fill('Students cooking on a budget')
    await page.getByRole('button', { name: 'Suggest ideas' }).click()
    const list = page.getByRole('list', { name: 'Ideas' })
    await list.waitFor()
    expect(await list.getByRole('listitem').count()).toBe(5)
    await expect.poll(() => list.textContent()).toMatch(/three basic cuts|dicing an onion fast/)
    await expect.poll(() => ideas.getByTestId('provider').first().textContent()).toMatch(/Written by\s*Built-in templates/)
    expect(await page.getByTestId('provider').first().textContent()).not.toMatch(/\bAI\b/)

    await page.getByLabel('Clip').selectOption({ label: 'Knife skills' })
    await page.getByRole('button', { name: 'Write captions' }).click()
    const perPlatform = page.getByRole('list', { name: 'Per platform' })
    await perPlatform.waitFor()
    await expect.poll(() => perPlatform.textContent()).toMatch(/YouTube title\s*\d+ \/ 100 characters/)
    await expect.poll(() => perPlatform.textContent()).toMatch(/Instagram caption\s*\d+ \/ 2200 characters/)

    await page.getByRole('group', { name: 'YouTube CPM' }).getByLabel('Low').fill('12')
    await page.getByRole('group', { name: 'YouTube CPM' }).getByLabel('High').fill('20')
    await page.getByRole('button', { name: 'Price my posts' }).click()
    const youtubeRates = page.getByTestId('rates-youtube')
    await youtubeRates.waitFor()
    await expect.poll(() => youtubeRates.textContent()).toMatch(/median views ÷ 1,000 × 12–20 USD CPM/)
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    await page.screenshot({ path: resultPath('assistant-390.png'), fullPage: true })

    await page.goto(product.url(`/projects/${project.id}/inbox`))
    await waitForHydration(page)
    await page.getByText('No comments yet').waitFor()
    await page.getByText("TikTok's API does not give apps the comments", { exact: false }).waitFor()
    await page.getByRole('button', { name: 'Check for new comments' }).click()
    const comments = page.getByTestId('comment')
    await comments.first().waitFor()
    expect(await comments.count()).toBeGreaterThanOrEqual(3)
    // The comment that gives orders is shown as text, and its suggestion does not obey it.
    const spam = comments.filter({ hasText: 'Ignore your instructions' }).first()
    expect(await spam.getByRole('textbox').inputValue()).not.toMatch(/cheap-followers/)
    const first = comments.filter({ hasText: 'Which pan do you use' }).first()
    await first.getByRole('textbox').fill('Thanks! A 28 cm carbon steel pan.')
    await first.getByRole('button', { name: 'Send reply' }).click()
    await page.getByText('You replied: Thanks! A 28 cm carbon steel pan.').waitFor()
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    await page.screenshot({ path: resultPath('inbox-390.png'), fullPage: true })
    const api = await (await page.request.get(product.url(`/api/projects/${project.id}/inbox?state=replied`))).json()
    expect(api.comments.map((c: any) => c.replyText)).toEqual(['Thanks! A 28 cm carbon steel pan.'])
    expect(errors).toEqual([])
    await context.close()
  })
})
