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
import { audit } from '../lib/audit'

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
    scheduler: z.object({ alarm: Timestamp.nullable(), nextSlot: Timestamp.nullable() }),
    updatedAt: Timestamp,
  })
  .openapi('Autopilot')

const SLOTS_SHOWN = 7

async function present(c: Context<AppEnv>, projectId: string) {
  const row = await c.get('db').select().from(autopilots).where(eq(autopilots.projectId, projectId)).get()
  if (!row) throw notFound('Autopilot (it is not set up yet: PUT a configuration first)')
  const status = await schedulerFor(c.env, projectId).status()
  return {
    projectId,
    enabled: row.enabled,
    config: row.config,
    nextSlots: row.enabled ? nextSlots(row.config, { projectId, after: new Date(), count: SLOTS_SHOWN }).map((d) => d.toISOString()) : [],
    scheduler: { alarm: status.alarm, nextSlot: status.nextSlot },
    updatedAt: row.updatedAt,
  }
}

/** Writes the configuration to D1, then hands it to the project's scheduler (which re-arms). */
async function save(c: Context<AppEnv>, projectId: string, workspaceId: string, config: AutopilotConfig) {
  await c
    .get('db')
    .insert(autopilots)
    .values({ projectId, workspaceId, config, enabled: config.enabled })
    .onConflictDoUpdate({ target: autopilots.projectId, set: { config, enabled: config.enabled, updatedAt: sqlNow() } })
    .run()
  await schedulerFor(c.env, projectId).configure({ projectId, workspaceId, config })
}

async function setEnabled(c: Context<AppEnv>, enabled: boolean) {
  const { projectId } = c.req.valid('param' as never) as { projectId: string }
  const { project } = await requireProject(c, projectId, 'projects.write')
  const row = await c.get('db').select().from(autopilots).where(eq(autopilots.projectId, projectId)).get()
  if (!row) throw notFound('Autopilot (it is not set up yet: PUT a configuration first)')
  await save(c, projectId, project.workspaceId, { ...row.config, enabled })
  await audit(c, { workspaceId: project.workspaceId, action: enabled ? 'autopilot.resumed' : 'autopilot.paused', targetType: 'project', targetId: projectId })
  return present(c, projectId)
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
      responses: { 200: json(AutopilotSchema, 'Saved, with the next slots'), ...commonErrors },
    }),
    async (c) => {
      const { projectId } = c.req.valid('param')
      const { project } = await requireProject(c, projectId, 'projects.write')
      const config = c.req.valid('json')
      await save(c, projectId, project.workspaceId, config)
      await audit(c, { workspaceId: project.workspaceId, action: 'autopilot.updated', targetType: 'project', targetId: projectId, details: { config } })
      return c.json(await present(c, projectId), 200)
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
    createRoute({ method: 'post', path: '/autopilot/{projectId}/pause', tags, security, summary: 'Pause the autopilot (editor)', request: { params }, responses: { 200: json(AutopilotSchema, 'Paused'), ...commonErrors } }),
    async (c) => c.json(await setEnabled(c, false), 200),
  )
  .openapi(
    createRoute({ method: 'post', path: '/autopilot/{projectId}/resume', tags, security, summary: 'Resume the autopilot (editor)', request: { params }, responses: { 200: json(AutopilotSchema, 'Resumed'), ...commonErrors } }),
    async (c) => c.json(await setEnabled(c, true), 200),
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
