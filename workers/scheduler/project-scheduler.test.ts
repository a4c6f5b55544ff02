import { env, runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { call, expectProblem, ownerWithProject, readyClip } from '../../test/helpers'
import { MISCONFIGURED_RETRY_MS, MISSED_GRACE_MS, RENDER_LEAD_MS, schedulerFor, type ProjectScheduler } from './project-scheduler'
import { nextSlots } from '../domain/slots'
import { autopilotConfigSchema } from '../domain/autopilot-config'

const DAY = 24 * 60 * 60_000

const config = (overrides: Record<string, unknown> = {}) => ({
  cadence: 'daily',
  language: 'fr',
  style: 'neon',
  objective: 'traffic',
  timeWindows: ['12:00-12:30'],
  timezone: 'Europe/Paris',
  ...overrides,
})

async function postsOf(projectId: string) {
  const { results } = await env.DB.prepare('select * from posts where project_id = ? order by scheduled_at').bind(projectId).all<Record<string, any>>()
  return results
}

async function tick(projectId: string, now: number) {
  return runInDurableObject(schedulerFor(env, projectId), (instance: ProjectScheduler) => instance.tick(now))
}

async function configureAt(projectId: string, workspaceId: string, now: number, overrides: Record<string, unknown> = {}) {
  const parsed = autopilotConfigSchema.parse(config(overrides))
  await env.DB.prepare(`insert or replace into autopilots (project_id, workspace_id, config, enabled) values (?, ?, ?, 1)`).bind(projectId, workspaceId, JSON.stringify(parsed)).run()
  return runInDurableObject(schedulerFor(env, projectId), (instance: ProjectScheduler) => instance.configure({ projectId, workspaceId, config: parsed, now }))
}

describe('ProjectScheduler', () => {
  it('plans the post of a slot once, ahead of it, even when the alarm runs twice', async () => {
    const { project } = await ownerWithProject()
    await readyClip(project.workspaceId, project.id, 'Pasta')
    const start = Date.parse('2037-12-01T08:00:00Z')
    await configureAt(project.id, project.workspaceId, start)
    const [slot] = nextSlots(autopilotConfigSchema.parse(config()), { projectId: project.id, after: new Date(start), count: 1 })

    // Not yet: more than the lead time before the slot.
    expect(await tick(project.id, slot.getTime() - RENDER_LEAD_MS - 60_000)).toEqual([])
    const first = await tick(project.id, slot.getTime() - RENDER_LEAD_MS + 1000)
    const again = await tick(project.id, slot.getTime() - RENDER_LEAD_MS + 2000)
    expect(first).toHaveLength(1)
    expect(again).toHaveLength(0)

    const rows = await postsOf(project.id)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ origin: 'autopilot', scheduled_at: slot.toISOString(), language: 'fr', style: 'neon', objective: 'traffic' })
    expect(['planned', 'rendering']).toContain(rows[0].status)
    expect(rows[0].caption).toContain('Lien en bio')
    const targets = await env.DB.prepare('select platform, status, marker from post_targets where post_id = ? order by platform').bind(rows[0].id).all()
    expect(targets.results.map((t: any) => t.platform)).toEqual(['instagram', 'tiktok', 'youtube'])
    expect(new Set(targets.results.map((t: any) => t.marker)).size).toBe(3)
  })

  it('replanning the same slot from two alarms at once still makes one post', async () => {
    const { project } = await ownerWithProject()
    await readyClip(project.workspaceId, project.id)
    const start = Date.parse('2037-12-01T08:00:00Z')
    await configureAt(project.id, project.workspaceId, start)
    const [slot] = nextSlots(autopilotConfigSchema.parse(config()), { projectId: project.id, after: new Date(start), count: 1 })
    const { planSlot } = await import('./planner')
    const { createDb } = await import('../db/client')
    const ctx = { db: createDb(env.DB), env, projectId: project.id, workspaceId: project.workspaceId, config: autopilotConfigSchema.parse(config()), connectedPlatforms: ['youtube', 'tiktok', 'instagram'] as const }
    const results = await Promise.all([planSlot(ctx, slot), planSlot(ctx, slot), planSlot(ctx, slot)])
    expect(new Set(results.map((r) => r.postId)).size).toBe(1)
    expect(results.filter((r) => r.created)).toHaveLength(1)
    expect(await postsOf(project.id)).toHaveLength(1)
  })

  it('a pause that arrives while an alarm is planning a slot stays paused (the alarm does not write back its old settings)', async () => {
    const { project } = await ownerWithProject()
    await readyClip(project.workspaceId, project.id)
    const start = Date.parse('2037-12-01T08:00:00Z')
    await configureAt(project.id, project.workspaceId, start)
    const [slot] = nextSlots(autopilotConfigSchema.parse(config()), { projectId: project.id, after: new Date(start), count: 1 })
    const now = slot.getTime() - RENDER_LEAD_MS + 1000
    const paused = autopilotConfigSchema.parse({ ...config(), enabled: false })
    const [planned, status] = await runInDurableObject(schedulerFor(env, project.id), async (instance: ProjectScheduler) => {
      // The alarm's tick awaits D1 while it plans; the pause (a configure) runs in between.
      const ticking = instance.tick(now)
      const pausing = instance.configure({ projectId: project.id, workspaceId: project.workspaceId, config: paused, version: 2, now })
      return [await ticking, await pausing]
    })
    expect(planned).toHaveLength(1)
    expect(status).toMatchObject({ enabled: false, alarm: null })
    const after = await runInDurableObject(schedulerFor(env, project.id), (instance: ProjectScheduler) => instance.status())
    expect(after).toMatchObject({ enabled: false, alarm: null, cursor: slot.toISOString() })
    // Resumed later, the slot already planned is not planned again.
    await runInDurableObject(schedulerFor(env, project.id), (instance: ProjectScheduler) =>
      instance.configure({ projectId: project.id, workspaceId: project.workspaceId, config: autopilotConfigSchema.parse(config()), version: 3, now: now + 1000 }),
    )
    expect(await tick(project.id, now + 2000)).toEqual([])
    expect(await postsOf(project.id)).toHaveLength(1)
  })

  it('records a skipped post with its reason when the library is empty', async () => {
    const { project } = await ownerWithProject()
    const start = Date.parse('2037-12-01T08:00:00Z')
    await configureAt(project.id, project.workspaceId, start)
    const [slot] = nextSlots(autopilotConfigSchema.parse(config()), { projectId: project.id, after: new Date(start), count: 1 })
    await tick(project.id, slot.getTime() - 1000)
    const [post] = await postsOf(project.id)
    expect(post.status).toBe('skipped')
    expect(post.skip_reason).toMatch(/no ready video clip/)
  })

  it('records a skipped post when no platform is connected, and only targets connected ones', async () => {
    const { token, project } = await ownerWithProject('unconnected', [])
    await readyClip(project.workspaceId, project.id)
    const start = Date.parse('2037-12-01T08:00:00Z')
    await configureAt(project.id, project.workspaceId, start)
    const [s1, s2] = nextSlots(autopilotConfigSchema.parse(config()), { projectId: project.id, after: new Date(start), count: 2 })
    await tick(project.id, s1.getTime() - 1000)
    expect((await postsOf(project.id))[0]).toMatchObject({ status: 'skipped', skip_reason: expect.stringMatching(/No platform is connected/) })
    const connected = await call('POST', `/projects/${project.id}/connections`, { token, body: { platform: 'tiktok', mode: 'sandbox' } })
    expect(connected.status).toBeLessThan(300)
    await readyClip(project.workspaceId, project.id)
    await tick(project.id, s2.getTime() - 1000)
    const second = (await postsOf(project.id))[1]
    const targets = await env.DB.prepare('select platform from post_targets where post_id = ?').bind(second.id).all()
    expect(targets.results.map((t: any) => t.platform)).toEqual(['tiktok'])
  })

  it('picks the least recently used clip and never the same one twice in a row', async () => {
    const { project } = await ownerWithProject()
    const a = await readyClip(project.workspaceId, project.id, 'A')
    const b = await readyClip(project.workspaceId, project.id, 'B')
    await readyClip(project.workspaceId, project.id, 'a picture', 'image')
    const start = Date.parse('2037-12-01T08:00:00Z')
    await configureAt(project.id, project.workspaceId, start)
    const slots = nextSlots(autopilotConfigSchema.parse(config()), { projectId: project.id, after: new Date(start), count: 4 })
    for (const slot of slots) await tick(project.id, slot.getTime() - 1000)
    const used = (await postsOf(project.id)).map((p) => p.media_id)
    expect(used).toEqual([a, b, a, b])
  })

  it('after downtime, records the missed slots as skipped and posts the next one on time', async () => {
    const { project } = await ownerWithProject()
    await readyClip(project.workspaceId, project.id)
    await readyClip(project.workspaceId, project.id)
    const start = Date.parse('2037-12-01T08:00:00Z')
    await configureAt(project.id, project.workspaceId, start)
    const [s1, s2, s3] = nextSlots(autopilotConfigSchema.parse(config()), { projectId: project.id, after: new Date(start), count: 3 })
    // The alarm for s1 only fires two days late, an hour after s2.
    const late = s2.getTime() + 60 * 60_000
    expect(late - s1.getTime()).toBeGreaterThan(DAY)
    await tick(project.id, late)
    let rows = await postsOf(project.id)
    expect(rows.map((r) => r.status)).toEqual(['skipped', 'skipped'])
    expect(rows[0].skip_reason).toMatch(/Missed/)
    // The next alarm is set for s3's planning time, and s3 is planned on time.
    const status = await schedulerFor(env, project.id).status()
    expect(status.alarm).toBe(new Date(s3.getTime() - RENDER_LEAD_MS).toISOString())
    await tick(project.id, s3.getTime() - RENDER_LEAD_MS)
    rows = await postsOf(project.id)
    expect(rows).toHaveLength(3)
    expect(rows[2].scheduled_at).toBe(s3.toISOString())
    expect(['planned', 'rendering']).toContain(rows[2].status)
  })

  it('posts a slot that is late by less than the grace period instead of skipping it', async () => {
    const { project } = await ownerWithProject()
    await readyClip(project.workspaceId, project.id)
    const start = Date.parse('2037-12-01T08:00:00Z')
    await configureAt(project.id, project.workspaceId, start)
    const [slot] = nextSlots(autopilotConfigSchema.parse(config()), { projectId: project.id, after: new Date(start), count: 1 })
    await tick(project.id, slot.getTime() + MISSED_GRACE_MS - 60_000)
    const [post] = await postsOf(project.id)
    expect(post.status).not.toBe('skipped')
  })

  it('fires for real through its alarm', async () => {
    const { project } = await ownerWithProject()
    await readyClip(project.workspaceId, project.id)
    // A window starting now: its slot is within the lead time, so the alarm is due at once.
    const now = new Date()
    const hhmm = (d: Date) => `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`
    const from = new Date(now.getTime() + 2 * 60_000)
    const to = new Date(now.getTime() + 4 * 60_000)
    await configureAt(project.id, project.workspaceId, now.getTime(), { timezone: 'UTC', timeWindows: [`${hhmm(from)}-${hhmm(to)}`] })
    expect(await runDurableObjectAlarm(schedulerFor(env, project.id))).toBe(true)
    const rows = await postsOf(project.id)
    expect(rows).toHaveLength(1)
    expect(Date.parse(rows[0].scheduled_at)).toBeGreaterThan(now.getTime())
  })

  it("a deployment missing a setting: the alarm plans nothing, names the setting and rings again later; the planner refuses rather than leave the link no room", async () => {
    const { project } = await ownerWithProject()
    await readyClip(project.workspaceId, project.id)
    const now = new Date()
    const hhmm = (d: Date) => `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`
    await configureAt(project.id, project.workspaceId, now.getTime(), { timezone: 'UTC', timeWindows: [`${hhmm(new Date(now.getTime() + 2 * 60_000))}-${hhmm(new Date(now.getTime() + 4 * 60_000))}`] })
    const errors: string[] = []
    vi.spyOn(console, 'error').mockImplementation((line: unknown) => void errors.push(String(line)))
    const broken = { ...env, PUBLIC_URL: '' } as Env
    const status = await runInDurableObject(schedulerFor(env, project.id), async (instance: ProjectScheduler) => {
      // The deployment's settings as this Durable Object sees them (this.env), for one alarm.
      const held = instance as unknown as { env: Env }
      const real = held.env
      held.env = broken
      try {
        await instance.alarm()
      } finally {
        held.env = real
      }
      return instance.status()
    })
    expect(await postsOf(project.id)).toEqual([])
    expect(Date.parse(status.alarm!)).toBeGreaterThanOrEqual(now.getTime() + MISCONFIGURED_RETRY_MS)
    const line = errors.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => String(l.msg).startsWith('misconfigured'))
    expect(line).toMatchObject({ level: 'error', settings: ['PUBLIC_URL'] })

    // The planner past that check: no silent texts without the link's room, a 503 naming PUBLIC_URL and no post.
    const { planSlot } = await import('./planner')
    const { createDb } = await import('../db/client')
    const [slot] = nextSlots(autopilotConfigSchema.parse(config()), { projectId: project.id, after: now, count: 1 })
    const ctx = { db: createDb(env.DB), env: broken, projectId: project.id, workspaceId: project.workspaceId, config: autopilotConfigSchema.parse(config()), connectedPlatforms: ['youtube'] as const }
    await expect(planSlot(ctx, slot)).rejects.toMatchObject({ status: 503, extra: { setting: 'PUBLIC_URL' } })
    expect(await postsOf(project.id)).toEqual([])

    // Once the setting is there, the next ring plans the slot.
    expect(await runDurableObjectAlarm(schedulerFor(env, project.id))).toBe(true)
    expect(await postsOf(project.id)).toHaveLength(1)
  })
})

afterEach(() => vi.restoreAllMocks())

describe('autopilot API', () => {
  it('saves the configuration, answers the next slots, and arms the scheduler', async () => {
    const { token, project } = await ownerWithProject()
    const put = await call('PUT', `/autopilot/${project.id}`, { token, body: config({ timeWindows: ['22:00-01:00'], cadence: 'weekly', weekdays: ['tue', 'fri'] }) })
    expect(put.status).toBe(200)
    expect(put.json.enabled).toBe(true)
    expect(put.json.nextSlots).toHaveLength(7)
    expect(put.json.scheduler.alarm).not.toBeNull()
    expect(put.json.config).toMatchObject({ cadence: 'weekly', weekdays: ['tue', 'fri'], requireApproval: false })

    const slots = await call('GET', `/autopilot/${project.id}/slots?count=200`, { token })
    expect(slots.json.slots).toHaveLength(200)
    const times = slots.json.slots.map((s: string) => Date.parse(s))
    expect(times.every((t: number, i: number) => i === 0 || t > times[i - 1])).toBe(true)
    expect(times[0]).toBeGreaterThan(Date.now())
    expectProblem(await call('GET', `/autopilot/${project.id}/slots?count=201`, { token }), 400)
  })

  it('pauses (no alarm) and resumes (re-armed)', async () => {
    const { token, project } = await ownerWithProject()
    await call('PUT', `/autopilot/${project.id}`, { token, body: config() })
    const paused = await call('POST', `/autopilot/${project.id}/pause`, { token })
    expect(paused.json).toMatchObject({ enabled: false, nextSlots: [], scheduler: { alarm: null } })
    const resumed = await call('POST', `/autopilot/${project.id}/resume`, { token })
    expect(resumed.json.enabled).toBe(true)
    expect(resumed.json.scheduler.alarm).not.toBeNull()
  })

  it('refuses bad configurations with 400 naming the field', async () => {
    const { token, project } = await ownerWithProject()
    const bad = await call('PUT', `/autopilot/${project.id}`, { token, body: config({ timeWindows: ['12:00-14:00', '13:00-15:00'], timezone: 'Mars/Olympus' }) })
    const problem = expectProblem(bad, 400)
    const fields = problem.errors!.map((e) => e.field)
    expect(fields).toContain('timeWindows.1')
    expect(fields).toContain('timezone')
    const missing = expectProblem(await call('PUT', `/autopilot/${project.id}`, { token, body: { cadence: 'hourly' } }), 400)
    expect(missing.errors!.map((e) => e.field)).toEqual(expect.arrayContaining(['cadence', 'language', 'style', 'objective', 'timeWindows']))
    expectProblem(await call('GET', `/autopilot/${project.id}`, { token }), 404)
  })

  it('forgets the schedule when the project is deleted', async () => {
    const { token, project } = await ownerWithProject()
    await call('PUT', `/autopilot/${project.id}`, { token, body: config() })
    expect((await call('DELETE', `/projects/${project.id}`, { token })).status).toBe(204)
    const status = await schedulerFor(env, project.id).status()
    expect(status).toMatchObject({ alarm: null, cursor: null, enabled: false })
  })
})
