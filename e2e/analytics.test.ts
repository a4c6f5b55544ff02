/**
 * The analytics page in Chromium, on the demo a newcomer makes: the product started as `npm start`
 * does, `scripts/demo.mjs` run against it exactly as `npm run demo` runs it (clips made with
 * FFmpeg and uploaded, sandbox accounts, 60 days of planned posts with the sandbox's metrics),
 * then signed in with the same email. The page's totals must be the API's, the chart and every
 * breakdown drawn, the best posts listed, and nothing wider than a phone at 390 × 844.
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import type { Browser } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { e2eSuite, resultPath, ROOT, signedInPage, unique, waitForHydration, type Product } from './harness'

let product: Product
let browser: Browser
let email: string
let projectId: string
let demoOutput = ''

/** Runs `npm run demo` (the script itself, on this Node) against the product. */
function runDemo(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'demo.mjs'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (c) => (output += c))
    child.stderr.on('data', (c) => (output += c))
    child.on('exit', (code) => resolve({ code, output }))
  })
}

// The demo workspace made by `npm run demo` against the product, 60 days of it.
e2eSuite('analytics', {
  timeoutMs: 600_000,
  ready: async (s) => {
    product = s.product
    browser = s.browser
    email = `${unique('demo')}@example.com`
    const demo = await runDemo(['--email', email, '--url', product.baseUrl, '--days', '60'])
    demoOutput = demo.output
    expect(demo.code, `${demo.output}\n--- product:\n${product.logs().slice(-4000)}`).toBe(0)
    projectId = /\/projects\/(prj_[a-z0-9]+)\/analytics/.exec(demo.output)![1]
  },
})

async function api(path: string): Promise<any> {
  const { token } = (await (await fetch(product.url('/api/dev/token'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email }) })).json()) as { token: string }
  return (await fetch(product.url(`/api${path}`), { headers: { authorization: `Bearer ${token}` } })).json()
}

/** A page of its own at `viewport`, signed in as the demo's person, its errors watched. */
const signedIn = (viewport: { width: number; height: number }) => signedInPage(browser, product, { email }, { viewport })

describe('analytics page on the demo workspace', () => {
  test('npm run demo makes three ready clips and 60 days of posts with their metrics, and says how to sign in', () => {
    expect(demoOutput.match(/^clip: .+ \(ready\)$/gm), demoOutput).toHaveLength(3)
    const made = /demo: (\d+) past posts and (\d+) metric snapshots/.exec(demoOutput)!
    expect(Number(made[1])).toBeGreaterThanOrEqual(55)
    expect(Number(made[2])).toBeGreaterThan(1000)
    expect(demoOutput).toContain(`Sign in at ${product.baseUrl}/sign-in with ${email}`)
  })

  test('totals are the API numbers, the chart and every breakdown are drawn, and the best posts are listed', async () => {
    const { page, errors } = await signedIn({ width: 1280, height: 900 })
    await page.goto(product.url(`/projects/${projectId}/analytics?days=28`))
    await waitForHydration(page)
    const dash = await api(`/projects/${projectId}/analytics?groupBy=day`)
    const views = dash.totals.find((t: any) => t.metric === 'views')
    expect(views.value).toBeGreaterThan(0)
    // 60 days of history: the 28 days before have numbers too, so there is a change to show.
    expect(views.previous).toBeGreaterThan(0)
    for (const t of dash.totals) expect(await page.locator(`[data-total="${t.metric}"]`).getAttribute('data-value')).toBe(String(t.value))
    expect(await page.locator('[data-total="views"] [data-change]').count()).toBe(1)

    // The daily chart: one line through the days with numbers.
    const line = page.locator('[data-chart="time-series"] path.recharts-line-curve')
    await line.waitFor()
    expect((await line.getAttribute('d'))!.split(/[LC]/).length).toBeGreaterThan(20)
    // Platform, style, window and weekday: a bar per category with views.
    for (const name of ['Views by platform', 'Views by style', 'Views by posting hour', 'Views by weekday']) {
      const bars = page.getByRole('img', { name }).locator('.recharts-bar-rectangle')
      await bars.first().waitFor()
      expect(await bars.count(), name).toBeGreaterThanOrEqual(name === 'Views by weekday' ? 7 : 3)
    }
    expect(await page.locator('[data-platform]').evaluateAll((els) => els.map((e) => e.getAttribute('data-platform')))).toEqual(['instagram', 'tiktok', 'youtube'])
    const top = page.getByTestId('top-posts').getByRole('listitem')
    expect(await top.count()).toBe(dash.top.length)
    expect(await top.first().textContent()).toContain(dash.top[0].title)
    await page.screenshot({ path: resultPath('analytics-demo.png'), fullPage: true })

    // One platform: the totals follow.
    await page.getByRole('link', { name: 'TikTok', exact: true }).click()
    await page.waitForURL(/platform=tiktok/)
    const tiktok = await api(`/projects/${projectId}/analytics?platform=tiktok`)
    await page.locator(`[data-total="views"][data-value="${tiktok.totals.find((t: any) => t.metric === 'views').value}"]`).waitFor()
    expect(await page.locator('[data-total="saves"]').count()).toBe(0) // TikTok gives no saves
    expect(errors).toEqual([])
    await page.context().close()
  })

  test('at 390 × 844 nothing scrolls sideways', async () => {
    const { page, errors } = await signedIn({ width: 390, height: 844 })
    await page.goto(product.url(`/projects/${projectId}/analytics`))
    await waitForHydration(page)
    await page.locator('[data-chart="time-series"] path.recharts-line-curve').waitFor()
    const widths = await page.evaluate(() => {
      const client = document.documentElement.clientWidth
      // The innermost elements that reach past the screen's edge, to say what is too wide.
      const wide = [...document.querySelectorAll('body *')]
        .filter((e) => e.getBoundingClientRect().right > client + 1 && ![...e.children].some((c) => c.getBoundingClientRect().right > client + 1))
        .slice(0, 5)
        .map((e) => `${e.tagName.toLowerCase()}.${String(e.getAttribute('class') ?? '').split(' ').slice(0, 3).join('.')} right=${Math.round(e.getBoundingClientRect().right)}`)
      return { scroll: document.documentElement.scrollWidth, client, wide }
    })
    expect(widths.scroll, widths.wide.join('\n')).toBeLessThanOrEqual(widths.client)
    await page.screenshot({ path: resultPath('analytics-demo-phone.png'), fullPage: true })
    expect(errors).toEqual([])
    await page.context().close()
  })

  test('the autopilot page shows what the learner knows once learning is on: each arm with its posts and range, the next slots with their reasons', async () => {
    const { page, errors } = await signedIn({ width: 1280, height: 900 })
    await page.goto(product.url(`/projects/${projectId}/autopilot`))
    await waitForHydration(page)
    const form = page.getByRole('form', { name: 'Autopilot settings' })
    await form.getByRole('checkbox', { name: /Learn from results/ }).check()
    for (const style of ['neon', 'minimal', 'corporate']) if (!(await form.getByLabel(`Try ${style}`).isChecked())) await form.getByLabel(`Try ${style}`).check()
    await form.getByRole('button', { name: 'Save', exact: true }).click()
    // The save's own answer first: the demo's autopilot may already be learning (with fewer
    // styles), and its evidence card was read before the save's revalidation once (7 arms, not 21).
    await page.getByText(/^Saved\. The autopilot /).waitFor()
    await page.getByText('What the autopilot has learnt').waitFor()
    const learning = await api(`/autopilot/${projectId}/learning`)
    expect(learning.mode).toBe('learn')
    // What was saved: every style allowed (if not, the form lost a check, not the page its data).
    expect(learning.platforms.find((p: any) => p.platform === 'tiktok').arms).toHaveLength(21)
    const evidence = page.getByTestId('learning-evidence')
    // The demo's windows (08-10, 12-14, 18-21: 7 parts of an hour) × 3 styles, per platform. Polled:
    // the save's notice can show before the page's data is read again (7 arms, one style, twice in CI).
    await expect.poll(() => evidence.locator('[data-platform-evidence="tiktok"] tr[data-arm]').count()).toBe(21)
    const arm = learning.platforms.find((p: any) => p.platform === 'tiktok').arms.find((a: any) => a.posts - a.pending > 0)
    expect(await evidence.locator(`[data-platform-evidence="tiktok"] tr[data-arm="${arm.key}"]`).textContent()).toContain(`${arm.ratio.toFixed(2)}×`)
    expect(await evidence.getByTestId('learning-reason').allTextContents()).toEqual(learning.nextSlots.map((s: any) => s.reason))
    // The status line's next post is the learner's choice (its hour inside the window), not the window's plain slot.
    const { config } = await api(`/autopilot/${projectId}`)
    const learnt = await page.evaluate(([at, zone]) => new Intl.DateTimeFormat(undefined, { timeZone: zone, timeStyle: 'short' }).format(new Date(at)), [learning.nextSlots[0].at, config.timezone])
    const next = (await page.getByTestId('autopilot-next').innerText()).replace(/\s/g, ' ')
    expect(next).toContain(`, ${learnt.replace(/\s/g, ' ')} (${config.timezone}), at the hour the autopilot chose from what it has learnt.`)
    // The next-seven card says that the hours inside the windows are the learner's to choose.
    await page.getByText(/Learning from results: each post goes out on these days, at the hour inside its window that the autopilot chooses/).waitFor()
    await page.screenshot({ path: resultPath('autopilot-learning.png'), fullPage: true })
    expect(errors).toEqual([])
    await page.context().close()
  })
})
