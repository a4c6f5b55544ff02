/**
 * Who is calling: a signed-in person (Clerk session, or a local session token in local mode)
 * or an integrator's API key (`rp_…`). Both arrive as `Authorization: Bearer …`; the web app
 * also sends the session as the `__session` cookie, as Clerk does.
 */
import { createClerkClient, verifyToken } from '@clerk/backend'
import { and, eq, isNull } from 'drizzle-orm'
import { getCookie } from 'hono/cookie'
import type { Context, MiddlewareHandler } from 'hono'
import { apiKeys, members, users, type Role } from '../../db/schema'
import { lowerRole } from '../../domain/roles'
import type { Db } from '../../db/client'
import type { AppEnv } from '../../env'
import { forbidden, HttpError, unauthorized } from '../../lib/errors'
import { misconfigured } from '../../lib/config'
import { sha256Hex } from '../../lib/crypto'
import { newId } from '../../lib/ids'
import { authMode } from '../../lib/auth-mode'
import { LOCAL_ISSUER } from '../../lib/local-auth'
import { log } from '../../lib/log'
import { checkBadKeyBudget, countBadKey } from './rate-limit'

export const API_KEY_PREFIX = 'rp_'

/** The one answer to a session token that does not verify, whatever the reason. */
export const SESSION_REFUSED = 'Your session is not valid or has expired: sign in again.'

export type Principal =
  | { kind: 'user'; userId: string; email: string }
  /** `role` is already capped by the creator's current role; `createdBy` is the person who answers for the key. */
  | { kind: 'apiKey'; keyId: string; workspaceId: string; role: Role; createdBy: string | null }

/** The id the rate limiter counts against. */
export function principalKey(p: Principal): string {
  return p.kind === 'user' ? `user:${p.userId}` : `key:${p.keyId}`
}

function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(\S+)$/i)
  return match?.[1]
}

/** Requires a valid session or API key and puts the principal on the context. */
export const authenticate = (): MiddlewareHandler<AppEnv> =>
  async function authenticate(c, next) {
    const token = bearerToken(c.req.header('authorization')) ?? getCookie(c, '__session')
    if (!token) throw unauthorized()
    const db = c.get('db')
    if (token.startsWith(API_KEY_PREFIX)) {
      // Each unknown key costs a D1 query: a client guessing keys is stopped per address.
      checkBadKeyBudget(c)
      let principal: Principal
      try {
        principal = await apiKeyPrincipal(db, token, c.executionCtx as ExecutionContext)
      } catch (error) {
        if (error instanceof HttpError && error.status === 401) await countBadKey(c)
        throw error
      }
      c.set('principal', principal)
    } else {
      c.set('principal', await sessionPrincipal(db, c.env, token))
    }
    await next()
  }

/**
 * An API key acts with the lower of its own role and its creator's current role in the
 * workspace; a key whose creator is no longer a member does not work at all.
 */
/**
 * The person signed in on a browser request (the `__session` cookie), or undefined: for the
 * browser-facing routes outside /api (the OAuth callbacks), which must not answer 401 pages.
 */
export async function browserUser(c: Context<AppEnv>, db: Db): Promise<{ userId: string; email: string } | undefined> {
  const token = getCookie(c, '__session')
  if (!token || token.startsWith(API_KEY_PREFIX)) return undefined
  try {
    const principal = await sessionPrincipal(db, c.env, token)
    return principal.kind === 'user' ? { userId: principal.userId, email: principal.email } : undefined
  } catch {
    return undefined
  }
}

async function apiKeyPrincipal(db: Db, secret: string, ctx: Pick<ExecutionContext, 'waitUntil'>): Promise<Principal> {
  const hash = await sha256Hex(secret)
  const key = await db
    .select({ id: apiKeys.id, workspaceId: apiKeys.workspaceId, role: apiKeys.role, createdBy: apiKeys.createdBy, lastUsedAt: apiKeys.lastUsedAt, creatorRole: members.role })
    .from(apiKeys)
    .innerJoin(members, and(eq(members.workspaceId, apiKeys.workspaceId), eq(members.userId, apiKeys.createdBy)))
    .where(and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt)))
    .get()
  if (!key) throw unauthorized('This API key is not valid or has been revoked.')
  // Recording the last use must not slow the request down, and is at most a minute stale.
  const now = new Date()
  if (!key.lastUsedAt || now.getTime() - Date.parse(key.lastUsedAt) > 60_000) {
    ctx.waitUntil(db.update(apiKeys).set({ lastUsedAt: now.toISOString() }).where(eq(apiKeys.id, key.id)).run())
  }
  return { kind: 'apiKey', keyId: key.id, workspaceId: key.workspaceId, role: lowerRole(key.role, key.creatorRole), createdBy: key.createdBy }
}

async function sessionPrincipal(db: Db, env: Env, token: string): Promise<Principal> {
  const mode = authMode(env)
  // The Worker's configuration guard answers 503 before this; refuse rather than guess.
  if (mode.kind === 'misconfigured') throw misconfigured(mode)
  const local = mode.kind === 'local'
  const options = {
    ...(local ? { jwtKey: env.LOCAL_AUTH_PUBLIC_KEY, issuer: LOCAL_ISSUER } : { jwtKey: env.CLERK_JWT_KEY || undefined, secretKey: env.CLERK_SECRET_KEY }),
    authorizedParties: mode.kind === 'clerk' ? mode.authorizedParties : undefined,
  }
  // What the verification depends on besides the token: a token is remembered for these only.
  const verifiedFor = `${JSON.stringify(options)}\n${token}`
  let claims = verifiedClaims(verifiedFor)
  if (!claims) {
    try {
      // The exported verifyToken resolves to the claims and throws a TokenVerificationError otherwise.
      claims = await verifyToken(token, options)
    } catch (error) {
      // The verifier's reason (which key, which claim) is for our logs, not for the caller.
      log.warn('session token refused', { reason: (error as { reason?: string })?.reason, error: error instanceof Error ? error.message : String(error) })
      throw unauthorized(SESSION_REFUSED)
    }
    rememberVerified(verifiedFor, claims)
  }
  const externalId = claims.sub
  const cached = knownUsers.get(externalId)
  if (cached && cached.until > Date.now()) return { kind: 'user', userId: cached.userId, email: cached.email }
  const known = await db.query.users.findFirst({ where: eq(users.externalId, externalId) })
  const user = known ? { userId: known.id, email: known.email } : await firstSight(db, externalId, await profileOf(env, claims as Record<string, unknown>, local))
  remember(externalId, user)
  return { kind: 'user', ...user }
}

type Claims = Awaited<ReturnType<typeof verifyToken>>

/**
 * Session tokens this isolate has verified, each until its own expiry and at most a minute: the
 * same token verifies the same way until then (its signature, issuer and parties do not change,
 * and a session token is not revocable before its exp anyway), so the signature check (a key
 * import and an RSA verify) runs once per token instead of on every request. Keyed by the whole
 * token and what verifies it (keys, issuer, parties), so a token that differs in any byte, or a
 * changed key, is verified afresh. Bounded, oldest forgotten first.
 */
const verifiedTokens = new Map<string, { claims: Claims; until: number }>()
const VERIFIED_TOKENS_MAX = 5000
const VERIFIED_TOKEN_MS = 60_000

function verifiedClaims(key: string): Claims | undefined {
  const seen = verifiedTokens.get(key)
  if (!seen) return undefined
  if (seen.until > Date.now()) return seen.claims
  verifiedTokens.delete(key)
  return undefined
}

function rememberVerified(key: string, claims: Claims) {
  const expires = typeof claims.exp === 'number' ? claims.exp * 1000 : 0
  const until = Math.min(expires, Date.now() + VERIFIED_TOKEN_MS)
  if (until <= Date.now()) return
  if (verifiedTokens.size >= VERIFIED_TOKENS_MAX) verifiedTokens.delete(verifiedTokens.keys().next().value!)
  verifiedTokens.set(key, { claims, until })
}

/**
 * Who a verified session's subject is, remembered by the isolate for a minute: a user row's id
 * never changes, so the lookup is saved on every request but the first (the token is still
 * verified each time; roles are always read fresh). Bounded, oldest forgotten first.
 */
const knownUsers = new Map<string, { userId: string; email: string; until: number }>()
const KNOWN_USERS_MAX = 5000
const KNOWN_USER_MS = 60_000
function remember(externalId: string, user: { userId: string; email: string }) {
  knownUsers.delete(externalId)
  if (knownUsers.size >= KNOWN_USERS_MAX) knownUsers.delete(knownUsers.keys().next().value!)
  knownUsers.set(externalId, { ...user, until: Date.now() + KNOWN_USER_MS })
}

/**
 * Email and name of someone seen for the first time. Local tokens carry them. For Clerk, the
 * Backend API is asked, because a claim cannot say whether the address was verified: only a
 * verified primary email may claim the invitation made for it.
 */
async function profileOf(env: Env, claims: Record<string, unknown>, local: boolean) {
  if (local) {
    if (typeof claims.email !== 'string') throw unauthorized('The session token has no email claim.')
    return { email: claims.email.toLowerCase(), name: typeof claims.name === 'string' ? claims.name : null }
  }
  const clerk = createClerkClient({ secretKey: env.CLERK_SECRET_KEY, apiUrl: env.CLERK_API_URL || undefined })
  const user = await clerk.users.getUser(String(claims.sub))
  const primary = user.primaryEmailAddress
  if (!primary) throw forbidden('Your account has no primary email address: add one in your account settings, then sign in again.')
  if (primary.verification?.status !== 'verified') throw forbidden(`Verify your email address (${primary.emailAddress}) first, then sign in again.`)
  return { email: primary.emailAddress.toLowerCase(), name: [user.firstName, user.lastName].filter(Boolean).join(' ') || null }
}

/**
 * Creates the user row on first sign-in. Someone invited before they ever signed in already has a
 * row by email: it is claimed by setting its external id.
 */
async function firstSight(db: Db, externalId: string, profile: { email: string; name: string | null }) {
  await db
    .insert(users)
    .values({ id: newId('usr'), externalId, email: profile.email, name: profile.name })
    .onConflictDoUpdate({
      target: users.email,
      set: { externalId, name: profile.name ?? undefined },
      setWhere: isNull(users.externalId),
    })
    .run()
  const row = await db.query.users.findFirst({ where: eq(users.externalId, externalId) })
  if (!row) throw new HttpError(409, `The email ${profile.email} belongs to another account.`)
  return { userId: row.id, email: row.email }
}
