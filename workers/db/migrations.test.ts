import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { createDb } from './client'
import { nextWake } from '../analytics/pulls'
import { scheduledPost } from '../../test/helpers'

/** The statements of one migration file (as the test set-up and wrangler apply them). */
const statements = (name: string) => env.TEST_MIGRATIONS.find((m) => m.name.startsWith(name))!.queries

describe('migration 0016 (metric_pulls times as ISO text)', () => {
  it('rewrites epoch-ms next_at and lease_until as the same instants in ISO text, keeps nulls, and the schedule still reads', async () => {
    const { postId } = await scheduledPost()
    const project = (await env.DB.prepare('select project_id, workspace_id from posts where id = ?').bind(postId).first<{ project_id: string; workspace_id: string }>())!
    // Back to the table as 0006 made it (integer times), with rows written the old way.
    await env.DB.batch([env.DB.prepare('drop index metric_pulls_project_next_idx'), env.DB.prepare('drop table metric_pulls')])
    for (const q of statements('0006').filter((q) => /(TABLE|INDEX) `metric_pulls/.test(q))) await env.DB.prepare(q).run()
    const nextAt = Date.UTC(2026, 11, 2, 9, 30, 0, 123)
    const leaseUntil = nextAt + 30 * 60_000
    const insert = 'insert into metric_pulls (post_id, platform, project_id, workspace_id, published_at, next_index, next_at, lease_until) values (?, ?, ?, ?, ?, ?, ?, ?)'
    await env.DB.batch([
      env.DB.prepare(insert).bind(postId, 'youtube', project.project_id, project.workspace_id, '2026-12-02T08:30:00.000Z', 0, nextAt, leaseUntil),
      env.DB.prepare(insert).bind(postId, 'tiktok', project.project_id, project.workspace_id, '2026-12-02T08:30:00.000Z', 99, null, null),
    ])

    await env.DB.batch(statements('0016').map((q) => env.DB.prepare(q)))

    const rows = (await env.DB.prepare('select platform, next_at, typeof(next_at) as t, lease_until from metric_pulls where post_id = ? order by platform').bind(postId).all()).results
    expect(rows).toEqual([
      { platform: 'tiktok', next_at: null, t: 'null', lease_until: null },
      { platform: 'youtube', next_at: '2026-12-02T09:30:00.123Z', t: 'text', lease_until: '2026-12-02T10:00:00.123Z' },
    ])
    const columns = (await env.DB.prepare('pragma table_info(metric_pulls)').all<{ name: string; type: string }>()).results
    expect(columns.filter((c) => ['next_at', 'lease_until'].includes(c.name)).map((c) => c.type.toLowerCase())).toEqual(['text', 'text'])
    expect(await env.DB.prepare(`select name from sqlite_master where type = 'index' and name = 'metric_pulls_project_next_idx'`).first()).not.toBeNull()
    // The alarm's next wake is the later of the pull and its lease, in epoch ms again.
    expect(await nextWake(createDb(env.DB), project.project_id)).toBe(leaseUntil)
  })
})
