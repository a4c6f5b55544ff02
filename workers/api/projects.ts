/** Projects: a creator's channel or brand inside a workspace, with its own library and autopilot. */
import { createRoute, z } from '@hono/zod-openapi'
import { asc, eq, sql } from 'drizzle-orm'
import { projects } from '../db/schema'
import { newId } from '../lib/ids'
import { schedulerFor } from '../scheduler/project-scheduler'
import { requireProject, requireWorkspace } from './access'
import { commonErrors, createRouter, IdParam, json, jsonBody, security, Timestamp } from './openapi'

export const ProjectSchema = z
  .object({ id: z.string(), workspaceId: z.string(), name: z.string(), description: z.string().nullable(), createdAt: Timestamp, updatedAt: Timestamp })
  .openapi('Project')

const Name = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters')
const Description = z.string().max(2000, 'must be at most 2000 characters')
const params = z.object({ id: IdParam('id', 'prj_0123456789abcdefghjk') })
const tags = ['Projects']

export const projectsApi = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/projects',
      tags,
      security,
      summary: 'Create a project in a workspace (editor)',
      request: { body: jsonBody(z.object({ workspaceId: z.string().min(1).max(64), name: Name, description: Description.optional() })) },
      responses: { 201: json(ProjectSchema, 'Created'), ...commonErrors },
    }),
    async (c) => {
      const { workspaceId, name, description } = c.req.valid('json')
      await requireWorkspace(c, workspaceId, 'projects.write')
      const row = await c
        .get('db')
        .insert(projects)
        .values({ id: newId('prj'), workspaceId, name, description: description ?? null })
        .returning()
        .get()
      return c.json(row, 201)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/projects',
      tags,
      security,
      summary: "List a workspace's projects",
      request: { query: z.object({ workspaceId: z.string().min(1, 'is required').max(64) }) },
      responses: { 200: json(z.object({ data: z.array(ProjectSchema) }), 'Projects'), ...commonErrors },
    }),
    async (c) => {
      const { workspaceId } = c.req.valid('query')
      await requireWorkspace(c, workspaceId, 'projects.read')
      const data = await c.get('db').select().from(projects).where(eq(projects.workspaceId, workspaceId)).orderBy(asc(projects.createdAt), asc(projects.id)).all()
      return c.json({ data }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/projects/{id}',
      tags,
      security,
      summary: 'Get a project',
      request: { params },
      responses: { 200: json(ProjectSchema, 'The project'), ...commonErrors },
    }),
    async (c) => {
      const { project } = await requireProject(c, c.req.valid('param').id, 'projects.read')
      return c.json(project, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/projects/{id}',
      tags,
      security,
      summary: 'Update a project (editor)',
      request: {
        params,
        body: jsonBody(
          z
            .object({ name: Name.optional(), description: Description.nullable().optional() })
            .refine((b) => b.name !== undefined || b.description !== undefined, { message: 'give a name or a description to change' }),
        ),
      },
      responses: { 200: json(ProjectSchema, 'Updated'), ...commonErrors },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      await requireProject(c, id, 'projects.write')
      const row = await c
        .get('db')
        .update(projects)
        .set({ ...c.req.valid('json'), updatedAt: sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))` })
        .where(eq(projects.id, id))
        .returning()
        .get()
      return c.json(row, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/projects/{id}',
      tags,
      security,
      summary: 'Delete a project (admin)',
      request: { params },
      responses: { 204: { description: 'Deleted' }, ...commonErrors },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      await requireProject(c, id, 'projects.delete')
      await c.get('db').delete(projects).where(eq(projects.id, id)).run()
      // Its scheduler forgets it: no alarm will fire for a project that is gone.
      await schedulerFor(c.env, id).clear()
      return c.body(null, 204)
    },
  )
