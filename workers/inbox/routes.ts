/**
 * The inbox: recent comments on a project's published posts, each with a suggested reply (the
 * message tool; never sent by itself), the creator's edits, a state (new, replied, dismissed), and
 * the reply sent only when the creator asks. Suggestions that add a link or a contact detail the
 * creator did not write are flagged (`domain/inbox.ts`).
 */
import { createRoute, z } from '@hono/zod-openapi'
import { and, desc, eq, inArray, isNotNull, ne } from 'drizzle-orm'
import type { Context } from 'hono'
import { requireOwned, requireProject } from '../api/access'
import { commonErrors, createRouter, errorResponses, IdParam, json, jsonBody, security, Timestamp } from '../api/openapi'
import { limitAiRequests } from '../ai/limit'
import { projectFacts } from '../ai/project'
import { runTask } from '../ai/run'
import { messageTask } from '../ai/tools/message'
import type { Db } from '../db/client'
import { connections, inboxComments, INBOX_STATES, posts, postTargets } from '../db/schema'
import { unrequestedDetails } from '../domain/inbox'
import { PLATFORMS, type Platform } from '../domain/post-state'
import type { AppEnv } from '../env'
import { audit } from '../lib/audit'
import { conflict, HttpError, notFound } from '../lib/errors'
import { newId } from '../lib/ids'
import { sqlNow } from '../db/time'
import { authorizedCalls, PublishError } from '../platforms'
import { commentSourceFor, missingInboxScope, TIKTOK_NOTE } from './sources'

const tags = ['Inbox']
/** Published posts whose comments are read, newest first. */
const RECENT_POSTS = 20

const FlagSchema = z.object({ kind: z.enum(['link', 'email', 'phone', 'handle']), value: z.string() })
export const InboxCommentSchema = z
  .object({
    id: z.string(),
    postId: z.string(),
    postTitle: z.string(),
    platform: z.enum(PLATFORMS),
    author: z.string(),
    text: z.string().openapi({ description: 'Written by someone else: shown as text, never followed' }),
    publishedAt: Timestamp,
    state: z.enum(INBOX_STATES),
    suggestedReply: z.string().nullable(),
    suggestedBy: z.string().nullable().openapi({ description: 'The provider that wrote the suggestion (`builtin`: templates, not AI); null once the creator edited it' }),
    flags: z.array(FlagSchema).openapi({ description: 'Links or contact details in the suggestion that the creator did not write' }),
    replyText: z.string().nullable(),
    repliedAt: Timestamp.nullable(),
  })
  .openapi('InboxComment')
const PlatformStatusSchema = z.object({
  platform: z.enum(PLATFORMS),
  status: z.enum(['ok', 'not_connected', 'needs_reconnect', 'unsupported', 'failed']),
  message: z.string().nullable(),
})
export const InboxSchema = z.object({ projectId: z.string(), platforms: z.array(PlatformStatusSchema), comments: z.array(InboxCommentSchema) }).openapi('Inbox')

type C = Context<AppEnv>
type Row = typeof inboxComments.$inferSelect

const view = (r: Row, titles: Map<string, string>) => ({
  id: r.id,
  postId: r.postId,
  postTitle: titles.get(r.postId) ?? '',
  platform: r.platform,
  author: r.author,
  text: r.text,
  publishedAt: r.publishedAt,
  state: r.state,
  suggestedReply: r.suggestedReply,
  suggestedBy: r.suggestedBy,
  flags: r.flags as z.output<typeof FlagSchema>[],
  replyText: r.replyText,
  repliedAt: r.repliedAt,
})

type PlatformStatus = { platform: Platform; status: 'ok' | 'not_connected' | 'needs_reconnect' | 'unsupported' | 'failed'; message: string | null; connection?: typeof connections.$inferSelect }

async function platformStatuses(db: Db, projectId: string): Promise<PlatformStatus[]> {
  const rows = await db.select().from(connections).where(eq(connections.projectId, projectId)).all()
  return PLATFORMS.map((platform): PlatformStatus => {
    const c = rows.find((r) => r.platform === platform)
    if (platform === 'tiktok') return { platform, status: 'unsupported' as const, message: TIKTOK_NOTE, connection: c }
    if (!c || c.status === 'disconnected') return { platform, status: 'not_connected' as const, message: `Connect ${platform === 'youtube' ? 'YouTube' : 'Instagram'} to see its comments here.`, connection: undefined }
    if (c.status === 'needs_reconnect') return { platform, status: 'needs_reconnect' as const, message: c.statusReason ?? 'Reconnect the account.', connection: c }
    const missing = c.mode === 'oauth' ? missingInboxScope(platform, c.scopes) : null
    if (missing) return { platform, status: 'needs_reconnect' as const, message: missing, connection: c }
    return { platform, status: 'ok' as const, message: null, connection: c }
  })
}

async function inbox(db: Db, projectId: string, state?: (typeof INBOX_STATES)[number], statuses?: Awaited<ReturnType<typeof platformStatuses>>) {
  const rows = await db
    .select()
    .from(inboxComments)
    .where(and(eq(inboxComments.projectId, projectId), state ? eq(inboxComments.state, state) : undefined))
    .orderBy(desc(inboxComments.publishedAt))
    .limit(200)
    .all()
  const postIds = [...new Set(rows.map((r) => r.postId))]
  const titles = new Map(postIds.length ? (await db.select({ id: posts.id, hook: posts.hook, caption: posts.caption }).from(posts).where(inArray(posts.id, postIds)).all()).map((p) => [p.id, p.hook ?? p.caption ?? '']) : [])
  return { projectId, platforms: (statuses ?? (await platformStatuses(db, projectId))).map(({ connection: _, ...s }) => s), comments: rows.map((r) => view(r, titles)) }
}

/** Reads new comments from every platform that gives them, and drafts a reply to each new one. */
async function refresh(c: C, projectId: string) {
  const { project } = await requireProject(c, projectId, 'projects.write')
  await limitAiRequests(c.env, project.workspaceId)
  const db = c.get('db')
  const statuses = await platformStatuses(db, projectId)
  const facts = await projectFacts(db, project)
  for (const s of statuses) {
    if (s.status !== 'ok' || !s.connection) continue
    const source = commentSourceFor(c.env, s.platform, s.connection.mode)
    if (!source) continue
    const targets = await db
      .select({ postId: postTargets.postId, remoteId: postTargets.remoteId, hook: posts.hook, caption: posts.caption, platformTexts: posts.platformTexts })
      .from(postTargets)
      .innerJoin(posts, eq(posts.id, postTargets.postId))
      .where(and(eq(posts.projectId, projectId), eq(postTargets.platform, s.platform), eq(postTargets.status, 'published'), isNotNull(postTargets.remoteId)))
      .orderBy(desc(postTargets.publishedAt))
      .limit(RECENT_POSTS)
      .all()
    const calls = authorizedCalls(c.env, db, s.connection, { now: Date.now })
    try {
      for (const t of targets) {
        const found = await calls.withAuth((ctx) => source.list(ctx, t.remoteId!))
        for (const comment of found) {
          const id = newId('cmt')
          const inserted = await db
            .insert(inboxComments)
            .values({ id, workspaceId: project.workspaceId, projectId, postId: t.postId, platform: s.platform, remoteId: comment.remoteId, author: comment.author.slice(0, 200), text: comment.text.slice(0, 10_000), publishedAt: comment.publishedAt })
            .onConflictDoNothing()
            .returning({ id: inboxComments.id })
          if (!inserted.length) continue
          const { output, provider } = await runTask({ env: c.env, db, workspaceId: project.workspaceId }, messageTask, {
            kind: 'comment',
            message: comment.text.slice(0, 5000),
            recipient: comment.author.slice(0, 100) || undefined,
            tone: 'friendly',
            language: facts.language,
            context: (t.hook ?? t.caption ?? '').slice(0, 500) || undefined,
          })
          const flags = unrequestedDetails(output.reply, [t.hook, t.caption, JSON.stringify(t.platformTexts ?? {}), facts.description])
          await db.update(inboxComments).set({ suggestedReply: output.reply, suggestedBy: provider.name, flags, updatedAt: sqlNow() }).where(eq(inboxComments.id, id))
        }
      }
    } catch (error) {
      if (!(error instanceof PublishError)) throw error
      s.status = error.failure.kind === 'disconnected' ? 'needs_reconnect' : 'failed'
      s.message = error.failure.message
    }
  }
  return inbox(db, projectId, undefined, statuses)
}

async function loadComment(c: C, id: string) {
  const row = await c.get('db').select().from(inboxComments).where(eq(inboxComments.id, id)).get()
  return requireOwned(c, row, 'projects.write', 'Comment')
}

async function titlesOf(db: Db, postId: string) {
  const p = await db.select({ hook: posts.hook, caption: posts.caption }).from(posts).where(eq(posts.id, postId)).get()
  return new Map([[postId, p?.hook ?? p?.caption ?? '']])
}

export const inboxApi = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/projects/{id}/inbox',
      tags,
      security,
      summary: "Comments on the project's published posts, with suggested replies and states",
      description: 'As last read by `POST …/inbox/refresh`. `platforms` says per platform whether comments can be read (TikTok: its API does not give them; older YouTube and Instagram connections must reconnect).',
      request: { params: z.object({ id: IdParam('id', 'prj_0123456789abcdefghjk') }), query: z.object({ state: z.enum(INBOX_STATES).optional() }) },
      responses: { 200: json(InboxSchema, 'The inbox'), ...commonErrors },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      await requireProject(c, id, 'projects.read')
      return c.json(await inbox(c.get('db'), id, c.req.valid('query').state), 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/projects/{id}/inbox/refresh',
      tags,
      security,
      summary: 'Read new comments from the platforms and draft a reply to each (nothing is sent)',
      request: { params: z.object({ id: IdParam('id', 'prj_0123456789abcdefghjk') }) },
      responses: { 200: json(InboxSchema, 'The inbox, with what was new'), ...commonErrors },
    }),
    async (c) => c.json(await refresh(c, c.req.valid('param').id), 200),
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/inbox/{commentId}',
      tags,
      security,
      summary: 'Edit the suggested reply, or dismiss the comment (or bring it back)',
      request: {
        params: z.object({ commentId: IdParam('commentId', 'cmt_0123456789abcdefghjk') }),
        body: jsonBody(
          z
            .object({ state: z.enum(['new', 'dismissed']).optional(), suggestedReply: z.string().trim().min(1).max(2000).optional() })
            .strict()
            .refine((b) => b.state !== undefined || b.suggestedReply !== undefined, { message: 'give state or suggestedReply' }),
        ),
      },
      responses: { 200: json(InboxCommentSchema, 'The comment'), ...commonErrors, ...errorResponses(409) },
    }),
    async (c) => {
      const row = await loadComment(c, c.req.valid('param').commentId)
      const body = c.req.valid('json')
      if (row.state === 'replied') throw conflict('This comment has been answered already.')
      const db = c.get('db')
      // The creator's own words: nothing left to flag, and no provider wrote them.
      const edit = body.suggestedReply !== undefined ? { suggestedReply: body.suggestedReply, suggestedBy: null, flags: [] } : {}
      const [updated] = await db.update(inboxComments).set({ ...edit, ...(body.state ? { state: body.state } : {}), updatedAt: sqlNow() }).where(and(eq(inboxComments.id, row.id), ne(inboxComments.state, 'replied'))).returning()
      if (!updated) throw conflict('This comment has been answered already.')
      if (body.state === 'dismissed' && row.state !== 'dismissed') {
        await audit(c, { workspaceId: row.workspaceId, action: 'comment.dismissed', targetType: 'inbox_comment', targetId: row.id, details: { platform: row.platform, postId: row.postId } })
      }
      return c.json(view(updated, await titlesOf(db, row.postId)), 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/inbox/{commentId}/reply',
      tags,
      security,
      summary: 'Send a reply to the comment on its platform (only ever on this request)',
      description: 'YouTube needs the youtube.force-ssl permission (older connections must reconnect: 409). A comment is answered once.',
      request: { params: z.object({ commentId: IdParam('commentId', 'cmt_0123456789abcdefghjk') }), body: jsonBody(z.object({ text: z.string().trim().min(1).max(2000) }).strict()) },
      responses: { 200: json(InboxCommentSchema, 'Answered'), ...commonErrors, ...errorResponses(409, 503) },
    }),
    async (c) => {
      const row = await loadComment(c, c.req.valid('param').commentId)
      const { text } = c.req.valid('json')
      const db = c.get('db')
      const connection = await db.select().from(connections).where(and(eq(connections.projectId, row.projectId), eq(connections.platform, row.platform))).get()
      if (!connection || connection.status === 'disconnected') throw conflict(`The ${row.platform} account is not connected any more.`)
      const missing = connection.mode === 'oauth' ? missingInboxScope(row.platform, connection.scopes) : null
      if (missing || connection.status === 'needs_reconnect') throw conflict(missing ?? connection.statusReason ?? 'Reconnect the account first.')
      const source = commentSourceFor(c.env, row.platform as Platform, connection.mode)
      if (!source) throw conflict(TIKTOK_NOTE)
      // Claimed before sending, so two clicks never send two replies.
      const [claimed] = await db.update(inboxComments).set({ state: 'replied', replyText: text, repliedAt: sqlNow(), updatedAt: sqlNow() }).where(and(eq(inboxComments.id, row.id), ne(inboxComments.state, 'replied'))).returning()
      if (!claimed) throw conflict('This comment has been answered already.')
      try {
        const sent = await authorizedCalls(c.env, db, connection, { now: Date.now }).withAuth((ctx) => source.reply(ctx, row.remoteId, text))
        const [done] = await db.update(inboxComments).set({ replyRemoteId: sent.remoteId, updatedAt: sqlNow() }).where(eq(inboxComments.id, row.id)).returning()
        // A reply is public and speaks for the creator: who sent which words, where.
        await audit(c, {
          workspaceId: row.workspaceId,
          action: 'comment.replied',
          targetType: 'inbox_comment',
          targetId: row.id,
          details: { platform: row.platform, postId: row.postId, author: row.author, text, replyRemoteId: sent.remoteId, suggestedBy: row.suggestedReply === text ? row.suggestedBy : null },
        })
        return c.json(view(done, await titlesOf(db, row.postId)), 200)
      } catch (error) {
        await db.update(inboxComments).set({ state: row.state, replyText: null, repliedAt: null, updatedAt: sqlNow() }).where(eq(inboxComments.id, row.id))
        if (error instanceof PublishError) throw new HttpError(error.failure.kind === 'disconnected' || error.failure.kind === 'auth' ? 409 : 503, `The reply was not sent: ${error.failure.message}`)
        throw error
      }
    },
  )
