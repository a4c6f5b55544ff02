// The API under load: autocannon against the built Worker on workerd for health and three list
// routes, next to a bare Hono handler on the same workerd in the same run. Prints requests per
// second and p99 latency of each route as ratios to the bare handler, and the D1 statements each
// route runs (counted by the Worker itself in local mode: `x-count-d1: 1` → `x-d1-queries`). Goal:
// at least half the bare handler's throughput, at most 3 D1 statements a request.
//
// A second baseline prices what the platform's simulation costs before our code runs: bare Hono on
// the same set-up as ours (nodejs_compat, the web app's assets in front) making the same binding
// calls a request of ours makes (one rate-limit call, the route's count of D1 round trips, one log
// line). Locally each binding is a Durable Object with SQLite on disk, so that work alone costs
// about as much as a whole bare request; "ours / same bindings" is what our own code adds.
//
// Both sides run under wrangler's local dev server (Miniflare), each in a process of its own,
// started the same way (bench/dev-worker.ts: wrangler's `unstable_startWorker`, as `wrangler dev
// --local`) with the dev tooling's two taxes that production does not have turned off on both:
// - the inspector, which `wrangler dev` always attaches (the CLI cannot turn it off): V8 then builds
//   an event for every console.log and wrangler relays each to its Node, ~1 ms of CPU a line here;
// - miniflare's local trace collector ("local observability", X_LOCAL_OBSERVABILITY), which writes
//   every log line and subrequest to a Durable Object of its own.
// Both grow with what a Worker logs (ours one access line a request, the bare handler none).
// BENCH_DEV_TAXES=1 keeps both on (inspector and collector) to see the difference.
//
// Ours is the BUILT Worker (build/server/wrangler.json, as `npm start` serves it, built first if the
// sources changed) on a copy of the migrated local database, with its real bindings (D1, R2,
// queues, Durable Objects, rate limiters) and its real work per request (access log line, rate
// limit, sign-in check); only the per-address limit is raised, since all the bench's traffic comes
// from one address. The render server is not started (none of these routes calls it).
//
// Requests are spread over many signed-in people (each has the API's per-person rate budget).
// Fair to both sides: each route is first run unmeasured on both (warm-up), then measured in
// ROUNDS alternating halves (bare, ours, then ours, bare), so neither side always goes first
// and a machine that gets busier or quieter during the run moves both; the figures are the
// means of the rounds. Figures, not pass/fail (exit 1 only if something breaks).
import autocannon from 'autocannon'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { ensureBuild, freePorts, migratedState, ROOT } from '../e2e/harness.ts'
import { ensureDevVars } from '../scripts/dev-vars.mjs'
import { writeBareWorker } from './bare-worker.ts'
import { startDevWorker, type DevWorker } from './dev-worker.ts'
import { benchPerson, type BenchPerson } from './person.ts'

const devTaxes = process.env.BENCH_DEV_TAXES === '1'
process.env.X_LOCAL_OBSERVABILITY = devTaxes ? 'true' : 'false'

/** Measured seconds per route and side, split over ROUNDS runs. */
const DURATION_SEC = Number(process.env.BENCH_SECONDS ?? 8)
const ROUNDS = 2
const WARMUP_SEC = 2
const CONNECTIONS = 10
const PEOPLE = 40

/** A bare Hono handler answering every /api path with a small list, as a list route does. */
const BARE_HONO = `import { Hono } from 'hono'\nconst app = new Hono()\napp.get('/api/*', (c) => c.json({ data: [{ id: 'x', name: 'bare' }], nextCursor: null }))\nexport default app\n`

/**
 * The second baseline: a bare Hono handler on the same platform set-up as ours (nodejs_compat, the
 * web app's static assets in front with /api/* sent to the Worker first) that makes the binding
 * calls one of our requests makes (one rate-limit call, \`?d1=N\` D1 round trips one after another,
 * one JSON log line) and nothing else. Under the local dev server each binding is simulated (the limiter and D1 are Durable
 * Objects with SQLite on disk), so this side prices the simulation; ours against it is what our
 * own code (routing, validation, auth, access, metrics) adds to the same binding work.
 */
const BARE_BINDINGS = `import { Hono } from 'hono'
const app = new Hono()
app.get('/api/*', async (c) => {
  const { success } = await c.env.RL.limit({ key: c.req.header('authorization') ?? 'anonymous' })
  if (!success) return c.json({ error: 'Rate limit exceeded' }, 429)
  let data = [{ id: 'x', name: 'bare' }]
  for (let i = 0; i < Number(c.req.query('d1') ?? 0); i++) data = (await c.env.DB.prepare("SELECT ?1 AS id, 'bare' AS name").bind(String(i)).all()).results
  console.log(JSON.stringify({ level: 'info', message: 'request', method: c.req.method, path: c.req.path, status: 200, ms: 1 }))
  return c.json({ data, nextCursor: null })
})
export default app
`
const BARE_BINDINGS_CONFIG = `
compatibility_flags = ["nodejs_compat"]

[assets]
directory = "${join(ROOT, 'build', 'client')}"
run_worker_first = ["/api/*"]

[[d1_databases]]
binding = "DB"
database_name = "bare"
database_id = "00000000-0000-4000-8000-000000000000"

[[ratelimits]]
name = "RL"
namespace_id = "1001"
simple = { limit = 1000000, period = 60 }
`

async function startBare(name: string, code: string, config?: string): Promise<DevWorker> {
  const bare = writeBareWorker(name, { code, config })
  const worker = await startDevWorker({ config: bare.config, inspector: devTaxes, persistTo: join(bare.dir, 'state'), ping: { path: '/api/ping' } }).catch((error) => {
    bare.remove()
    throw error
  })
  return { ...worker, stop: async () => (await worker.stop(), bare.remove()) }
}

/**
 * The product's Worker as built, as `npm start` serves it (scripts/start.mjs: its vars, its secrets
 * from .dev.vars, migrated local D1), on its own copy of the built config beside the original with
 * the per-address limit raised.
 */
async function startOurs(): Promise<DevWorker> {
  ensureDevVars()
  ensureBuild()
  const config = JSON.parse(readFileSync(join(ROOT, 'build', 'server', 'wrangler.json'), 'utf8'))
  // All the bench's traffic comes from one address: the per-address limiter (120 a minute, for
  // health and sign-in) would answer most health requests with 429.
  for (const limiter of config.ratelimits ?? []) if (limiter.name === 'ANON_RATE_LIMITER') limiter.simple.limit = 1_000_000
  const configPath = join(ROOT, 'build', 'server', `wrangler.bench-${process.pid}.json`)
  writeFileSync(configPath, JSON.stringify(config))
  const persistTo = mkdtempSync(join(tmpdir(), 'reelpilot-bench-api-'))
  cpSync(migratedState(), persistTo, { recursive: true })
  const [port, renderPort] = await freePorts(2)
  const cleanup = () => {
    rmSync(configPath, { force: true })
    rmSync(persistTo, { recursive: true, force: true })
  }
  try {
    const worker = await startDevWorker({
      config: configPath,
      inspector: devTaxes,
      port,
      envFiles: [join(ROOT, '.dev.vars')],
      vars: { APP_ENV: 'local', SANDBOX_ENABLED: 'true', RENDER_URL: `http://127.0.0.1:${renderPort}`, PUBLIC_URL: `http://localhost:${port}` },
      persistTo,
      ping: { path: '/api/health/live' },
    })
    return { ...worker, stop: async () => (await worker.stop(), cleanup()) }
  } catch (error) {
    cleanup()
    throw error
  }
}

type Person = BenchPerson

type Route = { name: string; path: (p: Person) => string; auth: boolean }
const ROUTES: Route[] = [
  { name: 'GET /api/health/live', path: () => '/api/health/live', auth: false },
  { name: 'GET /api/workspaces', path: () => '/api/workspaces', auth: true },
  { name: 'GET /api/projects?workspaceId', path: (p) => `/api/projects?workspaceId=${p.workspaceId}`, auth: true },
  { name: 'GET /api/projects/:id/posts', path: (p) => `/api/projects/${p.projectId}/posts`, auth: true },
]

type Load = { rps: number; p99: number; non2xx: number; total: number }

async function load(base: string, route: Route, people: Person[], seconds: number): Promise<Load> {
  let i = 0
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        setupRequest: (req) => {
          const p = people[i++ % people.length]
          return { ...req, method: 'GET', path: route.path(p), headers: route.auth ? { authorization: `Bearer ${p.token}` } : {} }
        },
      },
    ],
  })
  const non2xx = result.non2xx
  return { rps: result.requests.average, p99: result.latency.p99, non2xx, total: result.requests.total }
}

/** The route on both sides, warmed, then in alternating rounds; the means (counts summed). */
async function measure(sides: { base: string; route: Route }[], people: Person[]): Promise<Load[]> {
  for (const side of sides) await load(side.base, side.route, people, WARMUP_SEC)
  const runs: Load[][] = sides.map(() => [])
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? sides.map((_, i) => i) : sides.map((_, i) => sides.length - 1 - i)
    for (const i of order) runs[i].push(await load(sides[i].base, sides[i].route, people, DURATION_SEC / ROUNDS))
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0)
  return runs.map((r) => ({ rps: mean(r.map((x) => x.rps)), p99: mean(r.map((x) => x.p99)), non2xx: sum(r.map((x) => x.non2xx)), total: sum(r.map((x) => x.total)) }))
}

/** The D1 statements the route runs, and the calls to the database they take (a batch is one). */
async function d1Queries(base: string, route: Route, p: Person): Promise<{ statements: number; trips: number }> {
  // The second call: the first may make rows (a first sign-in).
  for (let k = 0; k < 2; k++) await fetch(`${base}${route.path(p)}`, { headers: route.auth ? { authorization: `Bearer ${p.token}` } : {} })
  const res = await fetch(`${base}${route.path(p)}`, { headers: { 'x-count-d1': '1', ...(route.auth ? { authorization: `Bearer ${p.token}` } : {}) } })
  await res.text()
  return { statements: Number(res.headers.get('x-d1-queries') ?? NaN), trips: Number(res.headers.get('x-d1-round-trips') ?? NaN) }
}

/** The machine's load average (1, 5, 15 min), to print beside the figures. */
const loadAverage = () => loadavg().map((l) => l.toFixed(2)).join(' ')

async function main() {
  const loadAtStart = loadAverage()
  console.log('api bench: starting the product and two bare Hono Workers…')
  const product = await startOurs()
  const started: DevWorker[] = [product]
  const stopAll = () => Promise.all(started.map((w) => w.stop()))
  try {
    const bare = await startBare('hono', BARE_HONO)
    started.push(bare)
    const withBindings = await startBare('hono-bindings', BARE_BINDINGS, BARE_BINDINGS_CONFIG)
    started.push(withBindings)
    const productUrl = product.url
    const people: Person[] = []
    for (let i = 0; i < PEOPLE; i++) people.push(await benchPerson(productUrl))
    const rows: string[] = []
    for (const route of ROUTES) {
      const queries = await d1Queries(productUrl, route, people[0])
      const [baseline, same, ours] = await measure(
        [
          { base: bare.url, route: { ...route, path: () => '/api/list' } },
          { base: withBindings.url, route: { ...route, path: () => `/api/list?d1=${Number.isFinite(queries.trips) ? queries.trips : 0}` } },
          { base: productUrl, route },
        ],
        people,
      )
      rows.push(
        `| \`${route.name}\` | ${ours.rps.toFixed(0)} | ${baseline.rps.toFixed(0)} | **${(ours.rps / baseline.rps).toFixed(2)}** | ${ours.p99.toFixed(0)} ms | ${baseline.p99.toFixed(0)} ms | ${(ours.p99 / Math.max(1, baseline.p99)).toFixed(1)} | ${queries.statements} (${queries.trips}) | ${same.rps.toFixed(0)} | ${(ours.rps / same.rps).toFixed(2)} | ${ours.non2xx + same.non2xx + baseline.non2xx}/${ours.total + same.total + baseline.total} |`,
      )
    }
    console.log(`\n${DURATION_SEC} s per route and side (${ROUNDS} alternating rounds after ${WARMUP_SEC} s of warm-up each), ${CONNECTIONS} connections, ${PEOPLE} people; every side under wrangler's local dev server (unstable_startWorker), ${devTaxes ? "its inspector and local trace collector on (BENCH_DEV_TAXES=1), as under the wrangler dev CLI" : 'its inspector and local trace collector (X_LOCAL_OBSERVABILITY) off'}`)
    console.log('"same bindings": bare Hono on the same set-up as ours (nodejs_compat, the web app’s assets in front) making the same binding calls (one rate-limit call, as many D1 round trips, one log line), nothing else.')
    console.log('| route | ours rps | bare Hono rps | rps ratio | ours p99 | bare p99 | p99 ratio | D1 statements (round trips) | same bindings rps | ours / same bindings | non-2xx (all sides) |')
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |')
    for (const r of rows) console.log(r)
    console.log(`load average at the start ${loadAtStart}, at the end ${loadAverage()}`)
  } finally {
    await stopAll()
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
