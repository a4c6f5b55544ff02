/**
 * A Worker under wrangler's local dev server (Miniflare, the same workerd as `wrangler dev`)
 * started through wrangler's programmatic API (`unstable_startWorker`) in a process of its own,
 * with the one thing the CLI cannot turn off turned off: the inspector. `wrangler dev` always
 * attaches one, so V8 builds a Runtime.consoleAPICalled event for every console.log and wrangler's
 * inspector proxy Worker relays each to wrangler's Node (about 1 ms of CPU a log line on this
 * machine, notes of #17): a tax of the dev tooling that production does not have. Everything else
 * is as `wrangler dev --local` does it: the config's bindings (D1, R2, queues, Durable Objects,
 * rate limiters) run locally, requests go through wrangler's proxy Worker, logs go to stdout.
 *
 * Its own process (bench/dev-worker-process.ts), as `wrangler dev` is: the Node side of the dev
 * server (the proxy controller, the log lines it prints) never shares an event loop with the load
 * generator, and stop() ends the whole process group (the workerd processes too).
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { freePorts, ROOT } from '../e2e/harness.ts'

export interface DevWorkerOptions {
  /** The Worker's wrangler config (toml or json); its paths are relative to it. */
  config: string
  /** Plain-text vars over the config's (as `wrangler dev --var NAME:value`). */
  vars?: Record<string, string>
  /** Files of secrets (as `wrangler dev --env-file`); none: the `.dev.vars` beside the config. */
  envFiles?: string[]
  /** The state directory (D1, R2, Durable Objects), as `--persist-to`. */
  persistTo: string
  /** A request that answers 2xx once the Worker is up. */
  ping: { path: string; init?: RequestInit }
  /** The port on 127.0.0.1 (default: a free one). */
  port?: number
  /** Attach the inspector as `wrangler dev` does (default: off). */
  inspector?: boolean
}

/** What the child is told (JSON in BENCH_DEV_WORKER). */
export interface DevWorkerSpec {
  config: string
  vars: Record<string, string>
  envFiles?: string[]
  persistTo: string
  port: number
  inspector: boolean
}

export interface DevWorker {
  url: string
  /** The child's process id (its process group holds the workerd processes). */
  pid: number
  stop: () => Promise<void>
}

export async function startDevWorker(options: DevWorkerOptions): Promise<DevWorker> {
  const port = options.port ?? (await freePorts(1))[0]
  const spec: DevWorkerSpec = { config: options.config, vars: options.vars ?? {}, envFiles: options.envFiles, persistTo: options.persistTo, port, inspector: options.inspector ?? false }
  let output = ''
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'dev-worker-process.ts')], {
    cwd: ROOT,
    // Its own process group, so stop() reaches the workerd processes too.
    detached: true,
    // stdout (the Worker's log lines, wrangler's request lines) is dropped, as the CLI bench did;
    // stderr is kept to say why a start failed.
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0', CLOUDFLARE_CF_FETCH_ENABLED: 'false', BENCH_DEV_WORKER: JSON.stringify(spec) },
  })
  child.stderr!.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000)
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal)
    } catch {
      // Already gone.
    }
  }
  const killOnExit = () => killGroup('SIGKILL')
  process.once('exit', killOnExit)
  let stopped = false
  const stop = async () => {
    if (stopped) return
    stopped = true
    process.off('exit', killOnExit)
    if (child.exitCode === null && child.signalCode === null) {
      killGroup('SIGTERM')
      const timer = setTimeout(() => killGroup('SIGKILL'), 5_000)
      await exited
      clearTimeout(timer)
    }
    killGroup('SIGKILL')
  }
  const url = `http://127.0.0.1:${port}`
  const deadline = Date.now() + 180_000
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the Worker of ${options.config} stopped before it answered (exit ${child.signalCode ?? child.exitCode}):\n${output}`)
    try {
      if ((await fetch(`${url}${options.ping.path}`, { ...options.ping.init, signal: AbortSignal.timeout(5_000) })).ok) break
    } catch {}
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`the Worker of ${options.config} did not answer ${options.ping.path} within 180 s:\n${output}`)
    }
    await new Promise((r) => setTimeout(r, 300))
  }
  return { url, pid: child.pid!, stop }
}
