/**
 * Every metric Reelpilot exposes at GET /api/metrics: name, type, help and (histograms) buckets.
 * One table, so what is recorded and what is exposed cannot drift apart.
 */
export type MetricType = 'counter' | 'gauge' | 'histogram'

export interface Family {
  type: MetricType
  help: string
  /** Histogram bucket upper bounds, in seconds. */
  buckets?: readonly number[]
}

const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const
const PLATFORM_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] as const
const RENDER_BUCKETS = [5, 10, 30, 60, 120, 300, 600, 1200] as const

/** Counters and histograms: recorded by the Worker, summed in the MetricsStore Durable Object. */
export const RECORDED = {
  reelpilot_http_requests_total: { type: 'counter', help: 'API requests answered, by route pattern, method and status.' },
  reelpilot_http_request_duration_seconds: { type: 'histogram', help: 'API request latency by route pattern and method.', buckets: REQUEST_BUCKETS },
  reelpilot_platform_calls_total: { type: 'counter', help: 'HTTP calls to a platform API, by platform, operation and outcome (ok, http_4xx, http_5xx, timeout, circuit_open, error).' },
  reelpilot_platform_call_duration_seconds: { type: 'histogram', help: 'Platform API call latency (retries included) by platform and operation.', buckets: PLATFORM_BUCKETS },
  reelpilot_renders_total: { type: 'counter', help: 'Render deliveries by outcome (rendered, skipped, busy, failed, error).' },
  reelpilot_render_duration_seconds: { type: 'histogram', help: 'Render delivery duration by outcome.', buckets: RENDER_BUCKETS },
} as const satisfies Record<string, Family>

/** Gauges read when scraped: from D1 and the queues. */
export const OBSERVED = {
  reelpilot_posts: { type: 'gauge', help: 'Posts by status.' },
  reelpilot_post_targets: { type: 'gauge', help: 'Post targets by platform and status.' },
  reelpilot_connections: { type: 'gauge', help: 'Platform connections by platform and status.' },
  reelpilot_media: { type: 'gauge', help: 'Media library items by status.' },
  reelpilot_queue_backlog_messages: { type: 'gauge', help: 'Messages waiting on a queue (as the queue reports it).' },
  reelpilot_metrics_scrape_errors: { type: 'gauge', help: 'Parts of this scrape that could not be read (by part).' },
} as const satisfies Record<string, Family>

export type RecordedName = keyof typeof RECORDED
export type Labels = Record<string, string>

/** One increment of one series: `sample` is the line's own name (`…_bucket`, `…_sum`, `…_count` for histograms). */
export interface Increment {
  family: RecordedName
  sample: string
  labels: Labels
  value: number
}
