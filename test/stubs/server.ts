/**
 * One HTTP server for the three platform stubs: `/youtube/*`, `/tiktok/*`, `/instagram/*`, plus
 * `/_control/*` for the tests:
 * - `POST /_control/accounts {platform, processingPolls?, quotaUsage?}` → `{accountId, accessToken, refreshToken, name}`
 * - `POST /_control/accounts/:id/faults {op, kind, times?, ms?}` queues a fault (400 for one the
 *   platform's table — `YOUTUBE_FAULTS`, `TIKTOK_FAULTS`, `INSTAGRAM_FAULTS` — does not list)
 * - `POST /_control/accounts/:id {expireTokens?, revokeRefreshToken? (false restores it), clearFaults?, omitRefreshTokenOnCode?, processingPolls?, quotaUsage?}`
 * - `GET /_control/accounts/:id` → counters, the refresh token, and what was published
 * - `POST /_control/accounts/:id/items {count, metrics?}` → `{ids}`: published items with metrics (analytics)
 * - `POST /_control/items/:remoteId {metrics}` changes an item's metrics (`null` removes one)
 * - `POST /_control/accounts/:id {scopes}` sets the scopes the account granted
 * - `POST/GET /_control/items/:remoteId/comments`: comments on an item, with their replies (`comments.ts`)
 * - `/_control/ai/*`: keys and scripted answers of the OpenAI-compatible stub (`/openai/v1/*`, see `openai.ts`)
 * - `/_control/transcription/*`: keys (with the words they hear) and scripted faults of the speech to text stub (`/openai/v1/audio/transcriptions`, see `transcription.ts`)
 * - `POST /_control/clerk/users {emails: [{email, verified}], primary?}` → `{userId}` for the Clerk Backend API stub (`/clerk/v1/users/:id`)
 */
import { createServer, type Server } from 'node:http'
import { randomBytes } from 'node:crypto'
import { createAccount, expireAccessTokens, getAccount, invalidFault, issueAccessToken, itemOf, readBody, registerItem, sendJson, type FaultTable, type StubPlatform, type StubRequest } from './common'
import { instagramMetricsStub, tiktokMetricsStub, youtubeMetricsStub } from './metrics'
import { INSTAGRAM_FAULTS, instagramMediaOf, instagramStub } from './instagram'
import { TIKTOK_FAULTS, tiktokStub, tiktokUploadsOf } from './tiktok'
import { YOUTUBE_FAULTS, youtubeStub, youtubeVideosOf } from './youtube'
import { clerkStub, createClerkUser } from './clerk'
import { openAiControl, openAiStub } from './openai'
import { transcriptionControl, transcriptionStub } from './transcription'
import { commentsControl, instagramCommentsStub, youtubeCommentsStub } from './comments'

const handlers: Record<StubPlatform, (r: StubRequest) => Promise<boolean>> = {
  youtube: async (r) => (await youtubeMetricsStub(r)) || (await youtubeCommentsStub(r)) || youtubeStub(r),
  tiktok: async (r) => (await tiktokMetricsStub(r)) || tiktokStub(r),
  instagram: async (r) => (await instagramMetricsStub(r)) || (await instagramCommentsStub(r)) || instagramStub(r),
}

/** A platform-shaped id for a seeded item. */
function itemId(platform: StubPlatform): string {
  if (platform === 'youtube') return randomBytes(8).toString('base64url').slice(0, 11)
  if (platform === 'tiktok') return String(7300000000000000000n + BigInt(Math.floor(Math.random() * 1e15)))
  return String(17900000000000000 + Math.floor(Math.random() * 1e15))
}
const faultTables: Record<StubPlatform, FaultTable> = { youtube: YOUTUBE_FAULTS, tiktok: TIKTOK_FAULTS, instagram: INSTAGRAM_FAULTS }

async function control(method: string, path: string, body: any) {
  const ai = openAiControl(method, path, body) ?? transcriptionControl(method, path, body) ?? commentsControl(method, path, body)
  if (ai) return ai
  if (method === 'POST' && path === '/_control/clerk/users') return { status: 201, body: createClerkUser(body) }
  if (method === 'POST' && path === '/_control/accounts') {
    const account = createAccount(body.platform as StubPlatform, body)
    return { status: 201, body: { accountId: account.id, accessToken: issueAccessToken(account), refreshToken: account.refreshToken, name: account.name, avatarUrl: account.avatarUrl } }
  }
  const itemMatch = /^\/_control\/items\/([^/]+)$/.exec(path)
  if (method === 'POST' && itemMatch) {
    const item = itemOf(decodeURIComponent(itemMatch[1]))
    if (!item) return { status: 404, body: { error: 'no such item' } }
    // null removes a metric (the platform stops reporting it).
    for (const [k, v] of Object.entries(body.metrics ?? {})) (item.metrics as any)[k] = v === null ? undefined : v
    return { status: 200, body: { id: item.id, metrics: item.metrics } }
  }
  const seed = /^\/_control\/accounts\/([^/]+)\/items$/.exec(path)
  if (method === 'POST' && seed) {
    const owner = getAccount(decodeURIComponent(seed[1]))
    if (!owner) return { status: 404, body: { error: 'no such account' } }
    const ids = Array.from({ length: Number(body.count ?? 1) }, () => registerItem(owner, itemId(owner.platform), body.metrics ? { ...body.metrics } : undefined).id)
    return { status: 201, body: { ids } }
  }
  const match = /^\/_control\/accounts\/([^/]+)(\/faults)?$/.exec(path)
  const account = match && getAccount(decodeURIComponent(match[1]))
  if (!account) return { status: 404, body: { error: 'no such account' } }
  if (method === 'POST' && match[2]) {
    // Strict: a fault the stub cannot inject is an error, so a test never passes by injecting nothing.
    const invalid = invalidFault(faultTables[account.platform], body)
    if (invalid) return { status: 400, body: { error: invalid } }
    account.faults.push(body)
    return { status: 204, body: undefined }
  }
  if (method === 'POST') {
    if (body.expireTokens) expireAccessTokens(account)
    if (body.revokeRefreshToken !== undefined) account.refreshRevoked = !!body.revokeRefreshToken
    if (body.clearFaults) account.faults.length = 0
    if (body.omitRefreshTokenOnCode !== undefined) account.omitRefreshTokenOnCode = body.omitRefreshTokenOnCode
    if (body.processingPolls !== undefined) account.processingPolls = body.processingPolls
    if (body.quotaUsage !== undefined) account.quotaUsage = body.quotaUsage
    if (Array.isArray(body.scopes)) account.scopes = body.scopes
    if (body.newAccessToken) return { status: 200, body: { accessToken: issueAccessToken(account) } }
    return { status: 204, body: undefined }
  }
  const published =
    account.platform === 'youtube' ? youtubeVideosOf(account.id) : account.platform === 'tiktok' ? tiktokUploadsOf(account.id) : instagramMediaOf(account.id)
  return { status: 200, body: { accountId: account.id, counters: account.counters, refreshToken: account.refreshToken, refreshRevoked: account.refreshRevoked, faults: account.faults, published } }
}

export function createPlatformStubServer(): Server {
  return createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', `http://${req.headers.host}`)
      // Browsers passing through a consent redirect ask for the icon of the platform's origin.
      if (url.pathname === '/favicon.ico') return void res.writeHead(204).end()
      if (url.pathname.startsWith('/_control/')) {
        const raw = req.method === 'POST' ? (await readBody(req)).toString() : ''
        const out = await control(req.method ?? 'GET', url.pathname, raw ? JSON.parse(raw) : {})
        if (out.body === undefined) return void res.writeHead(out.status).end()
        return sendJson(res, out.status, out.body)
      }
      const [, platform, ...rest] = url.pathname.split('/')
      if (platform === 'openai' && ((await transcriptionStub(req, res, `/${rest.join('/')}`)) || (await openAiStub(req, res, `/${rest.join('/')}`)))) return
      if (platform === 'clerk' && clerkStub(req.method ?? 'GET', `/${rest.join('/')}`, req.headers.authorization, res)) return
      const handler = handlers[platform as StubPlatform]
      if (handler && (await handler({ req, res, url, path: `/${rest.join('/')}` }))) return
      sendJson(res, 404, { error: { message: `stub: no route ${req.method} ${url.pathname}` } })
    } catch (error) {
      if (!res.headersSent) sendJson(res, 500, { error: { message: `stub crashed: ${String(error)}` } })
    }
  })
}
