/**
 * The sweeper (the Worker's cron): finds work that stopped moving and hands it back. One home for
 * every part of it: the media library (media.ts), the posts (posts.ts), autopilots their scheduler has not
 * taken yet (schedulers.ts) and pending transcripts (speech/transcribe.ts `sweepPendingTranscripts`). A new kind of stuck
 * work gets its own file here and a line below.
 */
import { sweepMediaLibrary } from './media'
import { sweepStuckPosts } from './posts'
import { reconcileSchedulers } from './schedulers'
import { sweepPendingTranscripts } from '../speech/transcribe'
import { log } from '../lib/log'

/** One sweep. The parts run side by side: a slow re-check must not hold the posts back. */
export async function sweep(env: Env, cron: string): Promise<void> {
  const [library, stuck, transcriptsResent, schedulers] = await Promise.all([sweepMediaLibrary(env), sweepStuckPosts(env), sweepPendingTranscripts(env), reconcileSchedulers(env)])
  const media = { abandonedUploads: library.abandoned, rechecked: library.rechecked.length, gaveUp: library.gaveUp.length, expiredRejections: library.expired.length }
  log.info('sweeper tick', { cron, media, stuck, transcriptsResent, schedulers })
}
