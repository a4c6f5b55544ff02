/**
 * The browser-facing OAuth surface, mounted at /oauth (outside /api: the platforms redirect the
 * creator's browser here): the callback that checks the signed state, exchanges the code and
 * stores the connection, and the sandbox's local "post" page.
 */
import { eq } from 'drizzle-orm'
import { Hono } from 'hono'
import { createDb } from '../db/client'
import { sandboxPosts } from '../db/schema'
import { can } from '../domain/roles'
import type { AppEnv } from '../env'
import { problemResponse } from '../lib/errors'
import { saveOAuthConnection } from '../platforms/connections'
import { endpointsFor, sandboxEnabled, timeoutMs } from '../platforms/config'
import { instagramAccount } from '../platforms/instagram'
import { browserMatches, callbackUrl, claimState, exchangeCode, verifyState, type OAuthState } from '../platforms/oauth'
import { browserUser } from './middleware/auth'
import { memberRole } from './access'
import { tiktokAccount } from '../platforms/tiktok'
import { PLATFORM_NAMES, PLATFORMS, type AccountInfo, type Platform } from '../platforms/types'
import { youtubeAccount } from '../platforms/youtube'
import { log } from '../lib/log'
import { auditInsertBy, clientIp } from '../lib/audit'

const REASONS = {
  malformed: 'The sign-in response is not one Reelpilot issued.',
  bad_signature: 'The sign-in response was altered.',
  expired: 'The sign-in took longer than 10 minutes.',
  wrong_platform: 'The sign-in response belongs to another platform.',
}

function accountFor(env: Env, platform: Platform, accessToken: string): Promise<AccountInfo> {
  const api = endpointsFor(env, platform).api
  const ms = timeoutMs(env)
  return platform === 'youtube' ? youtubeAccount(api, accessToken, ms) : platform === 'tiktok' ? tiktokAccount(api, accessToken, ms) : instagramAccount(api, accessToken, ms)
}

/**
 * Whoever started the connection may still connect accounts to that project. Not requireRole: this
 * route has no principal on its context (the browser's session is read above) and answers its own 403.
 */
async function stillAllowed(db: ReturnType<typeof createDb>, state: OAuthState, userId: string): Promise<boolean> {
  const role = await memberRole(db, state.workspaceId, userId)
  return Boolean(role && can(role, 'projects.write'))
}

const escape = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`)

export const oauthRoutes = new Hono<AppEnv>()
  .get('/:platform/callback', async (c) => {
    const platform = c.req.param('platform') as Platform
    if (!PLATFORMS.includes(platform)) return problemResponse(404, `No OAuth callback for ${platform}`)
    const stateToken = c.req.query('state') ?? ''
    const check = await verifyState(c.env, stateToken, platform)
    if (!check.ok) return problemResponse(400, `${REASONS[check.reason]} Start connecting ${PLATFORM_NAMES[platform]} again from Connections.`, { errors: [{ field: 'state', message: check.reason }] })
    const { state } = check
    const again = `Start connecting ${PLATFORM_NAMES[platform]} again from Connections.`
    // Bound to the browser and the person that started it: an authorize link sent to someone
    // else, or replayed, connects nothing.
    if (!(await browserMatches(c, state)))
      return problemResponse(400, `This sign-in was started in another browser (or its cookie has gone). ${again}`, { errors: [{ field: 'state', message: 'not_this_browser' }] })
    const db = createDb(c.env.DB)
    const user = await browserUser(c, db)
    if (!user || state.by !== `user:${user.userId}`) return problemResponse(403, `Sign in to Reelpilot in this browser as the person who started connecting. ${again}`)
    if (!(await claimState(db, state))) return problemResponse(400, `This sign-in response was already used. ${again}`, { errors: [{ field: 'state', message: 'already_used' }] })
    const page = (query: string) => c.redirect(`/projects/${state.projectId}/connections?${query}`, 302)
    const denied = c.req.query('error')
    if (denied) return page(`platform=${platform}&error=${encodeURIComponent(denied)}`)
    if (!c.req.query('code')) return problemResponse(400, 'The sign-in response has no code.', { errors: [{ field: 'code', message: 'is required' }] })
    if (!(await stillAllowed(db, state, user.userId))) return problemResponse(403, 'You can no longer connect accounts to this project.')
    try {
      const tokens = await exchangeCode(c.env, platform, new URL(c.req.url), stateToken, state.nonce, callbackUrl(c.env, platform))
      const account = await accountFor(c.env, platform, tokens.accessToken)
      // The connection and its audit entry in one transaction: both or neither.
      await saveOAuthConnection(c.env, db, { workspaceId: state.workspaceId, projectId: state.projectId, platform, account, tokens, connectedBy: user.userId }, (connectionId) =>
        auditInsertBy(
          db,
          { actorType: 'user', actorId: user.userId, actorUserId: user.userId },
          { workspaceId: state.workspaceId, action: 'connection.connected', targetType: 'connection', targetId: connectionId, details: { projectId: state.projectId, platform, mode: 'oauth' } },
          { ip: clientIp(c), requestId: c.get('requestId') ?? null },
        ),
      )
    } catch (error) {
      log.warn('oauth callback failed', { platform, projectId: state.projectId, error: String(error) })
      return page(`platform=${platform}&error=exchange_failed`)
    }
    return page(`connected=${platform}`)
  })
  .get('/sandbox/posts/:id', async (c) => {
    // Off (production's default): there is no such page.
    if (!sandboxEnabled(c.env)) return problemResponse(404, 'Not found')
    const post = await createDb(c.env.DB).select().from(sandboxPosts).where(eq(sandboxPosts.id, c.req.param('id'))).get()
    if (!post) return problemResponse(404, 'Sandbox post not found')
    const video = post.videoKey?.startsWith('http') || post.videoKey?.startsWith('/') ? `<video controls playsinline src="${escape(post.videoKey)}" style="max-height:80vh;aspect-ratio:9/16;background:#000"></video>` : '<p>(no video URL was kept)</p>'
    return c.html(
      `<!doctype html><meta charset="utf-8"><title>${escape(post.title)} · sandbox ${PLATFORM_NAMES[post.platform]}</title>` +
        `<main style="font-family:system-ui;max-width:40rem;margin:2rem auto"><p>Sandbox ${PLATFORM_NAMES[post.platform]} · post ${escape(post.id)}</p>` +
        `<h1>${escape(post.title)}</h1>${video}<p>${post.size} bytes · ${post.readyAt <= Date.now() ? 'published' : 'processing'}</p></main>`,
    )
  })
