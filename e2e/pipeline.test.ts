/**
 * One post through the whole pipeline, for real: the project's scheduler runs its alarm, the
 * post is planned with a clip from the library, the render-jobs consumer has the native render
 * server render it (reading and writing R2 through signed URLs on the Worker's real port), and the
 * publish-jobs consumer publishes it to the sandbox platforms. Then every message is delivered
 * again, and nothing is done twice.
 */
import { describe, expect, test } from 'vitest'
import { nextSlots } from '../workers/domain/slots'
import { schedulerOf, until, windowOpenedTenMinutesAgo, workerSuite, type RunningWorker } from './worker-harness'

let w: RunningWorker
let token: string
let workspaceId: string
let projectId: string

// A 12 s landscape clip with sound, uploaded and probed like any creator's clip: its render
// runs long enough (several seconds) for the consumer's progress writes (every 3 s) to show.
workerSuite('pipeline', { clipSeconds: 12, platforms: ['youtube', 'tiktok'], ready: (s) => void ({ w, token, workspaceId, projectId } = s) })

const scheduler = (id: string) => schedulerOf(w, id)

describe('the pipeline of one post', () => {
  test('alarm → plan → render → publish, and every repeated message changes nothing', async () => {
    // A window that opened ten minutes ago: its slot is late, but within the grace period, so the
    // alarm plans it and it publishes at once instead of waiting for tomorrow.
    const now = Date.now()
    const config = windowOpenedTenMinutesAgo(now)
    const put = await w.api('PUT', `/autopilot/${projectId}`, { token, body: config })
    expect(put.status, put.text).toBe(200)
    const [slot] = nextSlots(config, { projectId, after: new Date(now - 11 * 60_000), count: 1 })
    expect(slot.getTime()).toBeLessThan(now)
    // Rewind the scheduler to just before that slot, as if its alarm had been due then: the
    // alarm is set for now, and Miniflare fires it.
    await scheduler(projectId).clear()
    await scheduler(projectId).configure({ projectId, workspaceId, config, now: slot.getTime() - 60_000 })
    const listed = await until(
      'the alarm to plan the post',
      async () => (await w.api('GET', `/projects/${projectId}/posts`, { token })).json.data,
      (data) => data.length > 0,
      30_000,
    )
    expect(listed).toHaveLength(1)
    const postId = listed[0].id

    // While it renders, the timeline shows how far it has come.
    const progress: number[] = []
    const post = await until(
      'the post to be published',
      async () => {
        const p = (await w.api('GET', `/posts/${postId}`, { token })).json
        if (p.status === 'rendering' && p.renderProgress !== null) progress.push(p.renderProgress)
        return p
      },
      (p) => ['published', 'failed', 'skipped'].includes(p.status),
      180_000,
    )
    // The consumer writes progress every 3 s while the render runs (the clip renders for longer).
    expect(progress.length, 'progress seen while rendering').toBeGreaterThan(0)
    expect(progress.every((f, i) => f >= 0 && f <= 1 && (i === 0 || f >= progress[i - 1]))).toBe(true)
    expect(post.renderProgress).toBe(1)
    expect(post.status, JSON.stringify(post, null, 1)).toBe('published')
    expect(post.scheduledAt).toBe(slot.toISOString())
    expect(post.render).toMatchObject({ width: 1080, height: 1920 })
    expect(post.render.duration).toBeGreaterThan(3.5)
    expect(post.targets.map((t: any) => [t.platform, t.status, t.attempt])).toEqual([
      ['tiktok', 'published', 1],
      ['youtube', 'published', 1],
    ])
    // The sandbox's page for each published post answers (it plays the video).
    for (const t of post.targets) expect((await fetch(new URL(t.remoteUrl, w.url('/')))).status).toBe(200)
    const path = post.events.filter((e: any) => e.type === 'status').map((e: any) => e.to)
    expect(path).toEqual(['planned', 'rendering', 'rendered', 'scheduled', 'publishing', 'published'])

    // The rendered video is in R2 where the post says, and is what the render server hashed.
    const video = await fetch(post.render.videoUrl)
    expect(video.status).toBe(200)
    const bytes = new Uint8Array(await video.arrayBuffer())
    expect(bytes.length).toBe(post.render.size)
    const { createHash } = await import('node:crypto')
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(post.render.sha256)

    // Every message again, and the alarm again over the same slot (the scheduler rewound to before
    // it, as a restored or re-delivered alarm would be): still one post, one render, one
    // publication each.
    await scheduler(projectId).clear()
    const rewound = await scheduler(projectId).configure({ projectId, workspaceId, config, now: slot.getTime() - 60_000 })
    expect(Date.parse(rewound.cursor!)).toBeLessThan(slot.getTime())
    expect(rewound.nextSlot).toBe(slot.toISOString())
    await until(
      'the alarm to handle the slot again',
      async () => Date.parse((await scheduler(projectId).status()).cursor!),
      (cursor) => cursor >= slot.getTime(),
      30_000,
    )
    await w.env.RENDER_JOBS.send({ postId })
    for (const t of post.targets) await w.env.PUBLISH_JOBS.send({ postId, platform: t.platform, kind: 'publish' })
    // Let the consumers take those messages (batch timeout 5 s), then compare.
    await new Promise((r) => setTimeout(r, 8000))
    const after = (await w.api('GET', `/posts/${postId}`, { token })).json
    expect(after.status).toBe('published')
    expect(after.targets.map((t: any) => [t.platform, t.remoteId, t.attempt])).toEqual(post.targets.map((t: any) => [t.platform, t.remoteId, 1]))
    expect(after.events.length).toBe(post.events.length)
    const rows = await w.env.DB.prepare('select count(*) as n, max(render_attempts) as renders from posts where project_id = ?').bind(projectId).first<{ n: number; renders: number }>()
    expect(rows).toEqual({ n: 1, renders: 1 })
  }, 300_000)
})
