/**
 * Drafts: posts being written, without a time. A draft holds a clip, its texts (shared and per
 * platform) and its platforms; nothing renders or publishes it. Scheduling it makes the post
 * (through the same `createPost` as a post made by hand) and removes the draft.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { desc, eq } from 'drizzle-orm'
import type { Context } from 'hono'
import { media, postDrafts } from '../db/schema'
import { PLATFORMS } from '../domain/post-state'
import { PlatformListSchema } from '../domain/targets'
import type { AppEnv } from '../env'
import { hashtag } from '../domain/platform-texts'
import { sqlNow } from '../db/time'
import { conflict, notFound } from '../lib/errors'
import { newId } from '../lib/ids'
import { requireOwned, requireProject } from './access'
import { commonErrors, createRouter, errorResponses, IdParam, json, jsonBody, security, Timestamp } from './openapi'
import { createPost, Hashtags, PlatformTextsBody, projectClip } from './posts'

const tags = ['Drafts']
const draftParams = z.object({ id: IdParam('id', 'draft_0123456789abcdefghjk') })
const projectParams = z.object({ id: IdParam('id', 'prj_0123456789abcdefghjk') })

export const DraftSchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    mediaId: z.string().nullable().openapi({ description: 'null when the clip was deleted from the library' }),
    clip: z.object({ id: z.string(), title: z.string(), thumbnailKey: z.string().nullable() }).nullable(),
    caption: z.string().nullable(),
    hashtags: z.array(z.string()),
    platforms: z.array(z.enum(PLATFORMS)).nullable().openapi({ description: 'null: every connected platform' }),
    platformTexts: PlatformTextsBody.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('Draft')

const DraftFields = {
  caption: z.string().max(2200).optional(),
  hashtags: Hashtags.optional(),
  platforms: PlatformListSchema.nullable().optional(),
  platformTexts: PlatformTextsBody.nullable().optional(),
}

type DraftRow = typeof postDrafts.$inferSelect

async function present(c: Context<AppEnv>, row: DraftRow) {
  const clip = row.mediaId ? await c.get('db').select({ id: media.id, title: media.title, thumbnailKey: media.thumbnailKey }).from(media).where(eq(media.id, row.mediaId)).get() : undefined
  return {
    id: row.id,
    projectId: row.projectId,
    mediaId: row.mediaId,
    clip: clip ?? null,
    caption: row.caption,
    hashtags: row.hashtags,
    platforms: row.platforms ?? null,
    platformTexts: row.platformTexts ?? null,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  }
}

async function loadDraft(c: Context<AppEnv>, id: string, permission: 'projects.read' | 'projects.write') {
  return requireOwned(c, await c.get('db').select().from(postDrafts).where(eq(postDrafts.id, id)).get(), permission, 'Draft')
}

export const draftsApi = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/projects/{id}/drafts',
      tags,
      security,
      summary: 'Save a post without a time: a draft (editor)',
      request: { params: projectParams, body: jsonBody(z.object({ mediaId: z.string().min(1).max(64), ...DraftFields })) },
      responses: { 201: json(DraftSchema, 'Saved'), ...commonErrors },
    }),
    async (c) => {
      const { id: projectId } = c.req.valid('param')
      const body = c.req.valid('json')
      const { project } = await requireProject(c, projectId, 'projects.write')
      const clip = await projectClip(c, projectId, body.mediaId)
      const [row] = await c
        .get('db')
        .insert(postDrafts)
        .values({
          id: newId('draft'),
          workspaceId: project.workspaceId,
          projectId,
          mediaId: clip.id,
          caption: body.caption ?? null,
          hashtags: body.hashtags?.map(hashtag) ?? [],
          platforms: body.platforms ?? null,
          platformTexts: body.platformTexts ?? null,
        })
        .returning()
      return c.json(await present(c, row), 201)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/projects/{id}/drafts',
      tags,
      security,
      summary: "A project's drafts, the latest changed first",
      request: { params: projectParams },
      responses: { 200: json(z.object({ data: z.array(DraftSchema) }), 'Drafts'), ...commonErrors },
    }),
    async (c) => {
      const { id: projectId } = c.req.valid('param')
      await requireProject(c, projectId, 'projects.read')
      const rows = await c.get('db').select().from(postDrafts).where(eq(postDrafts.projectId, projectId)).orderBy(desc(postDrafts.updatedAt), desc(postDrafts.id)).limit(200).all()
      return c.json({ data: await Promise.all(rows.map((r) => present(c, r))) }, 200)
    },
  )
  .openapi(
    createRoute({ method: 'get', path: '/drafts/{id}', tags, security, summary: 'A draft', request: { params: draftParams }, responses: { 200: json(DraftSchema, 'The draft'), ...commonErrors } }),
    async (c) => {
      const row = await loadDraft(c, c.req.valid('param').id, 'projects.read')
      return c.json(await present(c, row), 200)
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/drafts/{id}',
      tags,
      security,
      summary: "Change a draft's texts or platforms (editor)",
      request: {
        params: draftParams,
        body: jsonBody(
          z.object(DraftFields).refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'give a caption, hashtags, platforms or platformTexts to change' }),
        ),
      },
      responses: { 200: json(DraftSchema, 'Saved'), ...commonErrors },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const body = c.req.valid('json')
      await loadDraft(c, id, 'projects.write')
      const [row] = await c
        .get('db')
        .update(postDrafts)
        .set({
          caption: body.caption,
          hashtags: body.hashtags?.map(hashtag),
          platforms: body.platforms,
          platformTexts: body.platformTexts,
          updatedAt: sqlNow(),
        })
        .where(eq(postDrafts.id, id))
        .returning()
      if (!row) throw notFound('Draft')
      return c.json(await present(c, row), 200)
    },
  )
  .openapi(
    createRoute({ method: 'delete', path: '/drafts/{id}', tags, security, summary: 'Delete a draft (editor)', request: { params: draftParams }, responses: { 204: { description: 'Deleted' }, ...commonErrors } }),
    async (c) => {
      const { id } = c.req.valid('param')
      await loadDraft(c, id, 'projects.write')
      await c.get('db').delete(postDrafts).where(eq(postDrafts.id, id)).run()
      return c.body(null, 204)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/drafts/{id}/schedule',
      tags,
      security,
      summary: 'Schedule a draft at a time (editor): it becomes a post, and the draft is removed',
      request: { params: draftParams, body: jsonBody(z.object({ scheduledAt: z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, like 2026-11-22T12:00:00Z' }) })) },
      responses: { 201: json(z.object({ postId: z.string(), warnings: z.array(z.object({ field: z.string(), message: z.string() })) }), 'The post made of it'), ...commonErrors, ...errorResponses(409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const { scheduledAt } = c.req.valid('json')
      const draft = await loadDraft(c, id, 'projects.write')
      if (!draft.mediaId) throw conflict('The clip of this draft was deleted from the library: pick another clip, or delete the draft.')
      const made = await createPost(c, draft.projectId, {
        mediaId: draft.mediaId,
        scheduledAt,
        platforms: draft.platforms ?? undefined,
        caption: draft.caption ?? undefined,
        hashtags: draft.hashtags.length ? draft.hashtags : undefined,
        platformTexts: draft.platformTexts ?? undefined,
      })
      // Deleted once the post exists: a failure between the two leaves a draft to delete by hand, never a lost post.
      await c.get('db').delete(postDrafts).where(eq(postDrafts.id, id)).run()
      return c.json(made, 201)
    },
  )
