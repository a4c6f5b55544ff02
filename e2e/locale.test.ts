/**
 * Dates in the reader's locale (#16), in Chromium at 390×844 with the browser's language set to
 * French (fr-FR) and to American English (en-US): the same project's calendar, post panel (its
 * history too, with a row written before #16 that held an ISO instant), autopilot page, library
 * bulk plan and dashboard say their days and times as that reader's language writes them (Intl:
 * "demain, 14:00", "lun.", "2:00 PM"), the server's first render and the browser agree (no
 * hydration error), and no page shows a date as machines write it.
 */
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { describe, expect, test } from 'vitest'
import { e2eSuite, expectDatesInWords, expectNoOverflow, newCreator, resultPath, uploadTestClip, waitForHydration, watchPageErrors } from './harness'

const suite = e2eSuite('locale')

/** The product's D1 file (Miniflare's SQLite under the product's state folder). */
function d1File(root: string): string {
  const found: string[] = []
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (name.endsWith('.sqlite') && path.includes('D1')) found.push(path)
    }
  }
  walk(root)
  for (const path of found) {
    const db = new DatabaseSync(path)
    try {
      if (db.prepare(`select name from sqlite_master where name = 'post_events'`).get()) return path
    } finally {
      db.close()
    }
  }
  throw new Error(`No D1 file with post_events under ${root}: ${found.join(', ')}`)
}

/** Yesterday at 20:12 UTC: always "yesterday" to a reader in UTC, whatever the time of the run. */
const OLD_INSTANT = `${new Date(Date.now() - 86_400_000).toISOString().slice(0, 10)}T20:12:36.044Z`

/** A history row as the API wrote them before #16 (an ISO instant in its words), put straight into D1. */
function plantOldHistoryRow(postId: string) {
  const db = new DatabaseSync(d1File(suite.product.persistTo))
  try {
    db.prepare(`insert into post_events (post_id, at, type, to_status, message) values (?, ?, 'created', 'planned', ?)`).run(postId, OLD_INSTANT, `Scheduled by hand for ${OLD_INSTANT}`)
  } finally {
    db.close()
  }
}

const LOCALES = [
  {
    locale: 'fr-FR',
    weekdays: ['lun.', 'mar.', 'mer.', 'jeu.', 'ven.', 'sam.', 'dim.'],
    tomorrow: /^Demain, 14:00/,
    midSentence: /demain, 14:00/,
    history: /Scheduled by hand for hier, 20:12/,
    // The next free slots (Mondays and Thursdays, 10:00–12:00 UTC): today's when the run is a Monday or Thursday morning.
    slot: /(Aujourd’hui|Demain|lun\.|jeu\.)[ ,].*\b(10|11):\d\d$/,
    english: /\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Tomorrow|Today|Yesterday|AM|PM)\b/,
  },
  {
    locale: 'en-US',
    weekdays: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'],
    tomorrow: /^Tomorrow, 2:00\sPM/,
    midSentence: /tomorrow, 2:00\sPM/,
    history: /Scheduled by hand for yesterday, 8:12\sPM/,
    slot: /(Today|Tomorrow|Mon|Thu)[ ,].*\b(10|11):\d\d\sAM$/,
    english: null,
  },
] as const

describe.each(LOCALES)('a reader whose browser speaks $locale', (l) => {
  test('calendar, post panel and its history, autopilot, library and dashboard in that locale', async () => {
    const context = await suite.browser.newContext({ viewport: { width: 390, height: 844 }, locale: l.locale, timezoneId: 'UTC' })
    const page = await context.newPage()
    const errors = watchPageErrors(page)
    const { project } = await newCreator(page, suite.product, { projectName: 'Crêpes', connect: ['youtube'] })
    const api = async (method: string, path: string, data?: unknown) => {
      const res = await page.request.fetch(suite.product.url(`/api${path}`), { method, data })
      expect(res.status(), await res.text()).toBeLessThan(300)
      return res.json()
    }
    await api('PUT', `/autopilot/${project.id}`, { cadence: 'weekly', weekdays: ['mon', 'thu'], language: 'en', style: 'minimal', objective: 'awareness', timeWindows: ['10:00-12:00'], timezone: 'UTC', enabled: true })
    const clips = [await uploadTestClip(page, suite.product, project.id, 'Batter'), await uploadTestClip(page, suite.product, project.id, 'Flip')]
    const day = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)
    const post = await api('POST', `/projects/${project.id}/posts`, { mediaId: clips[0], scheduledAt: `${day}T14:00:00Z`, platforms: ['youtube'], hook: 'Lump-free batter' })
    plantOldHistoryRow(post.id)
    const notEnglish = async (text: string, where: string) => {
      if (l.english) expect(text, `${where} in ${l.locale}`).not.toMatch(l.english)
    }

    // The week: weekday names, the title and every time in the reader's words.
    await page.goto(suite.product.url(`/projects/${project.id}/content?view=week&date=${day}`))
    await waitForHydration(page)
    const week = page.getByRole('region', { name: 'Week' })
    const header = await week.locator('div.grid').first().innerText()
    for (const name of l.weekdays) expect(header.toLowerCase()).toContain(name.toLowerCase())
    const first = week.locator('[data-day]').first()
    const [monday, sunday] = [await first.getAttribute('data-day'), await week.locator('[data-day]').last().getAttribute('data-day')]
    const title = (await page.getByTestId('calendar-title').innerText()).replace(/\s/g, ' ')
    const expectedTitle = new Intl.DateTimeFormat(l.locale, { timeZone: 'UTC', day: 'numeric', month: 'short', year: 'numeric' }).formatRange(new Date(`${monday}T12:00:00Z`), new Date(`${sunday}T12:00:00Z`)).replace(/\s/g, ' ')
    expect(title).toBe(expectedTitle)
    await notEnglish(await week.innerText(), 'the week')
    const card = week.locator(`[data-post-id="${post.id}"]`)
    expect((await card.getAttribute('aria-label'))!.replace(/\s/g, ' ')).toMatch(l.locale === 'fr-FR' ? /^14:00 Lump-free batter/ : /^2:00 PM Lump-free batter/)
    await page.screenshot({ path: resultPath(`locale-week-${l.locale}.png`) })

    // The post panel: its time in words, and its history, the old ISO row included, in words.
    await page.goto(suite.product.url(`/projects/${project.id}/content?view=week&date=${day}&post=${post.id}`))
    await waitForHydration(page)
    const panel = page.getByRole('complementary', { name: 'Post' })
    expect(await panel.locator('header p.text-sm').first().innerText()).toMatch(l.tomorrow)
    await panel.getByText(/^History/).click()
    const history = await panel.locator('details ol').innerText()
    expect(history).toMatch(l.history)
    expect(history).not.toContain(OLD_INSTANT.slice(0, 16))
    await expectDatesInWords(page, `the post panel in ${l.locale}`)
    await page.screenshot({ path: resultPath(`locale-post-panel-${l.locale}.png`) })

    // The month: its name and weekdays.
    await page.goto(suite.product.url(`/projects/${project.id}/content?view=month&date=${day}`))
    await waitForHydration(page)
    const month = new Intl.DateTimeFormat(l.locale, { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(new Date(`${day}T12:00:00Z`))
    expect(await page.getByTestId('calendar-title').innerText()).toBe(month)
    await notEnglish(await page.getByRole('region', { name: 'Month' }).innerText(), 'the month')

    // The autopilot page: the weekday chips and the next slots.
    await page.goto(suite.product.url(`/projects/${project.id}/autopilot`))
    await waitForHydration(page)
    const chips = page.getByRole('group', { name: 'Weekdays' }).locator('label')
    expect((await chips.allInnerTexts()).map((t) => t.trim())).toEqual(l.weekdays)
    const slots = page.getByRole('table', { name: 'Next slots' }).locator('tbody tr')
    await slots.first().waitFor()
    for (const text of await slots.locator('td:first-child').allInnerTexts()) expect(text.replace(/\s/g, ' ').trim()).toMatch(new RegExp(`^${l.slot.source}`))
    await expectDatesInWords(page, `the autopilot page in ${l.locale}`)

    // The library's bulk plan: each clip's time in words.
    await page.goto(suite.product.url(`/projects/${project.id}/library`))
    await waitForHydration(page)
    await page.locator(`li[data-media-id="${clips[1]}"]`).getByRole('checkbox', { name: /^Select / }).check()
    await page.getByRole('button', { name: 'Put in the next free slots' }).click()
    const plan = page.getByTestId('bulk-plan')
    await plan.waitFor()
    const planned = (await plan.locator('[data-plan]').first().innerText()).replace(/\s/g, ' ')
    expect(planned).toMatch(new RegExp(`^Flip ${l.slot.source}`))
    await notEnglish(planned, 'the bulk plan')

    // The dashboard: the project's next post, inside its sentence.
    await page.goto(suite.product.url('/dashboard'))
    await waitForHydration(page)
    expect((await page.getByRole('link', { name: /Crêpes/ }).innerText()).replace(/\s/g, ' ')).toMatch(l.midSentence)
    await expectDatesInWords(page, `the dashboard in ${l.locale}`)
    await expectNoOverflow(page, `the dashboard in ${l.locale}`)
    // The server's first render and the browser's agreed: React reported no hydration mismatch.
    expect(errors).toEqual([])
    await context.close()
  }, 240_000)
})
