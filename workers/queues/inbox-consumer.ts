/**
 * The inbox-jobs consumer (#14): one project's comment refresh per message, through
 * `inbox/refresh.ts`. A failure is retried with backoff; after every retry the dead letter writes
 * the refresh failed with its reason, which the inbox page shows.
 */
import { eq } from 'drizzle-orm'
import { createDb } from '../db/client'
import { inboxRefreshes } from '../db/schema'
import { failRefresh, runRefresh } from '../inbox/refresh'
import { consumeDeadLetters, consumeKeepingReason } from './consume'
import { InboxJob } from './messages'

export async function handleInboxBatch(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  await consumeKeepingReason(
    batch,
    InboxJob,
    { baseDelaySec: 30 },
    ({ projectId }) => runRefresh(env, projectId),
    // Kept on the row while it is retried, so the page can say what is wrong.
    ({ projectId }, reason) => createDb(env.DB).update(inboxRefreshes).set({ error: reason.slice(0, 500) }).where(eq(inboxRefreshes.projectId, projectId)).run(),
  )
}

/** The inbox-jobs dead letters: the refresh failed after every retry. */
export async function handleInboxDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  await consumeDeadLetters(batch, 'projectId', (projectId) => failRefresh(env, projectId, 'Reading the comments failed after several tries; try again later.'))
}
