/**
 * Writing what a pull read, once. For each metric of one target's pull, one D1 batch (one
 * transaction) of three statements, in this order:
 *
 * 1. the dashboard's rollups (metric_rollup: the project's total and per style, weekday and hour,
 *    in day buckets of 1, 8 and 64 days) and the detailed daily rollup (metric_daily: day ×
 *    platform × style × weekday × hour) gain the increase since the target's newest value — only
 *    when this pull is newer than anything stored for it (a repeated or late message adds nothing);
 *    metric_rollup in one statement for all of the pull's metrics, before any newest value moves;
 * 2. the newest value moves to this pull (again only forwards);
 * 3. the snapshot is appended (`insert or ignore`: unique per target, metric and pull).
 *
 * So a message delivered twice, or an alarm run twice, writes nothing twice, and each rollup
 * always equals the sum of increases of the snapshots.
 *
 * Retention: snapshots, newest values and pull schedules live as long as their post (deleted with
 * it); rollups as long as their project. Nothing is pruned on a timer: 15 pulls × ~6
 * metrics per target is ~100 rows, about 10 kB a target.
 */
import { isAdditive, type MetricValues } from '../domain/metrics'
import type { Platform } from '../domain/post-state'
import { bucketStart } from '../domain/day-buckets'

export interface PullRecord {
  projectId: string
  postId: string
  platform: Platform
  pullIndex: number
  pulledAt: string
  /** The rollup's dimensions: the day the pull happened on and the post's style, weekday and hour (project zone). */
  day: string
  style: string
  weekday: number
  hour: number
  values: MetricValues
}

const ROLLUP = `
insert into metric_daily (project_id, day, platform, style, weekday, hour, metric, value)
select ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8 - coalesce((select value from metric_latest where post_id = ?9 and platform = ?3 and metric = ?7), 0)
where not exists (select 1 from metric_latest where post_id = ?9 and platform = ?3 and metric = ?7 and pull_index >= ?10)
on conflict (project_id, day, platform, style, weekday, hour, metric) do update set value = value + excluded.value`

// One row per (dimension, bucket, metric): 4 dimensions × 3 spans × the pull's additive metrics
// (?5, a JSON object metric → value), each the increase over the newest value stored, skipped for
// a metric whose newest value is from this pull or a later one.
const ROLLUPS = `
insert into metric_rollup (project_id, dim, span, start, platform, key, metric, value)
select ?1, d.dim, b.span, b.start, ?3, d.key, m.key, m.value - coalesce(l.value, 0)
from json_each(?5) m
join (select 'all' as dim, '' as key union all select 'style', ?4 union all select 'weekday', ?6 union all select 'hour', ?7) d
join (select 1 as span, ?2 as start union all select 8, ?10 union all select 64, ?11) b
left join metric_latest l on l.post_id = ?8 and l.platform = ?3 and l.metric = m.key
where l.pull_index is null or l.pull_index < ?9
on conflict (project_id, dim, span, start, platform, key, metric) do update set value = value + excluded.value`

const LATEST = `
insert into metric_latest (post_id, platform, metric, project_id, value, pull_index, pulled_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7)
on conflict (post_id, platform, metric) do update set value = excluded.value, pull_index = excluded.pull_index, pulled_at = excluded.pulled_at
where excluded.pull_index > metric_latest.pull_index`

const SNAPSHOT = `insert or ignore into metric_snapshots (post_id, platform, metric, pull_index, project_id, value, pulled_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7)`

type Statement = { statement: D1PreparedStatement; snapshot: boolean }

/** The statements that record one pull of one target (see the module comment for why this order). */
function pullStatements(d1: D1Database, r: PullRecord): Statement[] {
  const out: Statement[] = []
  const additive = Object.fromEntries(Object.entries(r.values).filter(([metric, value]) => isAdditive(metric) && value !== undefined && Number.isFinite(value)))
  if (Object.keys(additive).length > 0) {
    out.push({
      statement: d1
        .prepare(ROLLUPS)
        .bind(r.projectId, r.day, r.platform, r.style, JSON.stringify(additive), String(r.weekday), String(r.hour), r.postId, r.pullIndex, bucketStart(r.day, 8), bucketStart(r.day, 64)),
      snapshot: false,
    })
  }
  for (const [metric, value] of Object.entries(r.values)) {
    if (value === undefined || !Number.isFinite(value)) continue
    if (isAdditive(metric)) out.push({ statement: d1.prepare(ROLLUP).bind(r.projectId, r.day, r.platform, r.style, r.weekday, r.hour, metric, value, r.postId, r.pullIndex), snapshot: false })
    out.push({ statement: d1.prepare(LATEST).bind(r.postId, r.platform, metric, r.projectId, value, r.pullIndex, r.pulledAt), snapshot: false })
    out.push({ statement: d1.prepare(SNAPSHOT).bind(r.postId, r.platform, metric, r.pullIndex, r.projectId, value, r.pulledAt), snapshot: true })
  }
  return out
}

/**
 * Records pulls, and `extra` statements (the schedule moving on), in one transaction; answers
 * the number of snapshots newly written (0 when all of it was written before).
 */
export async function recordPulls(d1: D1Database, records: PullRecord[], extra: D1PreparedStatement[] = []): Promise<number> {
  const statements = records.flatMap((r) => pullStatements(d1, r))
  if (statements.length === 0 && extra.length === 0) return 0
  const results = await d1.batch([...statements.map((s) => s.statement), ...extra])
  return statements.filter((s, i) => s.snapshot && (results[i].meta?.changes ?? 0) > 0).length
}
