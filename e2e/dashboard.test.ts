/**
 * The dashboard in Chromium, against the whole product started for real: sign in locally through
 * the sign-in page, create a workspace and a project through the forms, and see both.
 */
import type { Browser, Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { e2eSuite, resultPath, signInLocally, unique, waitForHydration, watchPageErrors, type Product } from './harness'

let product: Product
let browser: Browser

e2eSuite('dashboard', { ready: (s) => void ({ product, browser } = s) })

async function newPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } })
  return context.newPage()
}

describe('dashboard', () => {
  test('the landing page says what Reelpilot does and leads to sign-in', async () => {
    const page = await newPage()
    await page.goto(product.url('/'))
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Shorts, TikToks and Reels')
    await page.screenshot({ path: resultPath('landing.png'), fullPage: true })
    await page.getByRole('link', { name: 'Sign in to get started' }).first().click()
    await page.getByRole('heading', { name: 'Sign in to Reelpilot' }).waitFor()
    await page.screenshot({ path: resultPath('sign-in.png') })
    await page.context().close()
  })

  test('a signed-out visitor is sent to sign in, and comes back to the page they asked for', async () => {
    const page = await newPage()
    await page.goto(product.url('/settings'))
    expect(new URL(page.url()).pathname).toBe('/sign-in')
    expect(new URL(page.url()).searchParams.get('redirectTo')).toBe('/settings')
    await page.getByLabel('Email').fill(`${unique('back')}@example.com`)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL(product.url('/settings'))
    await page.getByText('You have no workspace yet').waitFor()
    await page.context().close()
  })

  test('sign in, create a workspace and a project through the forms, and see both', async () => {
    const page = await newPage()
    const pageErrors = watchPageErrors(page)
    const email = `${unique('ada')}@example.com`
    await signInLocally(page, product, { email, name: 'Ada Lovelace' })

    // The session is an HttpOnly cookie, set by the sign-in action.
    const cookie = (await page.context().cookies()).find((c) => c.name === '__session')
    expect(cookie?.httpOnly).toBe(true)
    expect(cookie?.sameSite).toBe('Lax')
    expect(cookie?.secure).toBe(false) // served over http here
    expect(await page.getByTestId('signed-in-email').textContent()).toBe(email)
    expect(await page.getByText('No workspaces yet').isVisible()).toBe(true)

    const slug = unique('studio').toLowerCase()
    const workspaceForm = page.getByRole('form', { name: 'New workspace' })
    // Once scripts run, the slug follows the name until it is edited.
    await waitForHydration(page)
    await workspaceForm.getByLabel('Workspace name').fill('Ada Studio')
    expect(await workspaceForm.getByLabel('Slug').inputValue()).toBe('ada-studio')
    await workspaceForm.getByLabel('Slug').fill(slug)
    await workspaceForm.getByRole('button', { name: 'Create workspace' }).click()
    await page.getByText('Workspace “Ada Studio” created.').waitFor()
    // The note shows only once the list has been reloaded with the new workspace in it.
    expect(await page.getByTestId('workspaces').getByRole('heading', { name: /Ada Studio/ }).isVisible()).toBe(true)

    const projectForm = page.getByRole('form', { name: 'New project' })
    await projectForm.getByLabel('Workspace').selectOption({ label: 'Ada Studio' })
    await projectForm.getByLabel('Project name').fill('Morning Coffee Shorts')
    await projectForm.getByLabel('Description').fill('Daily 30-second espresso tips')
    await projectForm.getByRole('button', { name: 'Create project' }).click()
    await page.getByText('Project “Morning Coffee Shorts” created.').waitFor()
    expect(await page.getByRole('list', { name: 'Projects in Ada Studio' }).getByText('Morning Coffee Shorts').isVisible()).toBe(true)

    // Both are on the dashboard after a fresh load, so they came from the API, not the form.
    await page.goto(product.url('/dashboard'))
    const workspaces = page.getByTestId('workspaces')
    expect(await workspaces.getByRole('heading', { name: /Ada Studio/ }).isVisible()).toBe(true)
    expect(await workspaces.getByText(slug).isVisible()).toBe(true)
    const projects = page.getByRole('list', { name: 'Projects in Ada Studio' })
    expect(await projects.getByRole('link', { name: /Morning Coffee Shorts/ }).isVisible()).toBe(true)
    expect(await projects.getByText('Daily 30-second espresso tips').isVisible()).toBe(true)

    // From the top: the header is sticky, and a same-URL load may keep the scroll position.
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.screenshot({ path: resultPath('dashboard.png'), fullPage: true })

    // The project's page opens from the dashboard, with its sections.
    await projects.getByRole('link', { name: /Morning Coffee Shorts/ }).click()
    await page.getByRole('heading', { level: 1, name: 'Morning Coffee Shorts' }).waitFor()
    expect(new URL(page.url()).pathname).toMatch(/^\/projects\/prj_/)
    const nav = page.getByRole('navigation', { name: 'Project' })
    for (const section of ['Connections', 'Library', 'Autopilot', 'Content', 'Analytics']) {
      expect(await nav.getByRole('link', { name: section }).isVisible()).toBe(true)
    }
    // Server and browser rendered the same pages: no hydration mismatch, no uncaught error.
    expect(pageErrors).toEqual([])
    await page.context().close()
  })

  test('a taken slug is shown on the slug field, and what was typed is kept', async () => {
    const slug = unique('taken').toLowerCase()
    const first = await newPage()
    await signInLocally(first, product, { email: `${unique('first')}@example.com` })
    const form1 = first.getByRole('form', { name: 'New workspace' })
    await form1.getByLabel('Workspace name').fill('First')
    await form1.getByLabel('Slug').fill(slug)
    await form1.getByRole('button', { name: 'Create workspace' }).click()
    await first.getByText('Workspace “First” created.').waitFor()
    await first.context().close()

    const page = await newPage()
    await signInLocally(page, product, { email: `${unique('second')}@example.com` })
    const form = page.getByRole('form', { name: 'New workspace' })
    await form.getByLabel('Workspace name').fill('Second')
    await form.getByLabel('Slug').fill(slug)
    await form.getByRole('button', { name: 'Create workspace' }).click()

    const slugField = form.getByLabel('Slug')
    await form.locator('input[name="slug"][aria-invalid="true"]').waitFor()
    const errorId = await slugField.getAttribute('aria-describedby')
    expect(await page.locator(`#${errorId}`).textContent()).toBe(`The slug "${slug}" is taken; choose another.`)
    expect(await form.getByLabel('Workspace name').inputValue()).toBe('Second')
    expect(await slugField.inputValue()).toBe(slug)
    expect(await page.getByText('No workspaces yet').isVisible()).toBe(true)
    await page.screenshot({ path: resultPath('dashboard-slug-taken.png') })
    await page.context().close()
  })

  test('a bad email on the sign-in form is shown on the email field', async () => {
    const page = await newPage()
    await page.goto(product.url('/sign-in'))
    await page.getByLabel('Email').fill('not-an-email')
    await page.getByRole('button', { name: 'Sign in' }).click()
    const email = page.getByLabel('Email')
    await page.locator('input[name="email"][aria-invalid="true"]').waitFor()
    const errorId = await email.getAttribute('aria-describedby')
    expect(await page.locator(`#${errorId}`).textContent()).toBe('Must be an email address')
    expect(new URL(page.url()).pathname).toBe('/sign-in')
    expect((await page.context().cookies()).some((c) => c.name === '__session')).toBe(false)
    await page.context().close()
  })

  test('sign-in and the dashboard forms work without JavaScript', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false })
    const page = await context.newPage()
    await signInLocally(page, product, { email: `${unique('nojs')}@example.com` })
    const form = page.getByRole('form', { name: 'New workspace' })
    await form.getByLabel('Workspace name').fill('Plain HTML')
    await form.getByLabel('Slug').fill('x')
    await Promise.all([page.waitForEvent('load'), form.getByRole('button', { name: 'Create workspace' }).click()])
    expect(await page.locator('input[name="slug"][aria-invalid="true"]').count()).toBe(1)
    expect(await form.getByText('Must be 3 to 48 characters').isVisible()).toBe(true)

    const slug = unique('plain').toLowerCase()
    await form.getByLabel('Slug').fill(slug)
    await Promise.all([page.waitForEvent('load'), form.getByRole('button', { name: 'Create workspace' }).click()])
    expect(await page.getByTestId('workspaces').getByText(slug).isVisible()).toBe(true)
    await context.close()
  })

  test('sign-out clears the session', async () => {
    const page = await newPage()
    await signInLocally(page, product, { email: `${unique('leaver')}@example.com` })
    await page.getByRole('button', { name: 'Sign out' }).click()
    await page.waitForURL(product.url('/'))
    expect((await page.context().cookies()).some((c) => c.name === '__session')).toBe(false)
    await page.goto(product.url('/dashboard'))
    expect(new URL(page.url()).pathname).toBe('/sign-in')
    await page.context().close()
  })
})
