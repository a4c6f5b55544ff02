/**
 * Saving the autopilot when its scheduler (the project's Durable Object) cannot be reached (#17):
 * the save stands in D1 with its audit entry, the answer is a 202 saying the settings are not in
 * effect yet, and the sweeper hands them to the scheduler once it answers. A failed write leaves
 * neither the change nor its audit entry.
 */
import { createExecutionContext, env, waitOnExecutionContext } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import worker from '../index'
import { call, ownerWithProject } from '../../test/helpers'
import { schedulerFor } from '../scheduler/project-scheduler'
import { reconcileSchedulers } from '../sweeper/schedulers'

const CONFIG = { cadence: 'daily', language: 'en', style: 'minimal', objective: 'awareness', timezone: 'UTC', timeWindows: ['12:00-13:00'] }

/** A scheduler namespace whose objects fail every call, as an unreachable Durable Object does. */
const downNamespace = {
  idFromName: (name: string) => env.PROJECT_SCHEDULER.idFromName(name),
  get: () =>
    new Proxy({}, { get: (_t, key) => (key === 'then' ? undefined : () => Promise.reject(new Error('Network connection lost.'))) }),
} as unknown as DurableObjectNamespace

/** Calls the API with the scheduler down. */
async function callDown(method: string, path: string, token: string, body?: unknown) {
  const ctx = createExecutionContext()
  const res = await worker.fetch(
    new Request(`https://reelpilot.test/api${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    }),
    { ...env, PROJECT_SCHEDULER: downNamespace },
    ctx,
  )
  await waitOnExecutionContext(ctx)
  return { status: res.status, json: (await res.json()) as any }
}

const auditActions = async (projectId: string) =>
  (await env.DB.prepare('select action from audit_log where target_id = ? order by rowid').bind(projectId).all<{ action: string }>()).results.map((r) => r.action)

describe('the autopilot with its scheduler down', () => {
  it('saves, answers 202 with a note, and the sweeper applies the settings when the scheduler is back', async () => {
    const { token, project } = await ownerWithProject('sched-down', ['tiktok'])
    const put = await callDown('PUT', `/autopilot/${project.id}`, token, CONFIG)
    expect(put.status, JSON.stringify(put.json)).toBe(202)
    expect(put.json.config.timeWindows).toEqual(['12:00-13:00'])
    expect(put.json.scheduler).toMatchObject({ reachable: false, applied: false, alarm: null, nextSlot: null })
    expect(put.json.scheduler.note).toMatch(/not in effect yet: the scheduler .* could not be reached/)
    // The save and its audit entry are in D1; the scheduler holds nothing yet.
    expect(await auditActions(project.id)).toEqual(['autopilot.updated'])
    expect((await schedulerFor(env, project.id).status()).enabled).toBe(false)
    const seen = await call('GET', `/autopilot/${project.id}`, { token })
    expect(seen.json.scheduler).toMatchObject({ reachable: true, applied: false })

    // Pausing while it is down is saved too (one version later).
    const paused = await callDown('POST', `/autopilot/${project.id}/pause`, token)
    expect(paused.status).toBe(202)
    expect(paused.json.enabled).toBe(false)
    const resumed = await callDown('POST', `/autopilot/${project.id}/resume`, token)
    expect(resumed.status).toBe(202)
    expect(await auditActions(project.id)).toEqual(['autopilot.updated', 'autopilot.paused', 'autopilot.resumed'])

    // The scheduler answers again: the sweeper hands over the latest save, once.
    const swept = await reconcileSchedulers(env)
    expect(swept.applied).toBeGreaterThanOrEqual(1)
    const status = await schedulerFor(env, project.id).status()
    expect(status.enabled).toBe(true)
    expect(status.alarm).not.toBeNull()
    const after = await call('GET', `/autopilot/${project.id}`, { token })
    expect(after.status).toBe(200)
    expect(after.json.scheduler).toMatchObject({ reachable: true, applied: true, note: null, nextSlot: status.nextSlot })
    const row = await env.DB.prepare('select config_version, applied_version from autopilots where project_id = ?').bind(project.id).first()
    expect(row).toEqual({ config_version: 3, applied_version: 3 })
    // Nothing left for the next sweep of this project.
    await reconcileSchedulers(env)
    expect(await env.DB.prepare('select applied_version from autopilots where project_id = ?').bind(project.id).first()).toEqual({ applied_version: 3 })
  })

  it('a save with the scheduler up is in effect at once (200); an older version never replaces a newer one', async () => {
    const { token, project } = await ownerWithProject('sched-up', ['tiktok'])
    const put = await call('PUT', `/autopilot/${project.id}`, { token, body: CONFIG })
    expect(put.status, put.text).toBe(200)
    expect(put.json.scheduler).toMatchObject({ reachable: true, applied: true, note: null })
    const second = await call('PUT', `/autopilot/${project.id}`, { token, body: { ...CONFIG, timeWindows: ['18:00-19:00'] } })
    expect(second.json.scheduler.applied).toBe(true)
    // A late hand-over of version 1 (a sweep that raced the second save) changes nothing.
    const late = await schedulerFor(env, project.id).configure({ projectId: project.id, workspaceId: project.workspaceId, config: { ...second.json.config, timeWindows: ['12:00-13:00'] }, version: 1 })
    expect(late.nextSlot!.slice(11, 13)).toBe('18')
  })

  it('a save whose audit entry cannot be written leaves neither the change nor the entry', async () => {
    const { token, project } = await ownerWithProject('audit-fails', ['tiktok'])
    expect((await call('PUT', `/autopilot/${project.id}`, { token, body: CONFIG })).status).toBe(200)
    await env.DB.prepare(`create trigger audit_down before insert on audit_log when new.target_id = '${project.id}' begin select raise(abort, 'audit log down'); end`).run()
    try {
      const put = await call('PUT', `/autopilot/${project.id}`, { token, body: { ...CONFIG, timeWindows: ['18:00-19:00'] } })
      expect(put.status).toBe(500)
    } finally {
      await env.DB.prepare('drop trigger audit_down').run()
    }
    const row = await env.DB.prepare('select config, config_version from autopilots where project_id = ?').bind(project.id).first<{ config: string; config_version: number }>()
    expect(JSON.parse(row!.config).timeWindows).toEqual(['12:00-13:00'])
    expect(row!.config_version).toBe(1)
    expect(await auditActions(project.id)).toEqual(['autopilot.updated'])
  })
})
