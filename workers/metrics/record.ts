/**
 * Recording: `count` and `observe` add to the buffer of the current work (a request, a queue batch,
 * an alarm). When the work ends its buffer joins the isolate's pending increments (summed per
 * series), which go to the MetricsStore in one call: a request schedules that call a second
 * later through `waitUntil` (the requests of that second ride along: one Durable Object call per
 * isolate per second, not one per request, and waitUntil keeps the isolate until it is sent);
 * work without `waitUntil` (queue batches, alarms, the cron, tests) sends at once. A failure to
 * record is logged and never fails the work. Outside `withMetrics` nothing is recorded.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { log } from '../lib/log'
import { RECORDED, type Increment, type Labels, type RecordedName } from './families'

const buffers = new AsyncLocalStorage<Increment[]>()

/** How long a request's increments wait for others before they are sent together. */
export const FLUSH_AFTER_MS = 1000
/** This isolate's increments not yet sent, by series. */
let pending = new Map<string, Increment>()
let scheduled = false

/** Runs `fn` with a metrics buffer, then sends what it recorded (within a second through `waitUntil` when given). */
export async function withMetrics<T>(env: Pick<Env, 'METRICS'>, fn: () => Promise<T>, waitUntil?: (p: Promise<unknown>) => void): Promise<T> {
  const buffer: Increment[] = []
  try {
    return await buffers.run(buffer, fn)
  } finally {
    addPending(buffer)
    if (!waitUntil) await flush(env)
    else if (!scheduled && pending.size > 0) {
      scheduled = true
      waitUntil(
        new Promise((resolve) => setTimeout(resolve, FLUSH_AFTER_MS)).then(() => {
          scheduled = false
          return flush(env)
        }),
      )
    }
  }
}

function addPending(increments: Increment[]) {
  for (const i of increments) {
    const key = `${i.sample}|${JSON.stringify(i.labels)}`
    const seen = pending.get(key)
    if (seen) seen.value += i.value
    else pending.set(key, { ...i, labels: { ...i.labels } })
  }
}

/** Sends every pending increment of this isolate in one call. */
async function flush(env: Pick<Env, 'METRICS'>): Promise<void> {
  if (pending.size === 0 || !env.METRICS) return
  const increments = [...pending.values()]
  pending = new Map()
  try {
    // Imported here, not at the top: store.ts imports `cloudflare:workers`, and the code that counts
    // (platforms/http.ts, the collectors) also runs in Node (benchmarks).
    const { metricsStore } = await import('./store')
    await metricsStore(env).add(increments)
  } catch (error) {
    log.warn('metrics not recorded', { increments: increments.length, error: String(error) })
  }
}

/** Adds `value` to a counter. */
export function count(family: RecordedName, labels: Labels, value = 1): void {
  buffers.getStore()?.push({ family, sample: family, labels, value })
}

/** Records one observation of a histogram (in seconds). */
export function observe(family: RecordedName, labels: Labels, seconds: number): void {
  const buffer = buffers.getStore()
  if (!buffer) return
  const buckets = (RECORDED[family] as { buckets?: readonly number[] }).buckets ?? []
  for (const le of buckets) if (seconds <= le) buffer.push({ family, sample: `${family}_bucket`, labels: { ...labels, le: String(le) }, value: 1 })
  buffer.push({ family, sample: `${family}_bucket`, labels: { ...labels, le: '+Inf' }, value: 1 })
  buffer.push({ family, sample: `${family}_sum`, labels, value: seconds })
  buffer.push({ family, sample: `${family}_count`, labels, value: 1 })
}
