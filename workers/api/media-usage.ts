/**
 * What still needs a media item. DELETE /api/media/:id refuses (409) while anything listed here
 * uses the item, unless `?force=true`.
 *
 * Posts do not exist yet: the autopilot issue adds a check that finds scheduled (not yet
 * published) posts whose render spec uses the media, by appending to `MEDIA_USAGE_CHECKS`.
 */
import type { Db } from '../db/client'

export interface MediaUse {
  /** What uses it, e.g. `post`. */
  kind: string
  id: string
  /** A sentence for the 409's detail, e.g. "post pst_… scheduled for 2026-11-21 18:00". */
  label: string
}

export type MediaUsageCheck = (db: Db, media: { id: string; projectId: string; workspaceId: string }) => Promise<MediaUse[]>

/** Every check run before a delete. */
export const MEDIA_USAGE_CHECKS: MediaUsageCheck[] = []

/** Everything that uses the media, from every registered check. */
export async function mediaUses(db: Db, item: { id: string; projectId: string; workspaceId: string }): Promise<MediaUse[]> {
  const results = await Promise.all(MEDIA_USAGE_CHECKS.map((check) => check(db, item)))
  return results.flat()
}
