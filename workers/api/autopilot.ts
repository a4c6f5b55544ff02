/** The autopilot of a project: its configuration, pause and resume, and its next publish times. */
import { createRoute, z } from '@hono/zod-openapi'
import { eq, sql } from 'drizzle-orm'
import type { Context } from 'hono'
import { autopilots } from '../db/schema'
import { freeSlots } from '../db/free-slots'
import { autopilotConfigSchema, type AutopilotConfig } from '../domain/autopilot-config'
import { nextSlots } from '../domain/slots'
import type { AppEnv } from '../env'
import { notFound } from '../lib/errors'
import { schedulerFor } from '../scheduler/project-scheduler'
import { requireProject } from './access'
import { commonErrors, createRouter, IdParam, json, jsonBody, security, Timestamp } from './openapi'
import { sqlNow } from '../db/time'
import { auditInsert, type AuditEntry } from '../lib/audit'
import { log } from '../lib/log'
import { applyToScheduler } from '../scheduler/apply'
import { learningEvidence } from '../analytics/learning'
import { connectedPlatforms } from '../db/connections'
import { armsFor, MAX_PART_MINUTES, REWARD_PULL_INDEX } from '../domain/learning'
import { PULL_AGES_MS } from '../domain/metrics'
import { targetPlatforms } from '../domain/targets'
import { learnedChoice } from '../scheduler/planner'
import { slotKey } from '../domain/slots'

const params = z.object({ projectId: IdParam('projectId', 'prj_0123456789abcdefghjk') })
const tags = ['Autopilot']

// The body is the domain schema itself, so the document and the validation cannot disagree.
const ConfigBody = autopilotConfigSchema.meta({ id: 'AutopilotConfig' })

export const AutopilotSchema = z
  .object({
    projectId: z.string(),
    enabled: z.boolean(),
    config: ConfigBody,
    nextSlots: z.array(Timestamp).openapi({ description: 'The next seven publish times, UTC' }),
    scheduler: z.object({
      alarm: Timestamp.nullable(),
      nextSlot: Timestamp.nullable(),
      reachable: z.boolean().openapi({ description: 'Whether the scheduler answered just now (alarm and nextSlot are null when not)' }),
      applied: z.boolean().openapi({ description: 'Whether the scheduler holds the saved configuration; false: it takes it when it answers again' }),
      note: z.string().nullable().openapi({ description: 'When applied is false: what that means for the creator' }),
    }),
    updatedAt: Timestamp,
  })
  .openapi('Autopilot')

const SLOTS_SHOWN = 7

const ArmEvidenceSchema = z.object({
  key: z.string().openapi({ example: '12:00-13:00|neon' }),
  part: z.string().openapi({ description: 'The part of a window (at most an hour), project time', example: '12:00-13:00' }),
  style: z.string(),
  posts: z.number().int().openapi({ description: 'Posts of this arm, pending ones included' }),
  pending: z.number().int().openapi({ description: 'Posts whose result is not known yet (counted as unknown, never as zero)' }),
  ratio: z.number().openapi({ description: "Posterior mean result as a multiple of the account's median" }),
  low: z.number().openapi({ description: '90 % credible interval, low end' }),
  high: z.number().openapi({ description: '90 % credible interval, high end' }),
})

export const LearningSchema = z
  .object({
    projectId: z.string(),
    mode: z.enum(['locked', 'learn']),
    objective: z.string(),
    rewardAgeHours: z.number().openapi({ description: "The age of the results the learner compares (a fixed pull of the schedule)" }),
    maxPartMinutes: z.number(),
    platforms: z.array(z.object({ platform: z.string(), arms: z.array(ArmEvidenceSchema), unknown: z.number().openapi({ description: 'Share of arms with fewer than 3 known results' }) })),
    nextSlots: z.array(z.object({ at: Timestamp, style: z.string(), part: z.string().nullable(), reason: z.string() })),
  })
  .openapi('Learning')

/** What a caller is told when the scheduler did not take a saved configuration. */
export const SCHEDULER_PENDING_NOTE =
  "Saved, but not in effect yet: the scheduler (the project's Durable Object) could not be reached. It takes these settings as soon as it answers again, within about five minutes (the sweeper hands them over); until then it keeps to the previous ones."

/** The scheduler's alarm and next slot, or null when it cannot be reached (the page still shows the saved settings). */
async function schedulerStatus(env: Env, projectId: string) {
  try {
    return await schedulerFor(env, projectId).status()
  } catch (error) {
    log.warn('scheduler unreachable', { projectId, error: String(error) })
    return null
  }
}

async function present(c: Context<AppEnv>, projectId: string) {
  const row = await c.get('db').select().from(autopilots).where(eq(autopilots.projectId, projectId)).get()
  if (!row) throw notFound('Autopilot (it is not set up yet: PUT a configuration first)')
  const status = await schedulerStatus(c.env, projectId)
  const applied = row.appliedVersion >= row.configVersion
  return {
    projectId,
    enabled: row.enabled,
    config: row.config,
    nextSlots: row.enabled ? nextSlots(row.config, { projectId, after: new Date(), count: SLOTS_SHOWN }).map((d) => d.toISOString()) : [],
    scheduler: { alarm: status?.alarm ?? null, nextSlot: status?.nextSlot ?? null, reachable: status !== null, applied, note: applied ? null : SCHEDULER_PENDING_NOTE },
    updatedAt: row.updatedAt,
  }
}

/**
 * Saves the configuration and its audit entry in one D1 batch (both or neither), then hands it to
 * the project's scheduler. When the scheduler cannot be reached the save stands: the row's
 * applied_version stays behind its config_version and the sweeper hands the configuration over
 * (`reconcileSchedulers`), so a save is never lost or half-applied. Answers whether it applied.
 */
async function save(c: Context<AppEnv>, projectId: string, workspaceId: string, config: AutopilotConfig, entry: Pick<AuditEntry, 'action' | 'details'>) {
  const db = c.get('db')
  const [[saved]] = await db.batch([
    db
      .insert(autopilots)
      .values({ projectId, workspaceId, config, enabled: config.enabled, configVersion: 1 })
      .onConflictDoUpdate({ target: autopilots.projectId, set: { config, enabled: config.enabled, configVersion: sql`${autopilots.configVersion} + 1`, updatedAt: sqlNow() } })
      .returning({ version: autopilots.configVersion }),
    auditInsert(c, { workspaceId, targetType: 'project', targetId: projectId, ...entry }),
  ])
  return applyToScheduler(c.env, db, { projectId, workspaceId, config, version: saved.version })
}

async function setEnabled(c: Context<AppEnv>, enabled: boolean) {
  const { projectId } = c.req.valid('param' as never) as { projectId: string }
  const { project } = await requireProject(c, projectId, 'projects.write')
  const row = await c.get('db').select().from(autopilots).where(eq(autopilots.projectId, projectId)).get()
  if (!row) throw notFound('Autopilot (it is not set up yet: PUT a configuration first)')
  const applied = await save(c, projectId, project.workspaceId, { ...row.config, enabled }, { action: enabled ? 'autopilot.resumed' : 'autopilot.paused' })
  return { body: await present(c, projectId), status: applied ? (200 as const) : (202 as const) }
}

export const autopilotApi = createRouter()
  .openapi(
    createRoute({
      method: 'put',
      path: '/autopilot/{projectId}',
      tags,
      security,
      summary: "Set a project's autopilot (editor)",
      request: { params, body: jsonBody(ConfigBody) },
      responses: {
        200: json(AutopilotSchema, 'Saved and in effect, with the next slots'),
        202: json(AutopilotSchema, 'Saved, but the scheduler could not be reached: scheduler.applied is false and scheduler.note says when it takes effect'),
        ...commonErrors,
      },
    }),
    async (c) => {
      const { projectId } = c.req.valid('param')
      const { project } = await requireProject(c, projectId, 'projects.write')
      const config = c.req.valid('json')
      const applied = await save(c, projectId, project.workspaceId, config, { action: 'autopilot.updated', details: { config } })
      return applied ? c.json(await present(c, projectId), 200) : c.json(await present(c, projectId), 202)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/autopilot/{projectId}',
      tags,
      security,
      summary: "A project's autopilot, with its next slots",
      request: { params },
      responses: { 200: json(AutopilotSchema, 'The autopilot'), ...commonErrors },
    }),
    async (c) => {
      const { projectId } = c.req.valid('param')
      await requireProject(c, projectId, 'projects.read')
      return c.json(await present(c, projectId), 200)
    },
  )
  .openapi(
    createRoute({ method: 'post', path: '/autopilot/{projectId}/pause', tags, security, summary: 'Pause the autopilot (editor)', request: { params }, responses: { 200: json(AutopilotSchema, 'Paused'), 202: json(AutopilotSchema, 'Paused in D1; the scheduler takes it when it answers again (scheduler.note)'), ...commonErrors } }),
    async (c) => {
      const { body, status } = await setEnabled(c, false)
      return status === 200 ? c.json(body, 200) : c.json(body, 202)
    },
  )
  .openapi(
    createRoute({ method: 'post', path: '/autopilot/{projectId}/resume', tags, security, summary: 'Resume the autopilot (editor)', request: { params }, responses: { 200: json(AutopilotSchema, 'Resumed'), 202: json(AutopilotSchema, 'Resumed in D1; the scheduler takes it when it answers again (scheduler.note)'), ...commonErrors } }),
    async (c) => {
      const { body, status } = await setEnabled(c, true)
      return status === 200 ? c.json(body, 200) : c.json(body, 202)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/autopilot/{projectId}/slots',
      tags,
      security,
      summary: 'The next N publish times, in UTC; from/to bound them (the calendar), free=true leaves out slots a post already holds',
      request: {
        params,
        query: z.object({
          count: z.coerce.number().int().min(1).max(200).default(7),
          from: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional().openapi({ description: 'Slots after this time (and after now)' }),
          to: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time' }).optional().openapi({ description: 'Slots before this time' }),
          free: z.enum(['true', 'false']).optional().openapi({ description: 'true: only slots no post holds yet' }),
        }),
      },
      responses: { 200: json(z.object({ slots: z.array(Timestamp) }), 'Slots'), ...commonErrors },
    }),
    async (c) => {
      const { projectId } = c.req.valid('param')
      const { count, from, to, free } = c.req.valid('query')
      await requireProject(c, projectId, 'projects.read')
      const row = await c.get('db').select().from(autopilots).where(eq(autopilots.projectId, projectId)).get()
      if (!row) throw notFound('Autopilot (it is not set up yet: PUT a configuration first)')
      const after = new Date(Math.max(Date.now(), from ? Date.parse(from) : 0))
      const before = to ? new Date(to) : undefined
      const slots =
        free === 'true'
          ? await freeSlots(c.get('db'), projectId, row.config, { after, count, before })
          : nextSlots(row.config, { projectId, after, count }).filter((s) => !before || s < before)
      return c.json({ slots: slots.map((d) => d.toISOString()) }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/autopilot/{projectId}/learning',
      tags,
      security,
      summary: 'What the learning autopilot knows: each arm (window part × style) per platform with its posts, mean result and credible interval, and the next slots with their reasons',
      request: { params },
      responses: { 200: json(LearningSchema, 'The evidence'), ...commonErrors },
    }),
    async (c) => {
      const { projectId } = c.req.valid('param')
      const { project } = await requireProject(c, projectId, 'projects.read')
      const db = c.get('db')
      const row = await db.select().from(autopilots).where(eq(autopilots.projectId, projectId)).get()
      if (!row) throw notFound('Autopilot (it is not set up yet: PUT a configuration first)')
      const config = row.config
      const arms = armsFor(config)
      const platforms = targetPlatforms(config.platforms, await connectedPlatforms(db, projectId))
      const evidence = await learningEvidence(db, { projectId, timezone: config.timezone, arms, objective: config.objective, ownStyle: config.style, platforms })
      const slots = row.enabled ? nextSlots(config, { projectId, after: new Date(), count: 3 }) : []
      const ctx = { db, env: c.env, projectId, workspaceId: project.workspaceId, config, connectedPlatforms: platforms }
      const next = []
      for (const slot of slots) {
        const choice = config.learning === 'learn' && platforms.length ? await learnedChoice(ctx, slot, slotKey(slot), platforms) : null
        next.push({ at: (choice?.at ?? slot).toISOString(), style: choice?.arm.style ?? config.style, part: choice?.arm.part ?? null, reason: choice?.reason ?? (config.learning === 'learn' ? 'No platform connected yet' : 'Locked: your fixed style and windows') })
      }
      return c.json(
        {
          projectId,
          mode: config.learning ?? 'locked',
          objective: config.objective,
          rewardAgeHours: PULL_AGES_MS[REWARD_PULL_INDEX] / 3600_000,
          maxPartMinutes: MAX_PART_MINUTES,
          platforms: evidence.map((e) => ({
            platform: e.platform,
            arms: e.arms.map(({ mean: _m, sd: _s, ...a }) => a),
            unknown: e.arms.length ? e.arms.filter((a) => a.posts - a.pending < 3).length / e.arms.length : 1,
          })),
          nextSlots: next,
        },
        200,
      )
    },
  )
