import { MISCONFIGURED_RETRY_SEC } from '../lib/config'
/** The scheduler's timing rules, apart from the Durable Object so pure code and tools can read them. */

/** How long before a slot its post is planned and rendered. */
export const RENDER_LEAD_MS = 30 * 60_000
/** A slot later than this when its alarm finally runs is skipped, not posted late. */
export const MISSED_GRACE_MS = 15 * 60_000
/** A misconfigured deployment's alarm plans nothing and rings again after this (as queue messages wait). */
export const MISCONFIGURED_RETRY_MS = MISCONFIGURED_RETRY_SEC * 1000
