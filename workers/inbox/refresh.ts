/**
 * An inbox refresh, off the page's request (#14): `POST /projects/{id}/inbox/refresh` marks the
 * project's `inbox_refreshes` row queued and sends one `inbox-jobs` message; the consumer reads new
 * comments from every platform that gives them, drafts a reply to each new one (never sent), and
 * writes how it went (new comments, per-platform failures, or why it failed) on the row the page
 * reads for its progress. A refresh already queued or running is joined, not repeated.
 */
import { and, desc, eq, inArray, isNotNull, lt, or } from 'drizzle-orm'
import { projectFacts } from '../ai/project'
import { runTask } from '../ai/run'
import { messageTask } from '../ai/tools/message'
import { createDb, type Db } from '../db/client'
import { connections, inboxComments, inboxRefreshes, posts, postTargets, projects } from '../db/schema'
import { sqlNow } from '../db/time'
import { unrequestedDetails } from '../domain/inbox'
import { PLATFORMS, type Platform } from '../domain/post-state'
import { newId } from '../lib/ids'
import { log } from '../lib/log'
import { authorizedCalls, PublishError } from '../platforms'
import { enqueueInboxRefresh } from '../queues/producers'
import { commentSourceFor, missingInboxScope, TIKTOK_NOTE } from './sources'

/** Published posts whose comments are read, newest first. */
export const RECENT_POSTS = 20
/** A refresh queued or running longer than this is taken as lost (its message died): a new one may start. */
export const REFRESH_STALE_MS = 10 * 60_000

export type PlatformStatus = { platform: Platform; status: 'ok' | 'not_connected' | 'needs_reconnect' | 'unsupported' | 'failed'; message: string | null; connection?: typeof connections.$inferSelect }

export async function platformStatuses(db: Db, projectId: string): Promise<PlatformStatus[]> {
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

/**
 * Asks for a refresh: queued (one message) unless one is already queued or running and not stale.
 * Answers whether a message was sent.
 */
export async function requestRefresh(env: Env, db: Db, project: { id: string; workspaceId: string }, now = new Date()): Promise<boolean> {
  const stale = new Date(now.getTime() - REFRESH_STALE_MS).toISOString()
  const row = { projectId: project.id, workspaceId: project.workspaceId, status: 'queued' as const, requestedAt: now.toISOString(), startedAt: null, finishedAt: null, error: null }
  // One conditional statement: a fresh row, or a settled (or stale) one taken over; a live one is joined.
  const taken = await db
    .insert(inboxRefreshes)
    .values(row)
    .onConflictDoUpdate({
      target: inboxRefreshes.projectId,
      set: { status: 'queued', requestedAt: row.requestedAt, startedAt: null, finishedAt: null, error: null },
      setWhere: or(inArray(inboxRefreshes.status, ['done', 'failed']), lt(inboxRefreshes.requestedAt, stale)),
    })
    .returning({ projectId: inboxRefreshes.projectId })
  if (!taken.length) return false
  try {
    await enqueueInboxRefresh(env, project.id)
  } catch (error) {
    await settle(db, project.id, { status: 'failed', error: 'The refresh could not be queued; try again in a minute.' })
    throw error
  }
  return true
}

async function settle(db: Db, projectId: string, fields: { status: 'done' | 'failed'; error?: string | null; newComments?: number; platforms?: { platform: string; status: string; message: string | null }[] }) {
  await db
    .update(inboxRefreshes)
    .set({ ...fields, error: fields.error ?? null, finishedAt: sqlNow() })
    .where(eq(inboxRefreshes.projectId, projectId))
}

/** The consumer's work for one project: reads, drafts, and writes how it went. Throws to be retried. */
export async function runRefresh(env: Env, projectId: string): Promise<void> {
  const db = createDb(env.DB)
  const claimed = await db
    .update(inboxRefreshes)
    .set({ status: 'running', startedAt: sqlNow() })
    .where(and(eq(inboxRefreshes.projectId, projectId), inArray(inboxRefreshes.status, ['queued', 'running'])))
    .returning({ projectId: inboxRefreshes.projectId })
  // Nothing asked for (a duplicate message after the run settled): nothing to do.
  if (!claimed.length) return
  const project = await db.select().from(projects).where(eq(projects.id, projectId)).get()
  if (!project) return
  const statuses = await platformStatuses(db, projectId)
  const facts = await projectFacts(db, project)
  let added = 0
  for (const s of statuses) {
    if (s.status !== 'ok' || !s.connection) continue
    const source = commentSourceFor(env, s.platform, s.connection.mode)
    if (!source) continue
    const targets = await db
      .select({ postId: postTargets.postId, remoteId: postTargets.remoteId, hook: posts.hook, caption: posts.caption, platformTexts: posts.platformTexts })
      .from(postTargets)
      .innerJoin(posts, eq(posts.id, postTargets.postId))
      .where(and(eq(posts.projectId, projectId), eq(postTargets.platform, s.platform), eq(postTargets.status, 'published'), isNotNull(postTargets.remoteId)))
      .orderBy(desc(postTargets.publishedAt))
      .limit(RECENT_POSTS)
      .all()
    const calls = authorizedCalls(env, db, s.connection, { now: Date.now })
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
          added++
          const { output, provider } = await runTask({ env, db, workspaceId: project.workspaceId }, messageTask, {
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
      // A platform that refused (a revoked token, an outage) is said on the page; the others are read.
      if (!(error instanceof PublishError)) throw error
      s.status = error.failure.kind === 'disconnected' ? 'needs_reconnect' : 'failed'
      s.message = error.failure.message
    }
  }
  const platforms = statuses.filter((s) => s.status === 'failed' || s.status === 'needs_reconnect').map(({ platform, status, message }) => ({ platform, status, message }))
  await settle(db, projectId, { status: 'done', newComments: added, platforms })
  log.info('inbox refreshed', { projectId, newComments: added, failed: platforms.map((p) => p.platform) })
}

/** After every retry: the refresh failed; the page says why. */
export async function failRefresh(env: Env, projectId: string, reason: string): Promise<void> {
  await settle(createDb(env.DB), projectId, { status: 'failed', error: reason })
}
