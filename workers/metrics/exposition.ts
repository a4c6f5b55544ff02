/**
 * The scrape: gauges read from D1 and the queues now, plus the counters and histograms summed in
 * the MetricsStore, written in the Prometheus text format by prom-client's Registry (it does the
 * escaping and layout; the values are ours).
 */
import { Registry } from 'prom-client'
import { OBSERVED, RECORDED, type Family } from './families'
import { metricsStore, type StoredSample } from './store'

interface Value {
  metricName?: string
  labels: Record<string, string | number>
  value: number
}

/** A metric family prom-client writes as it is: `get()` answers the values we computed. */
function family(name: string, f: Family, values: Value[]) {
  return { name, help: f.help, type: f.type, aggregator: 'sum', get: async () => ({ name, help: f.help, type: f.type, values, aggregator: 'sum' }) }
}

type Row = Record<string, string | number>

async function groupCount(env: Env, sql: string): Promise<Row[]> {
  return (await env.DB.prepare(sql).all<Row>()).results
}

/** The text of GET /api/metrics. */
export async function scrape(env: Env): Promise<{ contentType: string; body: string }> {
  const errors: Value[] = []
  const part = async <T>(name: string, fn: () => Promise<T>, fallback: T): Promise<T> => {
    try {
      return await fn()
    } catch {
      errors.push({ labels: { part: name }, value: 1 })
      return fallback
    }
  }
  const [posts, targets, connections, media, backlog, stored] = await Promise.all([
    part('posts', () => groupCount(env, `select status, count(*) as n from posts group by status`), []),
    part('post_targets', () => groupCount(env, `select platform, status, count(*) as n from post_targets group by platform, status`), []),
    part('connections', () => groupCount(env, `select platform, status, count(*) as n from connections group by platform, status`), []),
    part('media', () => groupCount(env, `select status, count(*) as n from media group by status`), []),
    part('queues', () => queueBacklog(env), []),
    part('store', () => metricsStore(env).snapshot() as Promise<StoredSample[]>, []),
  ])
  const registry = new Registry()
  const gauge = (rows: Row[], labels: string[]): Value[] => rows.map((r) => ({ labels: Object.fromEntries(labels.map((l) => [l, String(r[l])])), value: Number(r.n) }))
  registry.registerMetric(family('reelpilot_posts', OBSERVED.reelpilot_posts, gauge(posts, ['status'])) as never)
  registry.registerMetric(family('reelpilot_post_targets', OBSERVED.reelpilot_post_targets, gauge(targets, ['platform', 'status'])) as never)
  registry.registerMetric(family('reelpilot_connections', OBSERVED.reelpilot_connections, gauge(connections, ['platform', 'status'])) as never)
  registry.registerMetric(family('reelpilot_media', OBSERVED.reelpilot_media, gauge(media, ['status'])) as never)
  registry.registerMetric(family('reelpilot_queue_backlog_messages', OBSERVED.reelpilot_queue_backlog_messages, backlog) as never)
  for (const [name, f] of Object.entries(RECORDED)) {
    const values = stored.filter((s) => s.family === name).map((s) => ({ metricName: s.sample, labels: JSON.parse(s.labels) as Record<string, string>, value: s.value }))
    registry.registerMetric(family(name, f, f.type === 'histogram' ? histogramOrder(name, values) : values) as never)
  }
  registry.registerMetric(family('reelpilot_metrics_scrape_errors', OBSERVED.reelpilot_metrics_scrape_errors, errors) as never)
  return { contentType: registry.contentType, body: await registry.metrics() }
}

/**
 * A histogram's lines as the text format wants them: each series together, its buckets by
 * ascending `le` (`+Inf` last), then its `_sum` and `_count`.
 */
function histogramOrder(name: string, values: Value[]): Value[] {
  const seriesKey = (v: Value) => JSON.stringify(Object.entries(v.labels).filter(([k]) => k !== 'le').sort(([a], [b]) => (a < b ? -1 : 1)))
  const rank = (v: Value) => (v.labels.le === undefined ? 0 : v.labels.le === '+Inf' ? Number.MAX_VALUE : Number(v.labels.le))
  const part = (v: Value) => (v.metricName === `${name}_bucket` ? 0 : v.metricName === `${name}_sum` ? 1 : 2)
  return [...values].sort((a, b) => {
    const ka = seriesKey(a)
    const kb = seriesKey(b)
    if (ka !== kb) return ka < kb ? -1 : 1
    return part(a) - part(b) || rank(a) - rank(b)
  })
}

/** Each queue's backlog, where the queue binding reports one. */
async function queueBacklog(env: Env): Promise<Value[]> {
  const queues: [string, Queue][] = [
    ['render-jobs', env.RENDER_JOBS],
    ['publish-jobs', env.PUBLISH_JOBS],
    ['metrics-jobs', env.METRICS_JOBS],
  ]
  const out: Value[] = []
  for (const [name, queue] of queues) {
    const m = await queue.metrics?.()
    if (m && Number.isFinite(m.backlogCount)) out.push({ labels: { queue: name }, value: m.backlogCount })
  }
  return out
}
