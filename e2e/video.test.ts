/**
 * Videos worth publishing (#18), in Chromium against the whole product: a project's brand and
 * default framing set on its overview page; a clip named landscape.mp4 posted, its texts never
 * taken from the file name; on the post's panel the hook, call to action, framing and trim
 * edited (the post renders again with them); the browser preview canceled, then run to its end;
 * and the preview and the server's render of the same spec compared frame by frame: the text
 * boxes sit in the same places at the same times, within a few pixels.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { describe, expect, test } from 'vitest'
import { parseRenderSpec, timeline } from '../containers/render/recipe/index.ts'
import { ffmpegPath } from '../scripts/tools.mjs'
import { makeClip } from './clips'
import { sameBoxes, savePreviewVideo } from './frames'
import { settledPost } from './posts'
import { e2eSuite, resultPath, signInLocally, unique, waitForHydration, watchPageErrors, type Product } from './harness'

let product: Product
let browser: Browser
let dir: string

/** How far apart the same text box may sit in the preview and the render, in preview pixels (measured: see the notes). */
const BOX_TOLERANCE_PX = 4

e2eSuite('video', {
  ready: (s) => {
    ;({ product, browser, dir } = s)
    // A flat grey 16:9 clip: whatever is not grey on a frame is what the recipe drew.
    makeClip(join(dir, 'landscape.mp4'), { picture: 'color=c=0x808080:s=1280x720:r=30', seconds: 12, tone: 440 })
    execFileSync(ffmpegPath(), ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=0x0a7d5a:s=240x120', '-frames:v', '1', join(dir, 'logo.png')])
  },
})

/** Uploads a file through the media API as the signed-in page's user; answers its id once ready. */
async function upload(page: Page, projectId: string, file: string, contentType: string) {
  const bytes = readFileSync(join(dir, file))
  const started = await page.request.post(product.url('/api/media/upload-url'), { data: { projectId, filename: file, contentType, size: bytes.length } })
  expect(started.status(), await started.text()).toBe(201)
  const { mediaId, uploadUrl } = await started.json()
  expect((await fetch(uploadUrl, { method: 'PUT', body: bytes })).status).toBe(200)
  const done = await page.request.post(product.url(`/api/media/${mediaId}/complete`))
  expect((await done.json()).status, 'upload checked').toBe('ready')
  return mediaId as string
}

/**
 * The post's browser preview (already rendered in `preview`) against the server's render of the
 * same spec: at the middle of every beat, the same boxes drawn within BOX_TOLERANCE_PX.
 */
async function sameAsRender(preview: Locator, post: any, label: string) {
  // The same spec, two renderers: the preview's MP4 out of the page, the server's from storage.
  const previewFile = join(dir, `preview-${label}.mp4`)
  await savePreviewVideo(preview, previewFile)
  const serverFile = join(dir, `server-${label}.mp4`)
  writeFileSync(serverFile, Buffer.from(await (await fetch(post.render.videoUrl)).arrayBuffer()))

  // At the middle of every beat of the spec's timeline (hook, each caption segment, call to action).
  const spec = parseRenderSpec(post.spec)
  const t = timeline(spec, spec.trim.durationSec)
  const beats = [t.hook, ...t.captions, t.cta].filter((b): b is NonNullable<typeof b> => !!b)
  expect(beats.length).toBeGreaterThanOrEqual(3)
  const { report, worst } = sameBoxes(previewFile, serverFile, beats.map((b) => ({ at: (b.start + b.end) / 2, what: `"${b.text}"` })), BOX_TOLERANCE_PX)
  writeFileSync(resultPath(`video-preview-vs-render-${label}.txt`), `${report.join('\n')}\nlargest difference: ${worst} px\n`)
}

describe('videos worth publishing', () => {
  test('brand and framing on the overview; hook, call to action, framing and trim on the post; preview canceled, then the same as the render in every style', async () => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1100 } })
    const page = await context.newPage()
    const pageErrors = watchPageErrors(page)
    await signInLocally(page, product, { email: `${unique('video')}@example.com`, name: 'Video Tester' })
    const ws = await (await page.request.post(product.url('/api/workspaces'), { data: { name: 'Kitchen', slug: unique('kitchen').toLowerCase() } })).json()
    const project = await (await page.request.post(product.url('/api/projects'), { data: { workspaceId: ws.id, name: 'Kitchen hacks', description: 'Quick pasta and kitchen tricks' } })).json()
    const clipId = await upload(page, project.id, 'landscape.mp4', 'video/mp4')
    const logoId = await upload(page, project.id, 'logo.png', 'image/png')
    expect((await page.request.post(product.url(`/api/projects/${project.id}/connections`), { data: { platform: 'tiktok', mode: 'sandbox' } })).status()).toBe(201)
    // The corporate style in French, paused: posts here are made by hand.
    const autopilot = await page.request.put(product.url(`/api/autopilot/${project.id}`), {
      data: { cadence: 'daily', language: 'fr', style: 'corporate', objective: 'traffic', timeWindows: ['03:00-03:30'], timezone: 'UTC' },
    })
    expect(autopilot.status(), await autopilot.text()).toBe(200)
    await page.request.post(product.url(`/api/autopilot/${project.id}/pause`))

    // The brand, on the overview page: a wrong colour is refused next to its field, then saved.
    await page.goto(product.url(`/projects/${project.id}`))
    await waitForHydration(page)
    const brand = page.getByRole('form', { name: 'Brand and framing' })
    await brand.getByLabel('Brand colour', { exact: true }).fill('yellow')
    await brand.getByRole('button', { name: 'Save brand' }).click()
    await expect.poll(() => brand.getByLabel('Brand colour', { exact: true }).getAttribute('aria-invalid')).toBe('true')
    expect(await brand.getByRole('alert').first().innerText()).toMatch(/colour like #1e40af/)
    await brand.getByLabel('Brand colour', { exact: true }).fill('#ffd400')
    await brand.getByLabel('Typeface of hooks and calls to action').selectOption('Noto Serif Display')
    await brand.getByLabel('Logo').selectOption({ label: 'logo.png' })
    await brand.getByLabel('Default framing').selectOption('pad')
    await brand.getByRole('button', { name: 'Save brand' }).click()
    await brand.getByText('Saved: new videos use it').waitFor()
    const saved = await (await page.request.get(product.url(`/api/projects/${project.id}`))).json()
    expect(saved).toMatchObject({ brandColor: '#ffd400', font: 'Noto Serif Display', logoMediaId: logoId, framing: 'pad' })
    await page.setViewportSize({ width: 390, height: 900 })
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await page.setViewportSize({ width: 1440, height: 1100 })

    // A post of the clip: its texts come from the project, never from the file name.
    // Tomorrow, so it waits once rendered and stays editable.
    const created = await page.request.post(product.url(`/api/projects/${project.id}/posts`), { data: { mediaId: clipId, scheduledAt: new Date(Date.now() + 86_400_000).toISOString() } })
    expect(created.status(), await created.text()).toBe(201)
    const postId = (await created.json()).id as string
    const settled = () => settledPost(page, product, postId)
    const first = await settled()
    for (const text of [first.hook, first.caption, first.callToAction, first.spec?.texts?.hook, first.spec?.texts?.body]) expect(String(text ?? '')).not.toMatch(/landscape/i)
    expect(first.spec).toMatchObject({ framing: 'pad', brandColor: '#ffd400', font: 'Noto Serif Display', style: 'corporate' })

    // The post's panel: hook, call to action, framing (crop around a focus point) and trim.
    await page.goto(product.url(`/projects/${project.id}/content?post=${postId}`))
    await waitForHydration(page)
    const panel = page.getByRole('complementary', { name: 'Post' })
    const edit = panel.getByRole('form', { name: 'Edit the post' })
    expect(await edit.getByLabel(/^Hook/).inputValue()).toBe(first.hook)
    expect(await edit.getByLabel(/^Call to action/).inputValue()).toBe('Lien en bio')
    await edit.getByLabel(/^Hook/).fill('Des pâtes en une poêle')
    await edit.getByLabel(/^Call to action/).fill('Recette complète en bio')
    await edit.getByLabel('Framing').selectOption('crop')
    await edit.getByTestId('focus-point').waitFor()
    await edit.getByLabel(/^Across/).fill('30')
    await edit.getByLabel('Start (s)').fill('2')
    await edit.getByLabel('End (s)').fill('11')
    await edit.getByRole('button', { name: 'Save changes' }).click()
    await edit.getByText('Saved. The video renders again with your changes.').waitFor()
    const edited = await settled()
    expect(edited).toMatchObject({ hook: 'Des pâtes en une poêle', callToAction: 'Recette complète en bio', framing: 'crop', focus: { x: 0.3, y: 0.5 }, trim: { startSec: 2, endSec: 11 }, status: 'scheduled' })
    expect(edited.spec).toMatchObject({ framing: 'crop', focus: { x: 0.3, y: 0.5 }, trim: { startSec: 2, durationSec: 9 } })
    expect(edited.events.some((e: any) => /rendering again/.test(e.message ?? ''))).toBe(true)
    await page.reload()
    await waitForHydration(page)

    // The preview: canceled while it runs, then run to its end.
    const preview = panel.getByRole('region', { name: 'Preview of the video' })
    await preview.getByRole('button', { name: 'Preview the video' }).click()
    await preview.getByRole('button', { name: 'Cancel preview' }).click()
    await preview.getByTestId('preview-stopped').waitFor()
    expect(await preview.getByTestId('preview-stopped').innerText()).toBe('Preview canceled.')
    expect(await preview.getByRole('button', { name: 'Preview the video' }).isEnabled()).toBe(true)
    await preview.getByRole('button', { name: 'Preview the video' }).click()
    await preview.locator('[data-testid="preview-result"], [role="alert"]').first().waitFor({ timeout: 400_000 })
    if (await preview.getByRole('alert').count()) throw new Error(`preview failed: ${await preview.getByRole('alert').innerText()}`)
    await page.screenshot({ path: resultPath('video-post-panel.png'), fullPage: true })

    await sameAsRender(preview, edited, 'corporate')

    // The other styles, previewed and compared the same way (cropped: the project's default now).
    expect((await page.request.patch(product.url(`/api/projects/${project.id}`), { data: { framing: 'crop' } })).status()).toBe(200)
    for (const [i, style] of (['minimal', 'neon'] as const).entries()) {
      const put = await page.request.put(product.url(`/api/autopilot/${project.id}`), {
        data: { cadence: 'daily', language: 'fr', style, objective: 'traffic', timeWindows: ['03:00-03:30'], timezone: 'UTC' },
      })
      expect(put.status(), await put.text()).toBe(200)
      await page.request.post(product.url(`/api/autopilot/${project.id}/pause`))
      const made = await page.request.post(product.url(`/api/projects/${project.id}/posts`), { data: { mediaId: clipId, scheduledAt: new Date(Date.now() + 86_400_000 + (i + 1) * 3_600_000).toISOString() } })
      expect(made.status(), await made.text()).toBe(201)
      const id = (await made.json()).id as string
      const post = await settledPost(page, product, id)
      expect(post.spec).toMatchObject({ style, framing: 'crop' })
      await page.goto(product.url(`/projects/${project.id}/content?post=${id}`))
      await waitForHydration(page)
      const region = page.getByRole('complementary', { name: 'Post' }).getByRole('region', { name: 'Preview of the video' })
      await region.getByRole('button', { name: 'Preview the video' }).click()
      await region.locator('[data-testid="preview-result"], [role="alert"]').first().waitFor({ timeout: 400_000 })
      if (await region.getByRole('alert').count()) throw new Error(`${style} preview failed: ${await region.getByRole('alert').innerText()}`)
      await sameAsRender(region, post, style)
    }
    // (The wrong brand colour above answered 400, which the browser logs.)
    expect(pageErrors.filter((e) => !/status of 400/.test(e))).toEqual([])
    await context.close()
  }, 900_000)
})
