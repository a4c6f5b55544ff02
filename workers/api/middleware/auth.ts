/**
 * Who is calling: a signed-in person (Clerk session, or a local session token in local mode)
 * or an integrator's API key (`rp_…`). Both arrive as `Authorization: Bearer …`; the web app
 * also sends the session as the `__session` cookie, as Clerk does.
 */
import { createClerkClient, verifyToken } from '@clerk/backend'
import { and, eq, isNull } from 'drizzle-orm'
import { getCookie } from 'hono/cookie'
import type { MiddlewareHandler } from 'hono'
import { apiKeys, users, type Role } from '../../db/schema'
import type { Db } from '../../db/client'
import type { AppEnv } from '../../env'
import { HttpError, unauthorized } from '../../lib/errors'
import { sha256Hex } from '../../lib/crypto'
import { newId } from '../../lib/ids'
import { isLocalAuth } from '../../lib/auth-mode'
import { LOCAL_ISSUER } from '../../lib/local-auth'

export const API_KEY_PREFIX = 'rp_'

export type Principal =
  | { kind: 'user'; userId: string; email: string }
  | { kind: 'apiKey'; keyId: string; workspaceId: string; role: Role }

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
      c.set('principal', await apiKeyPrincipal(db, token, c.executionCtx as ExecutionContext))
    } else {
      c.set('principal', await sessionPrincipal(db, c.env, token))
    }
    await next()
  }

async function apiKeyPrincipal(db: Db, secret: string, ctx: Pick<ExecutionContext, 'waitUntil'>): Promise<Principal> {
  const hash = await sha256Hex(secret)
  const key = await db.query.apiKeys.findFirst({ where: and(eq(apiKeys.hash, hash), isNull(apiKeys.revokedAt)) })
  if (!key) throw unauthorized('This API key is not valid or has been revoked.')
  // Recording the last use must not slow the request down, and is at most a minute stale.
  const now = new Date()
  if (!key.lastUsedAt || now.getTime() - Date.parse(key.lastUsedAt) > 60_000) {
    ctx.waitUntil(db.update(apiKeys).set({ lastUsedAt: now.toISOString() }).where(eq(apiKeys.id, key.id)).run())
  }
  return { kind: 'apiKey', keyId: key.id, workspaceId: key.workspaceId, role: key.role }
}

async function sessionPrincipal(db: Db, env: Env, token: string): Promise<Principal> {
  const local = isLocalAuth(env)
  const authorizedParties = env.CLERK_AUTHORIZED_PARTIES?.split(',').map((s) => s.trim()).filter(Boolean)
  let claims: Awaited<ReturnType<typeof verifyToken>>
  try {
    // The exported verifyToken resolves to the claims and throws a TokenVerificationError otherwise.
    claims = await verifyToken(token, {
      ...(local ? { jwtKey: env.LOCAL_AUTH_PUBLIC_KEY, issuer: LOCAL_ISSUER } : { jwtKey: env.CLERK_JWT_KEY || undefined, secretKey: env.CLERK_SECRET_KEY }),
      authorizedParties: authorizedParties?.length ? authorizedParties : undefined,
    })
  } catch (error) {
    throw unauthorized(`The session token was refused: ${error instanceof Error ? error.message : String(error)}`)
  }
  const externalId = claims.sub
  const known = await db.query.users.findFirst({ where: eq(users.externalId, externalId) })
  if (known) return { kind: 'user', userId: known.id, email: known.email }

  const profile = await profileOf(env, claims as Record<string, unknown>, local)
  return { kind: 'user', ...(await firstSight(db, externalId, profile)) }
}

/** Email and name from the token's claims, or from Clerk's Backend API when the session token carries none. */
async function profileOf(env: Env, claims: Record<string, unknown>, local: boolean) {
  if (typeof claims.email === 'string') return { email: claims.email.toLowerCase(), name: typeof claims.name === 'string' ? claims.name : null }
  if (local) throw unauthorized('The session token has no email claim.')
  const clerk = createClerkClient({ secretKey: env.CLERK_SECRET_KEY })
  const user = await clerk.users.getUser(String(claims.sub))
  const email = user.primaryEmailAddress?.emailAddress ?? user.emailAddresses[0]?.emailAddress
  if (!email) throw unauthorized('Your account has no email address.')
  return { email: email.toLowerCase(), name: [user.firstName, user.lastName].filter(Boolean).join(' ') || null }
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
