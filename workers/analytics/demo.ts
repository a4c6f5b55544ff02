/**
 * Demo history (local mode only): a project's past, as if its autopilot had run for `days` days
 * with sandbox accounts. Built with the product's own functions: the slots come from the project's
 * autopilot configuration (`nextSlots`), each post is planned by the planner (`planSlot`: clip,
 * captions, targets on the connected platforms), its metrics come from the sandbox collector at
 * each pull time of the schedule and are written by the store, and the pulls still ahead are left
 * to the scheduler. The one shortcut: past posts are not rendered; they are marked published at
 * their slot, with an event saying so.
 */
import { and, eq } from 'drizzle-orm'
import { isoAt } from '../db/time'
import type { Db } from '../db/client'
import { autopilots, metricPulls, postEvents, posts, postTargets } from '../db/schema'
import { STYLES, type AutopilotConfig } from '../domain/autopilot-config'
import { localParts, nextPull, PULL_AGES_MS } from '../domain/metrics'
import { nextSlots } from '../domain/slots'
import { connectedPlatforms } from '../db/connections'
import { planSlot } from '../scheduler/planner'
import { SandboxCollector } from './collectors'
import { recordPulls } from './store'

const DAY = 86_400_000

export async function seedDemoHistory(env: Env, db: Db, input: { projectId: string; workspaceId: string; days: number; now?: number }) {
  const now = input.now ?? Date.now()
  const row = await db.select().from(autopilots).where(eq(autopilots.projectId, input.projectId)).get()
  if (!row) throw new Error('the project has no autopilot configuration')
  const config: AutopilotConfig = row.config
  const zone = config.timezone
  const platforms = await connectedPlatforms(db, input.projectId)
  const slots = nextSlots(config, { projectId: input.projectId, after: new Date(now - input.days * DAY), count: input.days * 3 }).filter((s) => s.getTime() < now - 2 * 3600_000)
  // Plans without rendering: the render queue is a sink here.
  const sink = { RENDER_JOBS: { send: async () => {}, sendBatch: async () => {} } as unknown as Env['RENDER_JOBS'], PUBLIC_URL: env.PUBLIC_URL }
  let created = 0
  let snapshots = 0
  for (const [i, slot] of slots.entries()) {
    // Vary the style as a creator trying things would, so the breakdowns have something to show
    // (a learning autopilot's learner picks its own among those allowed).
    const learning = config.learning === 'learn'
    const plan = await planSlot({ db, env: sink, projectId: input.projectId, workspaceId: input.workspaceId, config: learning ? config : { ...config, style: STYLES[i % STYLES.length] }, connectedPlatforms: platforms }, slot)
    if (!plan.created || plan.status !== 'planned') continue
    // The post's own time: a learning autopilot's learner picks the part of the day after the slot.
    const planned = await db.select({ scheduledAt: posts.scheduledAt, style: posts.style }).from(posts).where(eq(posts.id, plan.postId)).get()
    const style = planned!.style
    const at0 = Date.parse(planned!.scheduledAt)
    if (at0 >= now - 2 * 3600_000) continue
    created++
    const publishedAt = planned!.scheduledAt
    await db.update(posts).set({ status: 'published', style, renderDurationSec: 20 + (i % 4) * 5 }).where(eq(posts.id, plan.postId)).run()
    await db.insert(postEvents).values({ postId: plan.postId, type: 'status', fromStatus: 'planned', toStatus: 'published', message: 'Demo history: published to the sandbox accounts (not rendered)', at: publishedAt }).run()
    const targets = await db.select().from(postTargets).where(eq(postTargets.postId, plan.postId)).all()
    const { weekday, hour } = localParts(zone, at0)
    for (const t of targets) {
      const remoteId = `demo-${plan.postId.slice(5)}-${t.platform}`
      await db
        .update(postTargets)
        .set({ status: 'published', remoteId, remoteUrl: `/oauth/sandbox/posts/${remoteId}`, publishedAt })
        .where(and(eq(postTargets.postId, plan.postId), eq(postTargets.platform, t.platform)))
        .run()
      const collector = new SandboxCollector(t.platform)
      const target = { postId: plan.postId, remoteId, publishedAt, style, weekday, hour, durationSec: 20 + (i % 4) * 5 }
      let index = 0
      for (; index < PULL_AGES_MS.length && at0 + PULL_AGES_MS[index] <= now; index++) {
        const at = at0 + PULL_AGES_MS[index]
        const ctx = { platform: t.platform, connectionId: '', accessToken: 'sandbox', accountId: '', now: () => at, scopes: null, accountSeed: input.projectId }
        const values = (await collector.collect([target], ctx)).get(remoteId)!
        snapshots += await recordPulls(env.DB, [{ projectId: input.projectId, postId: plan.postId, platform: t.platform, pullIndex: index, pulledAt: new Date(at).toISOString(), day: localParts(zone, at).day, style, weekday, hour, values }])
      }
      const next = nextPull(at0, index, now)
      await db
        .insert(metricPulls)
        .values({ postId: plan.postId, platform: t.platform, projectId: input.projectId, workspaceId: input.workspaceId, publishedAt, nextIndex: next?.index ?? index, nextAt: next ? isoAt(next.at) : null, lastPulledAt: new Date(now).toISOString() })
        .onConflictDoNothing()
        .run()
    }
  }
  return { posts: created, snapshots }
}
