/** The transcript a post's render draws as captions from speech (#15), when it should draw one. */
import { eq } from 'drizzle-orm'
import type { Db } from './client'
import { autopilots, mediaTranscripts, posts } from './schema'
import type { SpeechSpec } from '../../containers/render/recipe/speech-captions'

/**
 * The words to burn in: the post's own choice (`speechCaptions`), else its project's autopilot
 * setting (on unless turned off); then only a finished transcript with words. Null: none.
 */
export async function speechForPost(db: Db, post: Pick<typeof posts.$inferSelect, 'projectId' | 'mediaId' | 'speechCaptions'>): Promise<SpeechSpec | null> {
  if (!post.mediaId) return null
  let wanted = post.speechCaptions
  if (wanted === null || wanted === undefined) {
    const autopilot = await db.select({ config: autopilots.config }).from(autopilots).where(eq(autopilots.projectId, post.projectId)).get()
    wanted = autopilot?.config.speechCaptions ?? true
  }
  if (!wanted) return null
  const transcript = await db.select({ status: mediaTranscripts.status, words: mediaTranscripts.words, language: mediaTranscripts.language }).from(mediaTranscripts).where(eq(mediaTranscripts.mediaId, post.mediaId)).get()
  if (transcript?.status !== 'done' || transcript.words.length === 0) return null
  return { words: transcript.words, ...(transcript.language ? { language: transcript.language } : {}) }
}
