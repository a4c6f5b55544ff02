/**
 * Shared pieces of the platform stub servers: accounts with access and refresh tokens, switchable
 * faults per account, counters the tests read, and small HTTP helpers. Tests drive them through
 * `/_control/*` (see `server.ts`), each with its own accounts so parallel tests never collide.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'

export type StubPlatform = 'youtube' | 'tiktok' | 'instagram'

/** A switchable fault: `op` is the operation it hits, `times` how often (then it is gone). */
export interface Fault {
  op: string
  /**
   * http500 / http429: answer that status. partial500: store half of an upload chunk, then 500.
   * expired: the access token stops working (401) until refreshed. revoked: the refresh token is dead.
   * hang_after: do the operation, then never answer. quota: the daily quota is spent.
   * app_cap: the app's daily cap is reached (TikTok). delay: answer after `ms`.
   * error_200: the token endpoint answers its OAuth error with HTTP 200.
   * After the operation took effect (the post exists): http500_after answers 5xx, http404_after
   * answers 404 and forgets the session, empty_after answers 2xx without the created object,
   * refused_after answers a 4xx error. hang: never answer, without doing anything. http404: the
   * thing asked about is gone (a resumable session forgotten), from now on.
   */
  kind: FaultKind
  times?: number
  ms?: number
}

export const FAULT_KINDS = [
  'http500',
  'http429',
  'http404',
  'partial500',
  'hang',
  'hang_after',
  'http500_after',
  'http404_after',
  'empty_after',
  'refused_after',
  'quota',
  'app_cap',
  'delay',
  'publish_limit',
  'error_200',
] as const
export type FaultKind = (typeof FAULT_KINDS)[number]

/** The faults each operation of a stub can inject; `/_control` refuses any other, so a typo fails the test. */
export type FaultTable = Record<string, readonly FaultKind[]>

/** Checks a fault against a platform's table: an error message, or undefined when it is valid. */
export function invalidFault(table: FaultTable, fault: Partial<Fault>): string | undefined {
  if (typeof fault.op !== 'string' || !(fault.op in table)) return `unknown fault op ${JSON.stringify(fault.op)}; known: ${Object.keys(table).join(', ')}`
  if (!table[fault.op].includes(fault.kind as FaultKind)) return `op ${fault.op} cannot inject ${JSON.stringify(fault.kind)}; it can: ${table[fault.op].join(', ')}`
  if (fault.times !== undefined && !(Number.isInteger(fault.times) && fault.times > 0)) return 'times must be a positive integer'
  return undefined
}

export interface Account {
  platform: StubPlatform
  id: string
  name: string
  avatarUrl: string
  accessTokens: Set<string>
  refreshToken: string
  refreshRevoked: boolean
  /** Whether the code grant answers without a refresh token (a reconnect, as Google does). */
  omitRefreshTokenOnCode: boolean
  faults: Fault[]
  counters: Record<string, number>
  /** Instagram: how many status polls a container stays IN_PROGRESS. */
  processingPolls: number
  /** Instagram: posts already used in the rolling 24 h. */
  quotaUsage: number
  /** The scopes the account granted (YouTube: whether the Analytics API answers). */
  scopes: string[]
}

/** The scopes an account grants unless a test says otherwise: everything Reelpilot asks for. */
export const DEFAULT_SCOPES: Record<StubPlatform, string[]> = {
  youtube: ['https://www.googleapis.com/auth/youtube.upload', 'https://www.googleapis.com/auth/youtube.readonly', 'https://www.googleapis.com/auth/yt-analytics.readonly', 'https://www.googleapis.com/auth/youtube.force-ssl'],
  tiktok: ['user.info.basic', 'video.publish', 'video.list'],
  instagram: ['instagram_basic', 'instagram_content_publish', 'instagram_manage_insights', 'instagram_manage_comments', 'pages_read_engagement', 'pages_show_list'],
}

/**
 * A published item's numbers, in neutral names; each platform's metrics endpoint answers them
 * under its own field names. A metric left undefined is one the platform does not report
 * (hidden likes, not enough viewers): the endpoint leaves it out.
 */
export interface ItemMetrics {
  views?: number
  likes?: number
  comments?: number
  shares?: number
  saves?: number
  reach?: number
  watchMinutes?: number
  avgViewDuration?: number
  avgViewPercentage?: number
  subscribersGained?: number
  avgWatchTimeMs?: number
}

/** Something published on a platform (a video, a Reel), with its metrics. */
export interface Item {
  id: string
  account: Account
  metrics: ItemMetrics
}

const items = new Map<string, Item>()

/** Numbers every new item starts with, derived from its id (repeatable). */
function seededMetrics(id: string): ItemMetrics {
  let h = 0
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0
  const views = 100 + (h % 5000)
  return { views, likes: Math.round(views * 0.05), comments: Math.round(views * 0.004), shares: Math.round(views * 0.006), saves: Math.round(views * 0.008), reach: Math.round(views * 0.8), watchMinutes: Math.round(views * 0.3), avgViewDuration: 18, avgViewPercentage: 61.5, subscribersGained: Math.round(views * 0.002), avgWatchTimeMs: 17500 }
}

/** Records a published item (the publishing stubs call it; tests seed items through /_control). */
export function registerItem(account: Account, id: string, metrics?: ItemMetrics): Item {
  const item: Item = { id, account, metrics: metrics ?? seededMetrics(id) }
  items.set(id, item)
  return item
}

export const itemOf = (id: string) => items.get(id)

const accounts = new Map<string, Account>()
const byAccessToken = new Map<string, Account>()
const byRefreshToken = new Map<string, Account>()
const codes = new Map<string, { account: Account; challenge?: string; redirectUri: string; clientId: string }>()

export const token = (prefix: string) => `${prefix}-${randomBytes(12).toString('base64url')}`

export function createAccount(platform: StubPlatform, options: Partial<Pick<Account, 'name' | 'processingPolls' | 'quotaUsage'>> = {}): Account {
  const id = platform === 'youtube' ? `UC${randomBytes(11).toString('base64url')}` : platform === 'tiktok' ? token('open') : String(17841400000000000 + Math.floor(Math.random() * 1e9))
  const account: Account = {
    platform,
    id,
    name: options.name ?? `${platform} creator ${id.slice(-4)}`,
    // A data URL, so browsers in e2e tests can show it without any network.
    avatarUrl: `data:image/svg+xml,${encodeURIComponent(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><circle cx="20" cy="20" r="20" fill="#${id.length.toString(16).padStart(2, '0')}88cc"/></svg>`)}`,
    accessTokens: new Set(),
    refreshToken: token('rt'),
    refreshRevoked: false,
    omitRefreshTokenOnCode: false,
    faults: [],
    counters: {},
    processingPolls: options.processingPolls ?? 1,
    quotaUsage: options.quotaUsage ?? 0,
    scopes: [...DEFAULT_SCOPES[platform]],
  }
  accounts.set(id, account)
  byRefreshToken.set(account.refreshToken, account)
  return account
}

export const getAccount = (id: string) => accounts.get(id)

export function issueAccessToken(account: Account): string {
  const t = token('at')
  account.accessTokens.add(t)
  byAccessToken.set(t, account)
  return t
}

/** A new refresh token (the old one stops working), as TikTok does on refresh. */
export function rotateRefreshToken(account: Account): string {
  byRefreshToken.delete(account.refreshToken)
  account.refreshToken = token('rt')
  byRefreshToken.set(account.refreshToken, account)
  return account.refreshToken
}

/** Makes every current access token of the account stop working. */
export function expireAccessTokens(account: Account) {
  for (const t of account.accessTokens) byAccessToken.delete(t)
  account.accessTokens.clear()
}

export const accountForAccessToken = (t: string | undefined) => (t ? byAccessToken.get(t) : undefined)
export const accountForRefreshToken = (t: string | undefined) => (t ? byRefreshToken.get(t) : undefined)

export function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization
  return header?.startsWith('Bearer ') ? header.slice(7) : undefined
}

/** Records an authorization: the code a platform's consent screen would hand back. */
export function issueCode(account: Account, redirectUri: string, clientId: string, challenge?: string): string {
  const code = token('code')
  codes.set(code, { account, challenge, redirectUri, clientId })
  return code
}

/** Redeems a code once, checking the redirect URI, the client and the PKCE verifier (S256). */
export function redeemCode(code: string, redirectUri: string, clientId: string, verifier?: string): Account | string {
  const grant = codes.get(code)
  if (!grant) return 'unknown or used code'
  codes.delete(code)
  if (grant.redirectUri !== redirectUri) return 'redirect_uri mismatch'
  if (grant.clientId !== clientId) return 'client mismatch'
  if (grant.challenge) {
    if (!verifier) return 'code_verifier missing'
    if (createHash('sha256').update(verifier).digest('base64url') !== grant.challenge) return 'code_verifier mismatch'
  }
  return grant.account
}

export function count(account: Account | undefined, name: string) {
  if (account) account.counters[name] = (account.counters[name] ?? 0) + 1
}

/**
 * The start of every token call that renews a token (refresh_token, fb_exchange_token): counted on
 * the account, its first 'token' fault taken, and a 'delay' fault waited out. The fault comes back
 * for the platform to answer it in its own shape.
 */
export async function tokenCall(account: Account | undefined): Promise<Fault | undefined> {
  count(account, 'tokenCalls')
  const fault = takeFault(account, 'token')
  if (fault?.kind === 'delay') await new Promise((done) => setTimeout(done, fault.ms ?? 200))
  return fault
}

/** Takes the first fault for `op` (counting down its `times`). */
export function takeFault(account: Account | undefined, op: string): Fault | undefined {
  if (!account) return undefined
  const index = account.faults.findIndex((f) => f.op === op)
  if (index < 0) return undefined
  const fault = account.faults[index]
  const times = (fault.times ?? 1) - 1
  if (times <= 0) account.faults.splice(index, 1)
  else fault.times = times
  return fault
}

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', 'content-length': Buffer.byteLength(text), ...headers })
  res.end(text)
}

const hanging = new Set<ServerResponse>()
/** Never answers (until the client gives up, or the server stops). */
export function hang(res: ServerResponse) {
  hanging.add(res)
  const timer = setTimeout(() => res.destroy(), 30_000)
  res.on('close', () => {
    clearTimeout(timer)
    hanging.delete(res)
  })
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

export function origin(req: IncomingMessage) {
  return `http://${req.headers.host}`
}

export function formOrQuery(url: URL, body: Buffer, contentType: string | undefined): URLSearchParams {
  const params = new URLSearchParams(url.search)
  if (contentType?.includes('application/x-www-form-urlencoded')) for (const [k, v] of new URLSearchParams(body.toString())) params.set(k, v)
  return params
}

export interface StubRequest {
  req: IncomingMessage
  res: ServerResponse
  url: URL
  /** The path after the platform folder: `/youtube/v3/videos` for `/youtube/youtube/v3/videos`. */
  path: string
}

export type StubHandler = (r: StubRequest) => Promise<boolean>

// ---------------------------------------------------------------------------------------------
// API keys with scripted answers (the OpenAI-compatible stubs)

/** What a scripted key holds: its answers (each used once, in order) and what it received. */
export interface ScriptedKey<S> {
  apiKey: string
  script: S[]
  requests: unknown[]
  calls: number
}

/**
 * The keys of an API stub whose tests script its answers, with their control routes under
 * `/_control/<name>/keys`: `POST keys {…}` → `{apiKey}` (201, `make` reads the body), `POST
 * keys/:key/script {responses}` (204; each checked by `valid`, a 400 naming `allowed` otherwise),
 * `GET keys/:key` → `{calls, requests, scriptLeft, …report}`. `keyOf(req)` is the Bearer key of a
 * request; `next(key)` takes the next scripted answer, waiting out `{delayMs}` ones first.
 */
export function scriptedKeys<S, K extends ScriptedKey<S>>(options: {
  name: string
  prefix: string
  make: (apiKey: string, body: any) => K
  valid: (scripted: any) => boolean
  allowed: string
  report?: (key: K) => Record<string, unknown>
}) {
  const keys = new Map<string, K>()
  const base = `/_control/${options.name}/keys`
  const keyPath = new RegExp(`^${base.replaceAll('/', '\\/')}\\/([^/]+)(\\/script)?$`)
  return {
    control(method: string, path: string, body: any): { status: number; body: unknown } | undefined {
      if (method === 'POST' && path === base) {
        const key = options.make(`${options.prefix}-${randomBytes(12).toString('base64url')}`, body)
        keys.set(key.apiKey, key)
        return { status: 201, body: { apiKey: key.apiKey } }
      }
      const m = keyPath.exec(path)
      if (!m) return undefined
      const key = keys.get(decodeURIComponent(m[1]))
      if (!key) return { status: 404, body: { error: 'no such key' } }
      if (method === 'POST' && m[2]) {
        if (!Array.isArray(body.responses)) return { status: 400, body: { error: 'responses must be an array' } }
        for (const r of body.responses) if (!options.valid(r)) return { status: 400, body: { error: `cannot script ${JSON.stringify(r)}: use ${options.allowed}` } }
        key.script.push(...body.responses)
        return { status: 204, body: undefined }
      }
      return { status: 200, body: { calls: key.calls, requests: key.requests, scriptLeft: key.script.length, ...options.report?.(key) } }
    },
    keyOf(req: IncomingMessage): K | undefined {
      const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')
      return auth ? keys.get(auth[1]) : undefined
    },
    async next(key: K): Promise<S | undefined> {
      let next = key.script.shift()
      while (next && typeof next === 'object' && 'delayMs' in next) {
        await sleep((next as { delayMs: number }).delayMs)
        next = key.script.shift()
      }
      return next
    },
  }
}
