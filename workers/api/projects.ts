/** Projects: a creator's channel or brand inside a workspace, with its own library and autopilot. */
import { createRoute, z } from '@hono/zod-openapi'
import { and, asc, eq } from 'drizzle-orm'
import { media, projects } from '../db/schema'
import { BRAND_FONTS, PROJECT_FRAMINGS } from '../domain/post-spec'
import { badRequest } from '../lib/errors'
import { newId } from '../lib/ids'
import { schedulerFor } from '../scheduler/project-scheduler'
import { requireProject, requireWorkspace, requireWorkspaceWith } from './access'
import { commonErrors, createRouter, IdParam, json, jsonBody, security, Timestamp } from './openapi'
import { sqlNow } from '../db/time'

export const ProjectSchema = z
  .object({
    id: z.string(),
    workspaceId: z.string(),
    name: z.string(),
    description: z.string().nullable().openapi({ description: 'What the project is about: captions are written from it' }),
    brandColor: z.string().nullable().openapi({ description: 'Brand colour #rrggbb (the corporate style); null: the default blue', example: '#1e40af' }),
    font: z.enum(BRAND_FONTS).nullable().openapi({ description: 'Typeface of hooks and calls to action; null: each style’s own' }),
    logoMediaId: z.string().nullable().openapi({ description: 'An image of the project’s library drawn in the top corner of every video' }),
    framing: z.enum(PROJECT_FRAMINGS).openapi({ description: 'How clips fill the 9:16 frame by default: auto (crop vertical clips, fit the others over a blurred copy), crop, fit, pad' }),
    linkUrl: z.string().nullable().openapi({ description: 'Where the tracked link in each published post (`/l/:code`) leads; its clicks are the traffic objective. Null: no link' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('Project')

/** A tracked link's destination: an absolute http(s) URL a person can open. */
const LinkUrl = z
  .string()
  .trim()
  .max(2000, 'must be at most 2000 characters')
  .refine((v) => {
    try {
      const u = new URL(v)
      return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname.includes('.')
    } catch {
      return false
    }
  }, 'must be a web address like https://example.com/page')

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
      // The membership check and the list in one D1 round trip.
      const { rows: data } = await requireWorkspaceWith(c, workspaceId, 'projects.read', c.get('db').select().from(projects).where(eq(projects.workspaceId, workspaceId)).orderBy(asc(projects.createdAt), asc(projects.id)))
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
      summary: 'Update a project: name, description, brand colour, font, logo, default framing, tracked link URL (editor)',
      request: {
        params,
        body: jsonBody(
          z
            .object({
              name: Name.optional(),
              description: Description.nullable().optional(),
              brandColor: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1e40af').nullable().optional(),
              font: z.enum(BRAND_FONTS).nullable().optional(),
              logoMediaId: z.string().min(1).max(64).nullable().optional(),
              framing: z.enum(PROJECT_FRAMINGS).optional(),
              linkUrl: LinkUrl.nullable().optional(),
            })
            .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'give a field to change (name, description, brandColor, font, logoMediaId, framing, linkUrl)' }),
        ),
      },
      responses: { 200: json(ProjectSchema, 'Updated'), ...commonErrors },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      await requireProject(c, id, 'projects.write')
      const body = c.req.valid('json')
      if (body.logoMediaId) {
        const logo = await c.get('db').select({ kind: media.kind, status: media.status }).from(media).where(and(eq(media.id, body.logoMediaId), eq(media.projectId, id))).get()
        if (!logo || logo.kind !== 'image' || logo.status !== 'ready') {
          throw badRequest('The logo must be a ready image (PNG or JPEG) from this project’s library.', [{ field: 'logoMediaId', message: logo ? 'is not a ready image' : 'not found in this project' }])
        }
      }
      const row = await c
        .get('db')
        .update(projects)
        .set({ ...body, brandColor: body.brandColor?.toLowerCase() ?? body.brandColor, updatedAt: sqlNow() })
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
