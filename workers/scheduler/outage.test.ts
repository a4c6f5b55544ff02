/**
 * The scheduler (the project's Durable Object) down for two days, then back (#17): a post planned
 * before the outage is kept as it was (not lost, not planned again); a configuration saved during
 * the outage is saved (202) and taken when the scheduler is back; the slots of the outage are
 * recorded as missed, whichever comes first, the overdue alarm or the sweeper's hand-over; the
 * next slot is planned on time with the new settings, once, however often the alarm rings.
 */
import { createExecutionContext, env, runInDurableObject, waitOnExecutionContext } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import worker from '../index'
import { ownerWithProject, readyClip } from '../../test/helpers'
import { RENDER_LEAD_MS, schedulerFor, type ProjectScheduler } from './project-scheduler'
import { nextSlots } from '../domain/slots'
import { autopilotConfigSchema } from '../domain/autopilot-config'
import { reconcileSchedulers } from '../sweeper/schedulers'

const CONFIG = autopilotConfigSchema.parse({ cadence: 'daily', language: 'fr', style: 'neon', objective: 'traffic', timeWindows: ['12:00-12:30'], timezone: 'Europe/Paris' })
const START = Date.parse('2026-12-01T08:00:00Z')

const down = {
  idFromName: (name: string) => env.PROJECT_SCHEDULER.idFromName(name),
  get: () => new Proxy({}, { get: (_t, key) => (key === 'then' ? undefined : () => Promise.reject(new Error('Network connection lost.'))) }),
} as unknown as DurableObjectNamespace

async function putWhileDown(token: string, projectId: string, body: unknown) {
  const ctx = createExecutionContext()
  const res = await worker.fetch(
    new Request(`https://reelpilot.test/api/autopilot/${projectId}`, { method: 'PUT', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    { ...env, PROJECT_SCHEDULER: down },
    ctx,
  )
  await waitOnExecutionContext(ctx)
  return { status: res.status, json: (await res.json()) as any }
}

const tick = (projectId: string, now: number) => runInDurableObject(schedulerFor(env, projectId), (s: ProjectScheduler) => s.tick(now))

async function postsOf(projectId: string) {
  return (await env.DB.prepare('select id, slot_key, scheduled_at, status, style, skip_reason from posts where project_id = ? order by scheduled_at').bind(projectId).all<Record<string, any>>()).results
}

/** A project whose autopilot (version 1) is in D1 and in its scheduler since START, with the post of the first slot planned. */
async function plannedBeforeOutage(label: string) {
  const { token, project } = await ownerWithProject(label)
  await readyClip(project.workspaceId, project.id)
  await readyClip(project.workspaceId, project.id)
  await env.DB.prepare('insert into autopilots (project_id, workspace_id, config, enabled, config_version, applied_version) values (?, ?, ?, 1, 1, 1)').bind(project.id, project.workspaceId, JSON.stringify(CONFIG)).run()
  await schedulerFor(env, project.id).configure({ projectId: project.id, workspaceId: project.workspaceId, config: CONFIG, version: 1, now: START })
  const [s1, s2, s3, s4] = nextSlots(CONFIG, { projectId: project.id, after: new Date(START), count: 4 })
  expect(await tick(project.id, s1.getTime() - RENDER_LEAD_MS + 1000)).toHaveLength(1)
  const [before] = await postsOf(project.id)
  expect(before).toMatchObject({ scheduled_at: s1.toISOString(), style: 'neon' })
  return { token, project, slots: [s1, s2, s3, s4], before }
}

/** After the outage: the first post as it was, the two outage slots missed, the next one planned once with the new style. */
async function expectCaughtUp(projectId: string, slots: Date[], before: Record<string, any>) {
  const [, , , s4] = slots
  // The alarm of s4 rings, twice.
  expect(await tick(projectId, s4.getTime() - RENDER_LEAD_MS + 1000)).toHaveLength(1)
  expect(await tick(projectId, s4.getTime() - RENDER_LEAD_MS + 2000)).toHaveLength(0)
  const rows = await postsOf(projectId)
  expect(rows.map((r) => [r.scheduled_at, r.status === 'skipped' ? 'skipped' : 'planned'])).toEqual(slots.map((s, i) => [s.toISOString(), i === 1 || i === 2 ? 'skipped' : 'planned']))
  expect(rows[0].id).toBe(before.id)
  expect(rows[0].style).toBe('neon')
  expect(rows[1].skip_reason).toMatch(/^Missed: the scheduler could not run/)
  expect(rows[2].skip_reason).toMatch(/^Missed: the scheduler could not run/)
  expect(rows[3].style).toBe('minimal')
  expect(new Set(rows.map((r) => r.slot_key)).size).toBe(4)
  // One set of targets for the post planned before the outage.
  const targets = await env.DB.prepare('select platform, count(*) as n from post_targets where post_id = ? group by platform').bind(before.id).all<{ n: number }>()
  expect(targets.results.every((t) => t.n === 1)).toBe(true)
  expect(await env.DB.prepare('select config_version, applied_version from autopilots where project_id = ?').bind(projectId).first()).toEqual({ config_version: 2, applied_version: 2 })
}

describe('the scheduler down for two days', () => {
  it('the sweeper hands the saved settings over first: the outage slots are recorded missed, the next is planned once with the new settings', async () => {
    const { token, project, slots, before } = await plannedBeforeOutage('outage-sweep')
    const saved = await putWhileDown(token, project.id, { ...CONFIG, style: 'minimal' })
    expect(saved.status).toBe(202)
    expect(saved.json.scheduler).toMatchObject({ applied: false, reachable: false })
    // Back an hour after s3: the sweep reaches it before its overdue alarm.
    const back = slots[2].getTime() + 60 * 60_000
    expect((await reconcileSchedulers(env, back)).applied).toBeGreaterThanOrEqual(1)
    expect(await postsOf(project.id)).toHaveLength(3)
    await expectCaughtUp(project.id, slots, before)
  })

  it('the overdue alarm rings first, then the sweeper hands the settings over: the same outcome', async () => {
    const { token, project, slots, before } = await plannedBeforeOutage('outage-alarm')
    expect((await putWhileDown(token, project.id, { ...CONFIG, style: 'minimal' })).status).toBe(202)
    const back = slots[2].getTime() + 60 * 60_000
    expect(await tick(project.id, back)).toHaveLength(2)
    await reconcileSchedulers(env, back + 60_000)
    await expectCaughtUp(project.id, slots, before)
  })
})
