/**
 * What still needs a media item. DELETE /api/media/:id refuses (409) while anything listed here
 * uses the item, unless `?force=true`.
 */
import { and, asc, eq, inArray } from 'drizzle-orm'
import type { Db } from '../db/client'
import { posts } from '../db/schema'
import { BEFORE_PUBLISHING_POST_STATUSES } from '../domain/post-state'

export interface MediaUse {
  /** What uses it, e.g. `post`. */
  kind: string
  id: string
  /** A sentence for the 409's detail, e.g. "post pst_… scheduled for 2026-11-21 18:00". */
  label: string
}

export type MediaUsageCheck = (db: Db, media: { id: string; projectId: string; workspaceId: string }) => Promise<MediaUse[]>

/** Posts that will still be rendered or published from this clip. */
const upcomingPosts: MediaUsageCheck = async (db, item) => {
  const rows = await db
    .select({ id: posts.id, status: posts.status, scheduledAt: posts.scheduledAt })
    .from(posts)
    .where(and(eq(posts.mediaId, item.id), inArray(posts.status, [...BEFORE_PUBLISHING_POST_STATUSES])))
    .orderBy(asc(posts.scheduledAt))
    .limit(20)
    .all()
  return rows.map((p) => ({ kind: 'post', id: p.id, label: `post ${p.id} (${p.status.replace('_', ' ')}) for ${p.scheduledAt.slice(0, 16).replace('T', ' ')} UTC` }))
}

/** Every check run before a delete. */
export const MEDIA_USAGE_CHECKS: MediaUsageCheck[] = [upcomingPosts]

/** Everything that uses the media, from every registered check. */
export async function mediaUses(db: Db, item: { id: string; projectId: string; workspaceId: string }): Promise<MediaUse[]> {
  const results = await Promise.all(MEDIA_USAGE_CHECKS.map((check) => check(db, item)))
  return results.flat()
}
