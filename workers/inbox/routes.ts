/**
 * The inbox: recent comments on a project's published posts, each with a suggested reply (the
 * message tool; never sent by itself), the creator's edits, a state (new, replied, dismissed), and
 * the reply sent only when the creator asks. Suggestions that add a link or a contact detail the
 * creator did not write are flagged (`domain/inbox.ts`).
 */
import { createRoute, z } from '@hono/zod-openapi'
import { and, desc, eq, inArray, ne } from 'drizzle-orm'
import type { Context } from 'hono'
import { requireOwned, requireProject } from '../api/access'
import { commonErrors, createRouter, errorResponses, IdParam, json, jsonBody, security, Timestamp } from '../api/openapi'
import { limitAiRequests } from '../ai/limit'
import { d1Batch, type Db } from '../db/client'
import { connections, inboxComments, inboxRefreshes, INBOX_REFRESH_STATUSES, INBOX_STATES, posts } from '../db/schema'
import { PLATFORMS, type Platform } from '../domain/post-state'
import type { AppEnv } from '../env'
import { auditIfChanged, auditInsert } from '../lib/audit'
import { conflict, HttpError } from '../lib/errors'
import { sqlNow } from '../db/time'
import { authorizedCalls, PublishError } from '../platforms'
import { commentSourceFor, missingInboxScope, TIKTOK_NOTE } from './sources'
import { platformStatuses, requestRefresh } from './refresh'

const tags = ['Inbox']

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
export const InboxRefreshSchema = z
  .object({
    status: z.enum(INBOX_REFRESH_STATUSES).openapi({ description: 'queued or running: the comments are being read (off the request); done or failed: the last run' }),
    requestedAt: Timestamp,
    startedAt: Timestamp.nullable(),
    finishedAt: Timestamp.nullable().openapi({ description: 'When the last run ended: "last refreshed"' }),
    newComments: z.number().int().openapi({ description: 'Comments the last run read for the first time' }),
    error: z.string().nullable().openapi({ description: 'Why the last run failed (or, while it is retried, what went wrong)' }),
  })
  .openapi('InboxRefresh')
export const InboxSchema = z
  .object({ projectId: z.string(), platforms: z.array(PlatformStatusSchema), comments: z.array(InboxCommentSchema), refresh: InboxRefreshSchema.nullable().openapi({ description: 'The last refresh; null: never refreshed' }) })
  .openapi('Inbox')

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

async function inbox(db: Db, projectId: string, state?: (typeof INBOX_STATES)[number]) {
  const rows = await db
    .select()
    .from(inboxComments)
    .where(and(eq(inboxComments.projectId, projectId), state ? eq(inboxComments.state, state) : undefined))
    .orderBy(desc(inboxComments.publishedAt))
    .limit(200)
    .all()
  const postIds = [...new Set(rows.map((r) => r.postId))]
  const titles = new Map(postIds.length ? (await db.select({ id: posts.id, hook: posts.hook, caption: posts.caption }).from(posts).where(inArray(posts.id, postIds)).all()).map((p) => [p.id, p.hook ?? p.caption ?? '']) : [])
  const last = await db.select().from(inboxRefreshes).where(eq(inboxRefreshes.projectId, projectId)).get()
  // What the last run found (a platform that refused) overrides what the connections alone say.
  const platforms = (await platformStatuses(db, projectId)).map(({ connection: _, ...s }) => {
    const seen = last?.status === 'done' ? last.platforms.find((p) => p.platform === s.platform) : undefined
    return s.status === 'ok' && seen ? { ...s, status: seen.status as typeof s.status, message: seen.message } : s
  })
  const refresh = last ? { status: last.status, requestedAt: last.requestedAt, startedAt: last.startedAt, finishedAt: last.finishedAt, newComments: last.newComments, error: last.error } : null
  return { projectId, platforms, comments: rows.map((r) => view(r, titles)), refresh }
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
      summary: 'Read new comments from the platforms and draft a reply to each, off the request (nothing is sent)',
      description:
        'Queues one refresh (the inbox-jobs queue) and answers 202 at once with the inbox and `refresh` (queued). A refresh already queued or running is joined, not repeated. Read `GET …/inbox` until `refresh.status` is done (new comments, `finishedAt`) or failed (`error`).',
      request: { params: z.object({ id: IdParam('id', 'prj_0123456789abcdefghjk') }) },
      responses: { 202: json(InboxSchema, 'Queued (or joined): the inbox as it is, with the refresh state'), ...commonErrors },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const { project } = await requireProject(c, id, 'projects.write')
      await limitAiRequests(c.env, project.workspaceId)
      await requestRefresh(c.env, c.get('db'), project)
      return c.json(await inbox(c.get('db'), id), 202)
    },
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
      const update = db.update(inboxComments).set({ ...edit, ...(body.state ? { state: body.state } : {}), updatedAt: sqlNow() }).where(and(eq(inboxComments.id, row.id), ne(inboxComments.state, 'replied')))
      // A dismissal and its audit entry in one transaction, the entry only if the guarded update happened.
      const dismissing = body.state === 'dismissed' && row.state !== 'dismissed'
      const [moved] = await d1Batch(db, dismissing ? [update, auditIfChanged(c, { workspaceId: row.workspaceId, action: 'comment.dismissed', targetType: 'inbox_comment', targetId: row.id, details: { platform: row.platform, postId: row.postId } })] : [update])
      if (!moved!.meta.changes) throw conflict('This comment has been answered already.')
      const updated = (await db.select().from(inboxComments).where(eq(inboxComments.id, row.id)).get())!
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
      let sent: { remoteId: string }
      try {
        sent = await authorizedCalls(c.env, db, connection, { now: Date.now }).withAuth((ctx) => source.reply(ctx, row.remoteId, text))
      } catch (error) {
        await db.update(inboxComments).set({ state: row.state, replyText: null, repliedAt: null, updatedAt: sqlNow() }).where(eq(inboxComments.id, row.id))
        if (error instanceof PublishError) throw new HttpError(error.failure.kind === 'disconnected' || error.failure.kind === 'auth' ? 409 : 503, `The reply was not sent: ${error.failure.message}`)
        throw error
      }
      // The reply is out. Its remote id and its audit entry (a reply is public and speaks for the
      // creator: who sent which words, where) in one transaction; if that fails the claim stays, so
      // the reply is never sent twice.
      const [[done]] = await db.batch([
        db.update(inboxComments).set({ replyRemoteId: sent.remoteId, updatedAt: sqlNow() }).where(eq(inboxComments.id, row.id)).returning(),
        auditInsert(c, {
          workspaceId: row.workspaceId,
          action: 'comment.replied',
          targetType: 'inbox_comment',
          targetId: row.id,
          details: { platform: row.platform, postId: row.postId, author: row.author, text, replyRemoteId: sent.remoteId, suggestedBy: row.suggestedReply === text ? row.suggestedBy : null },
        }),
      ])
      return c.json(view(done!, await titlesOf(db, row.postId)), 200)
    },
  )
