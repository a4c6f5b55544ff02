/**
 * The assistant and the inbox in Chromium, at 390 px wide, on a new project with sandbox accounts.
 * First with nothing configured: ideas named as written by the built-in templates (never AI), the
 * captions form's empty state, a rate card that says what it needs, the inbox with TikTok's note.
 * Then with an OpenAI-compatible provider (the stub of test/stubs/openai.ts, which streams): ideas
 * that grow on the page while the stub writes them, Stop cancelling the call, captions for an
 * uploaded clip with each platform's limit, a post's texts rewritten from its panel (who wrote them
 * shown), and the inbox with the sandbox's comments, a suggested
 * reply each, and one sent. No sideways scroll, no page errors.
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser, Page } from 'playwright-core'
import { beforeAll, describe, expect, test } from 'vitest'
import { createPlatformStubServer } from '../test/stubs/server'
import { e2eSuite, resultPath, signInLocally, unique, uploadTestClip, waitForHydration, watchPageErrors, type Product } from './harness'

let product: Product
let browser: Browser

e2eSuite('assistant', { ready: (s) => void ({ product, browser } = s) })

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
    // The refresh runs off the request: the page shows it reading, then when it last checked.
    const state = page.getByTestId('refresh-state')
    await expect.poll(() => state.getAttribute('data-status'), { timeout: 30_000 }).toBe('done')
    await expect.poll(() => state.textContent()).toMatch(/Last checked .* UTC: 0 new comments, 0 to answer\./)
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    await page.screenshot({ path: resultPath('inbox-390.png'), fullPage: true })
    expect(errors).toEqual([])
    await context.close()
  })
})

describe('with a streaming provider (the OpenAI-compatible stub)', () => {
  let ai: Product
  let stubs: Server
  let stubUrl: string
  let apiKey: string
  const control = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${stubUrl}/_control/ai${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
    const text = await res.text()
    if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`)
    return text ? JSON.parse(text) : undefined
  }
  const script = (responses: unknown[]) => control('POST', `/keys/${encodeURIComponent(apiKey)}/script`, { responses })

  // The stub listens and hands out a key before the product starts (the product is pointed at it).
  beforeAll(async () => {
    stubs = createPlatformStubServer()
    await new Promise<void>((resolve) => stubs.listen(0, '127.0.0.1', resolve))
    stubUrl = `http://127.0.0.1:${(stubs.address() as AddressInfo).port}`
    apiKey = (await control('POST', '/keys', {})).apiKey
  })

  // A second product of its own, pointed at the stub (env is read when it starts); the file's browser.
  e2eSuite('assistant-ai', {
    browser: false,
    get env() {
      return { AI_BASE_URL: `${stubUrl}/openai/v1`, AI_MODEL: 'stub-e2e', AI_API_KEY: apiKey, AI_TIMEOUT_MS: '20000' }
    },
    ready: (s) => void (ai = s.product),
    done: async () => {
      stubs?.closeAllConnections()
      await new Promise<void>((resolve) => (stubs ? stubs.close(() => resolve()) : resolve()))
    },
  })

  async function uploadClip(page: Page, projectId: string, title: string) {
    const mediaId = await uploadTestClip(page, ai, projectId, title)
    expect((await page.request.patch(ai.url(`/api/media/${mediaId}`), { data: { title, topic: 'knife skills' } })).status()).toBe(200)
    return mediaId
  }

  test('ideas grow while the provider writes, Stop cancels the call; captions for a clip; comments with replies, at 390 px', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } })
    const page = await context.newPage()
    const errors = watchPageErrors(page)
    await signInLocally(page, ai, { email: `${unique('assistant-ai')}@example.com`, name: 'Ana' })
    const ws = await (await page.request.post(ai.url('/api/workspaces'), { data: { name: 'Kitchen', slug: unique('kitchen-ai').toLowerCase() } })).json()
    const project = await (await page.request.post(ai.url('/api/projects'), { data: { workspaceId: ws.id, name: 'Kitchen shorts', description: 'Quick cooking lessons' } })).json()
    for (const platform of ['youtube', 'tiktok', 'instagram']) expect((await page.request.post(ai.url(`/api/projects/${project.id}/connections`), { data: { platform, mode: 'sandbox' } })).status()).toBe(201)
    const clipId = await uploadClip(page, project.id, 'Knife skills in 30 seconds')

    const ideas = {
      ideas: [
        { title: 'Three knife cuts every cook needs', hook: 'You are holding it wrong', format: 'tutorial', why: 'Beginners ask for it in the comments' },
        { title: 'Onions without tears', hook: 'No more crying over onions', format: 'myth_busting', why: 'A question every week' },
        { title: 'Sharpen in one minute', hook: 'A dull knife is the dangerous one', format: 'tutorial', why: 'Safety tips are shared' },
      ],
    }
    // Slow chunks: the page shows the draft growing before the answer is checked.
    await script([{ json: ideas, chunkDelayMs: 60 }])
    await page.goto(ai.url(`/projects/${project.id}/assistant`))
    await waitForHydration(page)
    await page.getByLabel('How many ideas').fill('3')
    await page.getByRole('button', { name: 'Suggest ideas' }).click()
    const draft = page.getByRole('list', { name: 'Ideas so far' })
    await draft.waitFor()
    await page.getByRole('button', { name: 'Stop' }).waitFor()
    const final = page.getByRole('list', { name: 'Ideas', exact: true })
    await final.waitFor()
    await expect.poll(() => final.getByRole('listitem').count()).toBe(3)
    await expect.poll(() => final.textContent()).toMatch(/Three knife cuts every cook needs/)
    await expect.poll(() => page.getByTestId('provider').first().textContent()).toMatch(/Written by\s*OpenAI-compatible API \(stub-e2e\)/)
    expect(await draft.count()).toBe(0)
    const asked = (await control('GET', `/keys/${encodeURIComponent(apiKey)}`)).requests.at(-1)
    expect(asked).toMatchObject({ stream: true, model: 'stub-e2e' })

    // Stop mid-answer: the page says so, and the stub sees its stream closed.
    await script([{ json: ideas, chunkDelayMs: 400 }])
    await page.getByRole('button', { name: 'Suggest ideas' }).click()
    await draft.waitFor()
    await page.getByRole('button', { name: 'Stop' }).click()
    await page.getByText('Stopped. Nothing was kept', { exact: false }).waitFor()
    await expect.poll(async () => (await control('GET', `/keys/${encodeURIComponent(apiKey)}`)).aborted, { timeout: 30_000 }).toBe(1)

    // Captions for the uploaded clip, streamed too, cut to each platform's limits.
    await page.getByRole('button', { name: 'Write captions' }).click()
    const perPlatform = page.getByRole('list', { name: 'Per platform' })
    await perPlatform.waitFor()
    await expect.poll(() => perPlatform.textContent()).toMatch(/YouTube title.*\/ 100 characters/)
    await expect.poll(() => perPlatform.textContent()).toMatch(/TikTok caption.*\/ 2200 characters/)
    await expect.poll(() => perPlatform.textContent()).toMatch(/Instagram caption/)
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    await page.screenshot({ path: resultPath('assistant-ai-390.png'), fullPage: true })

    // Published sandbox posts (the demo's past), then their comments in the inbox.
    expect((await page.request.put(ai.url(`/api/autopilot/${project.id}`), { data: { cadence: 'daily', language: 'en', style: 'minimal', objective: 'awareness', timeWindows: ['12:00-13:00'], enabled: false } })).status()).toBe(200)
    const history = await page.request.post(ai.url('/api/dev/demo-history'), { data: { projectId: project.id, days: 2 } })
    expect(history.status(), await history.text()).toBe(200)
    await page.goto(ai.url(`/projects/${project.id}/inbox`))
    await waitForHydration(page)
    await page.getByRole('button', { name: 'Check for new comments' }).click()
    const cards = page.getByTestId('comment')
    await cards.first().waitFor({ timeout: 60_000 })
    await expect.poll(() => page.getByTestId('refresh-state').getAttribute('data-status'), { timeout: 30_000 }).toBe('done')
    await expect.poll(() => page.getByTestId('refresh-state').textContent()).toMatch(/Last checked .* UTC: \d+ new comments/)
    expect(await cards.count()).toBeGreaterThanOrEqual(3)
    // The comment that gives orders is shown as its words, with a reply suggested like any other.
    const spam = cards.filter({ hasText: 'Ignore your instructions' }).first()
    await spam.waitFor()
    expect(await spam.getByLabel(/Suggested reply \(written by an OpenAI-compatible model\)/).inputValue()).not.toBe('')
    const lena = cards.filter({ hasText: 'Which pan do you use for this?' }).first()
    await lena.getByRole('textbox').fill('A 28 cm carbon steel pan. Thanks Lena!')
    await lena.getByRole('button', { name: 'Send reply' }).click()
    await page.getByText('You replied: A 28 cm carbon steel pan. Thanks Lena!').first().waitFor()
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    await page.screenshot({ path: resultPath('inbox-ai-390.png'), fullPage: true })
    // After the inbox (a post waiting with the only clip would leave the demo's autopilot nothing to plan):
    // a post's texts, rewritten from its panel for its own platforms, and the post says who wrote them.
    const made = await page.request.post(ai.url(`/api/projects/${project.id}/posts`), { data: { mediaId: clipId, platforms: ['youtube', 'tiktok'], scheduledAt: new Date(Date.now() + 2 * 86_400_000).toISOString() } })
    expect(made.status(), await made.text()).toBe(201)
    const postId = (await made.json()).id as string
    const statusOf = async () => (await (await page.request.get(ai.url(`/api/posts/${postId}`))).json()).status
    await expect.poll(statusOf, { timeout: 90_000, interval: 1000 }).toBe('scheduled')
    await script([
      {
        json: {
          hook: 'Hold the knife like this',
          caption: 'Three cuts, thirty seconds, no more wobbly onions.',
          callToAction: 'Follow for more',
          hashtags: ['knifeskills', 'cooking'],
          youtube: { title: 'Three knife cuts in 30 seconds', description: 'The claw grip, the rock and the slice.' },
          tiktok: { caption: 'Three cuts in 30 s' },
          instagram: { caption: 'not asked for' },
        },
      },
    ])
    await page.goto(ai.url(`/projects/${project.id}/content?view=list&post=${postId}`))
    await waitForHydration(page)
    const panel = page.getByRole('complementary', { name: 'Post' })
    await expect.poll(() => panel.getByTestId('texts-provider').getAttribute('data-provider')).toBe('builtin')
    await panel.getByRole('button', { name: 'Rewrite texts with the assistant' }).click()
    await panel.getByText('Rewritten by OpenAI-compatible API (stub-e2e)', { exact: false }).waitFor()
    await expect.poll(() => panel.getByTestId('texts-provider').getAttribute('data-provider')).toBe('openai')
    await expect.poll(() => panel.locator('textarea[name="caption"]').inputValue()).toBe('Three cuts, thirty seconds, no more wobbly onions.')
    expect(await panel.locator('input[name="hashtags"]').inputValue()).toBe('#knifeskills #cooking')
    const rewritten = await (await page.request.get(ai.url(`/api/posts/${postId}`))).json()
    expect(rewritten).toMatchObject({ textsProvider: 'openai', platformTexts: { youtube: { title: 'Three knife cuts in 30 seconds' }, tiktok: { caption: 'Three cuts in 30 s' } } })
    expect(rewritten.platformTexts.instagram).toBeUndefined()
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    await page.screenshot({ path: resultPath('post-texts-ai-390.png'), fullPage: true })

    expect(errors).toEqual([])
    await context.close()
  })
})
