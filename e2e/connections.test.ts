/**
 * The connections page in Chromium against the whole product, with YouTube pointed at the
 * platform stub: connect YouTube through its consent redirect and come back connected with the
 * account's name and avatar; connect a sandbox TikTok account at once; disconnect.
 */
import type { AddressInfo } from 'node:net'
import type { Server } from 'node:http'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createPlatformStubServer } from '../test/stubs/server'
import { e2eSuite, signInLocally, unique, waitForHydration, type Product } from './harness'

let stubs: Server
let stubUrl: string
let product: Product
let browser: Browser

// The platform stub listens before the product starts (the product is pointed at it).
beforeAll(async () => {
  stubs = createPlatformStubServer()
  await new Promise<void>((resolve) => stubs.listen(0, '127.0.0.1', resolve))
  stubUrl = `http://127.0.0.1:${(stubs.address() as AddressInfo).port}`
})

// env is read when the product starts, after the stub listens.
e2eSuite('connections', {
  get env() {
    return { PLATFORM_API_BASE: stubUrl, YOUTUBE_CLIENT_ID: 'e2e-youtube-client', YOUTUBE_CLIENT_SECRET: 'e2e-youtube-secret' }
  },
  ready: (s) => void ({ product, browser } = s),
  done: async () => {
    stubs?.closeAllConnections()
    await new Promise<void>((resolve) => (stubs ? stubs.close(() => resolve()) : resolve()))
  },
})

describe('connections page', () => {
  test('connect YouTube through OAuth, a sandbox TikTok account at once, then disconnect', async () => {
    const account = (await (await fetch(`${stubUrl}/_control/accounts`, { method: 'POST', body: JSON.stringify({ platform: 'youtube', name: 'Chef Ana' }) })).json()) as { accountId: string; avatarUrl: string }
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    // Page errors, less the product's missing favicon (requested after the OAuth round trip).
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`))
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.location().url.endsWith('/favicon.ico')) errors.push(`console.error: ${m.text()} (${m.location().url})`)
    })
    await signInLocally(page, product, { email: `${unique('conn')}@example.com`, name: 'Conn Tester' })
    const ws = await (await page.request.post(product.url('/api/workspaces'), { data: { name: 'Channels', slug: unique('channels').toLowerCase() } })).json()
    const project = await (await page.request.post(product.url('/api/projects'), { data: { workspaceId: ws.id, name: 'Cooking shorts' } })).json()
    // The stub's consent page signs in as the account made above.
    await page.route(`${stubUrl}/youtube/o/oauth2/v2/auth**`, (route) => {
      const url = new URL(route.request().url())
      url.searchParams.set('stub_account', account.accountId)
      return route.continue({ url: url.toString() })
    })
    await page.goto(product.url(`/projects/${project.id}/connections`))
    await waitForHydration(page)
    const youtube = page.getByRole('listitem', { name: 'YouTube' })
    await youtube.getByText('Not connected').waitFor()

    await Promise.all([page.waitForURL(`**/projects/${project.id}/connections?connected=youtube`), youtube.getByRole('button', { name: 'Connect YouTube' }).click()])
    await page.getByText('YouTube is connected.').waitFor()
    await youtube.getByText('Connected', { exact: true }).waitFor()
    await youtube.getByText('Chef Ana').waitFor()
    expect(await youtube.locator('img').getAttribute('src')).toBe(account.avatarUrl)

    const tiktok = page.getByRole('listitem', { name: 'TikTok' })
    await tiktok.getByRole('button', { name: 'Connect a sandbox account' }).click()
    await tiktok.getByText('Sandbox account connected.').waitFor()
    await tiktok.getByText('Sandbox TikTok').waitFor()
    await tiktok.getByText('Connected', { exact: true }).waitFor()

    page.once('dialog', (dialog) => dialog.accept())
    await youtube.getByRole('button', { name: 'Disconnect' }).click()
    await youtube.getByText('Disconnected; access revoked at the platform.').waitFor()
    await youtube.getByText('Disconnected', { exact: true }).waitFor()
    const state = (await (await fetch(`${stubUrl}/_control/accounts/${account.accountId}`)).json()) as { counters: Record<string, number> }
    expect(state.counters.revoked).toBe(1)
    expect(errors).toEqual([])
  })
})
