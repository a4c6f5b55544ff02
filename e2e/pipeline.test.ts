/**
 * One post through the whole pipeline, for real: the project's scheduler runs its alarm, the
 * post is planned with a clip from the library, the render-jobs consumer has the native render
 * server render it (reading and writing R2 through signed URLs on the Worker's real port), and the
 * publish-jobs consumer publishes it to the sandbox platforms. Then every message is delivered
 * again, and nothing is done twice.
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
  dir = mkdtempSync(join(tmpdir(), 'reelpilot-pipeline-'))
  w = await startWorker()
  token = await w.tokenFor(`${unique('pipeline')}@example.com`)
  workspaceId = (await w.api('POST', '/workspaces', { token, body: { name: 'Pipeline', slug: unique('pipe').toLowerCase() } })).json.id
  projectId = (await w.api('POST', '/projects', { token, body: { workspaceId, name: 'Cooking' } })).json.id

  // A 12 s landscape clip with sound, uploaded and probed like any creator's clip: its render
  // runs long enough (several seconds) for the consumer's progress writes (every 3 s) to show.
  const clip = join(dir, 'clip.mp4')
  execFileSync(ffmpegPath(), ['-v', 'error', '-y', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=30', '-f', 'lavfi', '-i', 'sine=frequency=330:sample_rate=48000', '-t', '12', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', clip])
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

describe('the pipeline of one post', () => {
  test('alarm → plan → render → publish, and every repeated message changes nothing', async () => {
    // A window that opened ten minutes ago: its slot is late, but within the grace period, so the
    // alarm plans it and it publishes at once instead of waiting for tomorrow.
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
