/**
 * The learning autopilot's reads from D1 (the bandit itself is pure: `domain/learning.ts`): each
 * published post of a project on each platform, as an outcome of the arm it belongs to (its local
 * window part and style), with its result for the objective at the reward's pull — or pending
 * when that pull has not happened yet. Posts outside every arm (made by hand outside the windows,
 * a style no longer allowed) are left out.
 */
import { and, asc, eq, gte, inArray } from 'drizzle-orm'
import type { Db } from '../db/client'
import { metricSnapshots, posts, postTargets } from '../db/schema'
import { armOf, evidence, REWARD_PULL_INDEX, objectiveValue, type Arm, type ArmEvidence, type Objective, type Outcome } from '../domain/learning'
import { timeZoneRules } from '../domain/time-zone-rules'
import { PULL_AGES_MS } from '../domain/metrics'
import { clicksAtAge } from './links'
import type { Platform } from '../domain/post-state'

/** The most recent posts the learner reads. */
const HISTORY = 400

/** A project's outcomes per platform, oldest first. */
export async function learningOutcomes(db: Db, input: { projectId: string; timezone: string; arms: readonly Arm[]; objective: Objective; platforms?: readonly Platform[] }): Promise<Record<string, Outcome[]>> {
  const conditions = [eq(posts.projectId, input.projectId), eq(postTargets.status, 'published')]
  if (input.platforms?.length) conditions.push(inArray(postTargets.platform, [...input.platforms]))
  const targets = await db
    .select({ postId: posts.id, scheduledAt: posts.scheduledAt, style: posts.style, platform: postTargets.platform })
    .from(postTargets)
    .innerJoin(posts, eq(posts.id, postTargets.postId))
    .where(and(...conditions))
    .orderBy(asc(posts.scheduledAt), asc(posts.id))
    .limit(HISTORY * 3)
    .all()
  const ids = [...new Set(targets.map((t) => t.postId))]
  // The reward's pull, or the first one after it when it was skipped (a pull found late is done once).
  const snaps: { postId: string; platform: string; metric: string; value: number; pullIndex: number }[] = []
  for (let i = 0; i < ids.length; i += 90) {
    snaps.push(
      ...(await db
        .select({ postId: metricSnapshots.postId, platform: metricSnapshots.platform, metric: metricSnapshots.metric, value: metricSnapshots.value, pullIndex: metricSnapshots.pullIndex })
        .from(metricSnapshots)
        .where(and(inArray(metricSnapshots.postId, ids.slice(i, i + 90)), gte(metricSnapshots.pullIndex, REWARD_PULL_INDEX)))
        .all()),
    )
  }
  const first = new Map<string, number>()
  for (const s of snaps) {
    const key = `${s.postId}|${s.platform}`
    first.set(key, Math.min(first.get(key) ?? Infinity, s.pullIndex))
  }
  const metrics = new Map<string, Record<string, number>>()
  for (const s of snaps) {
    const key = `${s.postId}|${s.platform}`
    if (s.pullIndex !== first.get(key)) continue
    metrics.set(key, { ...metrics.get(key), [s.metric]: s.value })
  }
  // Traffic and conversion: a post's tracked-link clicks in the reward's age (the target's own link).
  const clicks = (input.objective === 'traffic' || input.objective === 'conversion') ? await clicksAtAge(db, input.projectId, PULL_AGES_MS[REWARD_PULL_INDEX]) : new Map<string, number>()
  const rules = timeZoneRules(input.timezone)
  const out: Record<string, Outcome[]> = {}
  for (const t of targets) {
    const wall = new Date(rules.toWall(Date.parse(t.scheduledAt)))
    const arm = armOf(input.arms, wall.getUTCHours() * 60 + wall.getUTCMinutes(), t.style)
    if (!arm) continue
    const m = metrics.get(`${t.postId}|${t.platform}`)
    const value = m ? objectiveValue(input.objective, m, clicks.get(`${t.postId}|${t.platform}`) ?? null) : null
    ;(out[t.platform] ??= []).push({ platform: t.platform, armKey: arm.key, weekday: (wall.getUTCDay() + 6) % 7, value })
  }
  for (const p of Object.keys(out)) out[p] = out[p].slice(-HISTORY)
  return out
}

/** The evidence of every arm per platform, for the autopilot page. */
export async function learningEvidence(db: Db, input: { projectId: string; timezone: string; arms: readonly Arm[]; objective: Objective; ownStyle: string; platforms: readonly Platform[] }): Promise<{ platform: string; arms: ArmEvidence[] }[]> {
  const outcomes = await learningOutcomes(db, input)
  return input.platforms.map((platform) => ({ platform, arms: evidence(input.arms, outcomes[platform] ?? [], input.ownStyle) }))
}
