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

describe('migration 0028 (one working API key per name)', () => {
  it('keeps keys made twice under one name working, the later ones renamed with their id, and then refuses another', async () => {
    const { postId } = await scheduledPost()
    const { workspace_id: workspaceId } = (await env.DB.prepare('select workspace_id from posts where id = ?').bind(postId).first<{ workspace_id: string }>())!
    const other = 'ws_migration_other'
    await env.DB.prepare(`insert into workspaces (id, name, slug) values (?, 'Other', 'migration-other')`).bind(other).run()
    // As before 0028: no index, and rows the old check let through.
    await env.DB.prepare('drop index api_keys_working_name_unique').run()
    const insert = 'insert into api_keys (id, workspace_id, name, role, prefix, hash, created_at, revoked_at) values (?, ?, ?, ?, ?, ?, ?, ?)'
    const rows: [string, string, string, string | null][] = [
      ['key_m1', workspaceId, 'Zapier', null],
      ['key_m2', workspaceId, 'zapier', null],
      ['key_m3', workspaceId, 'ZAPIER', '2026-01-05T00:00:00.000Z'],
      ['key_m4', workspaceId, 'Make', null],
    ]
    rows.push(['key_m5', other, 'zapier', null])
    await env.DB.batch(rows.map(([id, ws, name, revokedAt], i) => env.DB.prepare(insert).bind(id, ws, name, 'viewer', 'rp_x', `hash_${id}`, `2026-01-0${i + 1}T00:00:00.000Z`, revokedAt)))

    await env.DB.batch(statements('0028').map((q) => env.DB.prepare(q)))

    const names = (await env.DB.prepare(`select id, name from api_keys where id like 'key_m%' order by id`).all<{ id: string; name: string }>()).results
    expect(names).toEqual([
      { id: 'key_m1', name: 'Zapier' },
      { id: 'key_m2', name: 'zapier (key_m2)' },
      // A revoked key keeps its name; another workspace's key is not a duplicate.
      { id: 'key_m3', name: 'ZAPIER' },
      { id: 'key_m4', name: 'Make' },
      { id: 'key_m5', name: 'zapier' },
    ])
    await expect(env.DB.prepare(insert).bind('key_m6', workspaceId, 'zAPIER', 'viewer', 'rp_x', 'hash_key_m6', '2026-01-09T00:00:00.000Z', null).run()).rejects.toThrow(/UNIQUE constraint failed/)
  })
})
