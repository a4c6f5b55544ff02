/**
 * The benches' baseline: a bare Worker under `wrangler dev` on this machine (the same workerd as
 * the product's), from a few lines of code, in a folder of its own that `stop()` removes. The API
 * bench starts the folder `writeBareWorker` makes with bench/dev-worker.ts instead (inspector off).
 */
import { spawn } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { freePorts, ROOT } from '../e2e/harness.ts'

export interface BareWorkerOptions {
  /** The Worker's whole code (an ES module). */
  code: string
  /** More wrangler.toml lines (bindings). */
  config?: string
  /** A request that answers 2xx once the Worker is up. */
  ping: { path: string; init?: RequestInit }
}

/** A bare Worker's folder: its code and wrangler.toml; `remove()` deletes it. */
export function writeBareWorker(name: string, options: Pick<BareWorkerOptions, 'code' | 'config'>): { dir: string; config: string; remove: () => void } {
  // Inside the repository, so imports (`hono`) resolve from its node_modules.
  const dir = join(ROOT, 'node_modules', '.cache', `reelpilot-bench-${name}-${process.pid}`)
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'bare.js'), options.code)
  writeFileSync(join(dir, 'wrangler.toml'), `name = "${name}"\nmain = "bare.js"\ncompatibility_date = "2026-10-15"\n${options.config ?? ''}`)
  return { dir, config: join(dir, 'wrangler.toml'), remove: () => rmSync(dir, { recursive: true, force: true }) }
}

/** The bare Worker under the `wrangler dev` CLI (its inspector attached, as the product's under npm start). */
export async function startBareWorker(name: string, options: BareWorkerOptions): Promise<{ url: string; stop: () => Promise<void> }> {
  const { dir, config, remove } = writeBareWorker(name, options)
  const [port] = await freePorts(1)
  const child = spawn(join(ROOT, 'node_modules', '.bin', 'wrangler'), ['dev', '-c', config, '--port', String(port), '--ip', '127.0.0.1', '--persist-to', join(dir, 'state'), '--show-interactive-dev-session=false'], {
    cwd: dir,
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, CI: 'true', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
  })
  const url = `http://127.0.0.1:${port}`
  const stop = async () => {
    try {
      process.kill(-child.pid!, 'SIGTERM')
    } catch {}
    await new Promise((r) => setTimeout(r, 500))
    remove()
  }
  const deadline = Date.now() + 90_000
  for (;;) {
    try {
      if ((await fetch(`${url}${options.ping.path}`, options.ping.init)).ok) break
    } catch {}
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`the bare ${name} Worker did not start`)
    }
    await new Promise((r) => setTimeout(r, 300))
  }
  return { url, stop }
}
