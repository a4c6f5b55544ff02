import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { ownerWithProject } from '../../test/helpers'
import { createDb } from './client'
import { insertPost, type NewPostRow } from './posts'

const rows = async (sql: string, ...values: unknown[]) => (await env.DB.prepare(sql).bind(...values).all<Record<string, any>>()).results

describe('insertPost', () => {
  const newPost = (project: { id: string; workspaceId: string }, id: string, slotKey: string, status: NewPostRow['status'] = 'planned'): NewPostRow => ({
    id,
    workspaceId: project.workspaceId,
    projectId: project.id,
    origin: 'autopilot',
    slotKey,
    status,
    scheduledAt: '2026-12-01T12:00:00.000Z',
    language: 'en',
    style: 'minimal',
    objective: 'awareness',
    hashtags: ['#a'],
  })

  it('writes the post, one target per platform with its marker, and its first event; a second post for the same slot writes nothing', async () => {
    const { project } = await ownerWithProject('insert-post', [])
    const db = createDb(env.DB)
    expect(await insertPost(db, newPost(project, 'post_first', 'slot-1'), ['youtube', 'tiktok'], 'Planned')).toBe(true)
    expect(await rows('select platform, marker, status from post_targets where post_id = ? order by platform', 'post_first')).toEqual([
      { platform: 'tiktok', marker: 'rp:post_first:tiktok', status: 'pending' },
      { platform: 'youtube', marker: 'rp:post_first:youtube', status: 'pending' },
    ])
    expect(await rows('select type, from_status, to_status, message from post_events where post_id = ?', 'post_first')).toEqual([
      { type: 'status', from_status: null, to_status: 'planned', message: 'Planned' },
    ])

    // A repeated alarm (another id, the same slot): no post, no stray targets or events.
    expect(await insertPost(db, newPost(project, 'post_second', 'slot-1'), ['youtube'], 'Planned again')).toBe(false)
    expect(await rows('select id from posts where project_id = ?', project.id)).toEqual([{ id: 'post_first' }])
    expect(await rows('select post_id from post_targets where post_id = ?', 'post_second')).toEqual([])
    expect(await rows('select id from post_events where post_id = ?', 'post_second')).toEqual([])
  })

  it('records a skipped post with a skipped event carrying the reason, and no targets', async () => {
    const { project } = await ownerWithProject('insert-skipped', [])
    const db = createDb(env.DB)
    expect(await insertPost(db, { ...newPost(project, 'post_skipped', 'slot-2', 'skipped'), skipReason: 'Nothing to post' }, [], 'Nothing to post')).toBe(true)
    expect(await rows('select status, skip_reason from posts where id = ?', 'post_skipped')).toEqual([{ status: 'skipped', skip_reason: 'Nothing to post' }])
    expect(await rows('select type, to_status, message from post_events where post_id = ?', 'post_skipped')).toEqual([{ type: 'skipped', to_status: null, message: 'Nothing to post' }])
    expect(await rows('select post_id from post_targets where post_id = ?', 'post_skipped')).toEqual([])
  })
})
