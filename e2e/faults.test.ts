/**
 * The pipeline with its parts down, for real (#17): the built Worker with the native render
 * server beside it (e2e/worker-harness.ts). The renderer is stopped before the project's alarm
 * plans a post and stays down longer than a render message's retries (they run out into the
 * dead-letter queue); the alarm rings twice. The post must wait, saying why, never fail or be
 * planned twice; when the renderer is back, the sweeper hands it back and it renders and
 * publishes once on each platform.
 */
import { describe, expect, test } from 'vitest'
import { nextSlots } from '../workers/domain/slots'
import { schedulerOf, until, windowOpenedTenMinutesAgo, workerSuite, type RunningWorker } from './worker-harness'

let w: RunningWorker
let token: string
let workspaceId: string
let projectId: string

workerSuite('faults', { renderRetries: 2, clipSeconds: 4, platforms: ['youtube', 'tiktok'], ready: (s) => void ({ w, token, workspaceId, projectId } = s) })

const scheduler = (id: string) => schedulerOf(w, id)

describe('the renderer down, then back', () => {
  test('the post waits saying why (never failed, never planned twice), then renders and publishes once', async () => {
    await w.render.stop()
    // A window that opened ten minutes ago: within the grace period, so the alarm plans it and the
    // post may still go out for five more minutes.
    const now = Date.now()
    const config = windowOpenedTenMinutesAgo(now)
    const put = await w.api('PUT', `/autopilot/${projectId}`, { token, body: config })
    expect(put.status, put.text).toBe(200)
    const [slot] = nextSlots(config, { projectId, after: new Date(now - 11 * 60_000), count: 1 })
    // The scheduler rewound to before that slot, so its alarm rings now; then once more (a repeated alarm).
    for (const _ of [1, 2]) {
      await scheduler(projectId).clear()
      await scheduler(projectId).configure({ projectId, workspaceId, config, now: slot.getTime() - 60_000 })
      await until('the alarm to handle the slot', async () => Date.parse((await scheduler(projectId).status()).cursor!), (cursor) => cursor >= slot.getTime(), 30_000)
    }
    const listed = (await w.api('GET', `/projects/${projectId}/posts`, { token })).json.data
    expect(listed).toHaveLength(1)
    const postId = listed[0].id as string

    // The render message's retries (two here, 15 s then 30 s) run out against the stopped renderer
    // into the dead-letter queue: the post waits, and says why.
    const held = await until(
      'the dead letter to leave the post waiting',
      async () => (await w.api('GET', `/posts/${postId}`, { token })).json,
      (p) => p.status === 'failed' || p.events.some((e: any) => /^Rendering is waiting/.test(e.message)),
      120_000,
    )
    expect(held.status, JSON.stringify(held, null, 1)).not.toBe('failed')
    expect(['planned', 'rendering']).toContain(held.status)
    // A refused connection: `did not answer` on Cloudflare; Miniflare's loopback answers it with a 500 of its own.
    expect(held.error).toMatch(/^The render server (did not answer|answered 500: TypeError: fetch failed)/)
    expect(held.events.find((e: any) => /^Rendering is waiting/.test(e.message)).message).toMatch(/^Rendering is waiting \(The render server (did not answer|answered 500)[^]*\); it is tried again every 15 minutes until /)
    expect((await w.api('GET', `/projects/${projectId}/posts`, { token })).json.data).toHaveLength(1)

    // The renderer is back; a quarter of an hour later the sweeper hands the post back.
    await w.render.start()
    await w.env.DB.prepare('update posts set updated_at = ?, lease_until = null where id = ?').bind(new Date(Date.now() - 16 * 60_000).toISOString(), postId).run()
    await w.scheduled()
    const post = await until('the post to be published', async () => (await w.api('GET', `/posts/${postId}`, { token })).json, (p) => ['published', 'failed', 'skipped'].includes(p.status), 180_000)
    expect(post.status, JSON.stringify(post, null, 1)).toBe('published')
    expect(post.error).toBeNull()
    expect(post.targets.map((t: any) => [t.platform, t.status, t.attempt])).toEqual([
      ['tiktok', 'published', 1],
      ['youtube', 'published', 1],
    ])
    const rows = await w.env.DB.prepare('select count(*) as n from posts where project_id = ?').bind(projectId).first<{ n: number }>()
    expect(rows).toEqual({ n: 1 })
    // Each platform holds the post once (the sandbox's posts, found by the targets' markers).
    const copies = await w.env.DB.prepare('select platform, count(*) as n from sandbox_posts where marker in (select marker from post_targets where post_id = ?) group by platform order by platform').bind(postId).all<{ platform: string; n: number }>()
    expect(copies.results).toEqual([
      { platform: 'tiktok', n: 1 },
      { platform: 'youtube', n: 1 },
    ])
  }, 300_000)
})
