/**
 * A YouTube Data API v3 + Google OAuth stub: consent redirect, token endpoint (authorization_code
 * with PKCE, refresh_token, invalid_grant), revoke, channels.list, videos.insert multipart (as
 * googleapis sends it), the resumable protocol (session, Content-Range, 308 + Range,
 * status queries with an empty body, 404 for a dead session), videos.list, search.list by marker, thumbnails.set.
 */
import { randomBytes } from 'node:crypto'
import {
  accountForAccessToken,
  accountForRefreshToken,
  bearer,
  count,
  createAccount,
  expireAccessTokens,
  formOrQuery,
  getAccount,
  hang,
  issueAccessToken,
  issueCode,
  itemOf,
  origin,
  readBody,
  redeemCode,
  registerItem,
  sendJson,
  takeFault,
  tokenCall,
  type Account,
  type FaultTable,
  type StubRequest,
} from './common'

interface Video {
  id: string
  account: Account
  snippet: { title: string; description: string; tags: string[] }
  status: { privacyStatus: string; selfDeclaredMadeForKids?: boolean }
  size: number
  thumbnail?: number
}

interface Session {
  id: string
  account: Account
  resource: any
  total: number
  contentType: string
  received: number
  dead: boolean
  video?: Video
}

/** What each operation can inject (checked by `/_control`). */
export const YOUTUBE_FAULTS: FaultTable = {
  token: ['delay', 'http500'],
  session: ['quota', 'http429', 'http500'],
  insert: ['quota', 'http429', 'http500'],
  insert_after: ['hang_after'],
  // A chunk that is not the last: app_cap stands for a session that expired (404 from then on).
  chunk: ['partial500', 'http500', 'quota', 'app_cap'],
  // The PUT that carries the last byte: the video is created, then the answer goes wrong.
  final_chunk: ['hang_after', 'http500_after', 'http404_after', 'empty_after', 'refused_after'],
  // `bytes */TOTAL`: 503, never answer, or the session is forgotten (404 from then on).
  status_query: ['http500', 'hang', 'http404'],
  search: ['delay'],
  // Analytics reports (metrics.ts).
  reports: ['http500'],
}

const videos = new Map<string, Video>()
const sessions = new Map<string, Session>()
const KiB = 1024

const googleError = (res: StubRequest['res'], status: number, reason: string, message: string, headers: Record<string, string> = {}) =>
  sendJson(res, status, { error: { code: status, message, errors: [{ message, domain: reason === 'quotaExceeded' ? 'youtube.quota' : 'global', reason }] } }, headers)

/** The account behind the request's bearer token; answers 401 itself when there is none. */
function authed(r: StubRequest): Account | undefined {
  const account = accountForAccessToken(bearer(r.req))
  if (!account) {
    googleError(r.res, 401, 'authError', 'Request had invalid authentication credentials. Expected OAuth 2 access token.', { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' })
    return undefined
  }
  return account
}

function createVideo(account: Account, resource: any, size: number): Video {
  const id = randomBytes(8).toString('base64url').slice(0, 11)
  const video: Video = {
    id,
    account,
    snippet: { title: resource?.snippet?.title ?? '', description: resource?.snippet?.description ?? '', tags: resource?.snippet?.tags ?? [] },
    status: { privacyStatus: resource?.status?.privacyStatus ?? 'public', selfDeclaredMadeForKids: resource?.status?.selfDeclaredMadeForKids },
    size,
  }
  videos.set(id, video)
  registerItem(account, id)
  count(account, 'videosCreated')
  return video
}

const resource = (v: Video) => ({ kind: 'youtube#video', id: v.id, snippet: { ...v.snippet, channelId: v.account.id }, status: { uploadStatus: 'uploaded', ...v.status } })

/** Checks the metadata as YouTube does; answers 400 itself when invalid. */
function invalidResource(r: StubRequest, body: any): boolean {
  const title: string = body?.snippet?.title ?? ''
  if (!title || title.length > 100 || /[<>]/.test(title)) return googleError(r.res, 400, 'invalidTitle', 'The request metadata specifies an invalid or empty video title.'), true
  if (Buffer.byteLength(body?.snippet?.description ?? '') > 5000) return googleError(r.res, 400, 'invalidDescription', 'The request metadata specifies an invalid video description.'), true
  const tags: string[] = body?.snippet?.tags ?? []
  if (tags.reduce((n, t, i) => n + t.length + (t.includes(' ') ? 2 : 0) + (i ? 1 : 0), 0) > 500) return googleError(r.res, 400, 'invalidTags', 'The request metadata specifies invalid video keywords.'), true
  return false
}

/** Applies an upload-start fault (quota, 429, 500); true when it answered. */
function uploadFault(r: StubRequest, account: Account, op: string): boolean {
  const fault = takeFault(account, op)
  if (fault?.kind === 'quota') return googleError(r.res, 403, 'quotaExceeded', 'The request cannot be completed because you have exceeded your <a href="/youtube/v3/getting-started#quota">quota</a>.'), true
  if (fault?.kind === 'http429') return googleError(r.res, 429, 'rateLimitExceeded', 'Too many requests.', { 'retry-after': '120' }), true
  if (fault?.kind === 'http500') return googleError(r.res, 500, 'backendError', 'Backend Error'), true
  return false
}

/** Splits a multipart/related body into its parts. */
function multipartParts(body: Buffer, contentType: string): { headers: string; body: Buffer }[] {
  const boundary = /boundary=("?)([^";]+)\1/.exec(contentType)?.[2]
  if (!boundary) return []
  const delimiter = Buffer.from(`--${boundary}`)
  const parts: { headers: string; body: Buffer }[] = []
  let start = body.indexOf(delimiter)
  while (start >= 0) {
    const next = body.indexOf(delimiter, start + delimiter.length)
    if (next < 0) break
    const part = body.subarray(start + delimiter.length + 2, next - 2)
    const split = part.indexOf('\r\n\r\n')
    parts.push({ headers: part.subarray(0, split).toString(), body: part.subarray(split + 4) })
    start = next
  }
  return parts
}

export async function youtubeStub(r: StubRequest): Promise<boolean> {
  const { req, res, url, path } = r
  const method = req.method ?? 'GET'

  if (method === 'GET' && path === '/o/oauth2/v2/auth') {
    const account = getAccount(url.searchParams.get('stub_account') ?? '') ?? createAccount('youtube')
    if (url.searchParams.get('code_challenge_method') !== 'S256') return sendJson(res, 400, { error: 'invalid_request', error_description: 'code_challenge_method must be S256' }), true
    const redirect = new URL(url.searchParams.get('redirect_uri') ?? '')
    redirect.searchParams.set('code', issueCode(account, redirect.toString().split('?')[0], url.searchParams.get('client_id') ?? '', url.searchParams.get('code_challenge') ?? undefined))
    redirect.searchParams.set('state', url.searchParams.get('state') ?? '')
    redirect.searchParams.set('scope', url.searchParams.get('scope') ?? '')
    res.writeHead(302, { location: redirect.toString() }).end()
    return true
  }

  if (method === 'POST' && path === '/token') {
    const params = formOrQuery(url, await readBody(req), req.headers['content-type'])
    const grant = params.get('grant_type')
    const clientId = params.get('client_id') ?? Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString().split(':')[0]
    if (grant === 'authorization_code') {
      const result = redeemCode(params.get('code') ?? '', params.get('redirect_uri') ?? '', decodeURIComponent(clientId), params.get('code_verifier') ?? undefined)
      if (typeof result === 'string') return sendJson(res, 400, { error: 'invalid_grant', error_description: result }), true
      count(result, 'tokenCalls')
      const body: Record<string, unknown> = { access_token: issueAccessToken(result), expires_in: 3599, scope: result.scopes.join(' '), token_type: 'Bearer' }
      if (!result.omitRefreshTokenOnCode) body.refresh_token = result.refreshToken
      result.omitRefreshTokenOnCode = true
      return sendJson(res, 200, body), true
    }
    if (grant === 'refresh_token') {
      const account = accountForRefreshToken(params.get('refresh_token') ?? undefined)
      const fault = await tokenCall(account)
      if (fault?.kind === 'http500') return sendJson(res, 503, { error: 'temporarily_unavailable', error_description: 'try again' }), true
      if (!account || account.refreshRevoked) return sendJson(res, 400, { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' }), true
      // Google answers a refresh without a new refresh token.
      return sendJson(res, 200, { access_token: issueAccessToken(account), expires_in: 3599, scope: account.scopes.join(' '), token_type: 'Bearer' }), true
    }
    return sendJson(res, 400, { error: 'unsupported_grant_type' }), true
  }

  if (method === 'POST' && path === '/revoke') {
    const params = formOrQuery(url, await readBody(req), req.headers['content-type'])
    const t = params.get('token') ?? ''
    const account = accountForRefreshToken(t) ?? accountForAccessToken(t)
    if (!account) return sendJson(res, 400, { error: 'invalid_token' }), true
    account.refreshRevoked = true
    expireAccessTokens(account)
    count(account, 'revoked')
    return sendJson(res, 200, {}), true
  }

  if (method === 'GET' && path === '/youtube/v3/channels') {
    const account = authed(r)
    if (!account) return true
    return sendJson(res, 200, {
      kind: 'youtube#channelListResponse',
      items: [{ kind: 'youtube#channel', id: account.id, snippet: { title: account.name, thumbnails: { default: { url: account.avatarUrl } } }, contentDetails: { relatedPlaylists: { uploads: `UU${account.id.slice(2)}` } } }],
    }), true
  }

  if (method === 'GET' && path === '/youtube/v3/playlistItems') {
    const account = authed(r)
    if (!account) return true
    count(account, 'playlistReads')
    if (url.searchParams.get('playlistId') !== `UU${account.id.slice(2)}`) return googleError(res, 404, 'playlistNotFound', 'playlist not found'), true
    // The search index lags on the real service; the uploads playlist does not. The stub's search can be told to lag.
    const items = [...videos.values()]
      .filter((v) => v.account === account)
      .reverse()
      .slice(0, Number(url.searchParams.get('maxResults') ?? 5))
      .map((v) => ({ kind: 'youtube#playlistItem', contentDetails: { videoId: v.id } }))
    return sendJson(res, 200, { kind: 'youtube#playlistItemListResponse', items }), true
  }

  if (method === 'POST' && path === '/upload/youtube/v3/videos' && url.searchParams.get('uploadType') === 'multipart') {
    const account = authed(r)
    if (!account) return true
    if (uploadFault(r, account, 'insert')) return true
    const raw = await readBody(req)
    const parts = multipartParts(raw, req.headers['content-type'] ?? '')
    if (parts.length !== 2) return googleError(res, 400, 'badContent', `expected a metadata part and a media part (${parts.length} parts, ${req.headers['content-type']}, ${req.headers['transfer-encoding']}, ${req.headers['content-length']})`), true
    const meta = JSON.parse(parts[0].body.toString())
    if (invalidResource(r, meta)) return true
    const video = createVideo(account, meta, parts[1].body.length)
    count(account, 'uploads')
    if (takeFault(account, 'insert_after')?.kind === 'hang_after') return hang(res), true
    return sendJson(res, 200, resource(video)), true
  }

  if (method === 'POST' && path === '/upload/youtube/v3/videos' && url.searchParams.get('uploadType') === 'resumable') {
    const account = authed(r)
    if (!account) return true
    if (uploadFault(r, account, 'session')) return true
    const meta = JSON.parse((await readBody(req)).toString() || '{}')
    if (invalidResource(r, meta)) return true
    const total = Number(req.headers['x-upload-content-length'])
    if (!Number.isFinite(total) || total <= 0) return googleError(res, 400, 'invalidValue', 'X-Upload-Content-Length is required'), true
    const id = randomBytes(12).toString('base64url')
    sessions.set(id, { id, account, resource: meta, total, contentType: String(req.headers['x-upload-content-type'] ?? 'video/*'), received: 0, dead: false })
    count(account, 'sessions')
    res.writeHead(200, { location: `${origin(req)}/youtube/upload/youtube/v3/videos?uploadType=resumable&upload_id=${id}`, 'content-length': '0' }).end()
    return true
  }

  if (method === 'PUT' && path === '/upload/youtube/v3/videos' && url.searchParams.get('upload_id')) {
    const session = sessions.get(url.searchParams.get('upload_id') ?? '')
    const body = await readBody(req)
    if (!session || session.dead) return googleError(res, 404, 'notFound', 'The upload session was not found or has expired.'), true
    const range = String(req.headers['content-range'] ?? '')
    const account = session.account
    const rangeHeader = () => (session.received > 0 ? { range: `bytes=0-${session.received - 1}` } : ({} as Record<string, string>))
    const done = () => sendJson(res, 201, resource(session.video!))
    // Status query: `bytes */TOTAL` with no body.
    if (/^bytes \*\/\d+$/.test(range)) {
      count(account, 'statusQueries')
      const fault = takeFault(account, 'status_query')
      if (fault?.kind === 'http500') return googleError(res, 503, 'backendError', 'Service Unavailable'), true
      if (fault?.kind === 'hang') return hang(res), true
      if (fault?.kind === 'http404') {
        session.dead = true
        return googleError(res, 404, 'notFound', 'The upload session was not found or has expired.'), true
      }
      if (session.video) return done(), true
      res.writeHead(308, { ...rangeHeader(), 'content-length': '0' }).end()
      return true
    }
    const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(range)
    if (!match) return googleError(res, 400, 'badRequest', `bad Content-Range: ${range}`), true
    const [start, end, total] = match.slice(1).map(Number)
    if (total !== session.total || end < start || end >= total) return googleError(res, 400, 'badRequest', 'Content-Range does not match the session'), true
    if (Number(req.headers['content-length']) !== body.length || body.length !== end - start + 1) return googleError(res, 400, 'badRequest', 'Content-Length does not match the range or the body'), true
    if (start !== session.received) return googleError(res, 400, 'badRequest', `expected bytes from ${session.received}, got ${start}`), true
    if (end !== total - 1 && body.length % (256 * KiB) !== 0) return googleError(res, 400, 'badRequest', 'chunks must be multiples of 256 KiB'), true
    count(account, 'chunks')
    const fault = takeFault(account, 'chunk')
    if (fault?.kind === 'partial500') {
      // Part of the chunk made it before the failure; the next status query reports how much.
      session.received += Math.floor(body.length / 2)
      return googleError(res, 500, 'backendError', 'Backend Error'), true
    }
    if (fault?.kind === 'http500') return googleError(res, 503, 'backendError', 'Service Unavailable'), true
    if (fault?.kind === 'quota') return googleError(res, 403, 'quotaExceeded', 'quota'), true
    if (fault?.kind === 'app_cap') {
      // Stands for a session that expired: every later request on it is a 404.
      session.dead = true
      return googleError(res, 404, 'notFound', 'The upload session was not found or has expired.'), true
    }
    session.received = end + 1
    if (session.received === total) {
      session.video = createVideo(account, session.resource, total)
      count(account, 'uploads')
      const after = takeFault(account, 'final_chunk')
      if (after?.kind === 'hang_after') return hang(res), true
      if (after?.kind === 'http500_after') return googleError(res, 503, 'backendError', 'Service Unavailable'), true
      if (after?.kind === 'refused_after') return googleError(res, 400, 'badRequest', 'Invalid request.'), true
      if (after?.kind === 'empty_after') return res.writeHead(200, { 'content-length': '0' }).end(), true
      if (after?.kind === 'http404_after') {
        session.dead = true
        return googleError(res, 404, 'notFound', 'The upload session was not found or has expired.'), true
      }
      return done(), true
    }
    res.writeHead(308, { ...rangeHeader(), 'content-length': '0' }).end()
    return true
  }

  if (method === 'GET' && path === '/youtube/v3/search') {
    const account = authed(r)
    if (!account) return true
    count(account, 'searches')
    if (url.searchParams.get('forMine') !== 'true' || url.searchParams.get('type') !== 'video') return googleError(res, 400, 'invalidSearchFilter', 'forMine requires type=video'), true
    const q = url.searchParams.get('q') ?? ''
    if (takeFault(account, 'search')?.kind === 'delay') return sendJson(res, 200, { kind: 'youtube#searchListResponse', items: [] }), true
    const items = [...videos.values()]
      .filter((v) => v.account === account && (v.snippet.tags.includes(q) || v.snippet.title.includes(q) || v.snippet.description.includes(q)))
      .map((v) => ({ kind: 'youtube#searchResult', id: { kind: 'youtube#video', videoId: v.id } }))
    return sendJson(res, 200, { kind: 'youtube#searchListResponse', items }), true
  }

  if (method === 'GET' && path === '/youtube/v3/videos') {
    const account = authed(r)
    if (!account) return true
    const ids = url.searchParams.getAll('id').flatMap((s) => s.split(',')).filter(Boolean)
    const parts = (url.searchParams.get('part') ?? '').split(',').filter(Boolean)
    count(account, 'videosList')
    if (parts.length === 0) return googleError(res, 400, 'required', 'No filter selected. Expected one of: id, chart, myRating.'.replace('No filter', 'Required parameter: part')), true
    const unknown = parts.filter((p) => !['id', 'snippet', 'status', 'statistics', 'contentDetails'].includes(p))
    if (unknown.length) return googleError(res, 400, 'unknownPart', `'${unknown[0]}' is not a valid part`), true
    // The id filter takes at most 50 ids (as maxResults does).
    if (ids.length > 50) return googleError(res, 400, 'invalidFilters', 'The request specifies more than 50 video ids.'), true
    const list = ids
      .map((id) => ({ id, video: videos.get(id), item: itemOf(id) }))
      .filter((x) => x.video || x.item)
    const items = list.map(({ id, video: v, item }) => {
      const own = (v?.account ?? item?.account) === account
      const out: Record<string, unknown> = own && v ? resource(v) : { kind: 'youtube#video', id, ...(v ? { snippet: { title: v.snippet.title } } : {}) }
      if (!parts.includes('snippet')) delete out.snippet
      if (!parts.includes('status')) delete out.status
      if (parts.includes('statistics') && item) {
        // Public counts, as strings; likeCount is missing when the creator hides likes.
        const m = item.metrics
        const stats: Record<string, string> = {}
        if (m.views !== undefined) stats.viewCount = String(m.views)
        if (m.likes !== undefined) stats.likeCount = String(m.likes)
        stats.favoriteCount = '0'
        if (m.comments !== undefined) stats.commentCount = String(m.comments)
        out.statistics = stats
      }
      return out
    })
    return sendJson(res, 200, { kind: 'youtube#videoListResponse', pageInfo: { totalResults: items.length, resultsPerPage: items.length }, items }), true
  }

  if (method === 'POST' && path === '/upload/youtube/v3/thumbnails/set') {
    const account = authed(r)
    if (!account) return true
    const video = videos.get(url.searchParams.get('videoId') ?? '')
    const body = await readBody(req)
    if (!video || video.account !== account) return googleError(res, 404, 'videoNotFound', 'video not found'), true
    video.thumbnail = body.length
    count(account, 'thumbnails')
    return sendJson(res, 200, { kind: 'youtube#thumbnailSetResponse', items: [{ default: { url: `https://i.ytimg.com/vi/${video.id}/default.jpg` } }] }), true
  }

  return false
}

/** What the tests can read back about an account's videos. */
export function youtubeVideosOf(accountId: string) {
  return [...videos.values()].filter((v) => v.account.id === accountId).map((v) => ({ id: v.id, ...v.snippet, ...v.status, size: v.size, thumbnail: v.thumbnail }))
}
