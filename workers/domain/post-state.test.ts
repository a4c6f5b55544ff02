import { describe, expect, it } from 'vitest'
import {
  assertPostMove,
  assertTargetMove,
  AWAITING_RENDER_POST_STATUSES,
  BEFORE_PUBLISHING_POST_STATUSES,
  canMovePost,
  canMoveTarget,
  COMING_POST_STATUSES,
  DROPPED_POST_STATUSES,
  FINAL_POST_STATUSES,
  IllegalTransition,
  MOVING_POST_STATUSES,
  POST_ACTIONS,
  POST_STATUSES,
  postStatusFromTargets,
  PUBLISH_JOB_POST_STATUSES,
  REPLANNABLE_POST_STATUSES,
  TARGET_STATUSES,
  VIDEO_EDITABLE_POST_STATUSES,
} from './post-state'

describe('post state machine', () => {
  it('follows the happy path of a post', () => {
    const path = ['planned', 'rendering', 'rendered', 'awaiting_approval', 'scheduled', 'publishing', 'published'] as const
    for (let i = 1; i < path.length; i++) expect(canMovePost(path[i - 1], path[i]), `${path[i - 1]} → ${path[i]}`).toBe(true)
  })

  it('refuses skipping steps and leaving final states', () => {
    expect(canMovePost('planned', 'published')).toBe(false)
    expect(canMovePost('rendering', 'publishing')).toBe(false)
    expect(canMovePost('awaiting_approval', 'publishing')).toBe(false)
    for (const final of FINAL_POST_STATUSES) {
      for (const to of POST_STATUSES) expect(canMovePost(final, to), `${final} → ${to}`).toBe(false)
    }
  })

  it('allows retry only from failed, back to planning or scheduling', () => {
    expect(canMovePost('failed', 'planned')).toBe(true)
    expect(canMovePost('failed', 'scheduled')).toBe(true)
    expect(canMovePost('published', 'planned')).toBe(false)
    expect(canMovePost('canceled', 'planned')).toBe(false)
  })

  it('throws a named error for an illegal move', () => {
    expect(() => assertPostMove('published', 'planned')).toThrow(IllegalTransition)
    expect(() => assertPostMove('published', 'planned')).toThrow('A post cannot go from published to planned')
    expect(() => assertPostMove('planned', 'rendering')).not.toThrow()
  })
})

describe('post actions, derived from the moves', () => {
  it('are the states the API and the web app allow each action in', () => {
    expect(FINAL_POST_STATUSES).toEqual(['published', 'skipped', 'canceled'])
    expect(POST_ACTIONS.edit).toEqual(['planned', 'rendering', 'rendered', 'awaiting_approval', 'scheduled', 'failed'])
    expect(POST_ACTIONS.cancel).toEqual(['planned', 'rendering', 'rendered', 'awaiting_approval', 'scheduled'])
    expect(POST_ACTIONS.approve).toEqual(['awaiting_approval'])
    expect(POST_ACTIONS.retry).toEqual(['failed'])
  })
})

describe('post status sets, derived from the moves', () => {
  it('are the sets the API, the consumers and the web app use', () => {
    // An edit of the video sends these back to planned (workers/api/posts.ts); the assistant writes texts onto these.
    expect(REPLANNABLE_POST_STATUSES).toEqual(['rendered', 'awaiting_approval', 'scheduled', 'failed'])
    expect(VIDEO_EDITABLE_POST_STATUSES).toEqual(['planned', 'rendered', 'awaiting_approval', 'scheduled', 'failed'])
    // The dashboard's next post (workers/api/project-summary.ts), in the order posts go.
    expect(COMING_POST_STATUSES).toEqual(['planned', 'rendering', 'rendered', 'awaiting_approval', 'scheduled', 'publishing'])
    // Posts that keep a clip from being deleted (workers/media/usage.ts).
    expect(BEFORE_PUBLISHING_POST_STATUSES).toEqual(['planned', 'rendering', 'rendered', 'awaiting_approval', 'scheduled'])
    // The content page keeps watching while a post is in one of these (app/lib/posts.ts).
    expect(MOVING_POST_STATUSES).toEqual(['planned', 'rendering', 'rendered', 'scheduled', 'publishing'])
    // The publish consumer acts on a message only for these (workers/queues/publish-consumer.ts).
    expect(PUBLISH_JOB_POST_STATUSES).toEqual(['scheduled', 'publishing'])
    // A dead-lettered render waits, or fails, only these (workers/queues/render-consumer.ts).
    expect(AWAITING_RENDER_POST_STATUSES).toEqual(['planned', 'rendering'])
    // Posts the planner does not count as a use of their clip (workers/scheduler/planner.ts).
    expect(DROPPED_POST_STATUSES).toEqual(['skipped', 'canceled'])
  })
})

describe('target state machine', () => {
  it('claims, publishes, and reconciles an unknown outcome', () => {
    expect(canMoveTarget('pending', 'publishing')).toBe(true)
    expect(canMoveTarget('publishing', 'unconfirmed')).toBe(true)
    expect(canMoveTarget('unconfirmed', 'published')).toBe(true)
    expect(canMoveTarget('unconfirmed', 'pending')).toBe(true)
    expect(canMoveTarget('unconfirmed', 'processing')).toBe(true)
  })

  it('never publishes an unconfirmed target directly again', () => {
    expect(canMoveTarget('unconfirmed', 'publishing')).toBe(false)
  })

  it('never leaves published', () => {
    for (const to of TARGET_STATUSES) expect(canMoveTarget('published', to)).toBe(false)
    expect(() => assertTargetMove('published', 'pending')).toThrow(IllegalTransition)
  })
})

describe('post status from targets', () => {
  it('is published when every live target is', () => {
    expect(postStatusFromTargets(['published', 'published'])).toBe('published')
    expect(postStatusFromTargets(['published', 'canceled'])).toBe('published')
  })
  it('is failed when all are final and one failed', () => {
    expect(postStatusFromTargets(['published', 'failed'])).toBe('failed')
  })
  it('stays publishing while any target is in flight', () => {
    expect(postStatusFromTargets(['published', 'processing'])).toBe('publishing')
    expect(postStatusFromTargets(['failed', 'unconfirmed'])).toBe('publishing')
    expect(postStatusFromTargets(['pending'])).toBe('publishing')
  })
})
