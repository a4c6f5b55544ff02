/**
 * A project at a glance, for the creator's dashboard: the next post, posts awaiting approval, the
 * last published, what needs attention (connections, failed posts), this week's results, and
 * which setup steps (connect, upload, autopilot) are done.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { and, asc, count, desc, eq, gte, inArray } from 'drizzle-orm'
import type { Context } from 'hono'
import { dashboard } from '../analytics/queries'
import { freeSlots } from '../db/free-slots'
import { autopilots, connections, media, posts, postTargets } from '../db/schema'
import { ADDITIVE_METRICS, localParts } from '../domain/metrics'
import { COMING_POST_STATUSES, PLATFORMS, POST_STATUSES, TARGET_STATUSES } from '../domain/post-state'
import type { AppEnv } from '../env'
import { publicOrigin } from '../lib/public-url'
import { expiresIn, signedUrl, signingKey } from '../lib/signed-url'
import { requireProject } from './access'
import { commonErrors, createRouter, IdParam, json, security, Timestamp } from './openapi'

const tags = ['Projects']
const DAY_MS = 86_400_000
const AWAITING_SHOWN = 3

const GlancePostSchema = z
  .object({
    id: z.string(),
    status: z.enum(POST_STATUSES),
    scheduledAt: Timestamp,
    label: z.string().openapi({ description: "The post's hook, else its caption, else its clip's title" }),
    clipTitle: z.string().nullable(),
    thumbnailUrl: z.string().nullable().openapi({ description: 'A signed URL, valid one hour' }),
    targets: z.array(z.object({ platform: z.enum(PLATFORMS), status: z.enum(TARGET_STATUSES), remoteUrl: z.string().nullable() })),
  })
  .openapi('GlancePost')

export const ProjectSummarySchema = z
  .object({
    projectId: z.string(),
    timezone: z.string().openapi({ description: "The project's zone (its autopilot's; UTC without one)" }),
    setup: z.object({
      connections: z.number().int().openapi({ description: 'Accounts connected and usable' }),
      readyClips: z.number().int().openapi({ description: 'Clips in the library ready to post' }),
      autopilot: z.enum(['none', 'paused', 'on']).openapi({ description: 'none: never saved; paused: saved but off' }),
      nextStep: z.enum(['connect', 'upload', 'autopilot']).nullable().openapi({ description: 'The first step not done yet; null once all three are' }),
    }),
    nextPost: GlancePostSchema.nullable(),
    nextSlot: Timestamp.nullable().openapi({ description: "The autopilot's next free slot (when it is on)" }),
    awaitingApproval: z.object({ count: z.number().int(), posts: z.array(GlancePostSchema).openapi({ description: 'The first three, soonest first' }) }),
    lastPublished: GlancePostSchema.nullable(),
    attention: z.object({
      connections: z.array(z.object({ platform: z.enum(PLATFORMS), status: z.enum(['needs_reconnect', 'disconnected']), reason: z.string().nullable() })),
      failedPosts: z.number().int().openapi({ description: 'Posts that failed in the last 7 days' }),
    }),
    week: z.object({
      from: z.string().openapi({ description: 'First day (project time), 7 days ending today' }),
      to: z.string(),
      published: z.number().int().openapi({ description: 'Posts published in those days' }),
      totals: z.array(z.object({ metric: z.enum(ADDITIVE_METRICS), value: z.number(), previous: z.number().nullable(), change: z.number().nullable() })).openapi({ description: 'Against the 7 days before' }),
      best: z.object({ postId: z.string(), title: z.string(), views: z.number() }).nullable(),
    }),
  })
  .openapi('ProjectSummary')

type PostRow = typeof posts.$inferSelect

async function glance(c: Context<AppEnv>, rows: PostRow[]) {
  if (rows.length === 0) return []
  const db = c.get('db')
  const ids = rows.map((r) => r.id)
  const mediaIds = [...new Set(rows.map((r) => r.mediaId).filter((m): m is string => !!m))]
  const [targets, clips] = await Promise.all([
    db.select({ postId: postTargets.postId, platform: postTargets.platform, status: postTargets.status, remoteUrl: postTargets.remoteUrl }).from(postTargets).where(inArray(postTargets.postId, ids)).orderBy(asc(postTargets.platform)).all(),
    mediaIds.length ? db.select({ id: media.id, title: media.title, thumbnailKey: media.thumbnailKey }).from(media).where(inArray(media.id, mediaIds)).all() : [],
  ])
  const origin = publicOrigin(c.env)
  const exp = expiresIn(60 * 60_000)
  return Promise.all(
    rows.map(async (r) => {
      const clip = clips.find((m) => m.id === r.mediaId)
      const imageKey = r.coverKey ?? clip?.thumbnailKey ?? null
      return {
        id: r.id,
        status: r.status,
        scheduledAt: r.scheduledAt,
        label: r.hook || r.caption || clip?.title || 'Untitled clip',
        clipTitle: clip?.title ?? null,
        thumbnailUrl: imageKey ? await signedUrl(signingKey(c.env), origin, { op: 'get', key: imageKey, contentType: 'image/jpeg', exp }) : null,
        targets: targets.filter((t) => t.postId === r.id).map(({ platform, status, remoteUrl }) => ({ platform, status, remoteUrl })),
      }
    }),
  )
}

export const projectSummaryApi = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/projects/{id}/summary',
    tags,
    security,
    summary: 'A project at a glance: next post, awaiting approval, last published, what needs attention, this week, setup steps',
    request: { params: z.object({ id: IdParam('id', 'prj_0123456789abcdefghjk') }) },
    responses: { 200: json(ProjectSummarySchema, 'The summary'), ...commonErrors },
  }),
  async (c) => {
    const { id } = c.req.valid('param')
    await requireProject(c, id, 'projects.read')
    const db = c.get('db')
    const now = Date.now()
    const weekAgo = new Date(now - 7 * DAY_MS).toISOString()
    const [autopilot, conns, [clips], next, awaiting, [awaitingCount], last, [failed]] = await Promise.all([
      db.select().from(autopilots).where(eq(autopilots.projectId, id)).get(),
      db.select({ platform: connections.platform, status: connections.status, reason: connections.statusReason }).from(connections).where(eq(connections.projectId, id)).orderBy(asc(connections.platform)).all(),
      db.select({ n: count() }).from(media).where(and(eq(media.projectId, id), eq(media.status, 'ready'), eq(media.kind, 'video'))).all(),
      db.select().from(posts).where(and(eq(posts.projectId, id), inArray(posts.status, [...COMING_POST_STATUSES]))).orderBy(asc(posts.scheduledAt), asc(posts.id)).limit(1).all(),
      db.select().from(posts).where(and(eq(posts.projectId, id), eq(posts.status, 'awaiting_approval'))).orderBy(asc(posts.scheduledAt), asc(posts.id)).limit(AWAITING_SHOWN).all(),
      db.select({ n: count() }).from(posts).where(and(eq(posts.projectId, id), eq(posts.status, 'awaiting_approval'))).all(),
      db.select().from(posts).where(and(eq(posts.projectId, id), eq(posts.status, 'published'))).orderBy(desc(posts.scheduledAt), desc(posts.id)).limit(1).all(),
      db.select({ n: count() }).from(posts).where(and(eq(posts.projectId, id), eq(posts.status, 'failed'), gte(posts.updatedAt, weekAgo))).all(),
    ])
    const timezone = autopilot?.config.timezone ?? 'UTC'
    const to = localParts(timezone, now).day
    const from = new Date(Date.parse(`${to}T00:00:00Z`) - 6 * DAY_MS).toISOString().slice(0, 10)
    const [results, [published]] = await Promise.all([
      dashboard(db, { projectId: id, from, to, groupBy: 'platform' }),
      db.select({ n: count() }).from(posts).where(and(eq(posts.projectId, id), eq(posts.status, 'published'), gte(posts.scheduledAt, weekAgo))).all(),
    ])
    const slot = autopilot?.enabled ? (await freeSlots(db, id, autopilot.config, { after: new Date(now), count: 1 }))[0] : undefined

    const active = conns.filter((k) => k.status === 'active').length
    const state: 'none' | 'paused' | 'on' = !autopilot ? 'none' : autopilot.enabled ? 'on' : 'paused'
    const nextStep: 'connect' | 'upload' | 'autopilot' | null = active === 0 ? 'connect' : clips.n === 0 ? 'upload' : state !== 'on' ? 'autopilot' : null
    const [nextPost] = await glance(c, next)
    const [lastPublished] = await glance(c, last)
    const best = results.top[0]
    return c.json(
      {
        projectId: id,
        timezone,
        setup: { connections: active, readyClips: clips.n, autopilot: state, nextStep },
        nextPost: nextPost ?? null,
        nextSlot: slot?.toISOString() ?? null,
        awaitingApproval: { count: awaitingCount.n, posts: await glance(c, awaiting) },
        lastPublished: lastPublished ?? null,
        attention: {
          connections: conns.filter((k) => k.status !== 'active').map((k) => ({ platform: k.platform, status: k.status as 'needs_reconnect' | 'disconnected', reason: k.reason })),
          failedPosts: failed.n,
        },
        week: { from, to, published: published.n, totals: results.totals, best: best ? { postId: best.postId, title: best.title, views: best.views } : null },
      },
      200,
    )
  },
)
