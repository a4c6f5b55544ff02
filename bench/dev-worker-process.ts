// The child of bench/dev-worker.ts: one Worker under wrangler's local dev server, started with
// `unstable_startWorker` as `wrangler dev --local` would start it, with the inspector off. Stops
// (disposes the dev server, which ends its workerd processes) on SIGTERM or SIGINT.
import { unstable_startWorker } from 'wrangler'
import type { DevWorkerSpec } from './dev-worker.ts'

const spec = JSON.parse(process.env.BENCH_DEV_WORKER ?? 'null') as DevWorkerSpec | null
if (!spec) throw new Error('BENCH_DEV_WORKER (the Worker to start, JSON) is not set')

const worker = await unstable_startWorker({
  config: spec.config,
  envFiles: spec.envFiles,
  // As `--var NAME:value` (wrangler's collectPlainTextVars).
  bindings: Object.fromEntries(Object.entries(spec.vars).map(([name, value]) => [name, { type: 'plain_text', value }])),
  dev: {
    // `--local`: every binding simulated locally (Workers AI, remote-only, is left unbound as there).
    remote: false,
    // The CLI always attaches an inspector; production has none (bench/dev-worker.ts).
    inspector: spec.inspector ? { hostname: '127.0.0.1' } : false,
    server: { hostname: '127.0.0.1', port: spec.port },
    persist: spec.persistTo,
    watch: false,
    liveReload: false,
  },
})
await worker.ready

let stopping = false
const stop = async () => {
  if (stopping) return
  stopping = true
  await worker.dispose().catch((error: unknown) => console.error(error))
  process.exit(0)
}
process.on('SIGTERM', stop)
process.on('SIGINT', stop)
