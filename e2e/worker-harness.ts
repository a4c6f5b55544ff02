/**
 * The built Worker under Miniflare on a real port (wrangler's `createTestHarness`), with the
 * native render server beside it, for tests that must both reach the Worker over HTTP (the render
 * server fetches signed storage URLs) and drive it from inside (run a scheduler's alarm now, look
 * at D1 and R2). The e2e `harness.ts` starts the product the way `npm start` does; this one trades
 * that fidelity for direct access to the bindings.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { createTestHarness } from 'wrangler'
import { createRenderServer } from '../containers/render/server'
import { ffmpegPath } from '../scripts/tools.mjs'
import { ensureBuild, ROOT } from './harness'

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
  close: () => Promise<void>
}

/**
 * The built config without the AI binding, beside the original (its paths are relative to it):
 * Workers AI is remote-only, and the harness has no switch for remote bindings (npm start passes
 * `--local`), so with it the harness would ask for a Cloudflare account.
 */
function localConfigPath(renderRetries?: number) {
  const config = JSON.parse(readFileSync(join(ROOT, 'build', 'server', 'wrangler.json'), 'utf8'))
  delete config.ai
  if (renderRetries === undefined) {
    writeFileSync(join(ROOT, 'build', 'server', 'wrangler.local.json'), JSON.stringify(config))
    return './build/server/wrangler.local.json'
  }
  const render = config.queues?.consumers?.find((q: { queue: string }) => q.queue === 'render-jobs')
  if (!render) throw new Error('build/server/wrangler.json has no render-jobs consumer')
  render.max_retries = renderRetries
  writeFileSync(join(ROOT, 'build', 'server', 'wrangler.render-retries.json'), JSON.stringify(config))
  return './build/server/wrangler.render-retries.json'
}

export async function startWorker(extra: { vars?: Record<string, string>; secrets?: Record<string, string>; /** Fewer render retries before the dead-letter queue (fault tests). */ renderRetries?: number } = {}): Promise<RunningWorker> {
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
  const configPath = localConfigPath(extra.renderRetries)
  const worker = (publicUrl: string) => ({
    configPath,
    vars: { APP_ENV: 'local', RENDER_URL: renderUrl, PUBLIC_URL: publicUrl, SANDBOX_PROCESSING_SEC: '1', SANDBOX_ENABLED: 'true', ...extra.vars },
    secrets,
  })
  const server = createTestHarness({ root: ROOT, workers: [worker('http://127.0.0.1:9')] })
  const { url } = await server.listen()
  const origin = url.origin
  renderOrigins.splice(0, renderOrigins.length, origin)
  // The render server reaches storage at the Worker's own address, known only once it listens.
  await server.update({ root: ROOT, workers: [worker(origin)] })
  const handle = server.getWorker()
  await handle.applyD1Migrations('DB')
  const env = (await handle.getEnv()) as Env

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
    let json: any
    try {
      json = text ? JSON.parse(text) : undefined
    } catch {}
    return { status: res.status, json, text }
  }

  return {
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
    close: async () => {
      await server.close()
      await stopRender()
    },
  }
}
