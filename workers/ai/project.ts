/** What the tools know of a project: its settings (or defaults), its clips' titles and topics, its measured medians. */
import { and, desc, eq } from 'drizzle-orm'
import type { Db } from '../db/client'
import { autopilots, media, projects } from '../db/schema'
import type { Objective } from '../../containers/render/recipe/vocabulary'

export interface ProjectFacts {
  id: string
  workspaceId: string
  name: string
  description: string | null
  language: string
  objective: Objective
  style: string
  clips: { id: string; title: string; topic: string }[]
}

/** The project's facts; settings default to English, awareness, minimal without an autopilot. */
export async function projectFacts(db: Db, project: typeof projects.$inferSelect): Promise<ProjectFacts> {
  const [auto, clips] = await Promise.all([
    db.select({ config: autopilots.config }).from(autopilots).where(eq(autopilots.projectId, project.id)).get(),
    db
      .select({ id: media.id, title: media.title, topic: media.topic, filename: media.filename })
      .from(media)
      .where(and(eq(media.projectId, project.id), eq(media.status, 'ready')))
      .orderBy(desc(media.createdAt))
      .limit(30)
      .all(),
  ])
  return {
    id: project.id,
    workspaceId: project.workspaceId,
    name: project.name,
    description: project.description,
    language: auto?.config.language ?? 'en',
    objective: auto?.config.objective ?? 'awareness',
    style: auto?.config.style ?? 'minimal',
    // A clip nobody named says nothing; its file name is not a title.
    clips: clips.filter((c) => c.title.trim() || c.topic.trim()).map((c) => ({ id: c.id, title: c.title, topic: c.topic })),
  }
}
