/**
 * A TikTok stub: OAuth (authorize with PKCE, token with authorization_code and refresh_token,
 * revoke), user info, and the Content Posting API: creator_info, direct-post init with
 * FILE_UPLOAD and TikTok's chunk rules, chunk PUTs checked strictly (order, Content-Range,
 * Content-Length), status fetch, and video list.
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
  origin,
  readBody,
  redeemCode,
  registerItem,
  rotateRefreshToken,
  sendJson,
  takeFault,
  tokenCall,
  type FaultTable,
  type Account,
  type StubRequest,
} from './common'

const MB = 1024 * 1024

interface Upload {
  publishId: string
  account: Account
  title: string
  privacy: string
  size: number
  chunkSize: number
  chunks: number
  received: number
  nextChunk: number
  failed?: string
  polls: number
  postId?: string
}

const uploads = new Map<string, Upload>()
const byUploadId = new Map<string, Upload>()
const posts: { id: string; account: Account; title: string; publishId: string }[] = []

const ok = (data: unknown) => ({ data, error: { code: 'ok', message: '', log_id: randomBytes(8).toString('hex') } })
const tiktokError = (res: StubRequest['res'], status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  sendJson(res, status, { error: { code, message, log_id: randomBytes(8).toString('hex') } }, headers)

function authed(r: StubRequest): Account | undefined {
  const account = accountForAccessToken(bearer(r.req))
  if (!account) tiktokError(r.res, 401, 'access_token_invalid', 'The access token is invalid or not found in the request.')
  return account
}

/** TikTok's chunk rules; a reason when they are broken. */
export function chunkRuleViolation(size: number, chunkSize: number, count: number): string | undefined {
  if (!(size > 0 && chunkSize > 0 && count > 0)) return 'video_size, chunk_size and total_chunk_count must be positive'
  if (size < 5 * MB) return chunkSize === size && count === 1 ? undefined : 'videos under 5 MB must be sent whole, in one chunk'
  if (count !== Math.floor(size / chunkSize)) return `total_chunk_count must be floor(video_size / chunk_size) = ${Math.floor(size / chunkSize)}`
  if (count > 1000) return 'at most 1000 chunks'
  if (count === 1 && size > 64 * MB) return 'videos over 64 MB must be sent in several chunks'
  if (chunkSize < 5 * MB || chunkSize > 64 * MB) return 'chunk_size must be between 5 MB and 64 MB'
  const last = size - chunkSize * (count - 1)
  if (last > 128 * MB) return 'the last chunk may be at most 128 MB'
  return undefined
}

/** What each operation can inject (checked by `/_control`). */
export const TIKTOK_FAULTS: FaultTable = {
  token: ['delay', 'http500', 'error_200'],
  creator_info: ['http429'],
  init: ['http429', 'app_cap', 'http500'],
  chunk: ['http500'],
  // The PUT of the last chunk: the upload is complete, then the answer goes wrong.
  final_chunk: ['hang_after', 'http500_after', 'refused_after'],
  // status/fetch: quota makes the upload FAILED (spam risk); hang and http500 lose the answer.
  status: ['http429', 'quota', 'http500', 'hang'],
  // video/query (metrics.ts).
  video_query: ['http429'],
}

export async function tiktokStub(r: StubRequest): Promise<boolean> {
  const { req, res, url, path } = r
  const method = req.method ?? 'GET'

  if (method === 'GET' && path === '/v2/auth/authorize/') {
    const account = getAccount(url.searchParams.get('stub_account') ?? '') ?? createAccount('tiktok')
    const redirect = new URL(url.searchParams.get('redirect_uri') ?? '')
    redirect.searchParams.set('code', issueCode(account, redirect.toString().split('?')[0], url.searchParams.get('client_key') ?? '', url.searchParams.get('code_challenge') ?? undefined))
    redirect.searchParams.set('state', url.searchParams.get('state') ?? '')
    redirect.searchParams.set('scopes', url.searchParams.get('scope') ?? '')
    res.writeHead(302, { location: redirect.toString() }).end()
    return true
  }

  if (method === 'POST' && path === '/v2/oauth/token/') {
    if (!String(req.headers['content-type']).includes('application/x-www-form-urlencoded')) return sendJson(res, 400, { error: 'invalid_request', error_description: 'form-encoded body required' }), true
    const params = formOrQuery(url, await readBody(req), req.headers['content-type'])
    const grant = params.get('grant_type')
    if (!params.get('client_key') || !params.get('client_secret')) return sendJson(res, 400, { error: 'invalid_client', error_description: 'client_key and client_secret are required' }), true
    const tokens = (account: Account) => ({
      access_token: issueAccessToken(account),
      expires_in: 86400,
      open_id: account.id,
      refresh_expires_in: 31536000,
      refresh_token: account.refreshToken,
      scope: 'user.info.basic,video.publish,video.list',
      token_type: 'Bearer',
    })
    if (grant === 'authorization_code') {
      const result = redeemCode(params.get('code') ?? '', params.get('redirect_uri') ?? '', params.get('client_key') ?? '', params.get('code_verifier') ?? undefined)
      if (typeof result === 'string') return sendJson(res, 400, { error: 'invalid_grant', error_description: result, log_id: 'x' }), true
      count(result, 'tokenCalls')
      return sendJson(res, 200, tokens(result)), true
    }
    if (grant === 'refresh_token') {
      const account = accountForRefreshToken(params.get('refresh_token') ?? undefined)
      const fault = await tokenCall(account)
      if (fault?.kind === 'http500') return sendJson(res, 500, { error: 'server_error', error_description: 'internal error' }), true
      if (!account || account.refreshRevoked) return sendJson(res, fault?.kind === 'error_200' ? 200 : 400, { error: 'invalid_grant', error_description: 'Refresh token is invalid or expired.', log_id: 'x' }), true
      rotateRefreshToken(account)
      return sendJson(res, 200, tokens(account)), true
    }
    return sendJson(res, 400, { error: 'unsupported_grant_type' }), true
  }

  if (method === 'POST' && path === '/v2/oauth/revoke/') {
    const params = formOrQuery(url, await readBody(req), req.headers['content-type'])
    const account = accountForAccessToken(params.get('token') ?? undefined)
    if (account) {
      account.refreshRevoked = true
      expireAccessTokens(account)
      count(account, 'revoked')
    }
    return sendJson(res, 200, {}), true
  }

  if (method === 'GET' && path === '/v2/user/info/') {
    const account = authed(r)
    if (!account) return true
    return sendJson(res, 200, ok({ user: { open_id: account.id, display_name: account.name, avatar_url: account.avatarUrl } })), true
  }

  if (method === 'POST' && path === '/v2/post/publish/creator_info/query/') {
    const account = authed(r)
    if (!account) return true
    count(account, 'creatorInfo')
    const fault = takeFault(account, 'creator_info')
    if (fault?.kind === 'http429') return tiktokError(res, 429, 'rate_limit_exceeded', 'API rate limit exceeded', { 'retry-after': '60' }), true
    return sendJson(res, 200, ok({
      creator_avatar_url: account.avatarUrl,
      creator_username: account.name.replace(/\s+/g, '_'),
      creator_nickname: account.name,
      privacy_level_options: ['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS', 'SELF_ONLY'],
      comment_disabled: false,
      duet_disabled: false,
      stitch_disabled: true,
      max_video_post_duration_sec: 600,
    })), true
  }

  if (method === 'POST' && path === '/v2/post/publish/video/init/') {
    const account = authed(r)
    if (!account) return true
    count(account, 'inits')
    const fault = takeFault(account, 'init')
    if (fault?.kind === 'http429') return tiktokError(res, 429, 'rate_limit_exceeded', 'API rate limit exceeded', { 'retry-after': '60' }), true
    if (fault?.kind === 'app_cap') return tiktokError(res, 403, 'reached_active_user_cap', 'The daily limit of active publishing users for this client has been reached.'), true
    if (fault?.kind === 'http500') return tiktokError(res, 500, 'internal_error', 'Something went wrong.'), true
    const body = JSON.parse((await readBody(req)).toString() || '{}')
    const post = body.post_info ?? {}
    const source = body.source_info ?? {}
    if (source.source !== 'FILE_UPLOAD') return tiktokError(res, 400, 'invalid_params', 'source_info.source must be FILE_UPLOAD here'), true
    if (!['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS', 'SELF_ONLY', 'FOLLOWER_OF_CREATOR'].includes(post.privacy_level)) return tiktokError(res, 400, 'privacy_level_option_mismatch', 'privacy_level is not one of the creator\'s options'), true
    if (typeof post.title === 'string' && [...post.title].length > 2200) return tiktokError(res, 400, 'invalid_params', 'title is longer than 2200 characters'), true
    const violation = chunkRuleViolation(source.video_size, source.chunk_size, source.total_chunk_count)
    if (violation) return tiktokError(res, 400, 'invalid_params', violation), true
    const publishId = `v_pub_file~v2-1.${randomBytes(9).toString('hex')}`
    const uploadId = randomBytes(12).toString('base64url')
    const upload: Upload = { publishId, account, title: post.title ?? '', privacy: post.privacy_level, size: source.video_size, chunkSize: source.chunk_size, chunks: source.total_chunk_count, received: 0, nextChunk: 0, polls: 0 }
    uploads.set(publishId, upload)
    byUploadId.set(uploadId, upload)
    return sendJson(res, 200, ok({ publish_id: publishId, upload_url: `${origin(req)}/tiktok/video/upload/?upload_id=${uploadId}&upload_token=${randomBytes(8).toString('hex')}` })), true
  }

  if (method === 'PUT' && path === '/video/upload/') {
    const upload = byUploadId.get(url.searchParams.get('upload_id') ?? '')
    const body = await readBody(req)
    if (!upload) return tiktokError(res, 404, 'not_found', 'unknown upload'), true
    const account = upload.account
    count(account, 'chunkPuts')
    const type = String(req.headers['content-type'] ?? '')
    if (!['video/mp4', 'video/quicktime', 'video/webm'].includes(type)) return tiktokError(res, 400, 'invalid_params', `Content-Type ${type} not supported`), true
    const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(String(req.headers['content-range'] ?? ''))
    if (!match) return tiktokError(res, 400, 'invalid_params', 'Content-Range must be bytes FIRST-LAST/TOTAL'), true
    const [first, last, total] = match.slice(1).map(Number)
    const index = upload.nextChunk
    const expectedFirst = index * upload.chunkSize
    const expectedLast = index === upload.chunks - 1 ? upload.size - 1 : expectedFirst + upload.chunkSize - 1
    // Sending the previous chunk again (after a lost answer) is accepted and changes nothing.
    const prevFirst = (index - 1) * upload.chunkSize
    if (index > 0 && first === prevFirst && total === upload.size) return res.writeHead(index === upload.chunks ? 201 : 206).end(), true
    if (total !== upload.size || first !== expectedFirst || last !== expectedLast)
      return tiktokError(res, 416, 'invalid_params', `expected Content-Range bytes ${expectedFirst}-${expectedLast}/${upload.size}, got ${first}-${last}/${total}`), true
    if (Number(req.headers['content-length']) !== body.length || body.length !== last - first + 1) return tiktokError(res, 400, 'invalid_params', 'Content-Length does not match the range'), true
    const fault = takeFault(account, 'chunk')
    if (fault?.kind === 'http500') return tiktokError(res, 500, 'internal_error', 'upload failed, send the chunk again'), true
    upload.received += body.length
    upload.nextChunk++
    if (upload.nextChunk === upload.chunks) {
      count(account, 'uploads')
      const after = takeFault(account, 'final_chunk')
      if (after?.kind === 'hang_after') return hang(res), true
      if (after?.kind === 'http500_after') return tiktokError(res, 500, 'internal_error', 'upload failed, send the chunk again'), true
      if (after?.kind === 'refused_after') return tiktokError(res, 400, 'invalid_params', 'invalid request'), true
      return res.writeHead(201).end(), true
    }
    return res.writeHead(206).end(), true
  }

  if (method === 'POST' && path === '/v2/post/publish/status/fetch/') {
    const account = authed(r)
    if (!account) return true
    count(account, 'statusFetches')
    const fault = takeFault(account, 'status')
    if (fault?.kind === 'http429') return tiktokError(res, 429, 'rate_limit_exceeded', 'API rate limit exceeded', { 'retry-after': '30' }), true
    if (fault?.kind === 'http500') return tiktokError(res, 500, 'internal_error', 'Something went wrong.'), true
    if (fault?.kind === 'hang') return hang(res), true
    const body = JSON.parse((await readBody(req)).toString() || '{}')
    const upload = uploads.get(body.publish_id)
    if (!upload || upload.account !== account) return tiktokError(res, 400, 'invalid_publish_id', 'publish_id not found'), true
    if (upload.nextChunk < upload.chunks) return sendJson(res, 200, ok({ status: 'PROCESSING_UPLOAD', uploaded_bytes: upload.received })), true
    if (fault?.kind === 'quota') upload.failed = 'spam_risk_too_many_posts'
    if (upload.failed) return sendJson(res, 200, ok({ status: 'FAILED', fail_reason: upload.failed })), true
    if (upload.polls++ < account.processingPolls) return sendJson(res, 200, ok({ status: 'PROCESSING_DOWNLOAD', uploaded_bytes: upload.received })), true
    if (!upload.postId) {
      upload.postId = String(7300000000000000000n + BigInt(Math.floor(Math.random() * 1e12)))
      posts.push({ id: upload.postId, account, title: upload.title, publishId: upload.publishId })
      registerItem(account, upload.postId)
      count(account, 'published')
    }
    // TikTok writes post ids as 64-bit JSON integers: every digit on the wire, more than a double holds.
    const text = JSON.stringify(ok({ status: 'PUBLISH_COMPLETE', publicaly_available_post_id: ['@id@'], uploaded_bytes: upload.received })).replace('"@id@"', upload.postId)
    res.writeHead(200, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text) }).end(text)
    return true
  }

  if (method === 'POST' && path === '/v2/video/list/') {
    const account = authed(r)
    if (!account) return true
    const videos = posts.filter((p) => p.account === account).reverse().map((p) => ({ id: p.id, title: p.title, video_description: p.title, share_url: `https://www.tiktok.com/@${account.name}/video/${p.id}` }))
    return sendJson(res, 200, ok({ videos, cursor: 0, has_more: false })), true
  }

  return false
}

/** For the tests: what the stub received for an account. */
export function tiktokUploadsOf(accountId: string) {
  return [...uploads.values()].filter((u) => u.account.id === accountId).map(({ account: _a, ...u }) => u)
}
