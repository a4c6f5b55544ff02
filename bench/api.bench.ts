// The API under load: autocannon against the built Worker on workerd (the product started for
// real, e2e harness: scripts/start.mjs → wrangler dev) for health and three list routes, next to a
// bare Hono handler under wrangler dev on this machine in the same run. Prints requests per second
// and p99 latency of each route as ratios to the bare handler, and the D1 statements each route
// runs (counted by the Worker itself in local mode: `x-count-d1: 1` → `x-d1-queries`). Goal: at
// least half the bare handler's throughput, at most 3 D1 statements a request.
//
// Requests are spread over many signed-in people (each has the API's per-person rate budget).
// Figures, not pass/fail (exit 1 only if something breaks).
import autocannon from 'autocannon'
import { startProduct } from '../e2e/harness.ts'
import { startBareWorker } from './bare-worker.ts'
import { benchPerson, type BenchPerson } from './person.ts'

const DURATION_SEC = Number(process.env.BENCH_SECONDS ?? 8)
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

async function load(base: string, route: Route, people: Person[]) {
  let i = 0
  const result = await autocannon({
    url: base,
    connections: CONNECTIONS,
    duration: DURATION_SEC,
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

async function d1Queries(base: string, route: Route, p: Person): Promise<number> {
  // The second call: the first may make rows (a first sign-in).
  for (let k = 0; k < 2; k++) await fetch(`${base}${route.path(p)}`, { headers: route.auth ? { authorization: `Bearer ${p.token}` } : {} })
  const res = await fetch(`${base}${route.path(p)}`, { headers: { 'x-count-d1': '1', ...(route.auth ? { authorization: `Bearer ${p.token}` } : {}) } })
  await res.text()
  return Number(res.headers.get('x-d1-queries') ?? NaN)
}

async function main() {
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
      const baseline = await load(bare.url, { ...route, path: () => '/api/list' }, people)
      const ours = await load(product.baseUrl, route, people)
      const queries = await d1Queries(product.baseUrl, route, people[0])
      rows.push(
        `| \`${route.name}\` | ${ours.rps.toFixed(0)} | ${baseline.rps.toFixed(0)} | ${(ours.rps / baseline.rps).toFixed(2)} | ${ours.p99} ms | ${baseline.p99} ms | ${(ours.p99 / Math.max(1, baseline.p99)).toFixed(1)} | ${queries} | ${ours.non2xx}/${ours.total} |`,
      )
    }
    console.log(`\n${DURATION_SEC} s per route, ${CONNECTIONS} connections, ${PEOPLE} people`)
    console.log('| route | ours rps | bare Hono rps | rps ratio | ours p99 | bare p99 | p99 ratio | D1 statements | non-2xx |')
    console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |')
    for (const r of rows) console.log(r)
  } finally {
    await bare.stop()
    await product.stop()
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
