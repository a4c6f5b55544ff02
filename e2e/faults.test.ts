/**
 * The pipeline with its parts down, for real (#17): the built Worker with the native render
 * server beside it (e2e/worker-harness.ts). The renderer is stopped before the project's alarm
 * plans a post and stays down longer than a render message's retries (they run out into the
 * dead-letter queue); the alarm rings twice. The post must wait, saying why, never fail or be
 * planned twice; when the renderer is back, the sweeper hands it back and it renders and
 * publishes once on each platform.
 */
import { describe, expect, test } from 'vitest'
import { autopilotConfigSchema } from '../workers/domain/autopilot-config'
import { nextSlots } from '../workers/domain/slots'
import { schedulerOf, until, windowOpenedTenMinutesAgo, workerSuite, type RunningWorker } from './worker-harness'

let w: RunningWorker
let token: string
let workspaceId: string
let projectId: string

/**
 * A Worker beside the product's whose ProjectScheduler answers every call with an error: the
 * scheduler's binding pointed at it is a scheduler that cannot be reached (workerd refuses a
 * binding to a Worker that does not exist, and the harness cannot add one to a running server).
 */
const SCHEDULER_DOWN = {
  name: 'reelpilot-scheduler-down',
  durableObjects: ['ProjectScheduler'],
  code: `import { DurableObject } from 'cloudflare:workers'
export class ProjectScheduler extends DurableObject {
  configure() { throw new Error('the scheduler is down') }
  status() { throw new Error('the scheduler is down') }
  clear() { throw new Error('the scheduler is down') }
  scheduleMetrics() { throw new Error('the scheduler is down') }
}
export default { fetch: () => new Response('down', { status: 503 }) }
`,
}

workerSuite('faults', { renderRetries: 2, beside: [SCHEDULER_DOWN], clipSeconds: 4, platforms: ['youtube', 'tiktok'], ready: (s) => void ({ w, token, workspaceId, projectId } = s) })

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

describe('the scheduler down, then back', () => {
  test('a save answers 202 and is kept; once the scheduler is back the sweeper hands it over and the next slot is planned once', async () => {
    const before = (await w.env.DB.prepare('select count(*) as n from posts where project_id = ?').bind(projectId).first<{ n: number }>())!.n
    const saves = async () => (await w.env.DB.prepare(`select count(*) as n from audit_log where target_id = ? and action = 'autopilot.updated'`).bind(projectId).first<{ n: number }>())!.n
    const savesBefore = await saves()
    // The Worker reloaded with the scheduler's binding pointing at SCHEDULER_DOWN: each call to the
    // project's Durable Object fails, as when it cannot be reached, and the real scheduler (its
    // storage kept) rings no alarm.
    await w.reconfigure((config) => {
      for (const binding of config.durable_objects.bindings) if (binding.name === 'PROJECT_SCHEDULER') binding.script_name = SCHEDULER_DOWN.name
    })

    // A window opening in two minutes: its slot is within the render lead time, so a scheduler
    // that takes these settings plans it at once.
    const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 16)
    const opens = Math.ceil((Date.now() + 2 * 60_000) / 60_000) * 60_000
    const config = { ...windowOpenedTenMinutesAgo(Date.now()), timeWindows: [`${hhmm(opens)}-${hhmm(opens + 60_000)}`], requireApproval: true }
    const put = await w.api('PUT', `/autopilot/${projectId}`, { token, body: config })
    expect(put.status, put.text).toBe(202)
    expect(put.json.scheduler).toMatchObject({ reachable: false, applied: false, note: expect.stringMatching(/^Saved, but not in effect yet/) })
    // Nothing lost: the settings are saved (a version the scheduler has not taken yet), with their audit entry.
    const row = await w.env.DB.prepare('select config, config_version, applied_version from autopilots where project_id = ?').bind(projectId).first<{ config: string; config_version: number; applied_version: number }>()
    expect(JSON.parse(row!.config).timeWindows).toEqual(config.timeWindows)
    expect(row!.applied_version).toBeLessThan(row!.config_version)
    expect(await saves()).toBe(savesBefore + 1)
    // The sweeper runs during the outage: it cannot hand them over yet, and nothing is planned.
    await w.scheduled()
    expect((await w.env.DB.prepare('select applied_version from autopilots where project_id = ?').bind(projectId).first<{ applied_version: number }>())!.applied_version).toBe(row!.applied_version)
    expect((await w.env.DB.prepare('select count(*) as n from posts where project_id = ?').bind(projectId).first<{ n: number }>())!.n).toBe(before)

    // The scheduler is back (the Worker as built, its storage kept). The next sweep hands the
    // settings over; the scheduler plans the new window's slot, once, however often it is asked.
    await w.reconfigure()
    await w.scheduled()
    const back = (await w.api('GET', `/autopilot/${projectId}`, { token })).json
    expect(back.scheduler).toMatchObject({ reachable: true, applied: true, note: null })
    const [slot] = nextSlots(autopilotConfigSchema.parse(config), { projectId, after: new Date(), count: 1 })
    const planned = await until(
      'the scheduler to plan the new slot',
      async () => (await w.env.DB.prepare('select id, scheduled_at from posts where project_id = ? and scheduled_at = ?').bind(projectId, slot.toISOString()).all()).results,
      (rows) => rows.length > 0,
      60_000,
    )
    expect(planned).toHaveLength(1)
    await w.scheduled()
    await scheduler(projectId).tick(Date.now())
    expect((await w.env.DB.prepare('select count(*) as n from posts where project_id = ?').bind(projectId).first<{ n: number }>())!.n).toBe(before + 1)
    expect((await scheduler(projectId).status()).nextSlot).not.toBe(slot.toISOString())
  }, 300_000)
})
