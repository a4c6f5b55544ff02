/**
 * Connections: storing a platform account's tokens sealed, handing out a live access token, and
 * refreshing it — ahead of expiry and after a 401 — with one refresh call per connection however
 * many jobs ask at once (docs/decisions/003-token-refresh.md):
 *
 * 1. in one isolate, concurrent callers share one promise;
 * 2. across isolates, a D1 conditional update takes a short lease; the others wait for the
 *    token version to move and read the new token.
 *
 * A transient refresh failure (5xx, timeout) changes nothing stored; only a refusal of the grant
 * itself (invalid_grant, Graph code 190) moves the connection to needs_reconnect. A refresh that
 * returns no refresh token keeps the stored one.
 */
import { and, eq, isNull, lt, or, sql } from 'drizzle-orm'
import type { BatchItem } from 'drizzle-orm/batch'
import type { Db } from '../db/client'
import { connections } from '../db/schema'
import { newId } from '../lib/ids'
import { secretBox } from '../lib/secret-box'
import type { PlatformEnv } from './config'
import { refreshTokens, TokenRevokedError, type TokenSet } from './oauth'
import { failures, PLATFORM_NAMES, PublishError, type AccountInfo, type Platform } from './types'
import { isoAt, sqlNow } from '../db/time'
import { misconfigured, TOKEN_KEY_MISSING } from '../lib/config'

export type Connection = typeof connections.$inferSelect

/** Refresh when the token has less than this left. */
export const REFRESH_AHEAD_MS = 5 * 60_000
/** How long one refresh may hold the lease. */
export const REFRESH_LEASE_MS = 30_000

/** The additional data that binds a sealed token to its row. */
const aad = (c: Pick<Connection, 'id' | 'workspaceId' | 'projectId' | 'platform'>, which: 'access' | 'refresh') => `connections|${c.id}|${c.workspaceId}|${c.projectId}|${c.platform}|${which}`

function box(env: PlatformEnv) {
  if (!env.TOKEN_ENCRYPTION_KEY) throw misconfigured(TOKEN_KEY_MISSING)
  return secretBox(env.TOKEN_ENCRYPTION_KEY)
}

export async function openToken(env: PlatformEnv, c: Connection, which: 'access' | 'refresh'): Promise<string | null> {
  const sealed = which === 'access' ? c.accessToken : c.refreshToken
  return sealed ? box(env).open(sealed, aad(c, which)) : null
}

/** What is written with a connection in the same transaction (its audit entry), given the connection's id. */
export type WithConnection = (connectionId: string) => BatchItem<'sqlite'>

/** The write (insert or update, returning the row) and `also(id)` in one batch: both or neither. */
async function saveWith(db: Db, id: string, write: BatchItem<'sqlite'>, also?: WithConnection): Promise<Connection> {
  const [rows] = (await db.batch(also ? [write, also(id)] : [write])) as [Connection[], ...unknown[]]
  return rows[0]!
}

/**
 * Creates or updates the project's connection for a platform after an OAuth callback. A missing
 * refresh token keeps the stored one when the account is the same. `also` (its audit entry) is
 * written in the same transaction.
 */
export async function saveOAuthConnection(
  env: PlatformEnv,
  db: Db,
  input: { workspaceId: string; projectId: string; platform: Platform; account: AccountInfo; tokens: TokenSet; connectedBy: string | null },
  also?: WithConnection,
): Promise<Connection> {
  const existing = await db
    .select()
    .from(connections)
    .where(and(eq(connections.projectId, input.projectId), eq(connections.platform, input.platform)))
    .get()
  const ids = { id: existing?.id ?? newId('conn'), workspaceId: input.workspaceId, projectId: input.projectId, platform: input.platform }
  const sameAccount = existing?.mode === 'oauth' && existing.accountId === input.account.id
  const keptRefresh = sameAccount && existing?.refreshToken ? await openToken(env, existing, 'refresh') : null
  const refresh = input.tokens.refreshToken ?? keptRefresh
  const values = {
    mode: 'oauth' as const,
    status: 'active' as const,
    statusReason: null,
    accountId: input.account.id,
    accountName: input.account.name,
    avatarUrl: input.account.avatarUrl,
    scopes: input.tokens.scope ?? null,
    accessToken: await box(env).seal(input.tokens.accessToken, aad(ids, 'access')),
    refreshToken: refresh ? await box(env).seal(refresh, aad(ids, 'refresh')) : null,
    accessTokenExpiresAt: input.tokens.expiresAt,
    refreshLeaseUntil: null,
    refreshLeaseId: null,
    connectedBy: input.connectedBy,
  }
  const write = existing
    ? db
        .update(connections)
        .set({ ...values, tokenVersion: sql`${connections.tokenVersion} + 1`, updatedAt: sqlNow() })
        .where(eq(connections.id, existing.id))
        .returning()
    : db
        .insert(connections)
        .values({ ...ids, ...values })
        .returning()
  return saveWith(db, ids.id, write, also)
}

/** Connects the built-in sandbox account of a platform (local mode, demos, tests); `also` (its audit entry) in the same transaction. */
export async function saveSandboxConnection(db: Db, input: { workspaceId: string; projectId: string; platform: Platform; connectedBy: string | null; accountName?: string }, also?: WithConnection) {
  const existing = await db
    .select()
    .from(connections)
    .where(and(eq(connections.projectId, input.projectId), eq(connections.platform, input.platform)))
    .get()
  const id = existing?.id ?? newId('conn')
  const values = {
    mode: 'sandbox' as const,
    status: 'active' as const,
    statusReason: null,
    accountId: `sandbox-${id}`,
    accountName: input.accountName ?? `Sandbox ${PLATFORM_NAMES[input.platform]}`,
    avatarUrl: null,
    scopes: null,
    accessToken: null,
    refreshToken: null,
    accessTokenExpiresAt: null,
    sandboxFaults: [] as string[],
    connectedBy: input.connectedBy,
  }
  const write = existing
    ? db
        .update(connections)
        .set({ ...values, tokenVersion: sql`${connections.tokenVersion} + 1`, updatedAt: sqlNow() })
        .where(eq(connections.id, id))
        .returning()
    : db
        .insert(connections)
        .values({ id, workspaceId: input.workspaceId, projectId: input.projectId, platform: input.platform, ...values })
        .returning()
  return saveWith(db, id, write, also)
}

/** Marks a connection as needing the creator to sign in again. */
export async function markNeedsReconnect(db: Db, id: string, reason: string) {
  await db
    .update(connections)
    .set({ status: 'needs_reconnect', statusReason: reason, refreshLeaseUntil: null, refreshLeaseId: null, updatedAt: sqlNow() })
    .where(and(eq(connections.id, id), eq(connections.status, 'active')))
    .run()
}

export interface RefreshDeps {
  now?: () => number
  /** How often a waiting caller re-reads the row. */
  waitStepMs?: number
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/**
 * Refreshes a connection's token under a D1 lease: of all callers that saw `seenVersion`, one
 * calls the platform; the others wait for the new version. Answers the connection as it stands
 * after the refresh. Throws PublishError: `disconnected` when the grant is dead, `retryable`
 * when the platform failed for now.
 */
export async function refreshWithLease(env: PlatformEnv, db: Db, connectionId: string, seenVersion: number, deps: RefreshDeps = {}): Promise<Connection> {
  const now = deps.now ?? Date.now
  const leaseId = newId('lease')
  const t = now()
  const won = await db
    .update(connections)
    .set({ refreshLeaseUntil: isoAt(t + REFRESH_LEASE_MS), refreshLeaseId: leaseId })
    .where(
      and(
        eq(connections.id, connectionId),
        eq(connections.status, 'active'),
        eq(connections.tokenVersion, seenVersion),
        or(isNull(connections.refreshLeaseUntil), lt(connections.refreshLeaseUntil, isoAt(t))),
      ),
    )
    .returning()
    .get()

  if (!won) return waitForRefresh(db, connectionId, seenVersion, deps)

  const platform = won.platform
  let tokens: TokenSet
  try {
    tokens = await refreshTokens(env, platform, { accessToken: (await openToken(env, won, 'access')) ?? '', refreshToken: await openToken(env, won, 'refresh') })
  } catch (error) {
    if (error instanceof TokenRevokedError) {
      const reason = `${PLATFORM_NAMES[platform]} no longer accepts Reelpilot's access (${error.message}). Reconnect the account.`
      await db
        .update(connections)
        .set({ status: 'needs_reconnect', statusReason: reason, refreshLeaseUntil: null, refreshLeaseId: null, updatedAt: sqlNow() })
        .where(and(eq(connections.id, connectionId), eq(connections.refreshLeaseId, leaseId)))
        .run()
      throw new PublishError(failures.disconnected(platform, `refresh refused: ${error.message}`))
    }
    // Transient: give the lease back and change nothing else.
    await db.update(connections).set({ refreshLeaseUntil: null, refreshLeaseId: null }).where(and(eq(connections.id, connectionId), eq(connections.refreshLeaseId, leaseId))).run()
    throw new PublishError(failures.retryable(platform, `token refresh failed for now: ${String(error)}`, 60))
  }
  const updated = await db
    .update(connections)
    .set({
      accessToken: await box(env).seal(tokens.accessToken, aad(won, 'access')),
      // No new refresh token in the answer: keep the one we have.
      ...(tokens.refreshToken ? { refreshToken: await box(env).seal(tokens.refreshToken, aad(won, 'refresh')) } : {}),
      accessTokenExpiresAt: tokens.expiresAt,
      tokenVersion: sql`${connections.tokenVersion} + 1`,
      refreshLeaseUntil: null,
      refreshLeaseId: null,
      refreshedAt: new Date(now()).toISOString(),
      updatedAt: sqlNow(),
    })
    .where(and(eq(connections.id, connectionId), eq(connections.refreshLeaseId, leaseId)))
    .returning()
    .get()
  // Lost the lease while calling (it lapsed and someone else refreshed): theirs stands.
  return updated ?? waitForRefresh(db, connectionId, seenVersion, deps)
}

/** Waits for another caller's refresh of `seenVersion` to land (or fail). */
async function waitForRefresh(db: Db, connectionId: string, seenVersion: number, deps: RefreshDeps): Promise<Connection> {
  const now = deps.now ?? Date.now
  const deadline = now() + REFRESH_LEASE_MS + 5_000
  for (;;) {
    const row = await db.select().from(connections).where(eq(connections.id, connectionId)).get()
    if (!row) throw new PublishError(failures.disconnected('youtube', 'connection deleted'))
    if (row.status !== 'active') throw new PublishError(failures.disconnected(row.platform, `connection is ${row.status}: ${row.statusReason ?? ''}`))
    if (row.tokenVersion !== seenVersion) return row
    if (!row.refreshLeaseUntil || row.refreshLeaseUntil < isoAt(now())) {
      // The refresh that held the lease ended without a new token: a transient failure.
      throw new PublishError(failures.retryable(row.platform, 'another job’s token refresh did not complete', 30))
    }
    if (now() > deadline) throw new PublishError(failures.retryable(row.platform, 'timed out waiting for a token refresh', 30))
    await sleep(deps.waitStepMs ?? 50)
  }
}

const inFlight = new Map<string, Promise<Connection>>()

/** Refreshes a connection once for all callers in this isolate that saw `seenVersion` (then across isolates via the lease). */
export function refreshConnection(env: PlatformEnv, db: Db, connectionId: string, seenVersion: number, deps?: RefreshDeps): Promise<Connection> {
  const key = `${connectionId}@${seenVersion}`
  let promise = inFlight.get(key)
  if (!promise) {
    promise = refreshWithLease(env, db, connectionId, seenVersion, deps).finally(() => inFlight.delete(key))
    inFlight.set(key, promise)
  }
  return promise
}

/**
 * A usable access token for a connection: the stored one while it has more than
 * REFRESH_AHEAD_MS left, else a refreshed one. `force` refreshes anyway (after a 401).
 */
export async function liveAccessToken(env: PlatformEnv, db: Db, connection: Connection, options: { force?: boolean } & RefreshDeps = {}): Promise<{ token: string; connection: Connection }> {
  const now = options.now ?? Date.now
  if (connection.status !== 'active') throw new PublishError(failures.disconnected(connection.platform, `connection is ${connection.status}: ${connection.statusReason ?? ''}`))
  const fresh = connection.accessTokenExpiresAt === null || connection.accessTokenExpiresAt - now() > REFRESH_AHEAD_MS
  if (fresh && !options.force && connection.accessToken) return { token: (await openToken(env, connection, 'access'))!, connection }
  const refreshed = await refreshConnection(env, db, connection.id, connection.tokenVersion, options)
  return { token: (await openToken(env, refreshed, 'access'))!, connection: refreshed }
}
