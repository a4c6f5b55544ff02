/**
 * Analytics routes: a project's dashboard and one post's metrics, as JSON or, with
 * `Accept: text/csv`, as CSV with the same numbers (one row per series point).
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { collectionStatus, dashboard, GROUP_BYS, postMetrics, previousRange } from '../analytics/queries'
import { projectZone } from '../analytics/consumer'
import { hasAnalyticsScope } from '../analytics/collectors'
import { connections } from '../db/schema'
import { ADDITIVE_METRICS, localParts, METRICS } from '../domain/metrics'
import { PLATFORMS } from '../domain/post-state'
import type { AppEnv } from '../env'
import { badRequest } from '../lib/errors'
import { expiresIn, signedUrl, signingKey } from '../lib/signed-url'
import { publicOrigin } from '../lib/public-url'
import { and, eq } from 'drizzle-orm'
import { requireProject } from './access'
import { commonErrors, createRouter, IdParam, json, jsonBody, security, Timestamp } from './openapi'
import { seedDemoHistory } from '../analytics/demo'
import { postClicks } from '../analytics/links'
import { schedulerFor } from '../scheduler/project-scheduler'
import { loadPost } from './posts'

const tags = ['Analytics']
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a day, like 2026-11-22').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'is not a calendar day')
/** The longest range one dashboard covers. */
const MAX_RANGE_DAYS = 366

const MetricMap = z.record(z.string(), z.number()).openapi({ example: { views: 1520, likes: 88 } })
const RankedPostSchema = z.object({
  postId: z.string(),
  title: z.string(),
  style: z.string(),
  scheduledAt: Timestamp,
  platforms: z.array(z.enum(PLATFORMS)),
  thumbnailUrl: z.string().nullable().openapi({ description: 'A signed URL, valid one hour' }),
  views: z.number(),
  engagementRate: z.number().nullable(),
})
export const DashboardSchema = z
  .object({
    projectId: z.string(),
    from: z.string(),
    to: z.string(),
    timezone: z.string(),
    platform: z.enum(PLATFORMS).nullable(),
    groupBy: z.enum(GROUP_BYS),
    previous: z.object({ from: z.string(), to: z.string() }),
    totals: z.array(z.object({ metric: z.enum(ADDITIVE_METRICS), value: z.number(), previous: z.number().nullable(), change: z.number().nullable() })),
    series: z.array(z.object({ key: z.string(), label: z.string(), metrics: MetricMap })),
    top: z.array(RankedPostSchema),
    bottom: z.array(RankedPostSchema),
    collection: z.object({ trackedTargets: z.number(), nextPullAt: Timestamp.nullable() }),
  })
  .openapi('Analytics')

export const PostMetricsSchema = z
  .object({
    postId: z.string(),
    timezone: z.string(),
    platforms: z.array(
      z.object({
        platform: z.enum(PLATFORMS),
        latest: MetricMap,
        series: z.array(z.object({ pullIndex: z.number(), pulledAt: Timestamp, metrics: MetricMap })),
        nextPullAt: Timestamp.nullable(),
        lastError: z.string().nullable(),
        note: z.string().nullable().openapi({ description: 'e.g. why watch time is missing' }),
        linkClicks: z.number().int().nullable().openapi({ description: "Clicks counted on the post's tracked link on this platform (`/l/:code`, once per visitor a day); null: the post carries no link there" }),
      }),
    ),
  })
  .openapi('PostMetrics')

const jsonOrCsv = <T extends z.ZodType>(schema: T, description: string) => ({
  description: `${description}. With \`Accept: text/csv\`: the same numbers as CSV.`,
  content: { 'application/json': { schema }, 'text/csv': { schema: z.string() } },
})

const wantsCsv = (c: Context<AppEnv>) => /\btext\/csv\b/.test(c.req.header('accept') ?? '')

const csvCell = (v: unknown) => {
  const s = v === undefined || v === null ? '' : String(v)
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}
const csv = (header: string[], rows: unknown[][]) => [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'

function csvResponse(body: string, filename: string) {
  return new Response(body, { status: 200, headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${filename}"` } })
}

function rangeError(message: string, field: string): never {
  throw badRequest(message, [{ field, message }])
}

export const analyticsApi = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/projects/{id}/analytics',
      tags,
      security,
      summary: "A project's results: totals with their change, a series, the best and worst posts",
      description:
        'Days are in the project time zone, `from`..`to` inclusive (default: the last 28 days), at most 366 days. Totals compare with the period of the same length just before. `groupBy`: day (a point per day; days without data have no metrics), platform, style, window (hour of publication), weekday (of publication).',
      request: {
        params: z.object({ id: IdParam('id', 'prj_0123456789abcdefghjk') }),
        query: z.object({ from: Day.optional(), to: Day.optional(), platform: z.enum(PLATFORMS).optional(), groupBy: z.enum(GROUP_BYS).default('day') }),
      },
      responses: { 200: jsonOrCsv(DashboardSchema, 'The dashboard'), ...commonErrors },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const q = c.req.valid('query')
      await requireProject(c, id, 'projects.read')
      const db = c.get('db')
      const timezone = await projectZone(db, id)
      const today = localParts(timezone, Date.now()).day
      const to = q.to ?? today
      const from = q.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - 27 * 86_400_000).toISOString().slice(0, 10)
      if (from > to) rangeError(`from (${from}) is after to (${to})`, 'query.from')
      const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1
      if (days > MAX_RANGE_DAYS) rangeError(`The range is ${days} days; at most ${MAX_RANGE_DAYS}`, 'query.to')
      const result = await dashboard(db, { projectId: id, from, to, platform: q.platform, groupBy: q.groupBy })
      if (wantsCsv(c)) {
        const metrics = ADDITIVE_METRICS.filter((m) => result.series.some((p) => p.metrics[m] !== undefined))
        return csvResponse(csv([q.groupBy, ...metrics], result.series.map((p) => [p.key, ...metrics.map((m) => p.metrics[m])])), `analytics-${id}-${from}-${to}-${q.groupBy}.csv`)
      }
      const origin = publicOrigin(c.env)
      const withThumb = async (p: (typeof result.top)[number]) => {
        const { thumbnailKey, ...rest } = p
        const thumbnailUrl = thumbnailKey ? await signedUrl(signingKey(c.env), origin, { op: 'get', key: thumbnailKey, contentType: 'image/jpeg', exp: expiresIn(3600_000) }) : null
        return { ...rest, thumbnailUrl }
      }
      return c.json(
        {
          projectId: id,
          from,
          to,
          timezone,
          platform: q.platform ?? null,
          groupBy: q.groupBy,
          previous: previousRange(from, to),
          totals: result.totals,
          series: result.series.map((p) => ({ ...p, metrics: p.metrics as Record<string, number> })),
          top: await Promise.all(result.top.map(withThumb)),
          bottom: await Promise.all(result.bottom.map(withThumb)),
          collection: await collectionStatus(db, id),
        },
        200,
      )
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/posts/{id}/metrics',
      tags,
      security,
      summary: "One post's metrics per platform: every pull, the newest values, the next pull",
      request: { params: z.object({ id: IdParam('id', 'post_0123456789abcdefghjk') }) },
      responses: { 200: jsonOrCsv(PostMetricsSchema, "The post's metrics"), ...commonErrors },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const post = await loadPost(c, id, 'projects.read')
      const db = c.get('db')
      const [platforms, clicks] = await Promise.all([postMetrics(db, id), postClicks(c.env.DB, id)])
      if (wantsCsv(c)) {
        const metrics = METRICS.filter((m) => platforms.some((p) => p.series.some((s) => s.metrics[m] !== undefined)))
        const rows = platforms.flatMap((p) => p.series.map((s) => [p.platform, s.pullIndex, s.pulledAt, ...metrics.map((m) => s.metrics[m])]))
        return csvResponse(csv(['platform', 'pull', 'pulled_at', ...metrics], rows), `post-${id}-metrics.csv`)
      }
      const youtube = await db.select({ scopes: connections.scopes, mode: connections.mode }).from(connections).where(and(eq(connections.projectId, post.projectId), eq(connections.platform, 'youtube'))).get()
      const note = (platform: string) =>
        platform === 'youtube' && youtube?.mode === 'oauth' && !hasAnalyticsScope(youtube.scopes) ? 'Reconnect YouTube to see watch time, shares and subscribers.' : null
      return c.json({ postId: id, timezone: await projectZone(db, post.projectId), platforms: platforms.map((p) => ({ ...p, latest: p.latest as Record<string, number>, series: p.series.map((s) => ({ ...s, metrics: s.metrics as Record<string, number> })), note: note(p.platform), linkClicks: clicks[p.platform] ?? null })) }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/dev/demo-history',
      tags: ['Local sign-in'],
      security,
      summary: 'Local mode only: give a project the past of a demo (posts to its sandbox accounts over `days` days, with their metrics)',
      request: { body: jsonBody(z.object({ projectId: z.string().min(1).max(64), days: z.number().int().min(1).max(120).default(60) })) },
      responses: { 200: json(z.object({ posts: z.number(), snapshots: z.number() }), 'What was made'), ...commonErrors },
    }),
    async (c) => {
      const { projectId, days } = c.req.valid('json')
      const { project } = await requireProject(c, projectId, 'projects.write')
      const db = c.get('db')
      const result = await seedDemoHistory(c.env, db, { projectId, workspaceId: project.workspaceId, days })
      // The pulls still ahead are the scheduler's, like any others.
      await schedulerFor(c.env, projectId).scheduleMetrics({ projectId, workspaceId: project.workspaceId, at: Date.now() })
      return c.json(result, 200)
    },
  )
