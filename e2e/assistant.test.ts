/**
 * The assistant and the inbox in Chromium, at 390 px wide, on a new project with sandbox accounts:
 * ideas named as written by the built-in templates (never AI), the captions form's empty state, a
 * rate card that says what it needs, and the inbox with TikTok's note and a refresh. No sideways
 * scroll, no page errors.
 */
import { writeFileSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { launchBrowser, resultPath, signInLocally, startProduct, unique, waitForHydration, watchPageErrors, type Product } from './harness'

let product: Product
let browser: Browser

beforeAll(async () => {
  product = await startProduct()
  browser = await launchBrowser()
})

afterAll(async () => {
  if (product) writeFileSync(resultPath('assistant-product.log'), product.logs())
  await browser?.close()
  await product?.stop()
})

const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)

describe('assistant and inbox pages', () => {
  test('ideas, captions and prices, then the inbox with its platform notes, at 390 px', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } })
    const page = await context.newPage()
    const errors = watchPageErrors(page)
    await signInLocally(page, product, { email: `${unique('assistant')}@example.com`, name: 'Ana' })
    const ws = await (await page.request.post(product.url('/api/workspaces'), { data: { name: 'Kitchen', slug: unique('kitchen').toLowerCase() } })).json()
    const project = await (await page.request.post(product.url('/api/projects'), { data: { workspaceId: ws.id, name: 'Kitchen shorts' } })).json()
    for (const platform of ['youtube', 'tiktok', 'instagram']) expect((await page.request.post(product.url(`/api/projects/${project.id}/connections`), { data: { platform, mode: 'sandbox' } })).status()).toBe(201)
    // (Clips uploaded here were rejected as damaged by the probe on this machine, so the page is
    // driven on a project without clips or results: captions and comments are covered by the
    // Workers tests against the stubs.)
    await page.goto(product.url(`/projects/${project.id}/assistant`))
    await waitForHydration(page)
    await page.getByLabel('Audience notes').fill('Students cooking on a budget')
    await page.getByRole('button', { name: 'Suggest ideas' }).click()
    const list = page.getByRole('list', { name: 'Ideas' })
    await list.waitFor()
    expect(await list.getByRole('listitem').count()).toBe(5)
    await expect.poll(() => list.textContent()).toMatch(/Kitchen shorts/)
    await expect.poll(() => page.getByTestId('provider').first().textContent()).toMatch(/Written by\s*Built-in templates/)
    expect(await page.getByTestId('provider').first().textContent()).not.toMatch(/\bAI\b/)

    await page.getByText('No ready clip yet: upload one to the library.').waitFor()

    await page.getByRole('group', { name: 'YouTube CPM' }).getByLabel('Low').fill('12')
    await page.getByRole('group', { name: 'YouTube CPM' }).getByLabel('High').fill('20')
    await page.getByRole('button', { name: 'Price my posts' }).click()
    const youtubeRates = page.getByTestId('rates-youtube')
    await youtubeRates.waitFor()
    await expect.poll(() => youtubeRates.textContent()).toMatch(/Needs 3 published YouTube posts with measured views \(has 0\)/)
    await page.getByText('Not enough data to price yet', { exact: false }).waitFor()
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    await page.screenshot({ path: resultPath('assistant-390.png'), fullPage: true })

    await page.goto(product.url(`/projects/${project.id}/inbox`))
    await waitForHydration(page)
    await page.getByText('No comments yet').waitFor()
    await page.getByText("TikTok's API does not give apps the comments", { exact: false }).waitFor()
    await page.getByRole('button', { name: 'Check for new comments' }).click()
    await page.getByText('0 comments to answer.').waitFor()
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    await page.screenshot({ path: resultPath('inbox-390.png'), fullPage: true })
    expect(errors).toEqual([])
    await context.close()
  })
})
