/**
 * MetricsStore: the one Durable Object that sums the Worker's counters and histograms, so the
 * numbers are right across isolates and instances (never one isolate's memory). Every request,
 * queue delivery and alarm sends its increments here once, at its end (`record.ts` `withMetrics`);
 * GET /api/metrics reads the sums. Series are kept in the object's SQLite storage.
 */
import { DurableObject } from 'cloudflare:workers'
import type { Increment } from './families'

export interface StoredSample {
  family: string
  sample: string
  labels: string
  value: number
}

export class MetricsStore extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env)
    ctx.storage.sql.exec(
      `create table if not exists samples (family text not null, sample text not null, labels text not null, value real not null, primary key (family, sample, labels))`,
    )
  }

  /** Adds each increment to its series (made at 0 when new). */
  add(increments: Increment[]): void {
    for (const i of increments) {
      if (!Number.isFinite(i.value)) continue
      this.ctx.storage.sql.exec(
        `insert into samples (family, sample, labels, value) values (?, ?, ?, ?) on conflict (family, sample, labels) do update set value = value + excluded.value`,
        i.family,
        i.sample,
        canonicalLabels(i.labels),
        i.value,
      )
    }
  }

  /** Every series with its sum. */
  snapshot(): StoredSample[] {
    return this.ctx.storage.sql.exec<{ family: string; sample: string; labels: string; value: number }>(`select family, sample, labels, value from samples order by family, sample, labels`).toArray()
  }
}

/** Labels as a key: sorted, so `{a, b}` and `{b, a}` are one series. */
export function canonicalLabels(labels: Record<string, string>): string {
  return JSON.stringify(Object.fromEntries(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))))
}

/** The one instance. */
export const metricsStore = (env: Pick<Env, 'METRICS'>) => env.METRICS.get(env.METRICS.idFromName('global'))
