/**
 * The state machines of a post and of each of its publication targets. Pure: the consumers and
 * the API ask here before any write, and an illegal move is refused (and logged by the caller),
 * never applied. The SQL updates are conditional on the `from` state too, so two writers racing
 * for the same move cannot both win.
 */

export const POST_STATUSES = [
  'planned',
  'rendering',
  'rendered',
  'awaiting_approval',
  'scheduled',
  'publishing',
  'published',
  'failed',
  'skipped',
  'canceled',
] as const
export type PostStatus = (typeof POST_STATUSES)[number]

export const TARGET_STATUSES = ['pending', 'publishing', 'processing', 'unconfirmed', 'published', 'failed', 'canceled'] as const
export type TargetStatus = (typeof TARGET_STATUSES)[number]

export { PLATFORMS, type Platform } from '../../containers/render/recipe/vocabulary'

const POST_MOVES: Record<PostStatus, readonly PostStatus[]> = {
  planned: ['rendering', 'skipped', 'canceled', 'failed'],
  rendering: ['rendered', 'failed', 'canceled'],
  // Editing a post's texts, framing or trim before it publishes renders it again (back to planned).
  rendered: ['awaiting_approval', 'scheduled', 'canceled', 'failed', 'planned'],
  awaiting_approval: ['scheduled', 'canceled', 'planned'],
  scheduled: ['publishing', 'awaiting_approval', 'canceled', 'failed', 'planned'],
  publishing: ['published', 'failed', 'scheduled'],
  // A retry goes back to planning when there is no render yet, else straight to scheduling.
  failed: ['planned', 'scheduled'],
  published: [],
  skipped: [],
  canceled: [],
}

const TARGET_MOVES: Record<TargetStatus, readonly TargetStatus[]> = {
  pending: ['publishing', 'canceled', 'failed'],
  // A retryable error hands the claim back (pending); remote processing is polled (processing);
  // bytes sent without an answer leave the outcome unknown (unconfirmed).
  publishing: ['published', 'processing', 'unconfirmed', 'failed', 'pending'],
  processing: ['published', 'failed', 'unconfirmed', 'processing'],
  // Reconciled by looking the post up on the platform: found (published, or still processing
  // there), surely absent (pending: send again), or given up on.
  unconfirmed: ['published', 'processing', 'pending', 'failed'],
  failed: ['pending'],
  published: [],
  canceled: [],
}

/** A post is final when no move leaves its state. */
export const FINAL_POST_STATUSES: readonly PostStatus[] = POST_STATUSES.filter((s) => POST_MOVES[s].length === 0)
export const FINAL_TARGET_STATUSES: readonly TargetStatus[] = ['published', 'failed', 'canceled']

export class IllegalTransition extends Error {
  constructor(
    readonly machine: 'post' | 'target',
    readonly from: string,
    readonly to: string,
  ) {
    super(`A ${machine} cannot go from ${from} to ${to}`)
    this.name = 'IllegalTransition'
  }
}

/** Whether a post may move from `from` to `to`. */
export function canMovePost(from: PostStatus, to: PostStatus): boolean {
  return POST_MOVES[from].includes(to)
}

/** Whether a target may move from `from` to `to`. */
export function canMoveTarget(from: TargetStatus, to: TargetStatus): boolean {
  return TARGET_MOVES[from].includes(to)
}

/** Throws IllegalTransition unless the post move is allowed. */
export function assertPostMove(from: PostStatus, to: PostStatus): void {
  if (!canMovePost(from, to)) throw new IllegalTransition('post', from, to)
}

/** Throws IllegalTransition unless the target move is allowed. */
export function assertTargetMove(from: TargetStatus, to: TargetStatus): void {
  if (!canMoveTarget(from, to)) throw new IllegalTransition('target', from, to)
}

/** The states a post may be moved to from `from`, for the API's error messages. */
export function nextPostStatuses(from: PostStatus): readonly PostStatus[] {
  return POST_MOVES[from]
}

/** The states from which `to` can be reached through any number of moves. */
function reaching(to: PostStatus): PostStatus[] {
  const found = new Set<PostStatus>()
  let grew = true
  while (grew) {
    grew = false
    for (const s of POST_STATUSES) {
      if (!found.has(s) && POST_MOVES[s].some((next) => next === to || found.has(next))) {
        found.add(s)
        grew = true
      }
    }
  }
  return POST_STATUSES.filter((s) => found.has(s))
}

/** What a creator can do to a post. */
export type PostAction = 'edit' | 'approve' | 'cancel' | 'retry'

/**
 * The states in which each action is allowed, derived from the moves: a post can be edited while
 * its publishing is still ahead (not during it), approved when it waits for approval, canceled
 * from any state that moves to canceled, and retried from a state that moves back to planned but
 * cannot be canceled (a failure; live posts go back to planned only when an edit renders them again).
 * The API refuses an action outside these states, and the web app shows only the allowed ones.
 */
export const POST_ACTIONS: Record<PostAction, readonly PostStatus[]> = {
  edit: reaching('publishing').filter((s) => s !== 'publishing'),
  approve: (['awaiting_approval'] as const).filter((s) => canMovePost(s, 'scheduled')),
  cancel: POST_STATUSES.filter((s) => canMovePost(s, 'canceled')),
  // Back to planned from a state that cannot be canceled: a failure (an edit re-plans live posts too).
  retry: POST_STATUSES.filter((s) => canMovePost(s, 'planned') && !canMovePost(s, 'canceled')),
}

/** The states an edit of what is drawn moves back to planned, to render again: editable ones with a move to planned. */
export const REPLANNABLE_POST_STATUSES: readonly PostStatus[] = POST_ACTIONS.edit.filter((s) => canMovePost(s, 'planned'))

/** The states in which what is drawn on a post's video can be edited: planned, or one an edit moves back to planned (not rendering). */
export const VIDEO_EDITABLE_POST_STATUSES: readonly PostStatus[] = POST_ACTIONS.edit.filter((s) => s === 'planned' || REPLANNABLE_POST_STATUSES.includes(s))

/** Posts still on their way out, in the order they go: states that reach published without a retry (not failed). */
export const COMING_POST_STATUSES: readonly PostStatus[] = reaching('published').filter((s) => !POST_ACTIONS.retry.includes(s))

/** Coming posts that have not started publishing: they will still be rendered or published from their clip. */
export const BEFORE_PUBLISHING_POST_STATUSES: readonly PostStatus[] = COMING_POST_STATUSES.filter((s) => s !== 'publishing')

/** States a post leaves by itself (a timer or a message moves it): coming, and not waiting for the creator's approval. */
export const MOVING_POST_STATUSES: readonly PostStatus[] = COMING_POST_STATUSES.filter((s) => !POST_ACTIONS.approve.includes(s))

/**
 * The states a publish message acts on: publishing, and the states that move to it (scheduled).
 * Not failed: a failed post is published again only through a retry, which schedules it first; a
 * message left from before (an edit sent the post back to render, and that render failed) finds
 * no video to send.
 */
export const PUBLISH_JOB_POST_STATUSES: readonly PostStatus[] = POST_STATUSES.filter((s) => s === 'publishing' || canMovePost(s, 'publishing'))

/** A post whose render is still to finish: rendering, or a state that moves to it (planned). */
export const AWAITING_RENDER_POST_STATUSES: readonly PostStatus[] = POST_STATUSES.filter((s) => s === 'rendering' || canMovePost(s, 'rendering'))

/** A post dropped without going out: final, but not published (skipped, canceled). */
export const DROPPED_POST_STATUSES: readonly PostStatus[] = FINAL_POST_STATUSES.filter((s) => s !== 'published')

/** Whether `action` is allowed on a post in `status`. */
export function allows(action: PostAction, status: PostStatus): boolean {
  return POST_ACTIONS[action].includes(status)
}

/**
 * What a publishing post becomes once its targets have moved: published when all are, failed
 * when every target is final and one failed, otherwise it stays publishing.
 */
export function postStatusFromTargets(targets: readonly TargetStatus[]): 'published' | 'failed' | 'publishing' {
  const live = targets.filter((t) => t !== 'canceled')
  if (live.length > 0 && live.every((t) => t === 'published')) return 'published'
  if (live.every((t) => FINAL_TARGET_STATUSES.includes(t)) && live.some((t) => t === 'failed')) return 'failed'
  if (live.length === 0) return 'failed'
  return 'publishing'
}
