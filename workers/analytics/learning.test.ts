/**
 * The learning autopilot in the Worker: 40 days of demo history on sandbox accounts (the planner's
 * posts, the sandbox model's metrics at each pull), then the planner asks the learner when it
 * plans a slot, stores the choice and its reason, and the evidence endpoint shows what it knows.
 */
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { call, ownerWithProject, readyClip } from '../../test/helpers'
import { createDb } from '../db/client'
import { connectedPlatforms } from '../db/connections'
import { armsFor } from '../domain/learning'
import { isWithinWindows, nextSlots, slotKey } from '../domain/slots'
import { timeZoneRules } from '../domain/time-zone-rules'
import { learnedChoice, planSlot } from '../scheduler/planner'

const CONFIG = { cadence: 'daily', language: 'en', style: 'neon', objective: 'awareness', timeWindows: ['12:00-14:00', '19:00-20:00'], timezone: 'Europe/Paris', enabled: false }
const sink = { RENDER_JOBS: { send: async () => {}, sendBatch: async () => {} } as unknown as Env['RENDER_JOBS'], PUBLIC_URL: env.PUBLIC_URL }

async function projectWithHistory() {
  const { token, project } = await ownerWithProject('learner')
  for (let i = 0; i < 3; i++) await readyClip(project.workspaceId, project.id, `Clip ${i}`)
  expect((await call('PUT', `/autopilot/${project.id}`, { token, body: CONFIG })).status).toBe(200)
  const history = await call('POST', '/dev/demo-history', { token, body: { projectId: project.id, days: 40 } })
  expect(history.status, history.text).toBe(200)
  return { token, project }
}

describe('the learning autopilot', () => {
  it('plans with the learner when learning: a style among those allowed, with its reason on the post; the same slot twice is the same post', async () => {
    const { token, project } = await projectWithHistory()
    const config = { ...CONFIG, stylesAllowed: ['neon', 'minimal', 'corporate'], learning: 'learn' }
    expect((await call('PUT', `/autopilot/${project.id}`, { token, body: config })).status).toBe(200)
    const parsed = (await call('GET', `/autopilot/${project.id}`, { token })).json.config
    const db = createDb(env.DB)
    const ctx = { db, env: sink, projectId: project.id, workspaceId: project.workspaceId, config: parsed, connectedPlatforms: await connectedPlatforms(db, project.id) }
    const slots = nextSlots(parsed, { projectId: project.id, after: new Date(Date.now() + 86_400_000), count: 4 })
    const arms = armsFor(parsed)
    const parts = new Set<string>()
    for (const slot of slots) {
      const first = await planSlot(ctx, slot)
      const again = await planSlot(ctx, slot)
      expect(again).toMatchObject({ postId: first.postId, created: false })
      const post = (await call('GET', `/posts/${first.postId}`, { token })).json
      expect(config.stylesAllowed).toContain(post.style)
      expect(post.choiceReason).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d:\d\d-\d\d:\d\d, (neon|minimal|corporate): /)
      // From results, exploring, or an arm nobody tried yet that the results do not rule out
      // (which slots land on untried arms depends on the day the test runs).
      expect(post.choiceReason).toMatch(/× your median views over \d+ posts|exploring|no result yet for this choice, and none of those tried here is ahead of it/)
      expect(post.choiceReason).not.toMatch(/no result yet for any choice/)
      // The learner chose the part of the day: the post goes out at a minute of its arm's part,
      // inside the creator's windows, never before the slot (the start of the day's first window).
      const row = await env.DB.prepare('select choice_arm, scheduled_at from posts where id = ?').bind(first.postId).first<{ choice_arm: string; scheduled_at: string }>()
      const arm = arms.find((a) => a.key === row!.choice_arm)!
      expect(arm.style).toBe(post.style)
      const rules = timeZoneRules(parsed.timezone)
      expect(rules.toWall(slot.getTime()) % 86_400_000).toBe(12 * 3600_000)
      const at = Date.parse(row!.scheduled_at)
      expect(at).toBeGreaterThanOrEqual(slot.getTime())
      expect(post.scheduledAt).toBe(row!.scheduled_at)
      const wall = new Date(rules.toWall(at))
      expect(wall.toISOString().slice(0, 10)).toBe(new Date(rules.toWall(slot.getTime())).toISOString().slice(0, 10))
      const minute = wall.getUTCHours() * 60 + wall.getUTCMinutes()
      expect(minute >= arm.window.start && minute < arm.window.end).toBe(true)
      expect(isWithinWindows(parsed, new Date(at))).toBe(true)
      // It is the learner's choice for that slot, among every part of the day.
      const learned = await learnedChoice(ctx, slot, slotKey(slot), ctx.connectedPlatforms)
      expect(learned!.arm.key).toBe(arm.key)
      expect(learned!.at.toISOString()).toBe(row!.scheduled_at)
      parts.add(arm.part)
    }
  })

  it('shows the evidence: each arm per platform with its posts, pending ones apart, mean and interval, and the next slots with their reasons', async () => {
    const { token, project } = await projectWithHistory()
    const locked = (await call('GET', `/autopilot/${project.id}/learning`, { token })).json
    expect(locked.mode).toBe('locked')
    expect(locked.rewardAgeHours).toBe(72)
    // Locked with one style: the arms are the window parts alone (two of 1 h, one of 1 h).
    expect(locked.platforms.map((p: any) => p.platform).sort()).toEqual(['instagram', 'tiktok', 'youtube'])
    expect(locked.platforms[0].arms.map((a: any) => a.key)).toEqual(['12:00-13:00|neon', '13:00-14:00|neon', '19:00-20:00|neon'])

    await call('PUT', `/autopilot/${project.id}`, { token, body: { ...CONFIG, enabled: true, stylesAllowed: ['neon', 'minimal', 'corporate'], learning: 'learn' } })
    const learning = await call('GET', `/autopilot/${project.id}/learning`, { token })
    expect(learning.status, learning.text).toBe(200)
    const tiktok = learning.json.platforms.find((p: any) => p.platform === 'tiktok')
    expect(tiktok.arms).toHaveLength(9)
    // The demo posts were planned over the three styles: every style has results.
    for (const style of ['neon', 'minimal', 'corporate']) expect(tiktok.arms.filter((a: any) => a.style === style).reduce((n: number, a: any) => n + a.posts - a.pending, 0)).toBeGreaterThan(0)
    // The last few days' posts have no 3-day result yet: pending, not zero.
    expect(tiktok.arms.reduce((n: number, a: any) => n + a.pending, 0)).toBeGreaterThan(0)
    for (const a of tiktok.arms) {
      expect(a.low).toBeLessThanOrEqual(a.ratio)
      expect(a.ratio).toBeLessThanOrEqual(a.high)
    }
    expect(learning.json.nextSlots).toHaveLength(3)
    for (const s of learning.json.nextSlots) expect(s.reason).toMatch(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d\d:\d\d-\d\d:\d\d, \w+: /)

    // Outsiders see nothing.
    const other = await ownerWithProject('outsider')
    expect((await call('GET', `/autopilot/${project.id}/learning`, { token: other.token })).status).toBe(404)
  })

  it('changes nothing when locked: the configured style, no reason', async () => {
    const { token, project } = await projectWithHistory()
    await call('PUT', `/autopilot/${project.id}`, { token, body: { ...CONFIG, stylesAllowed: ['neon', 'minimal', 'corporate'], learning: 'locked' } })
    const parsed = (await call('GET', `/autopilot/${project.id}`, { token })).json.config
    const db = createDb(env.DB)
    const ctx = { db, env: sink, projectId: project.id, workspaceId: project.workspaceId, config: parsed, connectedPlatforms: await connectedPlatforms(db, project.id) }
    for (const slot of nextSlots(parsed, { projectId: project.id, after: new Date(Date.now() + 86_400_000), count: 3 })) {
      const planned = await planSlot(ctx, slot)
      const post = (await call('GET', `/posts/${planned.postId}`, { token })).json
      expect(post).toMatchObject({ style: 'neon', choiceReason: null })
    }
  })
})
