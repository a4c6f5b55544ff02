/**
 * The autopilot end to end in Chromium against the whole product: set the autopilot on its page
 * (a window starting two minutes from now, approval required), see the next slots follow the
 * form, then on the content page watch the post the scheduler planned appear on the calendar,
 * get rendered by the real render server, wait for approval, and be approved.
 */
import type { Browser, Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { e2eSuite, resultPath, signInLocally, unique, uploadTestClip, waitForHydration, watchPageErrors, type Product } from './harness'

let product: Product
let browser: Browser

// The product's log goes to test-results/autopilot-product.log, for a failure the page alone does not explain.
e2eSuite('autopilot', { ready: (s) => void ({ product, browser } = s) })

// Titled as an upload on the page is: from its file name ("kitchen tip" → "Kitchen tip").
const uploadClip = (page: Page, projectId: string, title: string) => uploadTestClip(page, product, projectId, title, { setTitle: false })

const hhmm = (d: Date) => d.toISOString().slice(11, 16)

describe('autopilot and content pages', () => {
  test('set the autopilot, see the next slots, see the post on the calendar, approve it', async () => {
    // The viewer sits in another zone than the project, so both columns of times show.
    // British English: the calendar card's time is checked as HH:MM (24-hour); pages follow the browser's locale (#16).
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, timezoneId: 'Asia/Kolkata', locale: 'en-GB' })
    const page = await context.newPage()
    const pageErrors = watchPageErrors(page)
    await signInLocally(page, product, { email: `${unique('pilot')}@example.com`, name: 'Pilot Tester' })
    const ws = await (await page.request.post(product.url('/api/workspaces'), { data: { name: 'Shorts', slug: unique('shorts').toLowerCase() } })).json()
    const project = await (await page.request.post(product.url('/api/projects'), { data: { workspaceId: ws.id, name: 'Daily tips' } })).json()
    await uploadClip(page, project.id, 'kitchen tip')
    // Posts go only to connected platforms: connect the sandbox YouTube account (its page is tested elsewhere).
    const connected = await page.request.post(product.url(`/api/projects/${project.id}/connections`), { data: { platform: 'youtube', mode: 'sandbox' } })
    expect(connected.status(), await connected.text()).toBe(201)

    await page.goto(product.url(`/projects/${project.id}/autopilot`))
    await waitForHydration(page)
    await expect.poll(() => page.getByTestId('autopilot-state').getAttribute('data-state')).toBe('off')
    const form = page.getByRole('form', { name: 'Autopilot settings' })
    const slotRows = page.getByRole('table', { name: 'Next slots' }).locator('tbody tr')

    // Wrong values: the API's messages land next to the fields they name, and nothing is saved.
    await form.getByLabel('Window 1 starts').fill('10:00')
    await form.getByLabel('Window 1 ends').fill('12:00')
    await form.getByRole('button', { name: 'Add a window' }).click()
    await form.getByLabel('Window 2 starts').fill('11:00')
    await form.getByLabel('Window 2 ends').fill('13:00')
    await form.getByLabel('Time zone').fill('Mars/Olympus')
    await page.getByRole('button', { name: 'Save and turn on' }).click()
    const window2 = form.locator('[data-window="1"]')
    await window2.getByRole('alert').waitFor()
    expect(await window2.getByRole('alert').innerText()).toBe('11:00-13:00 overlaps 10:00-12:00')
    expect(await form.locator('[data-window="0"]').getByRole('alert').count()).toBe(0)
    await expect.poll(() => form.getByLabel('Time zone').getAttribute('aria-invalid')).toBe('true')
    expect(await form.getByRole('alert').filter({ hasText: 'Mars/Olympus is not a time zone; use an IANA name such as "Europe/Paris" or "UTC"' }).count()).toBe(1)
    expect(await page.getByTestId('autopilot-state').getAttribute('data-state')).toBe('off')

    // The real settings: one window starting two minutes from now (UTC), approval required.
    await form.getByLabel('Time zone').fill('UTC')
    await form.getByRole('button', { name: 'Remove window 2' }).click()
    const start = new Date(Math.ceil((Date.now() + 2 * 60_000) / 60_000) * 60_000)
    const end = new Date(start.getTime() + 30 * 60_000)
    await form.getByLabel('Window 1 starts').fill(hhmm(start))
    await form.getByLabel('Window 1 ends').fill(hhmm(end))
    await form.getByText('Daily', { exact: true }).click()
    await form.getByLabel('Language').fill('en')
    await form.getByRole('radio', { name: /^neon/ }).check()
    await form.getByLabel('traffic').check()
    await form.getByLabel('Require my approval').check()
    expect(await form.getByTestId('connected-platforms').innerText()).toBe('Connected now: YouTube. Posts go only to connected platforms.')

    // The next seven slots follow the unsaved form: the first one now falls in the new window.
    await expect
      .poll(async () => {
        const first = await slotRows.first().getAttribute('data-slot').catch(() => null)
        return first !== null && Date.parse(first) >= start.getTime() && Date.parse(first) < end.getTime()
      }, { timeout: 15_000 })
      .toBe(true)
    expect(await slotRows.count()).toBe(7)
    const table = page.getByRole('table', { name: 'Next slots' })
    // (Chromium's ICU may still call the zone by its old name, Asia/Calcutta.)
    expect(await table.locator('thead').textContent()).toMatch(/^UTCYou \(Asia\/(Kolkata|Calcutta)\)$/)
    const firstSlot = (await slotRows.first().getAttribute('data-slot'))!

    await page.getByRole('button', { name: 'Save and turn on' }).click()
    await page.getByText('Saved. The autopilot follows these settings from now on.').waitFor()
    await expect.poll(() => page.getByTestId('autopilot-state').getAttribute('data-state')).toBe('on')
    // The saved autopilot, as the API tells it.
    const saved = await (await page.request.get(product.url(`/api/autopilot/${project.id}`))).json()
    expect(saved.config).toMatchObject({ cadence: 'daily', timezone: 'UTC', style: 'neon', objective: 'traffic', requireApproval: true, timeWindows: [`${hhmm(start)}-${hhmm(end)}`] })
    expect(saved.nextSlots[0]).toBe(firstSlot)
    expect(await slotRows.first().getAttribute('data-slot')).toBe(firstSlot)
    await page.screenshot({ path: resultPath('autopilot.png'), fullPage: true })

    // Pause and resume from the page.
    // (The form's round trip takes longer than expect.poll's default second on a loaded machine: the
    // full suite's run failed here with 'on' still shown after Pause.)
    await page.getByRole('button', { name: 'Pause' }).click()
    await expect.poll(() => page.getByTestId('autopilot-state').getAttribute('data-state'), { timeout: 30_000 }).toBe('paused')
    await page.getByRole('button', { name: 'Resume' }).click()
    await expect.poll(() => page.getByTestId('autopilot-state').getAttribute('data-state'), { timeout: 30_000 }).toBe('on')

    // The content page: the scheduler plans the slot's post at once (it is within the render lead time).
    const day = firstSlot.slice(0, 10)
    await page.goto(product.url(`/projects/${project.id}/content?view=week&date=${day}`))
    await waitForHydration(page)
    const card = page.locator(`[data-day="${day}"] [data-post-id]`).first()
    await expect
      .poll(async () => {
        if (await card.count()) return true
        await page.reload()
        await waitForHydration(page)
        return false
      }, { timeout: 150_000, interval: 2_000 })
      .toBe(true)
    expect(await card.innerText()).toContain(hhmm(new Date(firstSlot)))
    // Labelled by the post's hook (not the file name), with the clip's thumbnail.
    const planned = await (await page.request.get(product.url(`/api/posts/${await card.getAttribute('data-post-id')}`))).json()
    expect(planned.clip.title).toBe('Kitchen tip')
    expect(await card.innerText()).toContain(planned.hook)
    const thumb = card.locator('img')
    await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0)

    // The real render server renders it; the page refreshes itself until it awaits approval.
    await page.locator(`[data-day="${day}"] [data-post-id][data-status="awaiting_approval"]`).waitFor({ timeout: 180_000 })
    expect(await card.getAttribute('aria-label')).toContain('Awaiting approval')

    await card.click()
    const panel = page.getByRole('complementary', { name: 'Post' })
    await panel.waitFor()
    expect(await panel.getByTestId('post-status').getAttribute('data-status')).toBe('awaiting_approval')
    await panel.getByRole('button', { name: 'Approve' }).click()
    await panel.getByText('Approved: it goes out at its time.').waitFor()
    await expect.poll(() => panel.getByTestId('post-status').getAttribute('data-status')).not.toBe('awaiting_approval')
    const approved = await panel.getByTestId('post-status').getAttribute('data-status')
    expect(['scheduled', 'publishing', 'published']).toContain(approved)
    // The note stays while the post is as the approval left it (it went with the page's refresh once).
    if (approved === 'scheduled') expect(await panel.getByText('Approved: it goes out at its time.').isVisible()).toBe(true)
    expect(['scheduled', 'publishing', 'published']).toContain(await card.getAttribute('data-status'))
    // Its targets are listed with their state, and the rendered video is there to watch.
    expect(await panel.locator('[data-target]').count()).toBeGreaterThan(0)
    await panel.getByLabel('The rendered video').waitFor()
    await page.screenshot({ path: resultPath('content.png'), fullPage: true })

    // The month and the list show the same post.
    await page.getByRole('link', { name: 'Month' }).click()
    await page.getByRole('region', { name: 'Month' }).locator(`[data-day="${day}"] [data-post-id]`).first().waitFor()
    await page.getByRole('link', { name: 'List' }).click()
    await page.getByRole('list', { name: 'Posts' }).locator('[data-post-id]').first().waitFor()

    // The refused save answered 400 on purpose; anything else (a hydration mismatch…) is a failure.
    expect(pageErrors.filter((e) => !/Failed to load resource: the server responded with a status of 400/.test(e))).toEqual([])
    await context.close()
  }, 300_000)

  test('pick a library clip for the style preview; post a clip by hand, edit it (a bad hashtag is refused beside its field), cancel it', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } })
    const page = await context.newPage()
    const pageErrors = watchPageErrors(page)
    await signInLocally(page, product, { email: `${unique('hand')}@example.com`, name: 'Hand Poster' })
    const ws = await (await page.request.post(product.url('/api/workspaces'), { data: { name: 'Hand', slug: unique('hand').toLowerCase() } })).json()
    const project = await (await page.request.post(product.url('/api/projects'), { data: { workspaceId: ws.id, name: 'By hand' } })).json()
    await uploadClip(page, project.id, 'garden tour')
    expect((await page.request.post(product.url(`/api/projects/${project.id}/connections`), { data: { platform: 'tiktok', mode: 'sandbox' } })).status()).toBe(201)
    // An autopilot in Paris whose windows are far from now, with approval: manual posts follow its style and approval.
    const put = await page.request.put(product.url(`/api/autopilot/${project.id}`), {
      data: { cadence: 'weekly', weekdays: ['sat'], language: 'fr', style: 'corporate', objective: 'awareness', timeWindows: ['22:00-01:00'], timezone: 'Europe/Paris', requireApproval: true },
    })
    expect(put.status(), await put.text()).toBe(200)

    // The autopilot page shows the saved settings, and hands a library clip to the style preview.
    await page.goto(product.url(`/projects/${project.id}/autopilot`))
    await waitForHydration(page)
    const form = page.getByRole('form', { name: 'Autopilot settings' })
    expect(await form.getByLabel('Time zone').inputValue()).toBe('Europe/Paris')
    expect(await form.getByLabel('Window 1 starts').inputValue()).toBe('22:00')
    expect(await form.getByLabel('Window 1 ends').inputValue()).toBe('01:00')
    await form.getByText('ends the next day').waitFor()
    expect(await form.getByLabel('Sat', { exact: true }).isChecked()).toBe(true)
    const preview = page.getByRole('region', { name: 'Style preview' })
    expect(await preview.getByRole('button', { name: 'Preview' }).isDisabled()).toBe(true)
    await page.getByLabel('One of your clips').selectOption({ label: 'Garden tour' })
    await expect.poll(() => preview.getByRole('button', { name: 'Preview' }).isEnabled(), { timeout: 30_000 }).toBe(true)
    expect(await preview.getByTestId('preview-style').inputValue()).toBe('corporate')

    // Post it now from the content page: the new post opens beside the calendar.
    await page.goto(product.url(`/projects/${project.id}/content`))
    await waitForHydration(page)
    await page.getByRole('button', { name: 'Post a clip' }).click()
    const create = page.getByRole('form', { name: 'Write a post' })
    await create.locator('label', { hasText: 'garden tour' }).click()
    expect(await create.getByLabel('garden tour').isChecked()).toBe(true)
    await create.getByRole('button', { name: 'Post now' }).click()
    const panel = page.getByRole('complementary', { name: 'Post' })
    await panel.waitFor()
    expect(await panel.textContent()).toContain('Posted by hand')
    const postId = (await panel.getAttribute('data-open-post'))!
    await page.locator(`[data-post-id="${postId}"]`).first().waitFor()
    expect(await panel.locator('[data-target]').evaluateAll((els) => els.map((e) => e.getAttribute('data-target')))).toEqual(['tiktok'])

    // The caption is drawn on the video, so it is edited once the render is done (while it
    // renders the API answers 409 and says so); then the edit renders it again.
    await expect
      .poll(async () => (await (await page.request.get(product.url(`/api/posts/${postId}`))).json()).status, { timeout: 180_000, interval: 1_000 })
      .not.toMatch(/^(planned|rendering)$/)
    await page.reload()
    await waitForHydration(page)
    await panel.waitFor()

    // A bad hashtag is refused next to the hashtags field; a good edit is saved.
    const edit = panel.getByRole('form', { name: 'Edit the post' })
    await edit.getByLabel(/^Caption(?!s)/).fill('Our garden in spring')
    await edit.getByLabel('Hashtags').fill('#garden bad-tag!')
    await edit.getByRole('button', { name: 'Save changes' }).click()
    await expect.poll(() => edit.getByLabel('Hashtags').getAttribute('aria-invalid')).toBe('true')
    expect(await edit.getByRole('alert').first().innerText()).toMatch(/hashtag is letters, digits and underscores/i)
    await edit.getByLabel('Hashtags').fill('#garden spring')
    await edit.getByRole('button', { name: 'Save changes' }).click()
    await edit.getByText('Saved.').waitFor()
    const saved = await (await page.request.get(product.url(`/api/posts/${postId}`))).json()
    expect(saved).toMatchObject({ caption: 'Our garden in spring', hashtags: ['#garden', '#spring'], style: 'corporate', language: 'fr' })

    // Cancel it.
    await panel.getByRole('button', { name: 'Cancel post' }).click()
    await expect.poll(() => panel.getByTestId('post-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('canceled')
    await expect.poll(() => page.locator(`[data-post-id="${postId}"]`).first().getAttribute('data-status')).toBe('canceled')
    expect(pageErrors.filter((e) => !/Failed to load resource: the server responded with a status of 400/.test(e))).toEqual([])
    await context.close()
  }, 180_000)
})
