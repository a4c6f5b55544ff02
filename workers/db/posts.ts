/**
 * Moving posts and targets along their state machines in D1. Every move is a conditional update
 * (`… where status = from`), so of two writers racing for the same move exactly one wins, and
 * the event recording it is written in the same batch only when the update changed a row.
 */
import { speechForPost } from './transcripts'
import { and, eq, sql, type SQL } from 'drizzle-orm'
import { d1Batch, type Db } from './client'

import { media, postEvents, posts, postTargets, projects } from './schema'
import { maxPostSeconds, postRenderSpec } from '../domain/post-spec'
import {
  assertPostMove,
  assertTargetMove,
  type Platform,
  type PostStatus,
  type TargetStatus,
} from '../domain/post-state'
import { markerFor } from '../domain/targets'
import { log } from '../lib/log'
import { sqlNow } from './time'

/** A new post's row: planned (it renders next) or skipped (a slot with nothing to post, and why). */
export type NewPostRow = typeof posts.$inferInsert & { id: string; status: 'planned' | 'skipped' }

/**
 * Creates a post with its targets (one per platform, with its marker) and its first event, in one
 * batch: all of it or nothing. A post is unique per (project, slotKey): when its slot already
 * holds one, nothing is written and the answer is false, so a repeated alarm creates nothing new.
 * The first event is the status it starts in (`planned`), or a `skipped` event with the reason.
 * Every post is made here: the planner's and the creator's.
 */
export async function insertPost(db: Db, post: NewPostRow, platforms: readonly Platform[], message: string): Promise<boolean> {
  const made = sql`exists (select 1 from posts where id = ${post.id})`
  const event =
    post.status === 'skipped'
      ? sql`insert into post_events (post_id, type, message) select ${post.id}, 'skipped', ${message} where ${made}`
      : sql`insert into post_events (post_id, type, to_status, message) select ${post.id}, 'status', ${post.status}, ${message} where ${made}`
  const [insert] = await d1Batch(db, [
    db.insert(posts).values(post).onConflictDoNothing(),
    ...platforms.map(
      (platform) => sql`insert into post_targets (post_id, platform, workspace_id, marker)
                        select ${post.id}, ${platform}, ${post.workspaceId}, ${markerFor(post.id, platform)} where ${made}`,
    ),
    event,
  ])
  return insert.meta.changes > 0
}

type PostFields = Partial<typeof posts.$inferInsert>
type TargetFields = Partial<typeof postTargets.$inferInsert>

/**
 * Moves a post from one of `from` to `to`, setting `fields` too. Returns the state it moved from,
 * or null when the post was in none of them (someone else moved it first).
 */
export async function movePost(
  db: Db,
  postId: string,
  from: PostStatus | readonly PostStatus[],
  to: PostStatus,
  fields: PostFields = {},
  message?: string,
  /** Inserts written with the move only if it happened, each `… where changes() > 0` (an audit entry: `auditIfChanged`). */
  also: SQL[] = [],
): Promise<PostStatus | null> {
  for (const state of typeof from === 'string' ? [from] : from) {
    assertPostMove(state, to)
    const [update] = await d1Batch(db, [
      db
        .update(posts)
        .set({ ...fields, status: to, updatedAt: sqlNow() })
        .where(and(eq(posts.id, postId), eq(posts.status, state))),
      sql`insert into post_events (post_id, type, from_status, to_status, message)
          select ${postId}, 'status', ${state}, ${to}, ${message ?? null} where changes() > 0`,
      ...also,
    ])
    if (update.meta.changes > 0) return state
  }
  return null
}

/** Moves one target like `movePost`; returns the state it moved from, or null. */
export async function moveTarget(
  db: Db,
  postId: string,
  platform: Platform,
  from: TargetStatus | readonly TargetStatus[],
  to: TargetStatus,
  fields: TargetFields = {},
  message?: string,
): Promise<TargetStatus | null> {
  for (const state of typeof from === 'string' ? [from] : from) {
    assertTargetMove(state, to)
    const [update] = await d1Batch(db, [
      db
        .update(postTargets)
        .set({ ...fields, status: to, updatedAt: sqlNow() })
        .where(and(eq(postTargets.postId, postId), eq(postTargets.platform, platform), eq(postTargets.status, state))),
      sql`insert into post_events (post_id, type, platform, from_status, to_status, message)
          select ${postId}, 'target', ${platform}, ${state}, ${to}, ${message ?? null} where changes() > 0`,
    ])
    if (update.meta.changes > 0) return state
  }
  return null
}

/** Records something that happened to a post without a state change (a retry, a refusal). */
export async function recordEvent(db: Db, postId: string, type: string, message: string, platform?: Platform) {
  await db.insert(postEvents).values({ postId, type, message, platform: platform ?? null }).run()
}

/** Logs a refused move; the caller goes on without applying it. */
export function logIllegal(error: unknown, context: Record<string, unknown>) {
  log.warn('illegal transition refused', { error: String(error), ...context })
}

/**
 * What a post renders from: its clip, the project's brand and logo, its targets, and the recipe
 * spec made of them (`postRenderSpec`). The render consumer renders this spec; the API shows it,
 * so the composer's preview draws the same thing.
 */
export async function loadPostRender(db: Db, post: typeof posts.$inferSelect) {
  const clip = post.mediaId ? await db.select().from(media).where(eq(media.id, post.mediaId)).get() : undefined
  const project = await db
    .select({ brandColor: projects.brandColor, font: projects.font, framing: projects.framing, logoMediaId: projects.logoMediaId, name: projects.name, description: projects.description })
    .from(projects)
    .where(eq(projects.id, post.projectId))
    .get()
  const logo = project?.logoMediaId
    ? await db.select({ key: media.key, contentType: media.contentType }).from(media).where(and(eq(media.id, project.logoMediaId), eq(media.status, 'ready'))).get()
    : undefined
  const targets = await db.select({ platform: postTargets.platform }).from(postTargets).where(eq(postTargets.postId, post.id)).all()
  const platforms = targets.map((t) => t.platform)
  const maxDurationSec = maxPostSeconds(platforms)
  const spec = clip
    ? postRenderSpec(post, clip, { brandColor: project?.brandColor ?? null, font: project?.font ?? null, framing: project?.framing ?? 'auto' }, { platforms, maxDurationSec })
    : null
  // Captions from speech (#15): the clip's transcript, when the post or its autopilot wants it.
  const speech = spec ? await speechForPost(db, post) : null
  return { clip, logo: logo ?? null, platforms, spec: spec && speech ? { ...spec, speech } : spec }
}
