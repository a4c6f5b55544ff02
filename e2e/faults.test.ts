/**
 * The pipeline with its parts down, for real (#17): the built Worker with the native render
 * server beside it (e2e/worker-harness.ts). The renderer is stopped before the project's alarm
 * plans a post and stays down longer than a render message's retries (they run out into the
 * dead-letter queue); the alarm rings twice. The post must wait, saying why, never fail or be
 * planned twice; when the renderer is back, the sweeper hands it back and it renders and
 * publishes once on each platform.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ffmpegPath } from '../scripts/tools.mjs'
import type { ProjectScheduler } from '../workers/scheduler/project-scheduler'
import { nextSlots } from '../workers/domain/slots'
import { autopilotConfigSchema } from '../workers/domain/autopilot-config'
import { startWorker, type RunningWorker } from './worker-harness'
import { unique } from './harness'

let w: RunningWorker
let token: string
let workspaceId: string
let projectId: string
let dir: string

const scheduler = (id: string) => {
  const ns = w.env.PROJECT_SCHEDULER as unknown as DurableObjectNamespace<ProjectScheduler>
  return ns.get(ns.idFromName(id))
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last: T = await read()
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last, null, 1).slice(0, 2000)}`)
    await new Promise((r) => setTimeout(r, 500))
    last = await read()
  }
  return last
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'reelpilot-faults-'))
  w = await startWorker({ renderRetries: 2 })
  token = await w.tokenFor(`${unique('faults')}@example.com`)
  workspaceId = (await w.api('POST', '/workspaces', { token, body: { name: 'Faults', slug: unique('faults').toLowerCase() } })).json.id
  projectId = (await w.api('POST', '/projects', { token, body: { workspaceId, name: 'Cooking' } })).json.id
  const clip = join(dir, 'clip.mp4')
  execFileSync(ffmpegPath(), ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=330:sample_rate=48000', '-t', '4', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip])
  const data = readFileSync(clip)
  const started = await w.api('POST', '/media/upload-url', { token, body: { projectId, filename: 'pasta.mp4', contentType: 'video/mp4', size: data.length } })
  expect(started.status, started.text).toBe(201)
  expect((await fetch(started.json.uploadUrl, { method: 'PUT', body: data })).status).toBe(200)
  const done = await w.api('POST', `/media/${started.json.mediaId}/complete`, { token })
  expect(done.json?.status, done.text).toBe('ready')
  for (const platform of ['youtube', 'tiktok']) {
    const connected = await w.api('POST', `/projects/${projectId}/connections`, { token, body: { platform, mode: 'sandbox' } })
    expect(connected.status, connected.text).toBeLessThan(300)
  }
}, 300_000)

afterAll(async () => {
  await w?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('the renderer down, then back', () => {
  test('the post waits saying why (never failed, never planned twice), then renders and publishes once', async () => {
    await w.render.stop()
    // A window that opened ten minutes ago: within the grace period, so the alarm plans it and the
    // post may still go out for five more minutes.
    const now = Date.now()
    const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16)
    const config = autopilotConfigSchema.parse({
      cadence: 'daily',
      language: 'en',
      style: 'neon',
      objective: 'traffic',
      timezone: 'UTC',
      timeWindows: [`${hhmm(now - 10 * 60_000)}-${hhmm(now - 9 * 60_000)}`],
      platforms: ['youtube', 'tiktok'],
    })
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
