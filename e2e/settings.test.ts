/**
 * Workspace settings and the project page in Chromium: rename, members and their roles (with the
 * API's "last owner" refusal shown on the row), API keys whose secret is shown once, and the
 * project's navigation.
 */
import type { Browser, Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { e2eSuite, resultPath, signInLocally, unique, type Product } from './harness'

let product: Product
let browser: Browser
let page: Page
let workspaceId: string
/** A member the owner invites and makes a viewer (in the members test). */
const viewerEmail = `${unique('viewer')}@example.com`
const ownerEmail = `${unique('owner')}@example.com`

// The owner signs in and makes the workspace every test below uses.
e2eSuite('settings', {
  ready: async (s) => {
    product = s.product
    browser = s.browser
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    page = await context.newPage()
    await signInLocally(page, product, { email: ownerEmail, name: 'Olive Owner' })
    const form = page.getByRole('form', { name: 'New workspace' })
    await form.getByLabel('Workspace name').fill('Olive Media')
    await form.getByLabel('Slug').fill(unique('olive').toLowerCase())
    await form.getByRole('button', { name: 'Create workspace' }).click()
    await page.getByText('Workspace “Olive Media” created.').waitFor()
    const href = await page.getByTestId('workspaces').getByRole('link', { name: 'Settings' }).getAttribute('href')
    workspaceId = new URL(href!, product.baseUrl).searchParams.get('workspace')!
  },
})

describe('settings', () => {
  test('rename the workspace; an empty name is shown on the name field', async () => {
    await page.goto(product.url(`/settings?workspace=${workspaceId}`))
    const form = page.getByRole('form', { name: 'Rename workspace' })
    await form.getByLabel('Workspace name').fill('')
    await form.getByRole('button', { name: 'Save' }).click()
    await form.locator('input[name="name"][aria-invalid="true"]').waitFor()
    expect(await form.getByRole('alert').first().textContent()).toBe('Must not be empty')

    await form.getByLabel('Workspace name').fill('Olive Media Group')
    await form.getByRole('button', { name: 'Save' }).click()
    await page.getByRole('heading', { level: 1, name: 'Olive Media Group' }).waitFor()
  })

  test('invite a member, change their role, and see the last owner refused', async () => {
    await page.goto(product.url(`/settings?workspace=${workspaceId}`))
    const invitee = viewerEmail
    const invite = page.getByRole('form', { name: 'Invite a member' })
    await invite.getByLabel('Invite by email').fill('nobody')
    await invite.getByRole('button', { name: 'Invite' }).click()
    await invite.locator('input[name="email"][aria-invalid="true"]').waitFor()

    await invite.getByLabel('Invite by email').fill(invitee)
    await invite.getByLabel('Role').selectOption('editor')
    await invite.getByRole('button', { name: 'Invite' }).click()
    await page.getByText(`${invitee} was added as editor.`).waitFor()
    const members = page.getByRole('list', { name: 'Members' })
    const row = members.getByRole('form', { name: `Role of ${invitee}` })
    await row.waitFor()
    await row.getByLabel(`Role of ${invitee}`).selectOption('viewer')
    await row.getByRole('button', { name: 'Change role' }).click()
    await page.getByText('Now viewer.').waitFor()

    // The owner (the signed-in person) cannot step down while they are the only owner.
    const ownerRow = members.locator('li', { has: page.getByText('you', { exact: true }) })
    await ownerRow.getByRole('combobox').selectOption('admin')
    await ownerRow.getByRole('button', { name: 'Change role' }).click()
    await ownerRow.getByText('This is the last owner: make someone else owner first.').waitFor()
  })

  test('a viewer sees the settings read-only, and the API says why they cannot act', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
    const viewer = await context.newPage()
    await signInLocally(viewer, product, { email: viewerEmail })
    await viewer.goto(product.url(`/settings?workspace=${workspaceId}`))
    const rename = viewer.getByRole('form', { name: 'Rename workspace' })
    expect(await rename.getByLabel('Workspace name').isDisabled()).toBe(true)
    expect(await viewer.getByText('Only owners and admins can rename the workspace.').isVisible()).toBe(true)
    expect(await viewer.getByRole('form', { name: 'Invite a member' }).count()).toBe(0)
    expect(await viewer.getByText('Your role (viewer) cannot do this; it needs admin or above.').isVisible()).toBe(true)

    // The dashboard lets them try to add a project; the API's refusal is shown on the form.
    await viewer.goto(product.url('/dashboard'))
    const form = viewer.getByRole('form', { name: 'New project' })
    await form.getByLabel('Project name').fill('Not allowed')
    await form.getByRole('button', { name: 'Create project' }).click()
    await form.getByText('Your role (viewer) cannot do this; it needs editor or above.').waitFor()
    await context.close()
  })

  test('create an API key: its secret is shown once; then revoke it', async () => {
    await page.goto(product.url(`/settings?workspace=${workspaceId}`))
    const form = page.getByRole('form', { name: 'Create an API key' })
    await form.getByLabel('Key name').fill('Zapier')
    await form.getByLabel('Key role').selectOption('editor')
    await form.getByRole('button', { name: 'Create key' }).click()
    const secret = (await page.getByTestId('api-key-secret').textContent())!.trim()
    expect(secret).toMatch(/^rp_/)
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.screenshot({ path: resultPath('settings.png'), fullPage: true })

    // The secret works against the API as that key.
    const me = await fetch(product.url('/api/me'), { headers: { authorization: `Bearer ${secret}` } })
    expect(me.status).toBe(200)
    expect(await me.json()).toMatchObject({ kind: 'apiKey', workspaceId, role: 'editor' })

    // Shown once: a new load lists the key by its prefix only.
    await page.goto(product.url(`/settings?workspace=${workspaceId}`))
    expect(await page.getByTestId('api-key-secret').count()).toBe(0)
    const keys = page.getByRole('table', { name: 'API keys' })
    await keys.getByText(`${secret.slice(0, 10)}…`).waitFor()

    await page.getByRole('form', { name: 'Revoke Zapier' }).getByRole('button', { name: 'Revoke' }).click()
    await keys.getByText(/^revoked/).waitFor()
    const after = await fetch(product.url('/api/me'), { headers: { authorization: `Bearer ${secret}` } })
    expect(after.status).toBe(401)
  })
})

describe('project page', () => {
  test('shows the project, and its navigation leads to each section', async () => {
    await page.goto(product.url('/dashboard'))
    const form = page.getByRole('form', { name: 'New project' })
    await form.getByLabel('Project name').fill('Studio Diaries')
    await form.getByRole('button', { name: 'Create project' }).click()
    await page.getByText('Project “Studio Diaries” created.').waitFor()
    await page.getByRole('link', { name: /Studio Diaries/ }).click()
    await page.getByRole('heading', { level: 1, name: 'Studio Diaries' }).waitFor()
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.screenshot({ path: resultPath('project.png'), fullPage: true })

    // Later issues fill the sections; what holds now is that each has its own page under the project.
    const nav = page.getByRole('navigation', { name: 'Project' })
    for (const section of ['Connections', 'Library', 'Autopilot', 'Content', 'Analytics']) {
      const link = nav.getByRole('link', { name: section, exact: true })
      await link.click()
      await page.waitForURL(new RegExp(`/projects/prj_[^/]+/${section.toLowerCase()}$`))
      await nav.locator(`a[aria-current="page"]`, { hasText: section }).waitFor()
      expect(await page.getByRole('heading', { level: 1, name: 'Studio Diaries' }).isVisible()).toBe(true)
    }
  })

  test('edit the project (an empty name is refused on the field), then delete it', async () => {
    await page.getByRole('navigation', { name: 'Project' }).getByRole('link', { name: 'Overview' }).click()
    const form = page.getByRole('form', { name: 'Project details' })
    await form.getByLabel('Project name').fill('   ')
    await form.getByRole('button', { name: 'Save' }).click()
    await form.locator('input[name="name"][aria-invalid="true"]').waitFor()

    await form.getByLabel('Project name').fill('Studio Diaries Daily')
    await form.getByLabel('Description').fill('One minute from the studio, every day')
    await form.getByRole('button', { name: 'Save' }).click()
    await page.getByRole('heading', { level: 1, name: 'Studio Diaries Daily' }).waitFor()
    expect(await page.getByText('One minute from the studio, every day').first().isVisible()).toBe(true)

    page.once('dialog', (dialog) => dialog.accept())
    await page.getByRole('form', { name: 'Delete project' }).getByRole('button', { name: 'Delete project' }).click()
    await page.waitForURL(product.url('/dashboard'))
    await page.getByRole('heading', { level: 1, name: 'Your workspaces' }).waitFor()
    expect(await page.getByRole('link', { name: /Studio Diaries Daily/ }).count()).toBe(0)
  })

  test('a project that is not yours answers 404 with the API’s message', async () => {
    const res = await page.goto(product.url('/projects/prj_doesnotexist0000000'))
    expect(res?.status()).toBe(404)
    await page.getByText('Project not found').waitFor()
  })

  test('an address with no page answers 404 in our words, not the router’s', async () => {
    const res = await page.goto(product.url('/no-such-page'))
    expect(res?.status()).toBe(404)
    await page.getByRole('heading', { name: 'Not found' }).waitFor()
    expect(await page.locator('main').innerText()).toContain('There is no page at this address.')
    expect(await page.locator('main').innerText()).not.toContain('No route matches')
  })
})

describe('the audit log tab', () => {
  test('lists who changed what, filters by action, and fits a 390 px phone', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } })
    const phone = await context.newPage()
    await signInLocally(phone, product, { email: ownerEmail, name: 'Olive Owner' })
    await phone.goto(product.url(`/settings?workspace=${workspaceId}`))
    await phone.getByRole('navigation', { name: 'Settings sections' }).getByRole('link', { name: 'Audit log' }).click()
    const entries = phone.getByRole('list', { name: 'Audit entries' })
    await entries.waitFor()
    // The members test invited someone and changed their role; the API key test made and revoked a key.
    await entries.getByText('Role changed').first().waitFor()
    await entries.getByText('Member invited').first().waitFor()
    expect(await entries.getByText(viewerEmail).count()).toBeGreaterThan(0)
    const form = phone.getByRole('form', { name: 'Filter the audit log' })
    await form.getByLabel('Action').selectOption('member.invited')
    await form.getByRole('button', { name: 'Filter' }).click()
    await phone.waitForURL(/action=member.invited/)
    // The address changes before the filtered entries arrive: read the list once it has been replaced.
    const actions = () => entries.locator('li > span:first-child').allTextContents()
    await expect.poll(async () => new Set(await actions())).toEqual(new Set(['Member invited']))
    expect((await actions()).length).toBeGreaterThan(0)
    const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow).toBeLessThanOrEqual(0)
    await context.close()
  })
})

describe('deleting a workspace', () => {
  test('needs its slug typed, then removes it', async () => {
    await page.goto(product.url(`/settings?workspace=${workspaceId}`))
    const form = page.getByRole('form', { name: 'Delete workspace' })
    await form.getByRole('textbox').fill('not-the-slug')
    await form.getByRole('button', { name: 'Delete workspace' }).click()
    await form.locator('input[name="confirm"][aria-invalid="true"]').waitFor()

    const slug = (await page.getByRole('form', { name: 'Rename workspace' }).getByLabel('Slug').inputValue()).trim()
    await form.getByRole('textbox').fill(slug)
    await form.getByRole('button', { name: 'Delete workspace' }).click()
    await page.getByText('You have no workspace yet').waitFor()
    const res = await fetch(product.url('/api/workspaces'), { headers: { cookie: await sessionCookieHeader() } })
    expect(((await res.json()) as { data: unknown[] }).data).toEqual([])
  })
})

async function sessionCookieHeader() {
  const cookies = await page.context().cookies()
  return cookies.map((c) => `${c.name}=${c.value}`).join('; ')
}
