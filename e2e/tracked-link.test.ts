/**
 * The project's tracked link (issue 13) on its overview page, in Chromium at 390 px: an address
 * that is not a web page is refused next to the field (the API's 400 naming linkUrl), a good one
 * is saved and read back by the API, and emptying the field removes it. The composer's counters
 * count the link's line as the API does: a caption that fits without it is shown over, and the API
 * refuses it for the same number of characters.
 */
import type { Browser } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { e2eSuite, resultPath, signedInPage, unique, uploadTestClip, waitForHydration, type Product } from './harness'

let product: Product
let browser: Browser

e2eSuite('tracked-link', { ready: (s) => void ({ product, browser } = s) })

describe('tracked link setting', () => {
  test('refuses a wrong address on its field, saves a good one, and removes it when emptied', async () => {
    const { page, context, errors } = await signedInPage(browser, product, { email: `${unique('link')}@example.com`, name: 'Lin' }, { viewport: { width: 390, height: 844 } })
    const ws = await (await page.request.post(product.url('/api/workspaces'), { data: { name: 'Knives', slug: unique('knives').toLowerCase() } })).json()
    const project = await (await page.request.post(product.url('/api/projects'), { data: { workspaceId: ws.id, name: 'Knife shop' } })).json()
    const linkUrl = async () => (await (await page.request.get(product.url(`/api/projects/${project.id}`))).json()).linkUrl

    await page.goto(product.url(`/projects/${project.id}`))
    await waitForHydration(page)
    const form = page.getByRole('form', { name: 'Tracked link' })
    const field = form.getByLabel('Link address')
    await field.fill('shop')
    await form.getByRole('button', { name: 'Save link' }).click()
    await expect.poll(() => field.getAttribute('aria-invalid')).toBe('true')
    expect(await form.getByRole('alert').first().innerText()).toMatch(/web address like https:\/\/example\.com/)
    expect(await field.inputValue(), 'the wrong value stays to be corrected').toBe('shop')
    expect(await linkUrl()).toBeNull()

    await field.fill('https://shop.example.com/knives?ref=reel')
    await form.getByRole('button', { name: 'Save link' }).click()
    await form.getByText('Saved: posts published from now on carry the link.').waitFor()
    expect(await linkUrl()).toBe('https://shop.example.com/knives?ref=reel')
    await page.reload()
    await waitForHydration(page)
    expect(await page.getByRole('form', { name: 'Tracked link' }).getByLabel('Link address').inputValue()).toBe('https://shop.example.com/knives?ref=reel')
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await page.getByRole('form', { name: 'Tracked link' }).screenshot({ path: resultPath('tracked-link-setting.png') })

    await page.getByRole('form', { name: 'Tracked link' }).getByLabel('Link address').fill('')
    await page.getByRole('form', { name: 'Tracked link' }).getByRole('button', { name: 'Save link' }).click()
    await page.getByText('Saved: no link in the captions.').waitFor()
    expect(await linkUrl()).toBeNull()
    // The refused save answers 400 on purpose (the browser logs it); nothing else.
    expect(errors.filter((e) => !/Failed to load resource: the server responded with a status of 400/.test(e))).toEqual([])
    expect(errors.length).toBeLessThanOrEqual(1)
    await context.close()
  })

  test("the composer's counter counts the link's line, as the API does", async () => {
    const { page, context, errors } = await signedInPage(browser, product, { email: `${unique('count')}@example.com`, name: 'Cas' }, { viewport: { width: 390, height: 844 } })
    const ws = await (await page.request.post(product.url('/api/workspaces'), { data: { name: 'Knives', slug: unique('knives').toLowerCase() } })).json()
    const project = await (await page.request.post(product.url('/api/projects'), { data: { workspaceId: ws.id, name: 'Knife shop' } })).json()
    expect((await page.request.post(product.url(`/api/projects/${project.id}/connections`), { data: { platform: 'tiktok', mode: 'sandbox' } })).status()).toBe(201)
    expect((await page.request.patch(product.url(`/api/projects/${project.id}`), { data: { linkUrl: 'https://shop.example.com/knives' } })).status()).toBe(200)
    const clipId = await uploadTestClip(page, product, project.id, 'knife')
    // The published line: the Worker's origin, /l/ and an 8-character code, after a blank line.
    const lineLength = `${new URL(product.url('/')).origin}/l/xxxxxxxx`.length + 2
    // With one hashtag (a blank line and '#knives'): fits without the link; 5 over with it.
    const caption = 'y'.repeat(2200 - lineLength - '\n\n#knives'.length + 5)

    await page.goto(product.url(`/projects/${project.id}/content`))
    await waitForHydration(page)
    await page.getByRole('button', { name: 'Post a clip' }).click()
    const composer = page.getByRole('form', { name: 'Write a post' })
    await composer.waitFor()
    await composer.getByLabel('Hashtags').fill('#knives')
    await composer.getByLabel('TikTok caption').fill(caption)
    const count = composer.locator('[data-count="tiktok.caption"]')
    expect(await count.innerText()).toBe(`${(2205).toLocaleString('en')} / 2,200 characters with hashtags and the tracked link — 5 too many`)
    expect(await count.getAttribute('data-over')).toBe('true')
    await composer.getByLabel('TikTok caption').fill(caption.slice(5))
    expect(await count.innerText()).toBe('2,200 / 2,200 characters with hashtags and the tracked link')
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await composer.screenshot({ path: resultPath('tracked-link-composer-count.png') })

    // The API counts the same: 5 over is refused naming the field and the link; at the limit it is taken.
    const send = (text: string) => page.request.post(product.url(`/api/projects/${project.id}/posts`), { data: { mediaId: clipId, platforms: ['tiktok'], caption: 'Knives', hashtags: ['#knives'], platformTexts: { tiktok: { caption: text } } } })
    const refused = await send(caption)
    expect(refused.status()).toBe(400)
    const problem = await refused.json()
    expect(problem.errors).toEqual([{ field: 'platformTexts.tiktok.caption', message: 'is 2205 characters with the hashtags and the tracked link; TikTok takes at most 2200' }])
    expect((await send(caption.slice(5))).status()).toBe(201)
    expect(errors).toEqual([])
    await context.close()
  })
})
