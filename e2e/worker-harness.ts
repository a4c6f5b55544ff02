/**
 * The built Worker under Miniflare on a real port (wrangler's `createTestHarness`), with the
 * native render server beside it, for tests that must both reach the Worker over HTTP (the render
 * server fetches signed storage URLs) and drive it from inside (run a scheduler's alarm now, look
 * at D1 and R2). The e2e `harness.ts` starts the product the way `npm start` does; this one trades
 * that fidelity for direct access to the bindings.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect } from 'vitest'
import { createTestHarness } from 'wrangler'
import { createRenderServer } from '../containers/render/server'
import { ffmpegPath } from '../scripts/tools.mjs'
import type { ProjectScheduler } from '../workers/scheduler/project-scheduler'
import { autopilotConfigSchema } from '../workers/domain/autopilot-config'
import { parseJsonOrUndefined } from '../workers/lib/json'
import { makeClip } from './clips'
import { ensureBuild, ROOT, unique } from './harness'

export interface RunningWorker {
  url: (path: string) => string
  /** The Worker's bindings, proxied into Node: D1, R2, queues, Durable Object stubs (RPC). */
  env: Env
  /** Calls the API with a session token (or none). */
  api: (method: string, path: string, options?: { token?: string; body?: unknown }) => Promise<{ status: number; json: any; text: string }>
  /** A local session token for an email. */
  tokenFor: (email: string) => Promise<string>
  signingKey: string
  /** Runs the Worker's cron handler (the sweeper) now, to its end. */
  scheduled: (cron?: string) => Promise<void>
  /** The render server beside the Worker: stop it (the renderer is unreachable) and start it again on the same port. */
  render: { stop: () => Promise<void>; start: () => Promise<void> }
  /**
   * Reloads the Worker with its built config changed by `configure` (none: as built), keeping its
   * storage (D1, R2, Durable Objects) and its address; `env` is read again. A changed binding may
   * name a Worker started `beside` it (the harness cannot add Workers to a running server).
   */
  reconfigure: (configure?: (config: Record<string, any>) => void) => Promise<void>
  close: () => Promise<void>
}

/** A Worker of a few lines run beside the product's (`reconfigure`): its name, its module's code, its Durable Object classes. */
export interface BesideWorker {
  name: string
  code: string
  durableObjects?: string[]
}

function besideConfig(worker: BesideWorker) {
  const dir = join(ROOT, 'node_modules', '.cache', `reelpilot-beside-${process.pid}`)
  mkdirSync(dir, { recursive: true })
  const main = join(dir, `${worker.name}.js`)
  writeFileSync(main, worker.code)
  const classes = worker.durableObjects ?? []
  return {
    config: {
      name: worker.name,
      main,
      compatibility_date: '2026-10-15',
      ...(classes.length
        ? { durable_objects: { bindings: classes.map((c) => ({ name: c, class_name: c })) }, migrations: [{ tag: 'v1', new_sqlite_classes: classes }] }
        : {}),
    },
  }
}

/**
 * The built config without the AI binding, beside the original (its paths are relative to it):
 * Workers AI is remote-only, and the harness has no switch for remote bindings (npm start passes
 * `--local`), so with it the harness would ask for a Cloudflare account.
 */
function localConfigPath(renderRetries?: number, configure?: (config: Record<string, any>) => void) {
  const config = JSON.parse(readFileSync(join(ROOT, 'build', 'server', 'wrangler.json'), 'utf8'))
  delete config.ai
  if (renderRetries === undefined && !configure) {
    writeFileSync(join(ROOT, 'build', 'server', 'wrangler.local.json'), JSON.stringify(config))
    return './build/server/wrangler.local.json'
  }
  if (renderRetries !== undefined) {
    const render = config.queues?.consumers?.find((q: { queue: string }) => q.queue === 'render-jobs')
    if (!render) throw new Error('build/server/wrangler.json has no render-jobs consumer')
    render.max_retries = renderRetries
  }
  configure?.(config)
  // This process's own copy (a changed config is one test file's alone).
  const name = configure ? `wrangler.changed-${process.pid}-${Math.random().toString(36).slice(2, 8)}.json` : 'wrangler.render-retries.json'
  writeFileSync(join(ROOT, 'build', 'server', name), JSON.stringify(config))
  return `./build/server/${name}`
}

export async function startWorker(extra: { vars?: Record<string, string>; secrets?: Record<string, string>; /** Fewer render retries before the dead-letter queue (fault tests). */ renderRetries?: number; /** Workers of a few lines run beside it (for `reconfigure`). */ beside?: BesideWorker[] } = {}): Promise<RunningWorker> {
  ensureBuild()
  // The render server answers only this Worker (the secret) and fetches only from its origin,
  // known once the Worker listens (the list is read by reference).
  const renderSecret = randomBytes(32).toString('base64url')
  // Until the Worker listens it holds an origin nothing listens on (the server refuses none).
  const renderOrigins: string[] = ['http://127.0.0.1:0']
  const render = createRenderServer({ ffmpegPath: ffmpegPath(), secret: renderSecret, allowedOrigins: renderOrigins })
  await new Promise<void>((resolve) => render.listen(0, '127.0.0.1', resolve))
  const renderPort = (render.address() as AddressInfo).port
  const renderUrl = `http://127.0.0.1:${renderPort}`
  let renderListening = true
  const stopRender = async () => {
    if (!renderListening) return
    renderListening = false
    const closed = new Promise<void>((resolve) => render.close(() => resolve()))
    render.closeAllConnections()
    await closed
  }

  const keys = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  })
  const signingKey = randomBytes(32).toString('base64url')
  const secrets = {
    LOCAL_AUTH_PRIVATE_KEY: keys.privateKey,
    LOCAL_AUTH_PUBLIC_KEY: keys.publicKey,
    UPLOAD_SIGNING_KEY: signingKey,
    CLERK_SECRET_KEY: '',
    TOKEN_ENCRYPTION_KEY: `v1:${randomBytes(32).toString('base64')}`,
    RENDER_SHARED_SECRET: renderSecret,
    ...extra.secrets,
  }
  let configPath = localConfigPath(extra.renderRetries)
  const worker = (publicUrl: string) => ({
    configPath,
    vars: { APP_ENV: 'local', RENDER_URL: renderUrl, PUBLIC_URL: publicUrl, SANDBOX_PROCESSING_SEC: '1', SANDBOX_ENABLED: 'true', ...extra.vars },
    secrets,
  })
  const beside = (extra.beside ?? []).map(besideConfig)
  const server = createTestHarness({ root: ROOT, workers: [worker('http://127.0.0.1:9'), ...beside] })
  const { url } = await server.listen()
  const origin = url.origin
  renderOrigins.splice(0, renderOrigins.length, origin)
  // The render server reaches storage at the Worker's own address, known only once it listens.
  await server.update({ root: ROOT, workers: [worker(origin), ...beside] })
  const handle = server.getWorker()
  await handle.applyD1Migrations('DB')
  let env = (await handle.getEnv()) as Env

  const api: RunningWorker['api'] = async (method, path, options = {}) => {
    const res = await fetch(`${origin}/api${path}`, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: options.body !== undefined ? JSON.stringify(options.body) : undefined,
    })
    const text = await res.text()
    const json: any = parseJsonOrUndefined(text)
    return { status: res.status, json, text }
  }

  const changedConfigs: string[] = []
  const running: RunningWorker = {
    url: (path) => `${origin}${path}`,
    env,
    api,
    tokenFor: async (email) => (await api('POST', '/dev/token', { body: { email } })).json.token,
    signingKey,
    scheduled: async (cron = '*/5 * * * *') => {
      const result = await handle.scheduled({ cron, scheduledTime: new Date() })
      if (result.outcome !== 'ok') throw new Error(`the scheduled handler ended with ${result.outcome}`)
    },
    render: {
      stop: stopRender,
      start: async () => {
        if (renderListening) return
        await new Promise<void>((resolve, reject) => {
          render.once('error', reject)
          render.listen(renderPort, '127.0.0.1', () => (render.off('error', reject), resolve()))
        })
        renderListening = true
      },
    },
    reconfigure: async (configure) => {
      configPath = localConfigPath(extra.renderRetries, configure)
      if (configure) changedConfigs.push(configPath)
      await server.update({ root: ROOT, workers: [worker(origin), ...beside] })
      env = running.env = (await server.getWorker().getEnv()) as Env
    },
    close: async () => {
      await server.close()
      await stopRender()
      for (const path of changedConfigs) rmSync(join(ROOT, path), { force: true })
      rmSync(join(ROOT, 'node_modules', '.cache', `reelpilot-beside-${process.pid}`), { recursive: true, force: true })
    },
  }
  return running
}

// ---------------------------------------------------------------------------------------------
// The set-up of a test file

/** What `workerSuite` makes for a test file; set once its beforeAll ran. */
export interface WorkerSuite {
  w: RunningWorker
  /** The signed-in owner's session token. */
  token: string
  workspaceId: string
  projectId: string
  /** The ready clip in the project's library (with `clipSeconds`). */
  mediaId: string | null
  /** A temporary folder of the file's own, removed at the end. */
  dir: string
}

/**
 * The set-up the Worker-driven e2e files repeat, as their beforeAll and afterAll: the Worker
 * started (`renderRetries` as for `startWorker`), an owner with a workspace and a project, a clip
 * of `clipSeconds` made with FFmpeg and uploaded, probed and ready, and sandbox connections on
 * `platforms`; at the end the Worker closed and the folder removed.
 */
export function workerSuite(name: string, options: { renderRetries?: number; beside?: BesideWorker[]; clipSeconds?: number; platforms?: string[]; ready?: (suite: WorkerSuite) => unknown } = {}): WorkerSuite {
  const suite = { mediaId: null } as WorkerSuite
  beforeAll(async () => {
    suite.dir = mkdtempSync(join(tmpdir(), `reelpilot-${name}-`))
    const w = (suite.w = await startWorker({ renderRetries: options.renderRetries, beside: options.beside }))
    const token = (suite.token = await w.tokenFor(`${unique(name)}@example.com`))
    suite.workspaceId = (await w.api('POST', '/workspaces', { token, body: { name, slug: unique(name).toLowerCase() } })).json.id
    suite.projectId = (await w.api('POST', '/projects', { token, body: { workspaceId: suite.workspaceId, name: 'Cooking' } })).json.id
    if (options.clipSeconds) {
      const clip = makeClip(join(suite.dir, 'clip.mp4'), { picture: 'testsrc2=size=640x360:rate=30', seconds: options.clipSeconds, tone: 330, sampleRate: 48000 })
      const data = readFileSync(clip)
      const started = await w.api('POST', '/media/upload-url', { token, body: { projectId: suite.projectId, filename: 'pasta.mp4', contentType: 'video/mp4', size: data.length } })
      expect(started.status, started.text).toBe(201)
      expect((await fetch(started.json.uploadUrl, { method: 'PUT', body: data })).status).toBe(200)
      const done = await w.api('POST', `/media/${started.json.mediaId}/complete`, { token })
      expect(done.json?.status, done.text).toBe('ready')
      suite.mediaId = started.json.mediaId
    }
    for (const platform of options.platforms ?? []) {
      const connected = await w.api('POST', `/projects/${suite.projectId}/connections`, { token, body: { platform, mode: 'sandbox' } })
      expect(connected.status, connected.text).toBeLessThan(300)
    }
    await options.ready?.(suite)
  }, 300_000)
  afterAll(async () => {
    await suite.w?.close()
    if (suite.dir) rmSync(suite.dir, { recursive: true, force: true })
  })
  return suite
}

/** A project's scheduler (Durable Object stub, RPC) in the running Worker. */
export function schedulerOf(w: RunningWorker, projectId: string) {
  const ns = w.env.PROJECT_SCHEDULER as unknown as DurableObjectNamespace<ProjectScheduler>
  return ns.get(ns.idFromName(projectId))
}

/** Reads until `done` says yes (every 0.5 s), or fails naming `what` with the last value read. */
export async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: T = await read()
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last, null, 1).slice(0, 2000)}`)
    await new Promise((r) => setTimeout(r, 500))
    last = await read()
  }
  return last
}

/** A daily autopilot on YouTube and TikTok whose one window opened ten minutes before `now`: within the grace period, so the alarm plans its slot and the post goes out at once. */
export function windowOpenedTenMinutesAgo(now: number) {
  const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16)
  return autopilotConfigSchema.parse({
    cadence: 'daily',
    language: 'en',
    style: 'neon',
    objective: 'traffic',
    timezone: 'UTC',
    timeWindows: [`${hhmm(now - 10 * 60_000)}-${hhmm(now - 9 * 60_000)}`],
    platforms: ['youtube', 'tiktok'],
  })
}
