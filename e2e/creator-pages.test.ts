/**
 * Every app page for a creator (#16), in Chromium at 1440×900 and 390×844, with a project that
 * has clips, posts and a connection: no sideways scroll (the document's scrollWidth), no serious
 * or critical axe violation, dates in words (no ISO strings on screen); screenshots of each page
 * in test-results/. Then the next-step guide from a project made through the dashboard's form
 * to one with its autopilot set, the project's dashboard numbers against what was made, the skip
 * link, and on a phone the post sheet in view, the header menu usable over it, Esc closing both.
 */
import type { Browser, Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { checkA11y, e2eSuite, expectDatesInWords, expectNoOverflow, newCreator, resultPath, signInLocally, unique, uploadTestClip, waitForHydration, watchPageErrors, type Creator, type Product } from './harness'

let product: Product
let browser: Browser
e2eSuite('creator-pages', { ready: (s) => void ({ product, browser } = s) })

const VIEWPORTS = [
  { name: 'desktop', width: 1440, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const

/** Every page of the app, and the content page's other views and its open post (a sheet on a phone). */
const appPages = (base: string, postId: string) => [
  '/',
  '/preview',
  '/dashboard',
  '/settings',
  base,
  `${base}/connections`,
  `${base}/library`,
  `${base}/autopilot`,
  `${base}/content`,
  `${base}/content?view=month`,
  `${base}/content?view=list`,
  `${base}/content?post=${postId}`,
  `${base}/analytics`,
  `${base}/assistant`,
  `${base}/inbox`,
]

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
    const pages = appPages(base, creator.posts[0])
    const failures: string[] = []
    for (const path of pages) {
      await page.goto(product.url(path))
      await waitForHydration(page)
      const label = `${path.replace(creator.project.id, ':id')} at ${viewport.width} px`
      await page.screenshot({ path: resultPath(`creator-${viewport.name}${path.replace(creator.project.id, 'project').replace(/[/?=&]/g, '-')}.png`), fullPage: true })
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

describe('every page at the narrowest and widest phone widths', () => {
  test('360 and 430 px: no page scrolls sideways (the sign-in page too)', async () => {
    const context = await browser.newContext({ viewport: { width: 360, height: 800 }, timezoneId: 'Europe/Berlin', locale: 'en-GB', hasTouch: true })
    const page = await context.newPage()
    const errors = watchPageErrors(page)
    const creator = await creatorWithContent(page)
    const failures: string[] = []
    for (const width of [360, 430]) {
      await page.setViewportSize({ width, height: width === 360 ? 800 : 932 })
      for (const path of appPages(`/projects/${creator.project.id}`, creator.posts[0])) {
        await page.goto(product.url(path))
        await waitForHydration(page)
        await expectNoOverflow(page, `${path.replace(creator.project.id, ':id')} at ${width} px`).catch((error: Error) => failures.push(error.message))
      }
    }
    // Signed out: the sign-in page.
    const out = await browser.newContext({ viewport: { width: 360, height: 800 } })
    const signIn = await out.newPage()
    for (const width of [360, 430]) {
      await signIn.setViewportSize({ width, height: 900 })
      await signIn.goto(product.url('/sign-in'))
      await waitForHydration(signIn)
      await expectNoOverflow(signIn, `/sign-in at ${width} px`).catch((error: Error) => failures.push(error.message))
      await checkA11y(signIn, `/sign-in at ${width} px`).catch((error: Error) => failures.push(error.message))
    }
    await out.close()
    expect(failures.join('\n\n')).toBe('')
    expect(errors).toEqual([])
    await context.close()
  }, 300_000)
})

/** How a focused control shows it, measured on what is drawn: a chip's label for its hidden input. */
async function focusRing(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null
    if (!el || el === document.body) return null
    const drawn = el.matches('input.sr-only') ? (el.closest('label') as HTMLElement) : el
    const style = getComputedStyle(drawn)
    return {
      focusVisible: el.matches(':focus-visible'),
      outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 1,
      shadow: style.boxShadow !== 'none',
      name: (drawn.textContent ?? '').trim().slice(0, 30),
    }
  })
}

/** Focuses `target` from the keyboard (Shift+Tab away from it, Tab back), so :focus-visible applies as for a keyboard user. */
async function keyboardFocus(page: Page, target: import('playwright-core').Locator) {
  await target.focus()
  await page.keyboard.press('Shift+Tab')
  await page.keyboard.press('Tab')
  expect(await target.evaluate((el) => el === document.activeElement)).toBe(true)
}

describe('keyboard focus', () => {
  test('a visible ring on the weekday chips, the cadence switch, buttons and tabs; a refused form puts focus on its first error', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, timezoneId: 'Europe/Berlin', locale: 'en-GB' })
    const page = await context.newPage()
    const errors = watchPageErrors(page)
    const creator = await creatorWithContent(page)
    const base = `/projects/${creator.project.id}`
    await page.goto(product.url(`${base}/autopilot`))
    await waitForHydration(page)
    const form = page.getByRole('form', { name: 'Autopilot settings' })
    await form.getByText('Weekly', { exact: true }).click()
    const targets = [
      ['the cadence switch', form.getByRole('radio', { name: 'Weekly' })],
      ['a weekday chip', form.getByRole('group', { name: 'Weekdays' }).getByRole('checkbox').first()],
      ['a button', form.getByRole('button', { name: 'Save', exact: true })],
      ['a project tab', page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Autopilot' })],
    ] as const
    for (const [what, target] of targets) {
      await keyboardFocus(page, target)
      const ring = await focusRing(page)
      expect(ring, what).toMatchObject({ focusVisible: true })
      expect(ring!.outline || ring!.shadow, `${what} (${ring!.name}) shows no focus ring`).toBe(true)
    }
    // A refused save: the weekdays (none chosen) get the focus.
    await form.getByRole('button', { name: 'Save', exact: true }).click()
    await form.locator('#weekdays-error').waitFor()
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('fieldset')?.querySelector('legend')?.textContent)).toBe('Weekdays')

    // The composer's platform tabs.
    await page.goto(product.url(`${base}/content`))
    await waitForHydration(page)
    await page.getByRole('button', { name: 'Post a clip' }).click()
    const composer = page.getByRole('form', { name: 'Write a post' })
    await composer.locator('label').filter({ has: page.getByRole('radio') }).first().click()
    const tab = composer.getByRole('tablist', { name: 'Text per platform' }).getByRole('tab').first()
    await keyboardFocus(page, tab)
    const ring = await focusRing(page)
    expect(ring!.focusVisible && (ring!.outline || ring!.shadow), `the platform tab (${ring!.name}) shows no focus ring`).toBe(true)
    // The composer refused for want of a time: focus on the time field.
    await composer.getByLabel('At a time').check()
    await composer.getByRole('button', { name: 'Schedule' }).click()
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('scheduledAt')
    // Checked with the primary button hovered, as it stays after a click (or a touch on a phone).
    await composer.getByRole('button', { name: 'Schedule' }).hover()
    await checkA11y(page, 'the composer')
    expect(errors.filter((e) => !e.includes('status of 400'))).toEqual([])
    await context.close()
  }, 240_000)
})

/** The project page's glance, as the page shows it. */
async function glance(page: Page) {
  return {
    step: await page.getByTestId('next-step').getAttribute('data-step').catch(() => null),
    awaiting: Number(await page.getByTestId('glance-awaiting-count').innerText()),
    next: await page.getByTestId('glance-next').innerText(),
    last: await page.getByTestId('glance-last').innerText(),
    attention: await page.getByTestId('glance-attention').innerText(),
    published: Number(await page.getByTestId('glance-published').innerText()),
  }
}

describe('the creator\'s day on the project page', () => {
  test('after creating a project, the guide leads through connect, upload and the autopilot; the numbers match what was made', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, timezoneId: 'Europe/Berlin', locale: 'en-GB' })
    const page = await context.newPage()
    const errors = watchPageErrors(page)
    await signInLocally(page, product, { email: `${unique('guide')}@example.com` })
    await waitForHydration(page)
    const ws = page.getByRole('form', { name: 'New workspace' })
    await ws.getByLabel('Workspace name').fill('Guide Studio')
    await ws.getByLabel('Slug').fill(unique('guide').toLowerCase())
    await ws.getByRole('button', { name: 'Create workspace' }).click()
    await page.getByText('Workspace “Guide Studio” created.').waitFor()
    const form = page.getByRole('form', { name: 'New project' })
    await form.getByLabel('Project name').fill('Espresso Shorts')
    await form.getByRole('button', { name: 'Create project' }).click()
    await page.getByText('Project “Espresso Shorts” created.').waitFor()
    // The dashboard names the first step, and the note leads to it.
    expect(await page.getByRole('link', { name: /Espresso Shorts/ }).innerText()).toContain('Next step: connect an account')
    await page.getByRole('link', { name: 'Next: connect an account' }).click()
    await page.waitForURL(/\/projects\/prj_\w+\/connections$/)
    const projectId = new URL(page.url()).pathname.split('/')[2]
    const overview = product.url(`/projects/${projectId}`)

    await page.goto(overview)
    await waitForHydration(page)
    expect((await glance(page)).step).toBe('connect')
    const guide = page.getByTestId('next-step')
    expect(await guide.getByRole('heading').innerText()).toBe('Next step: connect an account')
    await page.screenshot({ path: resultPath('creator-guide-connect.png'), fullPage: true })
    await guide.getByRole('link', { name: 'Connect YouTube, TikTok or Instagram' }).click()
    await page.waitForURL(`**/projects/${projectId}/connections`)

    expect((await page.request.post(product.url(`/api/projects/${projectId}/connections`), { data: { platform: 'youtube', mode: 'sandbox' } })).status()).toBe(201)
    await page.goto(overview)
    await waitForHydration(page)
    expect((await glance(page)).step).toBe('upload')
    expect(await guide.innerText()).toContain('1 connected')
    await guide.getByRole('link', { name: 'Upload a clip' }).click()
    await page.waitForURL(`**/projects/${projectId}/library`)

    const clips = [await uploadTestClip(page, product, projectId, 'Milk foam'), await uploadTestClip(page, product, projectId, 'Grind size')]
    await page.goto(overview)
    await waitForHydration(page)
    expect((await glance(page)).step).toBe('autopilot')
    expect(await guide.innerText()).toContain('2 ready')
    // Saved but off is not done: the guide still asks to set (turn on) the autopilot.
    const put = await page.request.put(product.url(`/api/autopilot/${projectId}`), {
      data: { cadence: 'weekly', weekdays: ['sat'], language: 'en', style: 'minimal', objective: 'awareness', timeWindows: ['22:00-23:00'], timezone: 'Europe/Berlin', requireApproval: true, enabled: false },
    })
    expect(put.status(), await put.text()).toBe(200)
    await page.goto(overview)
    await waitForHydration(page)
    expect((await glance(page)).step).toBe('autopilot')
    await guide.getByRole('link', { name: 'Set the autopilot' }).click()
    await page.waitForURL(`**/projects/${projectId}/autopilot`)

    // Two posts by hand, in one and in three days: with approval required they wait for it once rendered.
    const soon = new Date(Date.now() + 86_400_000)
    soon.setUTCMinutes(0, 0, 0)
    const made: string[] = []
    for (const [i, mediaId] of clips.entries()) {
      const res = await page.request.post(product.url(`/api/projects/${projectId}/posts`), { data: { mediaId, scheduledAt: new Date(soon.getTime() + i * 2 * 86_400_000).toISOString(), platforms: ['youtube'], caption: i === 0 ? 'Foam like a pro' : 'Finer is not always better' } })
      expect(res.status(), await res.text()).toBe(201)
      made.push((await res.json()).id)
    }
    const firstPost = made[0]
    await expect
      .poll(async () => {
        await page.goto(overview)
        await waitForHydration(page)
        return (await glance(page)).awaiting
      }, { timeout: 180_000, interval: 2_000 })
      .toBe(2)
    const seen = await glance(page)
    // The summary API says the same as the page.
    const summary = await (await page.request.get(product.url(`/api/projects/${projectId}/summary`))).json()
    expect(summary.awaitingApproval.count).toBe(2)
    // The first post is next; it is labelled by its hook (written for it), else its caption.
    expect(summary.nextPost.id).toBe(firstPost)
    expect(summary.nextPost.label).not.toBe('')
    expect(seen.next).toContain(summary.nextPost.label)
    // In words, in the project's zone: "Tomorrow, 14:00" for the first.
    const berlin = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', timeStyle: 'short' }).format(soon)
    expect(seen.next).toContain(`Tomorrow, ${berlin}`)
    expect(seen.next).toContain('YouTube')
    expect(seen.last).toBe('Nothing published yet.')
    expect(seen.published).toBe(0)
    expect(seen.attention).toContain('All good')
    // Both are listed under awaiting approval, each a link to its post on the content page.
    const links = await page.getByTestId('project-glance').locator('section', { hasText: 'Awaiting your approval' }).getByRole('link').evaluateAll((els) => els.map((el) => el.getAttribute('href')))
    expect(links.sort()).toEqual(made.map((id) => `/projects/${projectId}/content?post=${id}`).sort())
    await expectDatesInWords(page, 'the project page')
    await checkA11y(page, 'the project page')
    await page.screenshot({ path: resultPath('creator-glance.png'), fullPage: true })

    // A connection that needs attention is named, with the way to fix it.
    const conns = await (await page.request.get(product.url(`/api/projects/${projectId}/connections`))).json()
    const youtube = conns.data.find((k: { platform: string }) => k.platform === 'youtube')
    expect((await page.request.delete(product.url(`/api/projects/${projectId}/connections/${youtube.id}`))).status()).toBeLessThan(300)
    await page.goto(overview)
    await waitForHydration(page)
    const after = await glance(page)
    expect(after.step).toBe('connect')
    expect(after.attention).toContain('YouTube is disconnected: Disconnected in Reelpilot.')
    expect(await page.getByTestId('glance-attention').getByRole('link', { name: 'Reconnect YouTube' }).getAttribute('href')).toBe(`/projects/${projectId}/connections`)
    expect(errors).toEqual([])
    await context.close()
  }, 300_000)

  test('on a phone: the skip link, the post sheet in view, the header menu over it, Esc closes one thing at a time', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, timezoneId: 'Europe/Berlin', locale: 'en-GB', hasTouch: true })
    const page = await context.newPage()
    const errors = watchPageErrors(page)
    const creator = await creatorWithContent(page)
    const base = `/projects/${creator.project.id}`

    // The skip link is the first stop, visible when focused, and moves focus to the content.
    await page.goto(product.url(`${base}/library`))
    await waitForHydration(page)
    await page.keyboard.press('Tab')
    const skip = page.getByRole('link', { name: 'Skip to content' })
    expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true)
    const box = await skip.boundingBox()
    expect(box && box.width > 40 && box.y >= 0 && box.y < 100).toBe(true)
    await page.keyboard.press('Enter')
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('content')
    // The library's filters keep a usable width (they once shrank to empty 31 px boxes).
    const filters = page.getByRole('form', { name: 'Filter the library' }).locator('select')
    expect(await filters.count()).toBeGreaterThan(0)
    for (const width of await filters.evaluateAll((els) => els.map((el) => el.getBoundingClientRect().width))) expect(width).toBeGreaterThan(100)
    // The project's tabs scroll inside their row, with the fading edge while more is hidden.
    const tabs = page.getByRole('navigation', { name: 'Project' })
    expect(await tabs.evaluate((el) => el.scrollWidth > el.clientWidth && getComputedStyle(el).overflowX)).toBe('auto')
    expect(await tabs.getAttribute('data-at-end')).toBe('false')

    // A post opened on the content page is a sheet in view.
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'UTC' }).format(new Date(Date.now() + 86_400_000))
    await page.goto(product.url(`${base}/content?date=${day}&post=${creator.posts[0]}`))
    await waitForHydration(page)
    const sheet = page.locator('aside[aria-label="Post"]')
    await sheet.waitFor()
    const sheetBox = (await sheet.boundingBox())!
    expect(sheetBox.y).toBeGreaterThanOrEqual(0)
    expect(sheetBox.y).toBeLessThan(844)
    expect(sheetBox.x).toBeGreaterThanOrEqual(0)
    expect(sheetBox.x + sheetBox.width).toBeLessThanOrEqual(390)
    await expectNoOverflow(page, 'the content page with the post sheet')
    await expectDatesInWords(page, 'the post sheet')
    // The checks can fail: a 600 px box and a machine date put on the page are caught, and named.
    await page.evaluate(() => {
      const wide = Object.assign(document.createElement('div'), { id: 'too-wide', textContent: '2026-12-01T20:12:36.044Z' })
      wide.style.width = '600px'
      document.getElementById('content')!.insertAdjacentElement('beforeend', wide)
    })
    await expect(expectNoOverflow(page, 'with a wide box')).rejects.toThrow(/scrollWidth \d+ > 390 px[\s\S]*div#too-wide/)
    await expect(expectDatesInWords(page, 'with a machine date')).rejects.toThrow(/2026-12-01T20:12:36.044Z/)
    await page.evaluate(() => document.getElementById('too-wide')!.remove())
    await page.screenshot({ path: resultPath('creator-phone-post-sheet.png') })

    // The header's menu opens over the sheet, and Sign out is the element under a tap there.
    const menu = page.getByRole('banner').getByText('Menu', { exact: true })
    await menu.click()
    const signOut = page.getByRole('banner').getByRole('button', { name: 'Sign out' })
    await signOut.waitFor()
    const at = (await signOut.boundingBox())!
    expect(at.x + at.width).toBeLessThanOrEqual(390)
    expect(await page.evaluate(([x, y]) => document.elementFromPoint(x, y)?.textContent?.trim(), [at.x + at.width / 2, at.y + at.height / 2])).toBe('Sign out')
    await page.screenshot({ path: resultPath('creator-phone-menu-over-sheet.png') })

    // One Esc closes the menu, the next the sheet.
    await page.keyboard.press('Escape')
    await signOut.waitFor({ state: 'hidden' })
    expect(await sheet.count()).toBe(1)
    await page.keyboard.press('Escape')
    await sheet.waitFor({ state: 'detached' })
    expect(new URL(page.url()).searchParams.get('post')).toBeNull()
    expect(errors).toEqual([])
    await context.close()
  }, 240_000)
})
