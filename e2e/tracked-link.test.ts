/**
 * The project's tracked link (issue 13) on its overview page, in Chromium at 390 px: an address
 * that is not a web page is refused next to the field (the API's 400 naming linkUrl), a good one
 * is saved and read back by the API, and emptying the field removes it.
 */
import type { Browser } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { e2eSuite, resultPath, signedInPage, unique, waitForHydration, type Product } from './harness'

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
})
