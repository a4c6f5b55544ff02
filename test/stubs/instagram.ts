/**
 * An Instagram Graph API stub (Reels through Facebook Login): dialog + token endpoint
 * (authorization_code, fb_exchange_token), /me/accounts, media containers with a `video_url`,
 * container status polling, content_publishing_limit, media_publish, permalink, the user's media,
 * and /me/permissions revoke. Errors use the Graph shape `{error: {message, type, code, error_subcode}}`.
 */
import { randomBytes } from 'node:crypto'
import {
  accountForAccessToken,
  bearer,
  count,
  createAccount,
  expireAccessTokens,
  formOrQuery,
  getAccount,
  hang,
  issueAccessToken,
  issueCode,
  readBody,
  redeemCode,
  registerItem,
  sendJson,
  takeFault,
  tokenCall,
  type FaultTable,
  type Account,
  type StubRequest,
} from './common'

interface Container {
  id: string
  account: Account
  caption: string
  videoUrl: string
  coverUrl?: string
  polls: number
  status: 'IN_PROGRESS' | 'FINISHED' | 'ERROR' | 'EXPIRED' | 'PUBLISHED'
  mediaId?: string
}

interface Media {
  id: string
  account: Account
  caption: string
  permalink: string
  timestamp: string
}

const containers = new Map<string, Container>()
const media = new Map<string, Media>()
const QUOTA_TOTAL = 50

const graphError = (res: StubRequest['res'], status: number, code: number, message: string, subcode?: number, type = 'OAuthException') =>
  sendJson(res, status, { error: { message, type, code, error_subcode: subcode, fbtrace_id: randomBytes(6).toString('base64url') } })

const graphId = () => String(17900000000000000 + Math.floor(Math.random() * 1e15))

function tokenOf(r: StubRequest, params?: URLSearchParams): string | undefined {
  return bearer(r.req) ?? params?.get('access_token') ?? r.url.searchParams.get('access_token') ?? undefined
}

function authed(r: StubRequest, params?: URLSearchParams): Account | undefined {
  const account = accountForAccessToken(tokenOf(r, params))
  if (!account) graphError(r.res, 400, 190, 'Error validating access token: Session has expired.', 463)
  return account
}

/** What each operation can inject (checked by `/_control`). */
export const INSTAGRAM_FAULTS: FaultTable = {
  token: ['delay', 'http500'],
  container: ['http429', 'http500'],
  // The container's fate: quota → EXPIRED, http500 → ERROR.
  container_outcome: ['quota', 'http500'],
  // media_publish: the post is made, then the answer goes wrong (refused_after: a transient-looking
  // code -2 error, which Instagram is known to send for posts that went out).
  publish: ['http500', 'hang_after', 'http500_after', 'empty_after', 'refused_after'],
  status: ['http429'],
  // Reels insights (metrics.ts): publish_limit stands for "not enough viewers".
  insights: ['http429', 'http500', 'publish_limit'],
}

export async function instagramStub(r: StubRequest): Promise<boolean> {
  const { req, res, url, path } = r
  const method = req.method ?? 'GET'
  const segments = path.split('/').filter(Boolean)

  if (method === 'GET' && path === '/dialog/oauth') {
    const account = getAccount(url.searchParams.get('stub_account') ?? '') ?? createAccount('instagram')
    const redirect = new URL(url.searchParams.get('redirect_uri') ?? '')
    redirect.searchParams.set('code', issueCode(account, redirect.toString().split('?')[0], url.searchParams.get('client_id') ?? ''))
    redirect.searchParams.set('state', url.searchParams.get('state') ?? '')
    res.writeHead(302, { location: redirect.toString() }).end()
    return true
  }

  if (path === '/oauth/access_token') {
    const params = formOrQuery(url, await readBody(req), req.headers['content-type'])
    const basic = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':')
    const clientId = params.get('client_id') ?? decodeURIComponent(basic[0] ?? '')
    if (params.get('grant_type') === 'fb_exchange_token') {
      // Only a token that still works can be exchanged for a fresh one, as on Facebook.
      const target = accountForAccessToken(params.get('fb_exchange_token') ?? undefined)
      const fault = await tokenCall(target)
      if (fault?.kind === 'http500') return graphError(res, 500, 2, 'An unexpected error has occurred. Please retry your request later.', undefined, 'OAuthException'), true
      if (!target || target.refreshRevoked) return graphError(res, 400, 190, 'Error validating access token: The user has not authorized application.', 458), true
      return sendJson(res, 200, { access_token: issueAccessToken(target), token_type: 'bearer', expires_in: 5183944 }), true
    }
    const result = redeemCode(params.get('code') ?? '', params.get('redirect_uri') ?? '', clientId)
    if (typeof result === 'string') return graphError(res, 400, 100, `Invalid verification code format: ${result}`, 36007), true
    count(result, 'tokenCalls')
    return sendJson(res, 200, { access_token: issueAccessToken(result), token_type: 'bearer', expires_in: 5183944 }), true
  }

  if (method === 'GET' && path === '/me/accounts') {
    const account = authed(r)
    if (!account) return true
    return sendJson(res, 200, { data: [{ id: `page-${account.id}`, name: `${account.name}'s Page`, instagram_business_account: { id: account.id, username: account.name.replace(/\s+/g, '_'), profile_picture_url: account.avatarUrl } }] }), true
  }

  if (method === 'DELETE' && path === '/me/permissions') {
    const account = authed(r)
    if (!account) return true
    account.refreshRevoked = true
    expireAccessTokens(account)
    count(account, 'revoked')
    return sendJson(res, 200, { success: true }), true
  }

  // /{ig-user-id}/media (create a container, or list media)
  if (segments.length === 2 && segments[1] === 'media') {
    const params = formOrQuery(url, await readBody(req), req.headers['content-type'])
    const account = authed(r, params)
    if (!account) return true
    if (account.id !== segments[0]) return graphError(res, 400, 100, 'Unsupported request: object does not exist or missing permissions', 33, 'GraphMethodException'), true
    if (method === 'GET') {
      const data = [...media.values()].filter((m) => m.account === account).reverse().map(({ account: _a, ...m }) => m)
      return sendJson(res, 200, { data }), true
    }
    count(account, 'containers')
    const fault = takeFault(account, 'container')
    if (fault?.kind === 'http429') return graphError(res, 400, 4, 'Application request limit reached', 2207051), true
    if (fault?.kind === 'http500') return graphError(res, 500, 1, 'An unknown error occurred', 2207001), true
    if (params.get('media_type') !== 'REELS') return graphError(res, 400, 100, 'media_type must be REELS'), true
    const videoUrl = params.get('video_url') ?? ''
    if (!/^https?:\/\//.test(videoUrl)) return graphError(res, 400, 100, 'The parameter video_url is required and must be a public URL', 2207052), true
    const caption = params.get('caption') ?? ''
    if ([...caption].length > 2200) return graphError(res, 400, 100, 'The caption is too long', 2207008), true
    if ((caption.match(/#/g) ?? []).length > 30) return graphError(res, 400, 100, 'Too many hashtags (30 at most)', 2207040), true
    const container: Container = { id: graphId(), account, caption, videoUrl, coverUrl: params.get('cover_url') ?? undefined, polls: 0, status: 'IN_PROGRESS' }
    const next = takeFault(account, 'container_outcome')
    if (next?.kind === 'quota') container.status = 'EXPIRED'
    else if (next?.kind === 'http500') container.status = 'ERROR'
    containers.set(container.id, container)
    return sendJson(res, 200, { id: container.id }), true
  }

  if (method === 'GET' && segments.length === 2 && segments[1] === 'content_publishing_limit') {
    const account = authed(r)
    if (!account) return true
    count(account, 'limitChecks')
    return sendJson(res, 200, { data: [{ quota_usage: account.quotaUsage, config: { quota_total: QUOTA_TOTAL, quota_duration: 86400 } }] }), true
  }

  if (method === 'POST' && segments.length === 2 && segments[1] === 'media_publish') {
    const params = formOrQuery(url, await readBody(req), req.headers['content-type'])
    const account = authed(r, params)
    if (!account) return true
    count(account, 'publishCalls')
    const container = containers.get(params.get('creation_id') ?? '')
    if (!container || container.account !== account) return graphError(res, 400, 100, 'Media ID is not available', 2207006), true
    // A 5xx before anything happened (the fault is taken here only if it is that kind).
    if (account.faults.find((f) => f.op === 'publish')?.kind === 'http500' && takeFault(account, 'publish'))
      return graphError(res, 500, 1, 'An unknown error occurred', 2207001), true
    if (account.quotaUsage >= QUOTA_TOTAL) return graphError(res, 400, 9, 'Application request limit reached: the account has reached its content publishing limit', 2207042), true
    if (container.status === 'PUBLISHED') return graphError(res, 400, 100, 'Media has already been published', 2207035), true
    if (container.status !== 'FINISHED') return graphError(res, 400, 9007, 'Media ID is not ready for publishing, please wait for a moment', 2207027), true
    const m: Media = { id: graphId(), account, caption: container.caption, permalink: '', timestamp: new Date().toISOString() }
    m.permalink = `https://www.instagram.com/reel/${Buffer.from(m.id).toString('base64url').slice(0, 11)}/`
    media.set(m.id, m)
    registerItem(account, m.id)
    container.status = 'PUBLISHED'
    container.mediaId = m.id
    account.quotaUsage++
    count(account, 'published')
    const after = takeFault(account, 'publish')
    if (after?.kind === 'hang_after') return hang(res), true
    if (after?.kind === 'http500_after') return graphError(res, 500, 2, 'An unexpected error has occurred. Please retry your request later.', undefined, 'OAuthException'), true
    if (after?.kind === 'empty_after') return sendJson(res, 200, {}), true
    if (after?.kind === 'refused_after') return graphError(res, 400, -2, 'Fatal', 2207001), true
    return sendJson(res, 200, { id: m.id }), true
  }

  // /{container-id}?fields=status_code,status  or  /{media-id}?fields=permalink
  if (method === 'GET' && segments.length === 1) {
    const account = authed(r)
    if (!account) return true
    const container = containers.get(segments[0])
    if (container && container.account === account) {
      count(account, 'statusPolls')
      const fault = takeFault(account, 'status')
      if (fault?.kind === 'http429') return graphError(res, 400, 4, 'Application request limit reached'), true
      if (container.status === 'IN_PROGRESS' && container.polls++ >= account.processingPolls) container.status = 'FINISHED'
      const status = container.status === 'ERROR' ? 'Error: Media upload has failed with error code 2207026 (unsupported video format)' : container.status === 'EXPIRED' ? 'Expired: not published within 24 hours' : container.status
      return sendJson(res, 200, { status_code: container.status, status, id: container.id }), true
    }
    const m = media.get(segments[0])
    if (m && m.account === account) return sendJson(res, 200, { permalink: m.permalink, id: m.id }), true
    return graphError(res, 400, 100, 'Unsupported get request. Object does not exist', 33, 'GraphMethodException'), true
  }

  return false
}

export function instagramMediaOf(accountId: string) {
  return [...media.values()].filter((m) => m.account.id === accountId).map(({ account: _a, ...m }) => m)
}
