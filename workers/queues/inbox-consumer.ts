/**
 * The inbox-jobs consumer (#14): one project's comment refresh per message, through
 * `inbox/refresh.ts`. A failure is retried with backoff; after every retry the dead letter writes
 * the refresh failed with its reason, which the inbox page shows.
 */
import { createDb } from '../db/client'
import { inboxRefreshes } from '../db/schema'
import { eq } from 'drizzle-orm'
import { failRefresh, runRefresh } from '../inbox/refresh'
import { consume } from './consume'
import { InboxJob } from './messages'

export async function handleInboxBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  await consume(batch, InboxJob, { baseDelaySec: 30 }, async ({ projectId }) => {
    try {
      await runRefresh(env, projectId)
      return 'ack'
    } catch (error) {
      // Kept on the row while it is retried, so the page can say what is wrong.
      await createDb(env.DB).update(inboxRefreshes).set({ error: String((error as Error).message ?? error).slice(0, 500) }).where(eq(inboxRefreshes.projectId, projectId)).run()
      throw error
    }
  })
}

/** The inbox-jobs dead letters: the refresh failed after every retry. */
export async function handleInboxDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const message of batch.messages) {
    const projectId = (message.body as { projectId?: string })?.projectId
    if (typeof projectId === 'string') await failRefresh(env, projectId, 'Reading the comments failed after several tries; try again later.')
    message.ack()
  }
}
