// The API under load: autocannon against the built Worker on workerd (the product started for
// real, e2e harness: scripts/start.mjs → wrangler dev) for health and three list routes, next to a
// bare Hono handler under wrangler dev on this machine in the same run. Prints requests per second
// and p99 latency of each route as ratios to the bare handler, and the D1 statements each route
// runs (counted by the Worker itself in local mode: `x-count-d1: 1` → `x-d1-queries`). Goal: at
// least half the bare handler's throughput, at most 3 D1 statements a request.
//
// Requests are spread over many signed-in people (each has the API's per-person rate budget).
// Fair to both sides: each route is first run unmeasured on both (warm-up), then measured in
// ROUNDS alternating halves (bare, ours, then ours, bare), so neither side always goes first
// and a machine that gets busier or quieter during the run moves both; the figures are the
// means of the rounds. Figures, not pass/fail (exit 1 only if something breaks).
import autocannon from 'autocannon'
import { loadavg } from 'node:os'
import { startProduct } from '../e2e/harness.ts'
import { startBareWorker } from './bare-worker.ts'
import { benchPerson, type BenchPerson } from './person.ts'

// wrangler dev's local trace collector (miniflare's "local observability", on by default) writes
// every log line and subrequest of a Worker to a Durable Object of its own: a tax of the dev
// tooling, not of the product in production, and one that grows with what a Worker logs (ours
// logs a line a request, the bare handler none). Off on both sides, and said beside the figures;
// BENCH_LOCAL_OBSERVABILITY=1 keeps it on to see the difference.
const observability = process.env.BENCH_LOCAL_OBSERVABILITY === '1'
process.env.X_LOCAL_OBSERVABILITY = observability ? 'true' : 'false'

/** Measured seconds per route and side, split over ROUNDS runs. */
const DURATION_SEC = Number(process.env.BENCH_SECONDS ?? 8)
const ROUNDS = 2
const WARMUP_SEC = 2
const CONNECTIONS = 10
const PEOPLE = 40

const startBareHono = () =>
  startBareWorker('hono', {
    code: `import { Hono } from 'hono'\nconst app = new Hono()\napp.get('/api/*', (c) => c.json({ data: [{ id: 'x', name: 'bare' }], nextCursor: null }))\nexport default app\n`,
    ping: { path: '/api/ping' },
  })

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
        setupRequest: (req: any) => {
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

async function d1Queries(base: string, route: Route, p: Person): Promise<number> {
  // The second call: the first may make rows (a first sign-in).
  for (let k = 0; k < 2; k++) await fetch(`${base}${route.path(p)}`, { headers: route.auth ? { authorization: `Bearer ${p.token}` } : {} })
  const res = await fetch(`${base}${route.path(p)}`, { headers: { 'x-count-d1': '1', ...(route.auth ? { authorization: `Bearer ${p.token}` } : {}) } })
  await res.text()
  return Number(res.headers.get('x-d1-queries') ?? NaN)
}

/** The machine's load average (1, 5, 15 min), to print beside the figures. */
const loadAverage = () => loadavg().map((l) => l.toFixed(2)).join(' ')

async function main() {
  const loadAtStart = loadAverage()
  console.log('api bench: starting the product and a bare Hono Worker…')
  // All the bench's traffic comes from one address: the per-address limiter (120 a minute, for
  // health and sign-in) would answer most health requests with 429. The product's own copy of the
  // built config (written by the harness as it starts) raises that limit; the rest is as built.
  const product = await startProduct({
    configure: (config) => {
      for (const limiter of config.ratelimits ?? []) if (limiter.name === 'ANON_RATE_LIMITER') limiter.simple.limit = 1_000_000
    },
  })
  const bare = await startBareHono()
  try {
    const people: Person[] = []
    for (let i = 0; i < PEOPLE; i++) people.push(await benchPerson(product.baseUrl))
    const rows: string[] = []
    for (const route of ROUTES) {
      const [baseline, ours] = await measure([{ base: bare.url, route: { ...route, path: () => '/api/list' } }, { base: product.baseUrl, route }], people)
      const queries = await d1Queries(product.baseUrl, route, people[0])
      rows.push(
        `| \`${route.name}\` | ${ours.rps.toFixed(0)} | ${baseline.rps.toFixed(0)} | ${(ours.rps / baseline.rps).toFixed(2)} | ${ours.p99.toFixed(0)} ms | ${baseline.p99.toFixed(0)} ms | ${(ours.p99 / Math.max(1, baseline.p99)).toFixed(1)} | ${queries} | ${ours.non2xx}/${ours.total} |`,
      )
    }
    console.log(`\n${DURATION_SEC} s per route and side (${ROUNDS} alternating rounds after ${WARMUP_SEC} s of warm-up each), ${CONNECTIONS} connections, ${PEOPLE} people; wrangler dev's local trace collector ${observability ? 'on' : 'off (X_LOCAL_OBSERVABILITY=false)'} on both sides`)
    console.log('| route | ours rps | bare Hono rps | rps ratio | ours p99 | bare p99 | p99 ratio | D1 statements | non-2xx |')
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |')
    for (const r of rows) console.log(r)
    console.log(`load average at the start ${loadAtStart}, at the end ${loadAverage()}`)
  } finally {
    await bare.stop()
    await product.stop()
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
