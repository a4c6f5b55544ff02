/**
 * Recording: `count` and `observe` add to the buffer of the current work (a request, a queue batch,
 * an alarm), and `withMetrics` sends that buffer to the MetricsStore once, when the work ends. A
 * failure to record is logged and never fails the work. Outside `withMetrics` nothing is recorded.
 */
import { AsyncLocalStorage } from 'node:async_hooks'
import { log } from '../lib/log'
import { RECORDED, type Increment, type Labels, type RecordedName } from './families'

const buffers = new AsyncLocalStorage<Increment[]>()

/** Runs `fn` with a metrics buffer, then sends what it recorded (through `waitUntil` when given). */
export async function withMetrics<T>(env: Pick<Env, 'METRICS'>, fn: () => Promise<T>, waitUntil?: (p: Promise<unknown>) => void): Promise<T> {
  const buffer: Increment[] = []
  try {
    return await buffers.run(buffer, fn)
  } finally {
    const sent = flush(env, buffer)
    if (waitUntil) waitUntil(sent)
    else await sent
  }
}

async function flush(env: Pick<Env, 'METRICS'>, buffer: Increment[]): Promise<void> {
  if (buffer.length === 0 || !env.METRICS) return
  try {
    // Imported here, not at the top: store.ts imports `cloudflare:workers`, and the code that counts
    // (platforms/http.ts, the collectors) also runs in Node (benchmarks).
    const { metricsStore } = await import('./store')
    await metricsStore(env).add(merge(buffer))
  } catch (error) {
    log.warn('metrics not recorded', { increments: buffer.length, error: String(error) })
  }
}

/** Sums increments of the same series, so a batch sends each series once. */
function merge(increments: Increment[]): Increment[] {
  const by = new Map<string, Increment>()
  for (const i of increments) {
    const key = `${i.sample}|${JSON.stringify(i.labels)}`
    const seen = by.get(key)
    if (seen) seen.value += i.value
    else by.set(key, { ...i, labels: { ...i.labels } })
  }
  return [...by.values()]
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
