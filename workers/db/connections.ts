/** Connection queries reused across the Worker. */
import { and, eq } from 'drizzle-orm'
import type { Platform } from '../domain/post-state'
import type { Db } from './client'
import { connections } from './schema'

/** Platforms a project can publish to now (an active connection). */
export async function connectedPlatforms(db: Db, projectId: string): Promise<Platform[]> {
  const rows = await db
    .select({ platform: connections.platform })
    .from(connections)
    .where(and(eq(connections.projectId, projectId), eq(connections.status, 'active')))
    .all()
  return rows.map((r) => r.platform)
}
