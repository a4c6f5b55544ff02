/**
 * End-to-end harness: starts the whole product the way `npm start` does, and drives it through
 * headless Chromium. Every e2e test file that uses a browser starts with `e2eSuite`, which
 * registers the file's beforeAll/afterAll: the product started, Chromium launched, a temporary
 * folder, and at the end the product's log written to test-results/<name>-product.log, the
 * browser closed, the product stopped and the folder removed:
 *
 * ```ts
 * import { expect, test } from 'vitest'
 * import { e2eSuite, signInLocally, unique, waitForHydration, watchPageErrors, type Product } from './harness'
 *
 * let product: Product
 * let browser: Browser
 * e2eSuite('my-page', { ready: (s) => ({ product, browser } = s) })   // options: StartOptions, browser, ready, done
 *
 * test('…', async () => {
 *   const { page, errors } = await signedInPage(browser, product, { email: `${unique('ada')}@example.com` })  // on /dashboard
 *   await waitForHydration(page)                         // before using JS-only widgets
 *   // … page.screenshot({ path: resultPath('my-screen.png') }) writes to test-results/
 *   expect(errors).toEqual([])                           // uncaught errors, console.error
 * })
 * ```
 *
 * Tests that drive the Worker from inside (alarms, D1, the cron) use `workerSuite` from
 * worker-harness.ts instead.
 *
 * Each product gets free ports (PORT, RENDER_PORT) and its own fresh state directory
 * (PERSIST_TO: a copy of a database with every migration applied, made once by `migratedState`),
 * so test files never see each other's data; give names `unique()` suffixes anyway,
 * since tests in one file share a product. The app is built at most once per state of the sources
 * (a content fingerprint, under `flock BUILD_LOCK`), and every product is started with SKIP_BUILD=1
 * on that build; `npm test` builds before any test and sets REELPILOT_BUILT=1, which skips it.
 * A start that fails says why, with everything the product printed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'

/** The repository root. */
export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

/** Where tests write screenshots and other artifacts (gitignored). */
export const RESULTS_DIR = join(ROOT, 'test-results')

export interface StartOptions {
  /** Extra environment for scripts/start.mjs (and so for the render server and wrangler). */
  env?: Record<string, string>
  /** How long to wait for GET /api/health to answer 200. Default 90 s. */
  readyTimeoutMs?: number
  /**
   * Changes to the built Worker config (build/server/wrangler.json) for this product only: the
   * harness writes the changed copy beside the original right before it starts the product (again
   * on a retry after a rebuild emptied build/), starts it with that copy, and removes it on stop.
   */
  configure?: (config: Record<string, any>) => void
}

/** A running product: the Worker under Miniflare plus the native render server. */
export interface Product {
  /** Base URL of the Worker, e.g. `http://localhost:41234` (its PUBLIC_URL). */
  baseUrl: string
  port: number
  renderPort: number
  /** The state directory (D1, R2, queues, DOs) of this product; removed by `stop()`. */
  persistTo: string
  /** An absolute URL for a path on the product. */
  url(path: string): string
  /** Everything the product printed so far (stdout and stderr, interleaved). */
  logs(): string
  /** Stops every process of the product (the whole process group) and removes its state. */
  stop(): Promise<void>
}

/** Starts the whole product for a test file and waits until GET /api/health answers 200. */
export async function startProduct(options: StartOptions = {}): Promise<Product> {
  ensureBuild()
  const product = await startWithRetries(options)
  if (!buildDevVarsStale()) return product
  // start.mjs has just made the local keys (a fresh machine): build again so the Worker has them.
  await product.stop()
  ensureBuild()
  return startWithRetries(options)
}

/**
 * Retries what others can cause in a shared working tree: a port found free taken before wrangler
 * binds it, or build/ being rebuilt (emptied) by someone else at the moment of starting.
 */
async function startWithRetries(options: StartOptions): Promise<Product> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options)
    } catch (error) {
      if (!(error instanceof RetryableStartError) || attempt >= 3) throw error
      if (error.reason === 'build-gone') ensureBuild()
    }
  }
}

class RetryableStartError extends Error {
  constructor(
    readonly reason: 'port-taken' | 'build-gone',
    message: string,
  ) {
    super(message)
  }
}

function startFailure(logs: string, message: string): Error {
  if (/address already in use|EADDRINUSE/i.test(logs)) return new RetryableStartError('port-taken', message)
  if (/Could not read file: .*build\/server\/wrangler[\w.-]*\.json/.test(logs)) return new RetryableStartError('build-gone', message)
  return new Error(message)
}

/** A copy of the built Worker config changed by `configure`, beside the original (its paths are relative to it). */
function writeWorkerConfig(configure: NonNullable<StartOptions['configure']>): string {
  const built = join(ROOT, 'build', 'server', 'wrangler.json')
  if (!existsSync(built)) throw new RetryableStartError('build-gone', 'build/server/wrangler.json is gone (a rebuild is under way)')
  const config = JSON.parse(readFileSync(built, 'utf8'))
  configure(config)
  const path = join(ROOT, 'build', 'server', `wrangler.e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}.json`)
  writeFileSync(path, JSON.stringify(config))
  return path
}

async function startOnce(options: StartOptions): Promise<Product> {
  const workerConfig = options.configure ? writeWorkerConfig(options.configure) : undefined
  const [port, renderPort] = await freePorts(2)
  const persistTo = mkdtempSync(join(tmpdir(), 'reelpilot-e2e-'))
  // A fresh database with every migration applied (start.mjs then finds none left to apply).
  cpSync(migratedState(), persistTo, { recursive: true })
  // The origin start.mjs signs storage links on (PUBLIC_URL): pages must be opened on it, as a
  // person opening the printed address does, or their uploads would go cross-origin.
  const baseUrl = `http://localhost:${port}`
  let output = ''

  const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs')], {
    cwd: ROOT,
    // Its own process group, so stop() reaches wrangler, workerd and the render server too.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      ...options.env,
      ...(workerConfig ? { WORKER_CONFIG: workerConfig } : {}),
      PORT: String(port),
      RENDER_PORT: String(renderPort),
      PERSIST_TO: persistTo,
      SKIP_BUILD: '1',
      HOST: '127.0.0.1',
      NO_COLOR: '1',
      FORCE_COLOR: '0',
    },
  })
  const append = (chunk: Buffer) => {
    output += chunk.toString()
  }
  child.stdout!.on('data', append)
  child.stderr!.on('data', append)
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const killOnExit = () => killGroup(child, 'SIGKILL')
  process.once('exit', killOnExit)

  let stopped = false
  const product: Product = {
    baseUrl,
    port,
    renderPort,
    persistTo,
    url: (path) => new URL(path, baseUrl).toString(),
    logs: () => output,
    async stop() {
      if (stopped) return
      stopped = true
      process.off('exit', killOnExit)
      if (child.exitCode === null && child.signalCode === null) {
        killGroup(child, 'SIGTERM')
        const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000)
        await exited
        clearTimeout(timer)
      }
      // Children of the group may outlive start.mjs by a moment; make sure none is left.
      killGroup(child, 'SIGKILL')
      rmSync(persistTo, { recursive: true, force: true })
      if (workerConfig) rmSync(workerConfig, { force: true })
    },
  }

  try {
    await waitForHealth(product, child, options.readyTimeoutMs ?? 240_000)
  } catch (error) {
    await product.stop()
    throw error
  }
  return product
}

async function waitForHealth(product: Product, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  let last = 'no answer yet'
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw startFailure(product.logs(), `The product stopped before it was ready (exit ${child.signalCode ?? child.exitCode}). Its output:\n${product.logs()}`)
    }
    try {
      const res = await fetch(product.url('/api/health'), { signal: AbortSignal.timeout(5_000) })
      if (res.status === 200) return
      last = `${res.status} ${await res.text()}`
    } catch (error) {
      last = String((error as Error).cause ?? error)
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  throw new Error(`GET /api/health did not answer 200 within ${Math.round(timeoutMs / 1000)} s (last: ${last}). The product's output:\n${product.logs()}`)
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined) return
  try {
    process.kill(-child.pid, signal)
  } catch {
    // The group is already gone.
  }
}

/** Ports that were free a moment ago, found by letting the OS pick. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
      const server = createServer()
      server.once('error', reject)
      server.listen(0, '127.0.0.1', () => resolve(server))
    })),
  )
  const ports = servers.map((s) => (s.address() as AddressInfo).port)
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))))
  return ports
}

// ---------------------------------------------------------------------------------------------
// The migrated database every product starts from

/**
 * A state directory (PERSIST_TO) holding only the local D1 database with every migration applied,
 * made once per state of migrations/ and wrangler.toml (by content) with the command start.mjs
 * runs, `wrangler d1 migrations apply DB --local`, and kept in node_modules/.cache. Every product
 * starts on a copy of it: wrangler applies each migration in a runtime of its own (about 1 s each
 * on a quiet 2-core machine, 25 s for all under load), which every e2e file would otherwise pay.
 */
export function migratedState(): string {
  const hash = createHash('sha256')
  const wranglerPackage = join(ROOT, 'node_modules', 'wrangler', 'package.json')
  for (const file of ['wrangler.toml', ...readdirSync(join(ROOT, 'migrations')).filter((f) => f.endsWith('.sql')).sort().map((f) => `migrations/${f}`)]) {
    hash.update(file).update('\0').update(readFileSync(join(ROOT, file))).update('\0')
  }
  if (existsSync(wranglerPackage)) hash.update(JSON.parse(readFileSync(wranglerPackage, 'utf8')).version)
  const cache = join(ROOT, 'node_modules', '.cache')
  const dir = join(cache, `reelpilot-d1-${hash.digest('hex').slice(0, 16)}`)
  if (existsSync(dir)) return dir
  mkdirSync(cache, { recursive: true })
  // Made aside and renamed into place, under a lock: test files starting together make it once.
  const script = [
    'set -e',
    'dir="$1"; [ -d "$dir" ] && exit 0',
    'tmp="$dir.tmp-$$"; rm -rf "$tmp"',
    'node_modules/.bin/wrangler d1 migrations apply DB --local --persist-to "$tmp"',
    'mv "$tmp" "$dir"',
  ].join('\n')
  const result = spawnSync('flock', [`${dir}.lock`, 'bash', '-c', script, 'migrate', dir], {
    cwd: ROOT,
    encoding: 'utf8',
    // As start.mjs runs it: non-interactive, on this Node, no sample Request.cf fetched.
    env: { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0', CLOUDFLARE_CF_FETCH_ENABLED: 'false', PATH: `${dirname(process.execPath)}:${process.env.PATH}` },
    maxBuffer: 64 * 1024 * 1024,
  })
  if (result.error) throw new Error(`Could not run the migrations under flock: ${result.error.message}`)
  if (result.status !== 0 || !existsSync(dir)) throw new Error(`wrangler d1 migrations apply failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`)
  return dir
}

// ---------------------------------------------------------------------------------------------
// The build

/** Files that go into `react-router build`; tests and docs do not. */
function buildInputs(): string[] {
  const listed = spawnSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' })
  if (listed.status !== 0) throw new Error(`git ls-files failed: ${listed.stderr}`)
  return listed.stdout
    .split('\0')
    .filter(Boolean)
    .filter((f) => /^(app|workers|containers|public)\//.test(f) || /^[^/]+\.(ts|json|toml)$/.test(f) || f === 'package-lock.json')
    .filter((f) => !/\.test\.tsx?$/.test(f) && !f.startsWith('e2e/'))
    .sort()
}

/** A fingerprint of the build's inputs, by content (mtimes are not trusted). */
export function sourceFingerprint(): string {
  const hash = createHash('sha256')
  for (const file of buildInputs()) {
    const path = join(ROOT, file)
    if (!existsSync(path)) continue // deleted but still in the index
    hash.update(file).update('\0').update(readFileSync(path)).update('\0')
  }
  // The Cloudflare Vite plugin copies .dev.vars (the local sign-in key) into build/server, and
  // wrangler dev reads that copy: a new key needs a new build.
  const devVars = join(ROOT, '.dev.vars')
  if (existsSync(devVars)) hash.update('.dev.vars\0').update(readFileSync(devVars))
  return hash.digest('hex')
}

/**
 * Whether build/server/.dev.vars (the copy wrangler dev reads) differs from .dev.vars. It can when
 * the build was made before the local keys were (a build by hand on a fresh clone; `npm test` makes
 * them first, scripts/dev-vars.mjs).
 */
function buildDevVarsStale(): boolean {
  const source = join(ROOT, '.dev.vars')
  const copy = join(ROOT, 'build', 'server', '.dev.vars')
  if (!existsSync(source)) return false
  return !existsSync(copy) || !readFileSync(source).equals(readFileSync(copy))
}

const STAMP = join(ROOT, 'build', '.e2e-fingerprint')

/**
 * The lock every build of build/ should hold (`flock <BUILD_LOCK> react-router build`): build/ is
 * emptied at the start of a build, so a product starting meanwhile finds no Worker to run.
 */
export const BUILD_LOCK = join(ROOT, 'node_modules', '.cache', 'reelpilot-build.lock')

/**
 * Builds the app unless `build/` was made from exactly the current sources. Runs under an
 * exclusive `flock`, so test files and people running tests at the same time build once.
 */
export function ensureBuild() {
  // `npm test` (scripts/test.mjs) builds once before any test and says so.
  if (process.env.REELPILOT_BUILT === '1' && !buildDevVarsStale()) return
  mkdirSync(dirname(BUILD_LOCK), { recursive: true })
  const script = [
    'set -e',
    'want="$1"; stamp="$2"',
    'if [ -f build/server/wrangler.json ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then exit 0; fi',
    'echo "e2e: building the app (react-router build)" >&2',
    'node_modules/.bin/react-router build',
    'printf %s "$want" > "$stamp"',
  ].join('\n')
  // The stamp is read inside the lock: another process may have just built these sources.
  const result = spawnSync(
    'flock',
    [BUILD_LOCK, 'bash', '-c', script, 'build', sourceFingerprint(), STAMP],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' }, maxBuffer: 64 * 1024 * 1024 },
  )
  if (result.error) throw new Error(`Could not run the build under flock: ${result.error.message}`)
  if (result.status !== 0) throw new Error(`react-router build failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`)
}

// ---------------------------------------------------------------------------------------------
// The browser

/** Flags for headless Chromium in containers and CI: no sandbox, no GPU, no background traffic. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync']

/**
 * The Chromium to drive: CHROMIUM_PATH when set, else the one inside `@sparticuz/chromium` (an npm
 * package: it unpacks its bundled build to /tmp/chromium, nothing is downloaded). A system
 * Chromium is used only when named by CHROMIUM_PATH, so every machine runs the same browser.
 */
export async function chromiumExecutable(): Promise<string> {
  const configured = process.env.CHROMIUM_PATH
  if (configured) {
    if (existsSync(configured)) return configured
    throw new Error(`CHROMIUM_PATH is ${configured}, which does not exist`)
  }
  let reason = 'not installed'
  try {
    const sparticuz = (await import('@sparticuz/chromium')).default
    const path = await sparticuz.executablePath()
    if (path && existsSync(path)) return path
    reason = `executablePath() gave ${path}`
  } catch (error) {
    reason = (error as Error).message
  }
  throw new Error(`Chromium not found: @sparticuz/chromium could not give one (${reason}); run npm install, or set CHROMIUM_PATH`)
}

/** Launches headless Chromium through playwright-core. Close it in afterAll. */
export async function launchBrowser(): Promise<Browser> {
  const { chromium } = await import('playwright-core')
  return chromium.launch({ executablePath: await chromiumExecutable(), headless: true, args: CHROMIUM_ARGS })
}

// ---------------------------------------------------------------------------------------------
// Steps many tests share

/** Signs in through the local sign-in page, as a person would; ends on the dashboard. */
export async function signInLocally(page: Page, product: Product, who: { email: string; name?: string }) {
  await page.goto(product.url('/sign-in'))
  await page.getByLabel('Email').fill(who.email)
  if (who.name) await page.getByLabel('Name').fill(who.name)
  await Promise.all([page.waitForURL('**/dashboard'), page.getByRole('button', { name: 'Sign in' }).click()])
}

/** Waits until React has hydrated the page (app/root.tsx marks `<html data-hydrated>`). */
export async function waitForHydration(page: Page) {
  await page.locator('html[data-hydrated="true"]').waitFor({ state: 'attached' })
}

/**
 * Collects what goes wrong inside a page: uncaught exceptions and console errors (React reports
 * hydration mismatches there). Assert it is empty at the end of a test.
 */
export function watchPageErrors(page: Page): string[] {
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`)
  })
  return errors
}

/** A unique, slug-safe suffix, so names made by different tests never collide. */
export function unique(label = 'x'): string {
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`
}

/** A path under test-results/ for an artifact, creating the folder. */
export function resultPath(name: string): string {
  mkdirSync(RESULTS_DIR, { recursive: true })
  return join(RESULTS_DIR, name)
}

// ---------------------------------------------------------------------------------------------
// Checks every page should pass (#16): no sideways scroll, axe, dates in words; a creator with a
// project, a connection and clips, made through the API as the signed-in page's user.

/** The widest elements that stick out past the viewport: what to fix when a page overflows. */
async function overflowingElements(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth
    const found: string[] = []
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const box = el.getBoundingClientRect()
      if (box.width === 0 || box.right <= width + 1) continue
      // Inside a scroll box of its own (tabs, tables) is fine: the page does not scroll.
      let clipped = false
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const style = getComputedStyle(p)
        if (/(auto|scroll|hidden|clip)/.test(style.overflowX) && p.getBoundingClientRect().right <= width + 1) {
          clipped = true
          break
        }
      }
      if (clipped) continue
      const id = el.id ? `#${el.id}` : ''
      const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).slice(0, 4).join('.')}` : ''
      found.push(`${el.tagName.toLowerCase()}${id}${cls} right=${Math.round(box.right)} "${(el.textContent ?? '').trim().slice(0, 40)}"`)
      if (found.length >= 8) break
    }
    return found
  })
}

/**
 * Fails when the page scrolls sideways: the document's scrollWidth is wider than the viewport.
 * The message names the elements that stick out.
 */
export async function expectNoOverflow(page: Page, label = page.url()) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }))
  if (scrollWidth <= clientWidth) return
  const culprits = await overflowingElements(page)
  throw new Error(`${label} scrolls sideways: scrollWidth ${scrollWidth} > ${clientWidth} px. Sticking out:\n  ${culprits.join('\n  ') || '(none found: a pseudo-element or a transform)'}`)
}

let axeSource: string | undefined

export interface A11yOptions {
  /** Where to check (a CSS selector); the whole document by default. */
  include?: string
  /** Rule ids not to run. */
  disableRules?: string[]
  /** Impacts that fail the check. Default: serious and critical. */
  impacts?: string[]
}

/**
 * Runs axe-core (the npm package, injected into the page) and fails on any serious or critical
 * violation, naming each rule, its help and the elements that break it.
 */
export async function checkA11y(page: Page, label = page.url(), options: A11yOptions = {}) {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== 'undefined')
  // Evaluated through the DevTools protocol: the app's CSP (script nonces) refuses an injected <script>.
  axeSource ??= readFileSync(join(ROOT, 'node_modules', 'axe-core', 'axe.min.js'), 'utf8')
  if (!loaded) await page.evaluate(`${axeSource}\n;void 0`)
  const impacts = options.impacts ?? ['serious', 'critical']
  const violations = await page.evaluate(
    async ({ include, disableRules }) => {
      const axe = (window as unknown as { axe: { run: (context: unknown, options: unknown) => Promise<{ violations: Array<{ id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[]; failureSummary?: string }> }> }> } }).axe
      const rules = Object.fromEntries(disableRules.map((id) => [id, { enabled: false }]))
      const result = await axe.run(include ? { include: [include] } : document, { rules, resultTypes: ['violations'] })
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(' ')}: ${(n.failureSummary ?? '').split('\n').slice(1, 2).join('').trim()}`) }))
    },
    { include: options.include ?? null, disableRules: options.disableRules ?? [] },
  )
  const bad = violations.filter((v) => v.impact && impacts.includes(v.impact))
  if (bad.length === 0) return
  throw new Error(`${label}: ${bad.length} accessibility violation(s) (axe):\n${bad.map((v) => `- ${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.join('\n    ')}`).join('\n')}`)
}

/** A date-time as machines write it: 2026-12-01T20:12 or 2026-12-01 20:12:36. */
const ISO_DATE_TIME = /\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?\b/
/** A bare ISO day, 2026-12-01. */
const ISO_DAY = /\b\d{4}-\d{2}-\d{2}\b/

/**
 * Fails when the page shows a date the way machines write it (2026-12-01T20:12:36.044Z, or a
 * bare 2026-12-01 unless `allowDays`): people read "Tue 1 Dec, 20:12". Reads the visible text,
 * including open panels; form values and attributes are not text.
 */
export async function expectDatesInWords(page: Page, label = page.url(), options: { allowDays?: boolean } = {}) {
  const text = await page.evaluate(() => document.body.innerText)
  const lines = text.split('\n').filter((line) => ISO_DATE_TIME.test(line) || (!options.allowDays && ISO_DAY.test(line)))
  if (lines.length) throw new Error(`${label} shows dates as machines write them:\n  ${lines.slice(0, 8).map((l) => l.trim().slice(0, 160)).join('\n  ')}`)
}

export interface Creator {
  email: string
  workspace: { id: string; name: string; slug: string }
  project: { id: string; name: string; workspaceId: string }
}

/**
 * Signs a new person in on `page` and makes them a workspace and a project through the API;
 * `connect` connects those platforms' sandbox accounts. Ends on /dashboard.
 */
export async function newCreator(page: Page, product: Product, options: { name?: string; projectName?: string; connect?: Array<'youtube' | 'tiktok' | 'instagram'> } = {}): Promise<Creator> {
  const email = `${unique('creator')}@example.com`
  await signInLocally(page, product, { email, name: options.name })
  const post = async (path: string, data: unknown) => {
    const res = await page.request.post(product.url(path), { data })
    if (res.status() !== 201) throw new Error(`POST ${path} answered ${res.status()}: ${await res.text()}`)
    return res.json()
  }
  const workspace = await post('/api/workspaces', { name: 'Studio', slug: unique('studio').toLowerCase() })
  const project = await post('/api/projects', { workspaceId: workspace.id, name: options.projectName ?? 'Daily tips' })
  for (const platform of options.connect ?? []) await post(`/api/projects/${project.id}/connections`, { platform, mode: 'sandbox' })
  return { email, workspace, project }
}

let clipDir: string | undefined

/**
 * Uploads a short test clip made with FFmpeg (4 s, 640×360, a tone) through the media API as the
 * signed-in page's user, and answers its id once the API says it is ready. Its file is named
 * after `title`, and `title` is then set as its title; with `setTitle: false` it keeps the title
 * the product makes from the file name ("kitchen tip" → "Kitchen tip"), as an upload on the page does.
 */
export async function uploadTestClip(page: Page, product: Product, projectId: string, title = 'test clip', options: { setTitle?: boolean } = {}): Promise<string> {
  clipDir ??= mkdtempSync(join(tmpdir(), 'reelpilot-clips-'))
  const path = join(clipDir, 'clip.mp4')
  if (!existsSync(path)) {
    const { makeClip } = await import('./clips.ts')
    makeClip(path, { picture: 'testsrc2=size=640x360:rate=25', seconds: 4, tone: 440 })
  }
  const bytes = readFileSync(path)
  const filename = `${title.replace(/[^\w-]+/g, '-')}.mp4`
  const started = await page.request.post(product.url('/api/media/upload-url'), { data: { projectId, filename, contentType: 'video/mp4', size: bytes.length } })
  if (started.status() !== 201) throw new Error(`POST /api/media/upload-url answered ${started.status()}: ${await started.text()}`)
  const { mediaId, uploadUrl } = await started.json()
  const put = await fetch(uploadUrl, { method: 'PUT', body: bytes })
  if (put.status !== 200) throw new Error(`The upload answered ${put.status}: ${await put.text()}`)
  const done = await page.request.post(product.url(`/api/media/${mediaId}/complete`))
  const clip = await done.json()
  if (done.status() !== 200 || clip.status !== 'ready') throw new Error(`The clip is not ready (${done.status()}): ${JSON.stringify(clip)}`)
  if (title && options.setTitle !== false) await page.request.patch(product.url(`/api/media/${mediaId}`), { data: { title } })
  return mediaId as string
}

/** A page in a context of its own (a viewport), its errors watched, signed in as `who` (on the dashboard). */
export async function signedInPage(browser: Browser, product: Product, who: { email: string; name?: string }, options: { viewport?: { width: number; height: number } } = {}): Promise<{ page: Page; context: BrowserContext; errors: string[] }> {
  const context = await browser.newContext(options.viewport ? { viewport: options.viewport } : {})
  const page = await context.newPage()
  const errors = watchPageErrors(page)
  await signInLocally(page, product, who)
  return { page, context, errors }
}

// ---------------------------------------------------------------------------------------------
// The set-up of a test file

/** What `e2eSuite` starts for a test file; set once its beforeAll ran. */
export interface E2eSuite {
  product: Product
  /** Chromium (unless `browser: false`). */
  browser: Browser
  /** A temporary folder of the file's own, removed at the end. */
  dir: string
}

export interface SuiteOptions extends StartOptions {
  /** Launch Chromium as well (default true). */
  browser?: boolean
  /** More set-up once the product (and browser) are up; also where the file takes them into its own variables. */
  ready?: (suite: E2eSuite) => unknown
  /** More clean-up, before the product stops. */
  done?: () => unknown
  /** The beforeAll's budget (the build, the start, `ready`). Default 300 s. */
  timeoutMs?: number
}

/**
 * The set-up and clean-up every e2e test file repeats, registered as its beforeAll and afterAll:
 * the product started (`options` as for `startProduct`), Chromium launched, a temporary folder;
 * at the end the product's output saved to test-results/<name>-product.log (for a failure the page
 * alone does not explain), the browser closed, the product stopped, the folder removed.
 */
export function e2eSuite(name: string, options: SuiteOptions = {}): E2eSuite {
  const suite = {} as E2eSuite
  beforeAll(async () => {
    suite.dir = mkdtempSync(join(tmpdir(), `reelpilot-${name}-`))
    suite.product = await startProduct(options)
    if (options.browser !== false) suite.browser = await launchBrowser()
    await options.ready?.(suite)
  }, options.timeoutMs ?? 300_000)
  afterAll(async () => {
    try {
      await options.done?.()
    } finally {
      if (suite.product) writeFileSync(resultPath(`${name}-product.log`), suite.product.logs())
      await suite.browser?.close()
      await suite.product?.stop()
      if (suite.dir) rmSync(suite.dir, { recursive: true, force: true })
    }
  })
  return suite
}
