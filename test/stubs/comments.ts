/**
 * Comments on published items, as YouTube and Instagram serve them, strictly:
 * - YouTube `GET /youtube/v3/commentThreads?part=snippet&videoId=…` (a `youtube#commentThreadListResponse`;
 *   404 `videoNotFound` for an unknown video) and `POST /youtube/v3/comments?part=snippet`
 *   `{snippet: {parentId, textOriginal}}`, which needs the `youtube.force-ssl` scope (403
 *   `insufficientPermissions` without it, as Google answers).
 * - Instagram `GET /{ig-media-id}/comments?fields=id,text,username,timestamp` and
 *   `POST /{ig-comment-id}/replies` with `message` (query or form); Graph errors (code 190 for a
 *   bad token, 100 for an unknown object).
 * Tests seed comments with `POST /_control/items/:remoteId/comments {comments: [{author, text}]}`
 * and read them, replies included, with `GET /_control/items/:remoteId/comments`.
 */
import { randomBytes } from 'node:crypto'
import { accountForAccessToken, bearer, formOrQuery, itemOf, readBody, sendJson, type StubRequest } from './common'

export const FORCE_SSL = 'https://www.googleapis.com/auth/youtube.force-ssl'

interface StubComment {
  id: string
  itemId: string
  author: string
  text: string
  publishedAt: string
  replies: { id: string; text: string; publishedAt: string }[]
}

const byItem = new Map<string, StubComment[]>()
const byId = new Map<string, StubComment>()

const commentId = (platform: string) => (platform === 'youtube' ? `Ug${randomBytes(12).toString('base64url')}` : String(17850000000000000 + Math.floor(Math.random() * 1e15)))

/** `/_control/items/:id/comments`; undefined for other paths. */
export function commentsControl(method: string, path: string, body: any): { status: number; body: unknown } | undefined {
  const m = /^\/_control\/items\/([^/]+)\/comments$/.exec(path)
  if (!m) return undefined
  const id = decodeURIComponent(m[1])
  const item = itemOf(id)
  if (!item) return { status: 404, body: { error: 'no such item' } }
  if (method === 'GET') return { status: 200, body: { comments: byItem.get(id) ?? [] } }
  if (!Array.isArray(body.comments) || !body.comments.every((c: any) => typeof c.author === 'string' && typeof c.text === 'string')) return { status: 400, body: { error: 'comments: [{author, text}]' } }
  const list = byItem.get(id) ?? []
  const added = body.comments.map((c: any, i: number) => {
    const comment: StubComment = { id: commentId(item.account.platform), itemId: id, author: c.author, text: c.text, publishedAt: new Date(Date.now() - (body.comments.length - i) * 60_000).toISOString(), replies: [] }
    byId.set(comment.id, comment)
    return comment
  })
  list.push(...added)
  byItem.set(id, list)
  return { status: 201, body: { ids: added.map((c: StubComment) => c.id) } }
}

const googleError = (res: StubRequest['res'], status: number, reason: string, message: string, domain = 'youtube.commentThread') =>
  sendJson(res, status, { error: { code: status, message, errors: [{ message, domain, reason }], status: status === 403 ? 'PERMISSION_DENIED' : status === 404 ? 'NOT_FOUND' : 'INVALID_ARGUMENT' } })

const graphError = (res: StubRequest['res'], status: number, code: number, message: string, type = 'OAuthException') => sendJson(res, status, { error: { message, type, code, fbtrace_id: 'stub' } })

export async function youtubeCommentsStub(r: StubRequest): Promise<boolean> {
  const { req, res, url, path } = r
  const method = req.method ?? 'GET'
  if (path !== '/youtube/v3/commentThreads' && path !== '/youtube/v3/comments') return false
  const account = accountForAccessToken(bearer(req))
  if (!account) return googleError(res, 401, 'authError', 'Request had invalid authentication credentials. Expected OAuth 2 access token.', 'global'), true
  if (method === 'GET' && path === '/youtube/v3/commentThreads') {
    account.counters.commentReads = (account.counters.commentReads ?? 0) + 1
    if (!(url.searchParams.get('part') ?? '').split(',').includes('snippet')) return googleError(res, 400, 'invalidPart', "The 'part' parameter must include snippet."), true
    const videoId = url.searchParams.get('videoId')
    if (!videoId) return googleError(res, 400, 'missingRequiredParameter', 'No filter selected. Expected one of: videoId, id, allThreadsRelatedToChannelId'), true
    const item = itemOf(videoId)
    if (!item || item.account.platform !== 'youtube') return googleError(res, 404, 'videoNotFound', 'The video identified by the videoId parameter could not be found.'), true
    const max = Number(url.searchParams.get('maxResults') ?? 20)
    if (!Number.isInteger(max) || max < 1 || max > 100) return googleError(res, 400, 'invalidMaxResults', 'maxResults must be between 1 and 100'), true
    const plain = url.searchParams.get('textFormat') === 'plainText'
    const comments = [...(byItem.get(videoId) ?? [])].reverse().slice(0, max)
    return sendJson(res, 200, {
      kind: 'youtube#commentThreadListResponse',
      pageInfo: { totalResults: comments.length, resultsPerPage: max },
      items: comments.map((c) => ({
        kind: 'youtube#commentThread',
        id: c.id,
        snippet: {
          channelId: item.account.id,
          videoId,
          topLevelComment: {
            kind: 'youtube#comment',
            id: c.id,
            snippet: { videoId, textDisplay: plain ? c.text : c.text.replace(/&/g, '&amp;').replace(/</g, '&lt;'), textOriginal: c.text, authorDisplayName: c.author, authorChannelId: { value: `UC${c.author.length}` }, likeCount: 0, publishedAt: c.publishedAt, updatedAt: c.publishedAt },
          },
          canReply: true,
          totalReplyCount: c.replies.length,
          isPublic: true,
        },
      })),
    }), true
  }
  if (method === 'POST' && path === '/youtube/v3/comments') {
    if (url.searchParams.get('part') !== 'snippet') return googleError(res, 400, 'invalidPart', "The 'part' parameter must be snippet.", 'youtube.comment'), true
    if (!account.scopes.includes(FORCE_SSL)) return googleError(res, 403, 'insufficientPermissions', 'Request had insufficient authentication scopes.', 'global'), true
    let body: any
    try {
      body = JSON.parse((await readBody(req)).toString())
    } catch {
      return googleError(res, 400, 'parseError', 'Parse Error', 'global'), true
    }
    const parent = byId.get(body?.snippet?.parentId ?? '')
    if (!parent) return googleError(res, 404, 'parentCommentNotFound', 'The comment identified by the parentId could not be found.', 'youtube.comment'), true
    const text = body.snippet.textOriginal
    if (typeof text !== 'string' || !text.trim() || text.length > 10_000) return googleError(res, 400, 'commentTextRequired', 'The comment text is missing or too long.', 'youtube.comment'), true
    const reply = { id: `${parent.id}.${randomBytes(8).toString('base64url')}`, text, publishedAt: new Date().toISOString() }
    parent.replies.push(reply)
    account.counters.commentReplies = (account.counters.commentReplies ?? 0) + 1
    return sendJson(res, 200, { kind: 'youtube#comment', id: reply.id, snippet: { parentId: parent.id, textOriginal: text, textDisplay: text, authorDisplayName: account.name, authorChannelId: { value: account.id }, publishedAt: reply.publishedAt, updatedAt: reply.publishedAt } }), true
  }
  return googleError(res, 405, 'methodNotAllowed', 'Method not allowed', 'global'), true
}

export async function instagramCommentsStub(r: StubRequest): Promise<boolean> {
  const { req, res, url, path } = r
  const method = req.method ?? 'GET'
  const segments = path.split('/').filter(Boolean)
  if (segments.length !== 2 || (segments[1] !== 'comments' && segments[1] !== 'replies')) return false
  const params = method === 'POST' ? formOrQuery(url, await readBody(req), req.headers['content-type']) : url.searchParams
  const account = accountForAccessToken(bearer(req) ?? params.get('access_token') ?? undefined)
  if (!account) return graphError(res, 400, 190, 'Error validating access token: Session has expired.'), true
  if (segments[1] === 'comments' && method === 'GET') {
    const item = itemOf(segments[0])
    if (!item || item.account.platform !== 'instagram') return graphError(res, 400, 100, `Unsupported get request. Object with ID '${segments[0]}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.`, 'GraphMethodException'), true
    const fields = (params.get('fields') ?? 'id,text').split(',')
    const data = [...(byItem.get(item.id) ?? [])].reverse().map((c) => {
      const all: Record<string, unknown> = { id: c.id, text: c.text, username: c.author, timestamp: c.publishedAt.replace(/\.\d{3}Z$/, '+0000'), like_count: 0 }
      return Object.fromEntries(Object.entries(all).filter(([k]) => k === 'id' || fields.includes(k)))
    })
    return sendJson(res, 200, { data }), true
  }
  if (segments[1] === 'replies' && method === 'POST') {
    const parent = byId.get(segments[0])
    if (!parent || itemOf(parent.itemId)?.account !== account) return graphError(res, 400, 100, `Unsupported post request. Object with ID '${segments[0]}' does not exist.`, 'GraphMethodException'), true
    const message = params.get('message')
    if (!message || !message.trim()) return graphError(res, 400, 100, '(#100) The parameter message is required', 'OAuthException'), true
    if (message.length > 2200) return graphError(res, 400, 100, '(#100) Message is too long', 'OAuthException'), true
    const reply = { id: commentId('instagram'), text: message, publishedAt: new Date().toISOString() }
    parent.replies.push(reply)
    account.counters.commentReplies = (account.counters.commentReplies ?? 0) + 1
    return sendJson(res, 200, { id: reply.id }), true
  }
  return graphError(res, 400, 100, `Unsupported ${method.toLowerCase()} request.`, 'GraphMethodException'), true
}
