/** Workspaces: the tenant. The creator becomes its owner. */
import { createRoute, z } from '@hono/zod-openapi'
import { asc, eq } from 'drizzle-orm'
import { members, projects, workspaces } from '../db/schema'
import { uniqueViolation } from '../db/client'
import { schedulerFor } from '../scheduler/project-scheduler'
import { ROLES } from '../domain/roles'
import { conflict, forbidden } from '../lib/errors'
import { newId } from '../lib/ids'
import { requireWorkspace } from './access'
import { commonErrors, createRouter, errorResponses, IdParam, json, jsonBody, matching, security, Timestamp } from './openapi'
import { auditInsert } from '../lib/audit'

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/

const Slug = matching(z.string().min(3, 'must be 3 to 48 characters').max(48, 'must be 3 to 48 characters'), SLUG_PATTERN, 'use lowercase letters, digits and dashes, not starting or ending with a dash').openapi({
  example: 'acme-studio',
})
const Name = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters')

export const WorkspaceSchema = z
  .object({ id: z.string(), name: z.string(), slug: z.string(), plan: z.string(), createdAt: Timestamp, role: z.enum(ROLES).optional() })
  .openapi('Workspace')

const params = z.object({ id: IdParam('id', 'ws_0123456789abcdefghjk') })
const tags = ['Workspaces']

export const workspacesApi = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/workspaces',
      tags,
      security,
      summary: 'Create a workspace (you become its owner)',
      request: { body: jsonBody(z.object({ name: Name, slug: Slug })) },
      responses: { 201: json(WorkspaceSchema, 'Created'), ...commonErrors, ...errorResponses(409) },
    }),
    async (c) => {
      const principal = c.get('principal')
      if (principal.kind !== 'user') throw forbidden('API keys belong to one workspace and cannot create workspaces; sign in as a person.')
      const { name, slug } = c.req.valid('json')
      const db = c.get('db')
      const taken = await db.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.slug, slug)).get()
      if (taken) throw conflict(`The slug "${slug}" is taken; choose another.`)
      const id = newId('ws')
      try {
        await db.batch([
          db.insert(workspaces).values({ id, name, slug }),
          db.insert(members).values({ workspaceId: id, userId: principal.userId, role: 'owner' }),
        ])
      } catch (error) {
        // Two creators raced for the same slug: the unique index decided.
        if (uniqueViolation(error, 'workspaces.slug')) throw conflict(`The slug "${slug}" is taken; choose another.`)
        throw error
      }
      const row = await db.select().from(workspaces).where(eq(workspaces.id, id)).get()
      return c.json({ ...row!, role: 'owner' as const }, 201)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/workspaces',
      tags,
      security,
      summary: "List the caller's workspaces",
      responses: { 200: json(z.object({ data: z.array(WorkspaceSchema) }), 'Workspaces'), ...commonErrors },
    }),
    async (c) => {
      const principal = c.get('principal')
      const db = c.get('db')
      if (principal.kind === 'apiKey') {
        const row = await db.select().from(workspaces).where(eq(workspaces.id, principal.workspaceId)).get()
        return c.json({ data: row ? [{ ...row, role: principal.role }] : [] }, 200)
      }
      const rows = await db
        .select({ id: workspaces.id, name: workspaces.name, slug: workspaces.slug, plan: workspaces.plan, createdAt: workspaces.createdAt, role: members.role })
        .from(members)
        .innerJoin(workspaces, eq(members.workspaceId, workspaces.id))
        .where(eq(members.userId, principal.userId))
        .orderBy(asc(workspaces.createdAt), asc(workspaces.id))
        .all()
      return c.json({ data: rows }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/workspaces/{id}',
      tags,
      security,
      summary: 'Get a workspace',
      request: { params },
      responses: { 200: json(WorkspaceSchema, 'The workspace'), ...commonErrors },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const role = await requireWorkspace(c, id, 'workspace.read')
      const row = await c.get('db').select().from(workspaces).where(eq(workspaces.id, id)).get()
      return c.json({ ...row!, role }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/workspaces/{id}',
      tags,
      security,
      summary: 'Rename a workspace or change its slug (admin)',
      request: {
        params,
        body: jsonBody(
          z.object({ name: Name.optional(), slug: Slug.optional() }).refine((b) => b.name !== undefined || b.slug !== undefined, {
            message: 'give a name or a slug to change',
          }),
        ),
      },
      responses: { 200: json(WorkspaceSchema, 'Updated'), ...commonErrors, ...errorResponses(409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const role = await requireWorkspace(c, id, 'workspace.update')
      const body = c.req.valid('json')
      const db = c.get('db')
      if (body.slug) {
        const taken = await db.select({ id: workspaces.id }).from(workspaces).where(eq(workspaces.slug, body.slug)).get()
        if (taken && taken.id !== id) throw conflict(`The slug "${body.slug}" is taken; choose another.`)
      }
      const [[row]] = await db.batch([
        db.update(workspaces).set(body).where(eq(workspaces.id, id)).returning(),
        auditInsert(c, { workspaceId: id, action: 'workspace.updated', targetType: 'workspace', targetId: id, details: body }),
      ])
      return c.json({ ...row!, role }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/workspaces/{id}',
      tags,
      security,
      summary: 'Delete a workspace and everything in it (owner)',
      request: { params },
      responses: { 204: { description: 'Deleted' }, ...commonErrors },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      await requireWorkspace(c, id, 'workspace.delete')
      const db = c.get('db')
      const gone = await db.select({ id: projects.id }).from(projects).where(eq(projects.workspaceId, id)).all()
      // The record outlives the workspace (the audit log has no foreign key); both or neither.
      await db.batch([db.delete(workspaces).where(eq(workspaces.id, id)), auditInsert(c, { workspaceId: id, action: 'workspace.deleted', targetType: 'workspace', targetId: id })])
      for (const project of gone) await schedulerFor(c.env, project.id).clear()
      return c.body(null, 204)
    },
  )
