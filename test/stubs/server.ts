/**
 * One HTTP server for the three platform stubs: `/youtube/*`, `/tiktok/*`, `/instagram/*`, plus
 * `/_control/*` for the tests:
 * - `POST /_control/accounts {platform, processingPolls?, quotaUsage?}` → `{accountId, accessToken, refreshToken, name}`
 * - `POST /_control/accounts/:id/faults {op, kind, times?, ms?}` queues a fault
 * - `POST /_control/accounts/:id {expireTokens?, revokeRefreshToken?, omitRefreshTokenOnCode?, processingPolls?, quotaUsage?}`
 * - `GET /_control/accounts/:id` → counters, the refresh token, and what was published
 */
import { createServer, type Server } from 'node:http'
import { createAccount, expireAccessTokens, getAccount, issueAccessToken, readBody, sendJson, type StubPlatform } from './common'
import { instagramMediaOf, instagramStub } from './instagram'
import { tiktokStub, tiktokUploadsOf } from './tiktok'
import { youtubeStub, youtubeVideosOf } from './youtube'

const handlers = { youtube: youtubeStub, tiktok: tiktokStub, instagram: instagramStub }

async function control(method: string, path: string, body: any) {
  if (method === 'POST' && path === '/_control/accounts') {
    const account = createAccount(body.platform as StubPlatform, body)
    return { status: 201, body: { accountId: account.id, accessToken: issueAccessToken(account), refreshToken: account.refreshToken, name: account.name, avatarUrl: account.avatarUrl } }
  }
  const match = /^\/_control\/accounts\/([^/]+)(\/faults)?$/.exec(path)
  const account = match && getAccount(decodeURIComponent(match[1]))
  if (!account) return { status: 404, body: { error: 'no such account' } }
  if (method === 'POST' && match[2]) {
    account.faults.push(body)
    return { status: 204, body: undefined }
  }
  if (method === 'POST') {
    if (body.expireTokens) expireAccessTokens(account)
    if (body.revokeRefreshToken) account.refreshRevoked = true
    if (body.omitRefreshTokenOnCode !== undefined) account.omitRefreshTokenOnCode = body.omitRefreshTokenOnCode
    if (body.processingPolls !== undefined) account.processingPolls = body.processingPolls
    if (body.quotaUsage !== undefined) account.quotaUsage = body.quotaUsage
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
      const handler = handlers[platform as StubPlatform]
      if (handler && (await handler({ req, res, url, path: `/${rest.join('/')}` }))) return
      sendJson(res, 404, { error: { message: `stub: no route ${req.method} ${url.pathname}` } })
    } catch (error) {
      if (!res.headersSent) sendJson(res, 500, { error: { message: `stub crashed: ${String(error)}` } })
    }
  })
}
