/**
 * Planning one slot of a project's autopilot: the post row (unique per project and slot, so a
 * repeated alarm creates nothing new), the clip, the texts, the targets, and the render message.
 * Called by the ProjectScheduler; kept apart from the Durable Object so it reads as plain steps.
 */
import { linkLineFor } from '../domain/tracked-links'
import { publicOrigin } from '../lib/public-url'
import { and, desc, eq, isNotNull, notInArray, sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import { media, posts, projects } from '../db/schema'
import { insertPost } from '../db/posts'
import type { AutopilotConfig } from '../domain/autopilot-config'
import { RECENT_HOOKS, TemplateCaptionWriter, type CaptionInput, type CaptionOutput, type CaptionWriter } from '../domain/captions'
import { MAX_POST_SECONDS, postTrim } from '../domain/post-spec'
import { PLATFORM_LIMITS } from '../../containers/render/recipe/platforms'
import { DROPPED_POST_STATUSES, type Platform } from '../domain/post-state'
import { slotKey } from '../domain/slots'
import { targetPlatforms } from '../domain/targets'
import { newId } from '../lib/ids'
import { enqueueRender } from '../queues/producers'
import { learningOutcomes } from '../analytics/learning'
import { armsFor, choose, timeInPart, type Choice } from '../domain/learning'
import { timeZoneRules } from '../domain/time-zone-rules'
import { WEEKDAYS } from '../domain/autopilot-config'
import { formatAt } from '../domain/when'

export interface PlanContext {
  db: Db
  /** The queue the render messages go to, and the public origin the texts' tracked link is on. */
  env: Pick<Env, 'RENDER_JOBS' | 'PUBLIC_URL'>
  projectId: string
  workspaceId: string
  config: AutopilotConfig
  writer?: CaptionWriter
  /** The platforms the project has an active connection to. */
  connectedPlatforms: readonly Platform[]
}

export type PlanResult = { postId: string; status: 'planned' | 'skipped'; created: boolean; reason?: string }

/**
 * The clip for the next post: a ready video of the project, the least recently published
 * first (never published first of all), never the clip of the project's previous post.
 */
export async function chooseClip(db: Db, projectId: string): Promise<{ clip?: typeof media.$inferSelect; reason?: string }> {
  const lastUse = sql<string | null>`(select max(p.scheduled_at) from posts p where p.media_id = ${media.id} and p.status not in ${DROPPED_POST_STATUSES})`
  const candidates = await db
    .select({ row: media, lastUse })
    .from(media)
    .where(and(eq(media.projectId, projectId), eq(media.status, 'ready'), eq(media.kind, 'video')))
    .orderBy(sql`${lastUse} is not null`, lastUse, media.createdAt, media.id)
    .limit(50)
    .all()
  if (candidates.length === 0) return { reason: 'The library has no ready video clip: upload one to the project library.' }
  const previous = await db
    .select({ mediaId: posts.mediaId })
    .from(posts)
    .where(and(eq(posts.projectId, projectId), sql`${posts.mediaId} is not null`, notInArray(posts.status, [...DROPPED_POST_STATUSES])))
    .orderBy(desc(posts.scheduledAt))
    .limit(1)
    .get()
  const choice = candidates.find((c) => c.row.id !== previous?.mediaId)
  if (!choice) return { reason: 'The library has only one clip and the previous post used it: upload another clip so posts do not repeat.' }
  return { clip: choice.row }
}

/** Plans the post of `slot`; safe to call any number of times for the same slot. */
export async function planSlot(ctx: PlanContext, slot: Date): Promise<PlanResult> {
  const { db, projectId, workspaceId, config } = ctx
  const key = slotKey(slot)
  const existing = await db.select().from(posts).where(and(eq(posts.projectId, projectId), eq(posts.slotKey, key))).get()
  if (existing) {
    // A repeated alarm: nothing new. A planned post may have lost its render message, so resend it;
    // the render consumer's claim makes a duplicate harmless.
    if (existing.status === 'planned') await enqueueRender(ctx.env, [existing.id])
    return { postId: existing.id, status: existing.status === 'skipped' ? 'skipped' : 'planned', created: false }
  }

  const platforms = targetPlatforms(config.platforms, ctx.connectedPlatforms)
  const { clip, reason: noClip } = await chooseClip(db, projectId)
  const reason = platforms.length === 0 ? 'No platform is connected: connect YouTube, TikTok or Instagram.' : noClip
  const base = {
    workspaceId,
    projectId,
    origin: 'autopilot' as const,
    slotKey: key,
    scheduledAt: slot.toISOString(),
    language: config.language,
    style: config.style,
    objective: config.objective,
    requireApproval: config.requireApproval,
  }
  const id = newId('post')
  if (reason || !clip) {
    const created = await insertPost(db, { ...base, id, status: 'skipped', skipReason: reason }, [], reason!)
    return { postId: id, status: 'skipped', created, reason }
  }

  // A learning autopilot: the learner picks the window part of the day and the style among those
  // allowed, from what past posts earned; the time, the choice and its reason go on the post.
  const learned = config.learning === 'learn' ? await learnedChoice(ctx, slot, key, platforms) : null
  const style = (learned?.arm.style as AutopilotConfig['style'] | undefined) ?? config.style
  const texts = await writePostTexts(db, {
    projectId,
    clip,
    settings: { ...config, style },
    seed: `${projectId}:${key}`,
    writer: ctx.writer,
    platforms,
    // Room for the project's tracked link (#13): without PUBLIC_URL this throws its 503 naming it,
    // and the alarm logs it and rings again, rather than texts that leave the link no room.
    origin: publicOrigin(ctx.env),
    maxDurationSec: Math.min(...platforms.map((p) => PLATFORM_LIMITS[p].maxDurationSec)),
  })
  const created = await insertPost(
    db,
    { ...base, scheduledAt: learned?.at.toISOString() ?? base.scheduledAt, style, choiceReason: learned?.reason ?? null, choiceArm: learned?.arm.key ?? null, id, status: 'planned', mediaId: clip.id, hook: texts.hook, caption: texts.caption, hashtags: texts.hashtags, callToAction: texts.callToAction, platformTexts: texts.platformTexts ?? null, textsProvider: texts.provider ?? 'builtin' },
    platforms,
    `Planned for ${formatAt(learned?.at ?? slot, config.timezone)} with clip “${clip.title || clip.filename}”`,
  )
  // Another run planned this slot in the meantime: answer with its post.
  if (!created) return planSlot(ctx, slot)
  await enqueueRender(ctx.env, [id])
  return { postId: id, status: 'planned', created: true }
}

/** What the learner chose for a slot: the arm (window part and style), why, and the time in that part. */
export type LearnedChoice = Choice & { at: Date }

/**
 * The learner's choice for a slot: among every part of the slot's day (a learning autopilot's slot
 * is the start of the day's earliest window, so every part is still ahead) × the allowed styles,
 * and a minute in the chosen part. Null when no part exists that day (a clock change skipped them).
 */
export async function learnedChoice(ctx: PlanContext, slot: Date, key: string, platforms: readonly Platform[]): Promise<LearnedChoice | null> {
  const { config } = ctx
  const arms = armsFor(config)
  const rules = timeZoneRules(config.timezone)
  const wall = rules.toWall(slot.getTime())
  const day = Math.floor(wall / 86_400_000)
  const seed = `${ctx.projectId}:${key}`
  // Each part's time that day; a part a clock change removed (or one already behind the slot) is not a choice.
  const times = new Map(arms.map((a) => [a.key, timeInPart(rules, day, a.window, seed)]))
  const candidates = arms.filter((a) => {
    const t = times.get(a.key)
    return t !== null && t !== undefined && t >= slot.getTime()
  })
  if (candidates.length === 0) return null
  const outcomes = await learningOutcomes(ctx.db, { projectId: ctx.projectId, timezone: config.timezone, arms, objective: config.objective, platforms })
  const date = new Date(day * 86_400_000)
  const choice = choose({
    mode: 'learn',
    arms,
    candidates: candidates.map((a) => a.key),
    ownStyle: config.style,
    fixedArmKey: (candidates.find((a) => a.style === config.style) ?? candidates[0]).key,
    outcomes: Object.fromEntries(platforms.map((p) => [p, outcomes[p] ?? []])),
    objective: config.objective,
    seed,
    weekdayLabel: WEEKDAYS[(date.getUTCDay() + 6) % 7].replace(/^./, (c) => c.toUpperCase()),
  })
  return { ...choice, at: new Date(times.get(choice.arm.key)!) }
}

/** The hooks of a project's latest posts, newest first (a new hook repeats none of them). */
export async function recentHooks(db: Db, projectId: string, limit = RECENT_HOOKS): Promise<string[]> {
  const rows = await db
    .select({ hook: posts.hook })
    .from(posts)
    .where(and(eq(posts.projectId, projectId), isNotNull(posts.hook)))
    .orderBy(desc(posts.createdAt), desc(posts.id))
    .limit(limit)
    .all()
  return rows.map((r) => r.hook as string)
}

/**
 * The texts of a new post, written from the clip's title and topic, the project's name and
 * description, the language and objective, for the length the video will have, and with a hook
 * the project has not used in its last posts. Used by the autopilot and by posts made by hand.
 */
export async function writePostTexts(
  db: Db,
  input: {
    projectId: string
    clip: Pick<typeof media.$inferSelect, 'title' | 'topic' | 'tags' | 'durationSec'>
    settings: { language: string; style: CaptionInput['style']; objective: CaptionInput['objective'] }
    seed: string
    writer?: CaptionWriter
    platforms?: CaptionInput['platforms']
    trim?: { trimStartSec: number | null; trimEndSec: number | null }
    maxDurationSec?: number
    /** The Worker's public origin: with it, the writer leaves room for the project's tracked link. */
    origin?: string | null
  },
): Promise<CaptionOutput> {
  const project = await db.select({ name: projects.name, description: projects.description, linkUrl: projects.linkUrl }).from(projects).where(eq(projects.id, input.projectId)).get()
  const { durationSec } = postTrim(input.trim ?? { trimStartSec: null, trimEndSec: null }, input.clip, Math.min(input.maxDurationSec ?? MAX_POST_SECONDS, MAX_POST_SECONDS))
  return (input.writer ?? new TemplateCaptionWriter()).write({
    ...input.settings,
    title: input.clip.title,
    topic: input.clip.topic,
    tags: input.clip.tags,
    projectName: project?.name ?? '',
    projectDescription: project?.description ?? null,
    durationSec,
    recentHooks: await recentHooks(db, input.projectId),
    seed: input.seed,
    platforms: input.platforms,
    link: input.origin ? linkLineFor(input.origin, project?.linkUrl) : null,
  })
}

/** Records a slot missed while the scheduler could not run (downtime), instead of posting late. */
export async function recordMissed(ctx: PlanContext, slot: Date, now: Date): Promise<PlanResult> {
  const key = slotKey(slot)
  const id = newId('post')
  const reason = `Missed: the scheduler could not run at ${formatAt(slot, ctx.config.timezone)} (it ran at ${formatAt(now, ctx.config.timezone)}), so this slot was skipped rather than posted late.`
  const created = await insertPost(
    ctx.db,
    {
      id,
      workspaceId: ctx.workspaceId,
      projectId: ctx.projectId,
      origin: 'autopilot',
      slotKey: key,
      status: 'skipped',
      scheduledAt: slot.toISOString(),
      language: ctx.config.language,
      style: ctx.config.style,
      objective: ctx.config.objective,
      skipReason: reason,
    },
    [],
    reason,
  )
  return { postId: id, status: 'skipped', created, reason }
}
