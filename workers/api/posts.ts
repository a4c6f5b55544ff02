/** The content timeline: a project's posts, one post in full, and what a creator can do to one. */
import type { Db } from '../db/client'
import { createRoute, z } from '@hono/zod-openapi'
import { and, asc, eq, gt, gte, inArray, lt, or, sql } from 'drizzle-orm'
import type { Context } from 'hono'
import { autopilots, media, postEvents, posts, postTargets, projects, type LookValues } from '../db/schema'
import { freeSlots } from '../db/free-slots'
import { insertPost, loadPostRender, movePost, moveTarget } from '../db/posts'
import type { AutopilotConfig } from '../domain/autopilot-config'
import { hashtag, platformTextsSchema, textProblems, type PlatformTexts } from '../domain/platform-texts'
import { POST_FRAMINGS } from '../domain/post-spec'
import { nextPostStatuses, PLATFORMS, POST_ACTIONS, POST_STATUSES, REPLANNABLE_POST_STATUSES, TARGET_STATUSES, type Platform, type PostStatus } from '../domain/post-state'
import { outsideWindowsMessage, slotKey } from '../domain/slots'
import { linkLineFor } from '../domain/tracked-links'
import type { AppEnv } from '../env'
import { badRequest, conflict, type FieldError } from '../lib/errors'
import { newId } from '../lib/ids'
import { expiresIn, signedUrl, signingKey } from '../lib/signed-url'
import { enqueuePublish, enqueueRender } from '../queues/producers'
import { connectedPlatforms } from '../db/connections'
import { PlatformListSchema, targetPlatforms } from '../domain/targets'
import { writePostTexts } from '../scheduler/planner'
import { PLATFORM_LIMITS } from '../../containers/render/recipe/platforms'
import { requireOwned, requireProject, requireProjectWith } from './access'
import { decodeCursor, encodeCursor } from './cursor'
import { commonErrors, createRouter, errorResponses, IdParam, json, jsonBody, security, Timestamp, matching } from './openapi'
import { sqlNow } from '../db/time'
import { publicOrigin } from '../lib/public-url'
import { auditIfChanged } from '../lib/audit'
import { formatAt } from '../domain/when'

const tags = ['Posts']
const postParams = z.object({ id: IdParam('id', 'post_0123456789abcdefghjk') })
const projectParams = z.object({ id: IdParam('id', 'prj_0123456789abcdefghjk') })

export const FocusSchema = z.object({ x: z.number().min(0).max(1), y: z.number().min(0).max(1) })
export const TrimSchema = z
  .object({ startSec: z.number().min(0), endSec: z.number().positive() })
  .refine((t) => t.endSec - t.startSec >= 1, { message: 'endSec must be at least 1 s after startSec', path: ['endSec'] })

const TargetSchema = z.object({
  platform: z.enum(PLATFORMS),
  status: z.enum(TARGET_STATUSES),
  remoteId: z.string().nullable(),
  remoteUrl: z.string().nullable(),
  error: z.string().nullable(),
  errorKind: z.string().nullable(),
  attempt: z.number(),
  publishedAt: Timestamp.nullable(),
})

/** The per-platform texts as the API takes them (the OpenAPI view of `platformTextsSchema`). */
export const PlatformTextsBody = platformTextsSchema.meta({
  id: 'PlatformTexts',
  description: 'YouTube title (≤ 100 characters) and description (≤ 5000 bytes), TikTok and Instagram captions (≤ 2200 characters); hashtags are added to each when published',
})

export const PostSummarySchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    origin: z.enum(['autopilot', 'manual']),
    status: z.enum(POST_STATUSES),
    scheduledAt: Timestamp,
    mediaId: z.string().nullable(),
    clip: z
      .object({ id: z.string(), title: z.string(), thumbnailKey: z.string().nullable(), durationSec: z.number().nullable(), width: z.number().nullable(), height: z.number().nullable() })
      .nullable()
      .openapi({ description: 'The clip, with its length and size (the composer’s trim and framing)' }),
    hook: z.string().nullable(),
    caption: z.string().nullable(),
    hashtags: z.array(z.string()),
    callToAction: z.string().nullable().openapi({ description: 'Shown at the end of the video; empty: none; null: the objective’s' }),
    framing: z.enum(POST_FRAMINGS).nullable().openapi({ description: 'null: the project’s default' }),
    speechCaptions: z.boolean().nullable().openapi({ description: 'Captions from speech (#15) burned in: true or false as set on the post; null: the autopilot’s setting (on unless turned off)' }),
    focus: FocusSchema.nullable().openapi({ description: 'Where a crop centres (fractions of the clip); null: the middle' }),
    trim: TrimSchema.nullable().openapi({ description: 'The part of the clip used, in seconds; null: from the start, as long as the platforms allow (60 s at most)' }),
    style: z.string(),
    language: z.string(),
    objective: z.string(),
    skipReason: z.string().nullable(),
    error: z.string().nullable(),
    renderProgress: z.number().min(0).max(1).nullable().openapi({ description: '0..1 while rendering; 1 once rendered' }),
    platformTexts: PlatformTextsBody.nullable().openapi({ description: "The creator's own text per platform; a platform left out publishes the shared text" }),
    textsProvider: z.string().nullable().openapi({ description: 'Who wrote the texts: `workers-ai` or `openai` (the AI assistant), `builtin` (templates, not AI), null (the creator)' }),
    choiceReason: z.string().nullable().openapi({ description: 'Why the learning autopilot gave this post its window part and style; null: not chosen by it' }),
    outsideWindows: z.string().nullable().openapi({ description: "Why the post's time is outside the autopilot's posting windows; null when inside (or no autopilot)" }),
    targets: z.array(TargetSchema),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('PostSummary')

const WarningSchema = z.object({ field: z.string(), message: z.string() })

export const PostSchema = PostSummarySchema.extend({
  spec: z.record(z.string(), z.unknown()).nullable().openapi({ description: 'The render spec this post renders with (containers/render/recipe/spec.ts): the preview renders the same' }),
  logoUrl: z.string().nullable().openapi({ description: 'The project logo drawn on the video (a signed URL, one hour)' }),
  warnings: z.array(WarningSchema).optional().openapi({ description: 'After a write: what was accepted but deserves a look (a time outside the posting windows)' }),
  render: z
    .object({ videoUrl: z.string(), coverUrl: z.string(), duration: z.number(), width: z.number(), height: z.number(), size: z.number(), sha256: z.string() })
    .nullable(),
  events: z.array(z.object({ at: Timestamp, type: z.string(), platform: z.string().nullable(), from: z.string().nullable(), to: z.string().nullable(), message: z.string().nullable() })),
}).openapi('Post')

export const BulkPlanSchema = z
  .object({
    plan: z.array(z.object({ mediaId: z.string(), title: z.string(), scheduledAt: Timestamp })),
    posts: z.array(PostSummarySchema),
  })
  .openapi('BulkPlan')

type PostRow = typeof posts.$inferSelect

/**
 * Posts with their clip and their project's autopilot configuration joined: one statement. Every
 * column it selects has a name of its own (the clip's id is `clip_id`), so it can go in a D1 batch
 * (access.ts requireProjectWith says why that matters).
 */
const postsWithClip = (db: Db) =>
  db
    .select({ post: posts, clip: { id: sql<string>`${media.id}`.as('clip_id'), title: media.title, thumbnailKey: media.thumbnailKey, durationSec: media.durationSec, width: media.width, height: media.height }, config: autopilots.config })
    .from(posts)
    .leftJoin(media, eq(media.id, posts.mediaId))
    .leftJoin(autopilots, eq(autopilots.projectId, posts.projectId))
type PostWithClip = Awaited<ReturnType<ReturnType<typeof postsWithClip>['all']>>[number]

/** Summaries of posts already read (reads their clips and configuration again, joined). */
async function summaries(c: Context<AppEnv>, rows: PostRow[]) {
  if (rows.length === 0) return []
  const found = await postsWithClip(c.get('db')).where(inArray(posts.id, rows.map((r) => r.id))).all()
  return summarize(c, rows.map((r) => ({ ...found.find((f) => f.post.id === r.id)!, post: r })))
}

/** The summaries of posts read with `postsWithClip`: one more statement, their targets. */
async function summarize(c: Context<AppEnv>, items: PostWithClip[]) {
  if (items.length === 0) return []
  const targets = await c.get('db').select().from(postTargets).where(inArray(postTargets.postId, items.map((i) => i.post.id))).orderBy(asc(postTargets.platform)).all()
  return items.map(({ post: r, clip, config }) => ({
    id: r.id,
    projectId: r.projectId,
    origin: r.origin,
    status: r.status,
    scheduledAt: r.scheduledAt,
    mediaId: r.mediaId,
    clip: clip?.id ? clip : null,
    hook: r.hook,
    caption: r.caption,
    hashtags: r.hashtags,
    callToAction: r.callToAction,
    textsProvider: r.textsProvider ?? null,
    choiceReason: r.choiceReason ?? null,
    framing: r.framing,
    speechCaptions: r.speechCaptions ?? null,
    focus: r.focusX !== null && r.focusY !== null ? { x: r.focusX, y: r.focusY } : null,
    trim: r.trimStartSec !== null || r.trimEndSec !== null ? { startSec: r.trimStartSec ?? 0, endSec: r.trimEndSec ?? 0 } : null,
    style: r.style,
    language: r.language,
    objective: r.objective,
    skipReason: r.skipReason,
    error: r.error,
    renderProgress: r.renderProgress,
    platformTexts: r.platformTexts ?? null,
    outsideWindows: config ? outsideWindowsMessage(config, new Date(r.scheduledAt)) : null,
    targets: targets
      .filter((t) => t.postId === r.id)
      .map((t) => ({ platform: t.platform, status: t.status, remoteId: t.remoteId, remoteUrl: t.remoteUrl, error: t.error, errorKind: t.errorKind, attempt: t.attempt, publishedAt: t.publishedAt })),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  }))
}

/** A post the caller may act on with `permission` (404 when its project is hidden from them). */
export async function loadPost(c: Context<AppEnv>, id: string, permission: 'projects.read' | 'projects.write') {
  return requireOwned(c, await c.get('db').select().from(posts).where(eq(posts.id, id)).get(), permission, 'Post')
}

/** The post in full; pass `row` when it was just read (a read), leave it out after a write. */
async function fullPost(c: Context<AppEnv>, id: string, row?: PostRow) {
  const db = c.get('db')
  row ??= (await db.select().from(posts).where(eq(posts.id, id)).get())!
  const [summary] = await summaries(c, [row])
  const events = await db.select().from(postEvents).where(eq(postEvents.postId, id)).orderBy(asc(postEvents.id)).all()
  let render = null
  if (row.renderKey && row.coverKey) {
    const origin = publicOrigin(c.env)
    const exp = expiresIn(60 * 60_000)
    render = {
      videoUrl: await signedUrl(signingKey(c.env), origin, { op: 'get', key: row.renderKey, contentType: 'video/mp4', exp }),
      coverUrl: await signedUrl(signingKey(c.env), origin, { op: 'get', key: row.coverKey, contentType: 'image/jpeg', exp }),
      duration: row.renderDurationSec ?? 0,
      width: row.renderWidth ?? 0,
      height: row.renderHeight ?? 0,
      size: row.renderSize ?? 0,
      sha256: row.renderSha256 ?? '',
    }
  }
  const { spec, logo } = await loadPostRender(db, row)
  const logoUrl =
    logo ? await signedUrl(signingKey(c.env), publicOrigin(c.env), { op: 'get', key: logo.key, contentType: logo.contentType, exp: expiresIn(60 * 60_000) }) : null
  return {
    ...summary,
    spec: spec as Record<string, unknown> | null,
    logoUrl,
    render,
    events: events.map((e) => ({ at: e.at, type: e.type, platform: e.platform, from: e.fromStatus, to: e.toStatus, message: e.message })),
  }
}

function refuseMove(status: PostStatus, action: string, allowed: readonly PostStatus[]): never {
  throw conflict(`This post is ${status}; it can be ${action} only when ${allowed.join(' or ')}.${nextPostStatuses(status).length ? '' : ' It is final.'}`)
}

/** What a post is made of when a creator makes one (by hand, in bulk, or from a draft). */
export interface NewPost extends LookValues {
  mediaId: string
  /** ISO time; now when left out. */
  scheduledAt?: string
  platforms?: Platform[]
  caption?: string
  hashtags?: string[]
  platformTexts?: PlatformTexts
  /** The autopilot slot it fills (bulk scheduling), so the autopilot plans nothing else there. */
  slot?: Date
}

async function autopilotConfig(c: Context<AppEnv>, projectId: string): Promise<AutopilotConfig | undefined> {
  return (await c.get('db').select({ config: autopilots.config }).from(autopilots).where(eq(autopilots.projectId, projectId)).get())?.config
}

/**
 * The warning for a time outside the posting windows, or a 400 when the project keeps posts
 * inside them (`keepToWindows`). No autopilot, no windows: nothing to say.
 */
export function windowWarnings(config: AutopilotConfig | undefined, when: Date): FieldError[] {
  const message = config ? outsideWindowsMessage(config, when) : null
  if (!message) return []
  if (config!.keepToWindows) {
    throw badRequest(`${message}; this project keeps posts inside its windows (change it on the autopilot page).`, [
      { field: 'scheduledAt', message: `${message}; this project keeps posts inside its windows` },
    ])
  }
  return [{ field: 'scheduledAt', message }]
}

/** A clip of the project's library, or a 400 naming `field` (a post or a draft is made of it). */
export async function projectClip(c: Context<AppEnv>, projectId: string, mediaId: string, field = 'mediaId') {
  const clip = await c.get('db').select().from(media).where(and(eq(media.id, mediaId), eq(media.projectId, projectId))).get()
  if (!clip) throw badRequest('That clip is not in this project’s library.', [{ field, message: 'not found in this project' }])
  return clip
}

/** A post's time may be at most a minute in the past (the clock of the caller may lag). */
function checkNotPast(when: Date, field: string, now = Date.now()) {
  if (when.getTime() < now - 60_000) throw badRequest('scheduledAt is in the past.', [{ field, message: 'must not be in the past' }])
}

/** The tracked-link line a project's texts are published with (#13), as long as a real one, or null. */
export const linkLineOf = (c: Context<AppEnv>, linkUrl: string | null) => (linkUrl ? linkLineFor(publicOrigin(c.env), linkUrl) : null)

/** Refuses texts that would go over a platform's limit once its hashtags (and the project's tracked link) are added. */
function checkTextLimits(texts: { hook: string | null; caption: string | null; callToAction: string | null; hashtags: string[]; platformTexts?: PlatformTexts | null }, platforms: readonly Platform[], link: string | null) {
  const problems = textProblems(texts, platforms, link)
  if (problems.length) throw badRequest(`Too long for the platform: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems)
}

/**
 * Makes a post of a clip for a creator: checks the clip, the time and the platforms, writes the
 * post with its targets and first event in one batch, and sends it to render. Returns its id and
 * what deserves a warning.
 */
export async function createPost(c: Context<AppEnv>, projectId: string, body: NewPost, field = (name: string) => name): Promise<{ postId: string; warnings: FieldError[] }> {
  const { project } = await requireProject(c, projectId, 'projects.write')
  const db = c.get('db')
  const clip = await projectClip(c, projectId, body.mediaId, field('mediaId'))
  if (clip.status !== 'ready' || clip.kind !== 'video') {
    throw conflict(clip.status !== 'ready' ? `That clip is ${clip.status}, not ready to post.` : 'That item is a picture; posts need a video clip.')
  }
  const now = Date.now()
  const when = body.scheduledAt ? new Date(body.scheduledAt) : new Date(now)
  checkNotPast(when, field('scheduledAt'), now)
  const config = await autopilotConfig(c, projectId)
  const warnings = body.scheduledAt && !body.slot ? windowWarnings(config, when) : []
  const settings = { language: config?.language ?? 'en', style: config?.style ?? 'minimal', objective: config?.objective ?? 'awareness' } as const
  const connected = await connectedPlatforms(db, projectId)
  const platforms = targetPlatforms(body.platforms ?? config?.platforms, connected)
  if (platforms.length === 0) {
    throw conflict(
      body.platforms
        ? `${body.platforms.join(', ')} ${body.platforms.length > 1 ? 'are' : 'is'} not connected: connect ${body.platforms.length > 1 ? 'them' : 'it'} under Connections first.`
        : 'No platform is connected: connect YouTube, TikTok or Instagram under Connections first.',
    )
  }
  checkTrim(body.trim, clip.durationSec)
  const look = lookColumns(body)
  const texts = await writePostTexts(db, {
    projectId,
    clip,
    settings,
    seed: `${projectId}:${clip.id}:${when.toISOString()}`,
    trim: { trimStartSec: look.trimStartSec ?? null, trimEndSec: look.trimEndSec ?? null },
    maxDurationSec: Math.min(...platforms.map((p) => PLATFORM_LIMITS[p].maxDurationSec)),
  })
  const content = {
    hook: texts.hook,
    caption: body.caption ?? texts.caption,
    hashtags: normalizeTags(body.hashtags) ?? texts.hashtags,
    callToAction: texts.callToAction,
    // Who wrote the texts: the creator (their caption) or the templates.
    textsProvider: body.caption !== undefined ? null : (texts.provider ?? 'builtin'),
    ...look,
    platformTexts: body.platformTexts ?? null,
  }
  checkTextLimits(content, platforms, linkLineOf(c, project.linkUrl))
  const postId = newId('post')
  const created = await insertPost(
    db,
    {
      id: postId,
      workspaceId: project.workspaceId,
      projectId,
      mediaId: clip.id,
      origin: 'manual',
      slotKey: body.slot ? slotKey(body.slot) : `manual:${postId}`,
      status: 'planned',
      scheduledAt: when.toISOString(),
      ...settings,
      requireApproval: config?.requireApproval ?? false,
      ...content,
    },
    platforms,
    body.slot ? 'Put in a free autopilot slot by hand' : body.scheduledAt ? 'Scheduled by hand' : 'Posted by hand, to go out now',
  )
  // Only an autopilot slot can be taken (a bulk plan raced the autopilot or another plan).
  if (!created) throw conflict(`The slot at ${formatAt(when, config?.timezone ?? 'UTC')} was taken meanwhile: plan again.`)
  await enqueueRender(c.env, [postId])
  return { postId, warnings }
}

/** Bulk posts start at least this far ahead, so each can render before its time. */
const BULK_LEAD_MS = 15 * 60_000

const IsoDate = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, like 2026-11-22T12:00:00Z' })
export const Hashtags = z.array(matching(z.string().trim(), /^#?[\p{L}\p{N}_]{1,100}$/u, 'a hashtag is letters, digits and underscores')).max(30)

/** What a creator may set on a post before it renders (and change later: that renders it again); a draft keeps them too. */
export const PostLook = {
  hook: z.string().trim().max(140, 'must be at most 140 characters').optional().openapi({ description: 'The big text of the first seconds' }),
  callToAction: z.string().trim().max(80, 'must be at most 80 characters').optional().openapi({ description: 'The last seconds’ text; an empty string shows none' }),
  framing: z.enum(POST_FRAMINGS).nullable().optional(),
  speechCaptions: z.boolean().nullable().optional().openapi({ description: 'Captions from speech (the clip’s transcript, word by word): true on, false off, null the autopilot’s setting' }),
  focus: FocusSchema.nullable().optional(),
  trim: TrimSchema.nullable().optional(),
}

/** The columns of the look fields given (undefined: leave as is; null: back to the default). */
function lookColumns(body: LookValues) {
  return {
    ...(body.hook !== undefined ? { hook: body.hook } : {}),
    ...(body.callToAction !== undefined ? { callToAction: body.callToAction } : {}),
    ...(body.framing !== undefined ? { framing: body.framing } : {}),
    ...(body.speechCaptions !== undefined ? { speechCaptions: body.speechCaptions } : {}),
    ...(body.focus !== undefined ? { focusX: body.focus?.x ?? null, focusY: body.focus?.y ?? null } : {}),
    ...(body.trim !== undefined ? { trimStartSec: body.trim?.startSec ?? null, trimEndSec: body.trim?.endSec ?? null } : {}),
  }
}

/** What PATCH /posts/{id} takes. */
export type PostEdit = Partial<{ caption: string; hashtags: string[]; scheduledAt: string; platformTexts: PlatformTexts | null }> & Parameters<typeof lookColumns>[0]

/**
 * Edits a post before it publishes (PATCH /posts/{id}, and the assistant writing a post's texts):
 * checks the limits and the time, renders again when what is drawn changed. `textsProvider` says who
 * wrote new texts (left out: the creator, once caption or platform texts change).
 */
export async function editPost(c: Context<AppEnv>, id: string, body: PostEdit, options: { textsProvider?: string | null } = {}) {
  const post = await loadPost(c, id, 'projects.write')
  const db = c.get('db')
  const editable = POST_ACTIONS.edit
  if (!editable.includes(post.status)) refuseMove(post.status, 'edited', editable)
  if (body.scheduledAt) checkNotPast(new Date(body.scheduledAt), 'scheduledAt')
  const warnings = body.scheduledAt ? windowWarnings(await autopilotConfig(c, post.projectId), new Date(body.scheduledAt)) : []
  if (body.caption !== undefined || body.hashtags !== undefined || body.platformTexts !== undefined || body.hook !== undefined || body.callToAction !== undefined) {
    const targets = await db.select({ platform: postTargets.platform }).from(postTargets).where(eq(postTargets.postId, id)).all()
    checkTextLimits(
      {
        hook: body.hook ?? post.hook,
        caption: body.caption ?? post.caption,
        callToAction: body.callToAction ?? post.callToAction,
        hashtags: body.hashtags ?? post.hashtags,
        platformTexts: body.platformTexts === undefined ? post.platformTexts : body.platformTexts,
      },
      targets.map((t) => t.platform),
      linkLineOf(c, (await db.select({ linkUrl: projects.linkUrl }).from(projects).where(eq(projects.id, post.projectId)).get())?.linkUrl ?? null),
    )
  }
  if (body.trim && post.mediaId) {
    const clip = await db.select({ durationSec: media.durationSec }).from(media).where(eq(media.id, post.mediaId)).get()
    checkTrim(body.trim, clip?.durationSec ?? null)
  }
  const look = lookColumns(body)
  // What is drawn on the video changed (the caption is drawn too): the post renders again.
  const changesVideo =
    Object.entries(look).some(([k, v]) => post[k as keyof typeof look] !== v) || (body.caption !== undefined && body.caption !== post.caption)
  const fields = {
    caption: body.caption,
    hashtags: normalizeTags(body.hashtags),
    scheduledAt: body.scheduledAt ? new Date(body.scheduledAt).toISOString() : undefined,
    platformTexts: body.platformTexts,
    // The creator rewrote the texts: they are theirs now (unless the assistant wrote them: its provider).
    textsProvider: options.textsProvider !== undefined ? options.textsProvider : body.caption !== undefined || body.platformTexts !== undefined ? null : undefined,
    ...look,
  }
  if (changesVideo && post.status === 'rendering') {
    throw conflict('This post is rendering right now; change what is on the video once it is rendered (its render takes about a minute).')
  }
  let rerender = false
  if (changesVideo && post.status !== 'planned') {
    const moved = await movePost(db, id, REPLANNABLE_POST_STATUSES, 'planned', { ...fields, renderKey: null, coverKey: null, renderProgress: null, error: null }, 'Edited: rendering again')
    if (!moved) throw conflict('The post moved on while it was being edited; reload it.')
    // Targets that had failed get another go with the new video.
    for (const platform of PLATFORMS) await moveTarget(db, id, platform, 'failed', 'pending', { error: null, errorKind: null }, 'Edited: rendering again')
    rerender = true
  } else {
    const updated = await db
      .update(posts)
      .set({ ...fields, updatedAt: sqlNow() })
      .where(and(eq(posts.id, id), inArray(posts.status, changesVideo ? ['planned'] : [...editable])))
      .returning({ status: posts.status })
    if (!updated.length) throw conflict('The post moved on while it was being edited; reload it.')
    // Publish messages already sent carry no time: the consumer checks the post's time when
    // one arrives, and delays again if it is early. A new time only needs a message for it.
    if (body.scheduledAt && updated[0].status === 'scheduled') await enqueuePublish(c.env, id)
  }
  if (rerender) await enqueueRender(c.env, [id])
  return { ...(await fullPost(c, id)), warnings }
}

/** A trim must lie within the clip. */
export function checkTrim(trim: { startSec: number; endSec: number } | null | undefined, clipSec: number | null) {
  if (!trim || clipSec === null) return
  if (trim.endSec > clipSec + 0.05) throw badRequest(`The trim ends at ${trim.endSec} s but the clip is ${Math.round(clipSec * 10) / 10} s long.`, [{ field: 'trim.endSec', message: `must be at most ${Math.round(clipSec * 10) / 10}` }])
}

const normalizeTags = (tags: string[] | undefined) => tags?.map(hashtag)

export const postsApi = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/projects/{id}/posts',
      tags,
      security,
      summary: "A project's posts in time order (the content timeline)",
      request: {
        params: projectParams,
        query: z.object({
          from: IsoDate.optional(),
          to: IsoDate.optional(),
          status: z.enum(POST_STATUSES).optional(),
          cursor: z.string().max(200).optional(),
          limit: z.coerce.number().int().min(1).max(200).default(50),
        }),
      },
      responses: { 200: json(z.object({ data: z.array(PostSummarySchema), nextCursor: z.string().nullable() }), 'Posts'), ...commonErrors },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const q = c.req.valid('query')
      const conditions = [eq(posts.projectId, id)]
      if (q.from) conditions.push(gte(posts.scheduledAt, new Date(q.from).toISOString()))
      if (q.to) conditions.push(lt(posts.scheduledAt, new Date(q.to).toISOString()))
      if (q.status) conditions.push(eq(posts.status, q.status))
      if (q.cursor) {
        const [scheduledAt, postId] = decodeCursor(q.cursor, 2)
        conditions.push(or(gt(posts.scheduledAt, scheduledAt), and(eq(posts.scheduledAt, scheduledAt), gt(posts.id, postId)))!)
      }
      // The access check and the page in one D1 round trip (the page is scoped by the project's id).
      const { rows } = await requireProjectWith(c, id, 'projects.read', postsWithClip(c.get('db')).where(and(...conditions)).orderBy(asc(posts.scheduledAt), asc(posts.id)).limit(q.limit + 1))
      const page = rows.slice(0, q.limit)
      const last = page.at(-1)?.post
      return c.json({ data: await summarize(c, page), nextCursor: rows.length > q.limit && last ? encodeCursor([last.scheduledAt, last.id]) : null }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/projects/{id}/posts',
      tags,
      security,
      summary: 'Schedule a chosen clip by hand (editor); without scheduledAt it goes now',
      request: {
        params: projectParams,
        body: jsonBody(
          z.object({
            mediaId: z.string().min(1).max(64),
            scheduledAt: IsoDate.optional(),
            platforms: PlatformListSchema.optional(),
            caption: z.string().max(2200).optional(),
            hashtags: Hashtags.optional(),
            ...PostLook,
            platformTexts: PlatformTextsBody.optional(),
          }),
        ),
      },
      responses: { 201: json(PostSchema, 'Scheduled (with warnings when the time is outside the posting windows)'), ...commonErrors, ...errorResponses(409) },
    }),
    async (c) => {
      const { id: projectId } = c.req.valid('param')
      const { postId, warnings } = await createPost(c, projectId, c.req.valid('json'))
      return c.json({ ...(await fullPost(c, postId)), warnings }, 201)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/projects/{id}/posts/bulk',
      tags,
      security,
      summary: "Put several clips into the autopilot's next free slots (editor): confirm false answers the plan only, confirm true makes the posts",
      request: {
        params: projectParams,
        body: jsonBody(
          z.object({
            mediaIds: z
              .array(z.string().min(1).max(64))
              .min(1, 'choose at least one clip')
              .max(50, 'at most 50 clips at once')
              .refine((ids) => new Set(ids).size === ids.length, 'a clip is listed twice'),
            confirm: z.boolean({ error: 'confirm is true (make the posts) or false (show the plan)' }),
            platforms: PlatformListSchema.optional(),
          }),
        ),
      },
      responses: {
        200: json(BulkPlanSchema, 'The plan (confirm false): which clip goes at which time'),
        201: json(BulkPlanSchema, 'The posts made (confirm true)'),
        ...commonErrors,
        ...errorResponses(409),
      },
    }),
    async (c) => {
      const { id: projectId } = c.req.valid('param')
      const body = c.req.valid('json')
      await requireProject(c, projectId, 'projects.write')
      const db = c.get('db')
      const config = await autopilotConfig(c, projectId)
      if (!config) throw conflict('Set up the autopilot first: bulk scheduling fills the free slots of its posting windows.')
      const clips = await db.select({ id: media.id, title: media.title, status: media.status, kind: media.kind }).from(media).where(and(eq(media.projectId, projectId), inArray(media.id, body.mediaIds))).all()
      const errors = body.mediaIds.flatMap((mediaId, i) => {
        const clip = clips.find((m) => m.id === mediaId)
        if (!clip) return [{ field: `mediaIds.${i}`, message: 'not found in this project' }]
        if (clip.status !== 'ready' || clip.kind !== 'video') return [{ field: `mediaIds.${i}`, message: clip.kind !== 'video' ? 'is a picture; posts need a video clip' : `is ${clip.status}, not ready to post` }]
        return []
      })
      if (errors.length) throw badRequest(`Some clips cannot be posted: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, errors)
      // Far enough ahead that the post can render before its time.
      const slots = await freeSlots(db, projectId, config, { after: new Date(Date.now() + BULK_LEAD_MS), count: body.mediaIds.length })
      if (slots.length < body.mediaIds.length) throw conflict(`Only ${slots.length} free slots were found for ${body.mediaIds.length} clips.`)
      const plan = body.mediaIds.map((mediaId, i) => ({ mediaId, title: clips.find((m) => m.id === mediaId)!.title, scheduledAt: slots[i].toISOString() }))
      if (!body.confirm) return c.json({ plan, posts: [] }, 200)
      const made: string[] = []
      for (const [i, item] of plan.entries()) {
        const { postId } = await createPost(c, projectId, { mediaId: item.mediaId, scheduledAt: item.scheduledAt, platforms: body.platforms, slot: slots[i] }, (f) => (f === 'mediaId' ? `mediaIds.${i}` : f))
        made.push(postId)
      }
      const rows = await db.select().from(posts).where(inArray(posts.id, made)).orderBy(asc(posts.scheduledAt)).all()
      return c.json({ plan, posts: await summaries(c, rows) }, 201)
    },
  )
  .openapi(
    createRoute({ method: 'get', path: '/posts/{id}', tags, security, summary: 'A post with its targets, render and history', request: { params: postParams }, responses: { 200: json(PostSchema, 'The post'), ...commonErrors } }),
    async (c) => {
      const { id } = c.req.valid('param')
      const row = await loadPost(c, id, 'projects.read')
      return c.json(await fullPost(c, id, row), 200)
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/posts/{id}',
      tags,
      security,
      summary: 'Edit a post before it publishes (editor): texts, framing or trim render it again; a new time re-arms publishing, and outside the posting windows is refused when the autopilot keeps to them, else accepted with a warning',
      request: {
        params: postParams,
        body: jsonBody(
          z
            .object({ caption: z.string().max(2200).optional(), hashtags: Hashtags.optional(), scheduledAt: IsoDate.optional(), platformTexts: PlatformTextsBody.nullable().optional(), ...PostLook })
            .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'give a field to change: hook, caption, callToAction, hashtags, platformTexts, framing, speechCaptions, focus, trim or scheduledAt' }),
        ),
      },
      responses: { 200: json(PostSchema, 'Updated'), ...commonErrors, ...errorResponses(409) },
    }),
    async (c) => c.json(await editPost(c, c.req.valid('param').id, c.req.valid('json')), 200),
  )
  .openapi(
    createRoute({ method: 'post', path: '/posts/{id}/approve', tags, security, summary: 'Approve a rendered post for publishing (editor)', request: { params: postParams }, responses: { 200: json(PostSchema, 'Approved'), ...commonErrors, ...errorResponses(409) } }),
    async (c) => {
      const { id } = c.req.valid('param')
      const post = await loadPost(c, id, 'projects.write')
      const entry = auditIfChanged(c, { workspaceId: post.workspaceId, action: 'post.approved', targetType: 'post', targetId: id, details: { projectId: post.projectId } })
      const moved = await movePost(c.get('db'), id, 'awaiting_approval', 'scheduled', {}, 'Approved', [entry])
      if (!moved) refuseMove(post.status, 'approved', POST_ACTIONS.approve)
      await enqueuePublish(c.env, id)
      return c.json(await fullPost(c, id), 200)
    },
  )
  .openapi(
    createRoute({ method: 'post', path: '/posts/{id}/cancel', tags, security, summary: 'Cancel a post that is not published yet (editor)', request: { params: postParams }, responses: { 200: json(PostSchema, 'Canceled'), ...commonErrors, ...errorResponses(409) } }),
    async (c) => {
      const { id } = c.req.valid('param')
      const post = await loadPost(c, id, 'projects.write')
      const db = c.get('db')
      const entry = auditIfChanged(c, { workspaceId: post.workspaceId, action: 'post.canceled', targetType: 'post', targetId: id, details: { projectId: post.projectId, from: post.status } })
      const moved = await movePost(db, id, POST_ACTIONS.cancel, 'canceled', { leaseUntil: null }, 'Canceled', [entry])
      if (!moved) refuseMove(post.status, 'canceled', POST_ACTIONS.cancel)
      for (const platform of PLATFORMS) await moveTarget(db, id, platform, 'pending', 'canceled', {}, 'Post canceled')
      return c.json(await fullPost(c, id), 200)
    },
  )
  .openapi(
    createRoute({ method: 'post', path: '/posts/{id}/retry', tags, security, summary: 'Retry a failed post (editor)', request: { params: postParams }, responses: { 200: json(PostSchema, 'Retrying'), ...commonErrors, ...errorResponses(409) } }),
    async (c) => {
      const { id } = c.req.valid('param')
      const post = await loadPost(c, id, 'projects.write')
      if (!POST_ACTIONS.retry.includes(post.status)) refuseMove(post.status, 'retried', POST_ACTIONS.retry)
      const db = c.get('db')
      const entry = auditIfChanged(c, { workspaceId: post.workspaceId, action: 'post.retried', targetType: 'post', targetId: id, details: { projectId: post.projectId, rerender: !post.renderKey } })
      if (!post.renderKey) {
        if (!(await movePost(db, id, 'failed', 'planned', { error: null }, 'Retry: render again', [entry]))) refuseMove(post.status, 'retried', POST_ACTIONS.retry)
        await enqueueRender(c.env, [id])
      } else {
        if (!(await movePost(db, id, 'failed', 'scheduled', { error: null }, 'Retry: publish again', [entry]))) refuseMove(post.status, 'retried', POST_ACTIONS.retry)
        for (const platform of PLATFORMS) await moveTarget(db, id, platform, 'failed', 'pending', { error: null, errorKind: null }, 'Retry')
        await enqueuePublish(c.env, id)
      }
      return c.json(await fullPost(c, id), 200)
    },
  )

