/**
 * OAuth 2 with the platforms (oauth4webapi): the authorization URL with a signed `state` and
 * PKCE, the code exchange, token refresh, and revocation. Endpoints come from config, so tests
 * reach the stubs.
 *
 * The `state` is `<payload>.<HMAC-SHA256>`: who asked (user or API key), for which project and
 * platform, a nonce, the hash of a nonce cookie set on the browser that started the flow, and an
 * expiry ten minutes out. The callback requires that cookie and the same signed-in person, and
 * takes each state once (`oauth_states_used`). The PKCE verifier is not stored anywhere: it
 * is an HMAC of the nonce, so only this server can recompute it at the callback.
 */
import { lt, sql } from 'drizzle-orm'
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import * as oauth from 'oauth4webapi'
import type { Db } from '../db/client'
import { oauthStatesUsed } from '../db/schema'
import { base64url, derivedKey, fromBase64url, sha256Hex } from '../lib/crypto'
import { withTimeout } from '../lib/resilience'
import { currentSecret } from '../lib/secret-box'
import { platformApp, timeoutMs, type PlatformApp, type PlatformEnv } from './config'
import type { Platform } from './types'
import { log } from '../lib/log'
import { publicOrigin } from '../lib/public-url'
import { misconfigured, TOKEN_KEY_MISSING } from '../lib/config'

export const STATE_TTL_MS = 10 * 60_000
const encoder = new TextEncoder()

/** The HMAC key for states and PKCE verifiers, derived from the token key's current version. */
function stateKey(env: PlatformEnv): Promise<CryptoKey> {
  if (!env.TOKEN_ENCRYPTION_KEY) throw misconfigured(TOKEN_KEY_MISSING)
  return derivedKey(currentSecret(env.TOKEN_ENCRYPTION_KEY).secret, 'reelpilot-oauth-state-v1', { name: 'HMAC', hash: 'SHA-256', length: 256 }, ['sign', 'verify'])
}

export interface OAuthState {
  /** `user:<id>` or `key:<id>`. */
  by: string
  workspaceId: string
  projectId: string
  platform: Platform
  nonce: string
  /** SHA-256 (hex) of the browser nonce: the cookie set on the browser that started the flow. */
  bind: string
  /** Epoch seconds. */
  exp: number
}

export async function signState(env: PlatformEnv, state: Omit<OAuthState, 'nonce' | 'exp'>, nowMs = Date.now()): Promise<{ token: string; state: OAuthState }> {
  const full: OAuthState = { ...state, nonce: base64url(crypto.getRandomValues(new Uint8Array(16))), exp: Math.floor((nowMs + STATE_TTL_MS) / 1000) }
  const payload = base64url(encoder.encode(JSON.stringify(full)))
  const mac = await crypto.subtle.sign('HMAC', await stateKey(env), encoder.encode(`state.${payload}`))
  return { token: `${payload}.${base64url(new Uint8Array(mac))}`, state: full }
}

export type StateCheck = { ok: true; state: OAuthState } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' | 'wrong_platform' }

/** Checks a returned `state`: signature (constant time), expiry, and that it is for this platform. */
export async function verifyState(env: PlatformEnv, token: string, platform: Platform, nowMs = Date.now()): Promise<StateCheck> {
  const [payload, mac, extra] = token.split('.')
  if (!payload || !mac || extra !== undefined) return { ok: false, reason: 'malformed' }
  let signature: Uint8Array<ArrayBuffer>
  try {
    signature = fromBase64url(mac)
  } catch {
    return { ok: false, reason: 'malformed' }
  }
  if (!(await crypto.subtle.verify('HMAC', await stateKey(env), signature, encoder.encode(`state.${payload}`)))) return { ok: false, reason: 'bad_signature' }
  const state = JSON.parse(new TextDecoder().decode(fromBase64url(payload))) as OAuthState
  if (!(state.exp * 1000 > nowMs)) return { ok: false, reason: 'expired' }
  if (state.platform !== platform) return { ok: false, reason: 'wrong_platform' }
  return { ok: true, state }
}

const nonceCookie = (platform: Platform) => `rp_oauth_${platform}`
const cookieOptions = (c: Context) => ({ path: '/oauth', httpOnly: true, secure: new URL(c.req.url).protocol === 'https:', sameSite: 'Lax' as const })

/** Sets the browser's half of a flow: a nonce cookie (HttpOnly, Secure on https, SameSite=Lax, path /oauth). */
export function setOAuthNonceCookie(c: Context, platform: Platform, nonce: string) {
  setCookie(c, nonceCookie(platform), nonce, { ...cookieOptions(c), maxAge: STATE_TTL_MS / 1000 })
}

/** Whether the callback's browser holds the nonce cookie the state was bound to; the cookie is cleared either way. */
export async function browserMatches(c: Context, state: OAuthState): Promise<boolean> {
  const nonce = getCookie(c, nonceCookie(state.platform))
  deleteCookie(c, nonceCookie(state.platform), cookieOptions(c))
  if (!nonce || !state.bind) return false
  const hash = await sha256Hex(nonce)
  // Both are hex SHA-256 digests: comparing them leaks nothing about the nonce.
  return hash === state.bind
}

/** Takes a state for good: true the first time its nonce comes back, false for a replay. */
export async function claimState(db: Db, state: OAuthState, nowMs = Date.now()): Promise<boolean> {
  const [claimed] = await db.batch([
    db.insert(oauthStatesUsed).values({ nonce: state.nonce, expiresAt: state.exp }).onConflictDoNothing().returning({ nonce: oauthStatesUsed.nonce }),
    // States past their expiry are refused by their signature check anyway; their rows can go.
    db.delete(oauthStatesUsed).where(lt(oauthStatesUsed.expiresAt, sql`${Math.floor(nowMs / 1000)}`)),
  ])
  return claimed.length === 1
}

/** The PKCE verifier of a state: recomputed from its nonce, never stored. */
async function pkceVerifier(env: PlatformEnv, nonce: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', await stateKey(env), encoder.encode(`pkce.${nonce}`))
  return base64url(new Uint8Array(mac))
}

function authorizationServer(app: PlatformApp): oauth.AuthorizationServer {
  return {
    issuer: new URL(app.endpoints.authorize).origin,
    authorization_endpoint: app.endpoints.authorize,
    token_endpoint: app.endpoints.token,
    revocation_endpoint: app.endpoints.revoke,
  }
}

function requestOptions(app: PlatformApp, signal?: AbortSignal) {
  const insecure = app.endpoints.token.startsWith('http:')
  return { signal, ...(insecure ? { [oauth.allowInsecureRequests]: true } : {}) }
}

export function requireApp(env: PlatformEnv, platform: Platform): PlatformApp {
  const app = platformApp(env, platform)
  if (!app) throw new Error(`${platform} credentials are not configured`)
  return app
}

/**
 * Where the platform sends the creator back: on `PUBLIC_URL` only, never the request's Host (a
 * spoofed Host must not choose where the code goes; the platform's registered URIs are the second check).
 */
export const callbackUrl = (env: Pick<Env, 'PUBLIC_URL'>, platform: Platform) => new URL(`/oauth/${platform}/callback`, publicOrigin(env)).toString()

/** The consent URL: scopes, our signed state, PKCE (S256) where the platform takes it, offline access. */
export async function authorizeUrl(env: PlatformEnv, platform: Platform, stateToken: string, nonce: string, redirectUri: string): Promise<string> {
  const app = requireApp(env, platform)
  const url = new URL(app.endpoints.authorize)
  const p = url.searchParams
  if (platform === 'tiktok') {
    p.set('client_key', app.clientId)
    p.set('scope', app.endpoints.scopes.join(','))
  } else {
    p.set('client_id', app.clientId)
    p.set('scope', app.endpoints.scopes.join(platform === 'instagram' ? ',' : ' '))
  }
  p.set('response_type', 'code')
  p.set('redirect_uri', redirectUri)
  p.set('state', stateToken)
  if (platform === 'youtube') {
    // A refresh token comes only with offline access; consent makes Google send it again on reconnect.
    p.set('access_type', 'offline')
    p.set('prompt', 'consent')
    p.set('include_granted_scopes', 'true')
  }
  if (app.endpoints.pkce) {
    p.set('code_challenge', await oauth.calculatePKCECodeChallenge(await pkceVerifier(env, nonce)))
    p.set('code_challenge_method', 'S256')
  }
  return url.toString()
}

export interface TokenSet {
  accessToken: string
  /** Absent when the platform sent none: keep the one stored. */
  refreshToken?: string
  /** Epoch ms. */
  expiresAt: number | null
  scope?: string
}

/** A refresh the platform refused for good (revoked, expired): the creator must reconnect. */
export class TokenRevokedError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TokenRevokedError'
  }
}

/**
 * Raises TokenRevokedError for answers that mean the grant is dead; other failures stay transient.
 * The body is read whatever the status: some providers (TikTok has been seen to) answer an OAuth
 * error with HTTP 200.
 */
async function checkDeadGrant(response: Response) {
  if (response.status >= 500) return
  const body = await response
    .clone()
    .json()
    .catch(() => undefined)
  const error = (body as any)?.error
  if (!error) return
  if (error === 'invalid_grant' || error?.code === 190 || error?.code === 102 || error === 'access_denied')
    throw new TokenRevokedError(typeof error === 'string' ? `${error}: ${(body as any)?.error_description ?? ''}` : `code ${error.code}: ${error.message}`)
  if (response.ok) throw new Error(`token endpoint answered 200 with an error: ${typeof error === 'string' ? error : JSON.stringify(error)}`)
}

function toTokenSet(result: oauth.TokenEndpointResponse, nowMs: number): TokenSet {
  return {
    accessToken: result.access_token,
    refreshToken: typeof result.refresh_token === 'string' && result.refresh_token ? result.refresh_token : undefined,
    expiresAt: typeof result.expires_in === 'number' ? nowMs + result.expires_in * 1000 : null,
    scope: result.scope,
  }
}

/** Exchanges the callback's code (with the PKCE verifier of its state) for tokens. */
export async function exchangeCode(env: PlatformEnv, platform: Platform, callback: URL, stateToken: string, nonce: string, redirectUri: string): Promise<TokenSet> {
  const app = requireApp(env, platform)
  const as = authorizationServer(app)
  const client: oauth.Client = { client_id: app.clientId }
  const params = oauth.validateAuthResponse(as, client, callback, stateToken)
  const verifier = app.endpoints.pkce ? await pkceVerifier(env, nonce) : oauth.nopkce
  const now = Date.now()
  return withTimeout(timeoutMs(env), async (signal) => {
    const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.ClientSecretPost(app.clientSecret), params, redirectUri, verifier, {
      ...requestOptions(app, signal),
      additionalParameters: platform === 'tiktok' ? { client_key: app.clientId } : undefined,
    })
    await checkDeadGrant(response)
    return toTokenSet(await oauth.processAuthorizationCodeResponse(as, client, response), now)
  })
}

/**
 * Asks the platform for a fresh access token. YouTube and TikTok use the refresh token; Instagram
 * (Facebook Login) exchanges the current long-lived token for a new one. Throws TokenRevokedError
 * when the grant is dead; anything else (5xx, timeouts) is transient.
 */
export async function refreshTokens(env: PlatformEnv, platform: Platform, tokens: { accessToken: string; refreshToken: string | null }): Promise<TokenSet> {
  const app = requireApp(env, platform)
  const as = authorizationServer(app)
  const client: oauth.Client = { client_id: app.clientId }
  const auth = oauth.ClientSecretPost(app.clientSecret)
  const now = Date.now()
  return withTimeout(timeoutMs(env), async (signal) => {
    let response: Response
    if (platform === 'instagram') {
      response = await oauth.genericTokenEndpointRequest(as, client, auth, 'fb_exchange_token', new URLSearchParams({ fb_exchange_token: tokens.accessToken }), requestOptions(app, signal))
    } else {
      if (!tokens.refreshToken) throw new TokenRevokedError('no refresh token is stored for this connection')
      response = await oauth.refreshTokenGrantRequest(as, client, auth, tokens.refreshToken, {
        ...requestOptions(app, signal),
        additionalParameters: platform === 'tiktok' ? { client_key: app.clientId } : undefined,
      })
    }
    await checkDeadGrant(response)
    if (!response.ok) throw new Error(`token endpoint answered ${response.status}`)
    const result = platform === 'instagram' ? await oauth.processGenericTokenEndpointResponse(as, client, response) : await oauth.processRefreshTokenResponse(as, client, response)
    return toTokenSet(result, now)
  })
}

/** Revokes our access where the platform allows it (YouTube, TikTok, Instagram permissions). Best effort. */
export async function revokeTokens(env: PlatformEnv, platform: Platform, tokens: { accessToken: string | null; refreshToken: string | null }): Promise<boolean> {
  const app = platformApp(env, platform)
  if (!app) return false
  try {
    return await withTimeout(timeoutMs(env), async (signal) => {
      if (platform === 'instagram') {
        if (!tokens.accessToken) return false
        const res = await fetch(`${app.endpoints.api}/me/permissions`, { method: 'DELETE', headers: { authorization: `Bearer ${tokens.accessToken}` }, signal })
        return res.ok
      }
      const token = platform === 'youtube' ? (tokens.refreshToken ?? tokens.accessToken) : tokens.accessToken
      if (!token || !app.endpoints.revoke) return false
      const body = new URLSearchParams({ token })
      if (platform === 'tiktok') {
        body.set('client_key', app.clientId)
        body.set('client_secret', app.clientSecret)
      }
      const res = await fetch(app.endpoints.revoke, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, signal })
      return res.ok
    })
  } catch (error) {
    log.warn('token revocation failed', { platform, error: String(error) })
    return false
  }
}
