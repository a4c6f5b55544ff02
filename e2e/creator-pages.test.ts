/**
 * Every app page for a creator (#16), in Chromium at 1440×900 and 390×844, with a project that
 * has clips, posts and a connection: no sideways scroll (the document's scrollWidth), no serious
 * or critical axe violation, dates in words (no ISO strings on screen); screenshots of each page
 * in test-results/.
 */
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { checkA11y, expectDatesInWords, expectNoOverflow, launchBrowser, newCreator, resultPath, startProduct, uploadTestClip, waitForHydration, watchPageErrors, type Creator, type Product } from './harness'

let product: Product
let browser: Browser

beforeAll(async () => {
  product = await startProduct()
  browser = await launchBrowser()
}, 300_000)

afterAll(async () => {
  await browser?.close()
  await product?.stop()
})

const VIEWPORTS = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const

/** A creator with a YouTube connection, two clips and two posts (one in a day, one in three). */
async function creatorWithContent(page: Page): Promise<Creator & { clips: string[]; posts: string[] }> {
  const creator = await newCreator(page, product, { name: 'Ada Lovelace', connect: ['youtube'] })
  const clips = [await uploadTestClip(page, product, creator.project.id, 'Kitchen tip'), await uploadTestClip(page, product, creator.project.id, 'Latte art')]
  const posts: string[] = []
  for (const [i, mediaId] of clips.entries()) {
    const scheduledAt = new Date(Date.now() + (1 + 2 * i) * 86_400_000).toISOString()
    const res = await page.request.post(product.url(`/api/projects/${creator.project.id}/posts`), { data: { mediaId, scheduledAt, platforms: ['youtube'], caption: `Tip number ${i + 1}` } })
    expect(res.status(), await res.text()).toBe(201)
    posts.push((await res.json()).id)
  }
  return { ...creator, clips, posts }
}

describe.each(VIEWPORTS)('every page at $name width', (viewport) => {
  test('no sideways scroll, no serious accessibility problem, dates in words', async () => {
    const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height }, timezoneId: 'Europe/Berlin', locale: 'en-GB' })
    const page = await context.newPage()
    const errors = watchPageErrors(page)
    const creator = await creatorWithContent(page)
    const base = `/projects/${creator.project.id}`
    const pages = ['/dashboard', '/settings', base, `${base}/connections`, `${base}/library`, `${base}/autopilot`, `${base}/content`, `${base}/analytics`, `${base}/assistant`, `${base}/inbox`]
    const failures: string[] = []
    for (const path of pages) {
      await page.goto(product.url(path))
      await waitForHydration(page)
      const label = `${path.replace(creator.project.id, ':id')} at ${viewport.width} px`
      await page.screenshot({ path: resultPath(`creator-${viewport.name}${path.replace(creator.project.id, 'project').replace(/\//g, '-')}.png`), fullPage: true })
      for (const check of [expectNoOverflow, checkA11y, expectDatesInWords]) {
        try {
          await check(page, label)
        } catch (error) {
          failures.push((error as Error).message)
        }
      }
    }
    expect(failures.join('\n\n')).toBe('')
    expect(errors).toEqual([])
    await context.close()
  }, 240_000)
})
