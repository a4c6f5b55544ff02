// `npm run bench preview`: the style preview as a creator runs it (the product started for real,
// headless Chromium, ffmpeg.wasm) against native FFmpeg running the same preview-quality commands
// (planRender(..., 'preview')) on the same clip, in the same run. Prints the time of each and the
// ratio, per style. The browser's figure is the render time the page reports itself (the engine's
// download and the clip's copy into its memory excluded); native runs the same two commands (the
// render and the frame grab) on a local file, as the browser reads the clip from its memory.
import { ffmpeg } from './ffmpeg.ts'
import { existsSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { planRender, STYLES, type StyleName } from '../containers/render/recipe/index.ts'
import { makeClip } from '../containers/render/test-support.ts'
import { previewSpec, previewTexts, type PreviewSpecInput } from '../app/lib/preview-spec.ts'
import { launchBrowser, ROOT, startProduct, waitForHydration } from '../e2e/harness.ts'

const SECONDS = Number(process.env.BENCH_PREVIEW_SECONDS ?? 8)
// Each way runs this many times per style and the fastest counts (other work only slows a run).
const REPEAT = Number(process.env.BENCH_REPEAT ?? 2)
const HOOK = 'Three tricks nobody tells you'
const FONTS = join(ROOT, 'public', 'vendor', 'fonts')

const loadAtStart = loadavg()[0]
const work = await mkdtemp(join(tmpdir(), 'reelpilot-preview-bench-'))
const clip = join(work, 'source.mp4')
console.log(`source: ${SECONDS} s 1920×1080 30 fps H.264/AAC; preview: 360×640, the first seconds; ${availableParallelism()} cores; best of ${REPEAT}`)
await makeClip(clip, { seconds: SECONDS, width: 1920, height: 1080, volume: 0.4 })
const product = await startProduct()
const browser = await launchBrowser()
try {
  const page = await browser.newPage()
  await page.goto(product.url('/preview'))
  await waitForHydration(page)
  await page.getByTestId('preview-file').setInputFiles(clip)
  await page.getByLabel('Hook').fill(HOOK)

  /** One preview in the page; answers the render time it reports. */
  async function inBrowser(style: StyleName): Promise<number> {
    await page.getByTestId('preview-style').selectOption(style)
    await page.getByRole('button', { name: 'Preview', exact: true }).click()
    // The last run's result goes as soon as a new run starts.
    await page.getByTestId('preview-result').waitFor({ state: 'detached' })
    const done = page.locator('[data-testid="preview-result"], [role="alert"]').first()
    await done.waitFor({ timeout: 600_000 })
    const alert = page.getByRole('alert')
    if (await alert.count()) throw new Error(`preview failed: ${await alert.innerText()}`)
    return Number(await page.getByTestId('preview-result').getAttribute('data-render-seconds'))
  }

  /** The same spec through the same recipe, natively: the render and the frame grab, timed together as the page does. */
  async function native(style: StyleName, extra: string[] = []): Promise<number> {
    const input: PreviewSpecInput = { style, aspect: '9:16', objective: 'awareness', language: 'en', brandColor: '#1e40af', texts: previewTexts(HOOK) }
    const files = { input: clip, output: join(work, `${style}.mp4`), subtitles: join(work, `${style}.ass`), fontsDir: existsSync(FONTS) ? FONTS : undefined }
    const plan = planRender(previewSpec(input), { durationSec: SECONDS, hasAudio: true }, files, 'preview')
    await writeFile(files.subtitles, plan.ass)
    const t0 = performance.now()
    await ffmpeg(['-v', 'error', ...extra, ...plan.renderArgs()])
    await ffmpeg(['-v', 'error', ...extra, ...plan.coverArgs(join(work, `${style}.jpg`))])
    return (performance.now() - t0) / 1000
  }

  // The engine's first load (download, inflate, compile) is not a render: warm it up once.
  await inBrowser('minimal')

  const SINGLE = ['-threads', '1', '-filter_threads', '1']
  const rows: string[][] = [['style', 'browser s', 'native s', 'ratio', 'native 1 thread s', 'ratio', 'load (1 min)']]
  const ratios: number[] = []
  for (const style of STYLES) {
    const load = loadavg()[0]
    let browserSec = Infinity
    let nativeSec = Infinity
    let singleSec = Infinity
    for (let i = 0; i < REPEAT; i++) {
      browserSec = Math.min(browserSec, await inBrowser(style))
      nativeSec = Math.min(nativeSec, await native(style))
      singleSec = Math.min(singleSec, await native(style, SINGLE))
    }
    ratios.push(browserSec / nativeSec)
    rows.push([
      style,
      browserSec.toFixed(2),
      nativeSec.toFixed(2),
      `${(browserSec / nativeSec).toFixed(1)}×`,
      singleSec.toFixed(2),
      `${(browserSec / singleSec).toFixed(1)}×`,
      `${load.toFixed(2)}→${loadavg()[0].toFixed(2)}`,
    ])
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '))
  const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length
  console.log(`browser preview vs native FFmpeg, mean over styles: ${mean.toFixed(1)}× slower (ffmpeg.wasm is single-threaded; the 1-thread column separates wasm from threads)`)
  // The bench itself keeps about every core busy: count others' work on top of that.
  if (loadAtStart > availableParallelism() * 0.75 || loadavg()[0] > availableParallelism() + 1) {
    console.log(`note: the machine was busy (load ${loadAtStart.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end, ${availableParallelism()} cores): the figures are noisy`)
  }
} finally {
  await browser.close()
  await product.stop()
  await rm(work, { recursive: true, force: true })
}
