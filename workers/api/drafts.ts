/**
 * Drafts: posts being written, without a time. A draft holds a clip, its texts (shared and per
 * platform) and its platforms; nothing renders or publishes it. Scheduling it makes the post
 * (through the same `createPost` as a post made by hand) and removes the draft.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { desc, eq } from 'drizzle-orm'
import type { Context } from 'hono'
import { media, postDrafts, type LookValues } from '../db/schema'
import { PLATFORMS } from '../domain/post-state'
import { POST_FRAMINGS } from '../domain/post-spec'
import { PlatformListSchema } from '../domain/targets'
import type { AppEnv } from '../env'
import { hashtag } from '../domain/platform-texts'
import { sqlNow } from '../db/time'
import { conflict, notFound } from '../lib/errors'
import { newId } from '../lib/ids'
import { requireOwned, requireProject } from './access'
import { commonErrors, createRouter, errorResponses, IdParam, json, jsonBody, security, Timestamp } from './openapi'
import { checkTrim, createPost, FocusSchema, Hashtags, PlatformTextsBody, PostLook, projectClip, TrimSchema } from './posts'

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
    hook: z.string().nullable().openapi({ description: 'null: written when it is scheduled' }),
    callToAction: z.string().nullable().openapi({ description: 'empty: none; null: the objective’s' }),
    framing: z.enum(POST_FRAMINGS).nullable().openapi({ description: 'null: the project’s default' }),
    speechCaptions: z.boolean().nullable(),
    focus: FocusSchema.nullable(),
    trim: TrimSchema.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('Draft')

const DraftFields = {
  caption: z.string().max(2200).optional(),
  hashtags: Hashtags.optional(),
  platforms: PlatformListSchema.nullable().optional(),
  platformTexts: PlatformTextsBody.nullable().optional(),
  ...PostLook,
}

const LOOK_KEYS = ['hook', 'callToAction', 'framing', 'speechCaptions', 'focus', 'trim'] as const

/** The look fields a body gives, merged over what the draft had (undefined: unchanged); null when none is set. */
function mergeLook(before: LookValues | null, body: LookValues): LookValues | null {
  const look: LookValues = { ...before }
  for (const k of LOOK_KEYS) if (body[k] !== undefined) (look as Record<string, unknown>)[k] = body[k]
  return Object.keys(look).length ? look : null
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
    hook: row.look?.hook ?? null,
    callToAction: row.look?.callToAction ?? null,
    framing: row.look?.framing ?? null,
    speechCaptions: row.look?.speechCaptions ?? null,
    focus: row.look?.focus ?? null,
    trim: row.look?.trim ?? null,
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
      checkTrim(body.trim, clip.durationSec)
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
          look: mergeLook(null, body),
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
          z.object(DraftFields).refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'give a caption, hashtags, platforms, platformTexts, hook, callToAction, framing, speechCaptions, focus or trim to change' }),
        ),
      },
      responses: { 200: json(DraftSchema, 'Saved'), ...commonErrors },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const body = c.req.valid('json')
      const before = await loadDraft(c, id, 'projects.write')
      if (body.trim && before.mediaId) checkTrim(body.trim, (await projectClip(c, before.projectId, before.mediaId)).durationSec)
      const [row] = await c
        .get('db')
        .update(postDrafts)
        .set({
          caption: body.caption,
          hashtags: body.hashtags?.map(hashtag),
          platforms: body.platforms,
          platformTexts: body.platformTexts,
          look: mergeLook(before.look, body),
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
        ...draft.look,
      })
      // Deleted once the post exists: a failure between the two leaves a draft to delete by hand, never a lost post.
      await c.get('db').delete(postDrafts).where(eq(postDrafts.id, id)).run()
      return c.json(made, 201)
    },
  )
