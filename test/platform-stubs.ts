/** Helpers for tests that publish against the platform stubs (test/stubs): accounts, faults, and videos in R2. */
import { env, SELF } from 'cloudflare:test'
import { r2VideoSource } from '../workers/platforms/media'
import type { Platform, PublishContext, PublishInput } from '../workers/platforms/types'
import { call, ownerWithProject, readyClip, unique } from './helpers'

const base = () => env.PLATFORM_API_BASE as string

async function control(method: string, path: string, body?: unknown) {
  const res = await fetch(`${base()}/_control${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await res.text()
  if (!res.ok) throw new Error(`stub control ${method} ${path}: ${res.status} ${text}`)
  return text ? JSON.parse(text) : undefined
}

export interface StubAccount {
  accountId: string
  accessToken: string
  refreshToken: string
  name: string
  avatarUrl: string
}

export const stubAccount = (platform: Platform, options: { processingPolls?: number; quotaUsage?: number } = {}): Promise<StubAccount> =>
  control('POST', '/accounts', { platform, ...options })

export const addFault = (accountId: string, fault: { op: string; kind: string; times?: number; ms?: number }) =>
  control('POST', `/accounts/${encodeURIComponent(accountId)}/faults`, fault)

export const updateStubAccount = (accountId: string, changes: Record<string, unknown>) => control('POST', `/accounts/${encodeURIComponent(accountId)}`, changes)

export const stubState = (accountId: string): Promise<{ counters: Record<string, number>; refreshToken: string; refreshRevoked: boolean; published: any[] }> =>
  control('GET', `/accounts/${encodeURIComponent(accountId)}`)

/** Random bytes of `size` in R2 (the stubs check lengths and ranges, not codecs). */
export async function putVideo(size: number, contentType = 'video/mp4') {
  const key = `test-renders/${unique('render')}.mp4`
  const bytes = new Uint8Array(size)
  for (let i = 0; i < size; i += 65536) crypto.getRandomValues(bytes.subarray(i, Math.min(size, i + 65536)))
  await env.MEDIA.put(key, bytes, { httpMetadata: { contentType } })
  return { key, bytes, source: r2VideoSource(env.MEDIA, key, { size, contentType, url: `https://reelpilot.test/api/storage/signed-${key}` }) }
}

export async function publishInput(size: number, overrides: Partial<PublishInput> = {}): Promise<PublishInput> {
  const video = await putVideo(size)
  return {
    video: video.source,
    title: 'Three knife skills in 30 seconds',
    description: 'The cuts every home cook needs.',
    hashtags: ['cooking', 'knifeskills'],
    privacy: 'public',
    madeForKids: false,
    marker: unique('rp'),
    ...overrides,
  }
}

export function contextFor(platform: Platform, account: StubAccount, connectionId = unique('conn')): PublishContext {
  return { platform, connectionId, accessToken: account.accessToken, accountId: account.accountId, now: () => Date.now() }
}

/** The `name=value` pairs of a response's Set-Cookie headers, as a browser would send them back. */
export function cookiesFrom(headers: Headers): string {
  return headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ')
}

/**
 * Runs the whole OAuth dance against the stub as one browser would: our authorize URL (and the
 * nonce cookie it sets), the consent redirect, our callback with that cookie and the session.
 */
export async function connectViaOAuth(token: string, projectId: string, platform: Platform, stubAccountId?: string) {
  const started = await call('POST', `/projects/${projectId}/connections`, { token, body: { platform } })
  if (started.status !== 200) throw new Error(`connect ${platform}: ${started.status} ${started.text}`)
  const authorize = new URL(started.json.authorizeUrl)
  if (stubAccountId) authorize.searchParams.set('stub_account', stubAccountId)
  const consent = await fetch(authorize, { redirect: 'manual' })
  if (consent.status !== 302) throw new Error(`consent ${platform}: ${consent.status} ${await consent.text()}`)
  const browserCookies = `${cookiesFrom(started.headers)}; __session=${token}`
  const location = consent.headers.get('location')!
  const callback = await SELF.fetch(location, { redirect: 'manual', headers: { cookie: browserCookies } })
  return { started, authorize, callback, location, browserCookies }
}

/** A post rendered and due now, with targets on `platforms`, connected first by `connect`. */
export async function duePost(platforms: string[], connect: (token: string, projectId: string) => Promise<unknown>) {
  const { token, project } = await ownerWithProject('publisher', [])
  await connect(token, project.id)
  const clip = await readyClip(project.workspaceId, project.id)
  const created = await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, platforms, scheduledAt: new Date(Date.now() + 3_600_000).toISOString() } })
  if (created.status !== 201) throw new Error(created.text)
  const postId = created.json.id as string
  const renderKey = `renders/${project.id}/${postId}/video.mp4`
  await env.MEDIA.put(renderKey, crypto.getRandomValues(new Uint8Array(60 * 1024)))
  await env.DB.prepare(
    `update posts set status = 'scheduled', scheduled_at = ?, render_key = ?, render_size = ?, hook = 'Knife skills in 30 seconds', caption = 'The three cuts every cook needs.', hashtags = '["cooking"]' where id = ?`,
  )
    .bind(new Date().toISOString(), renderKey, 60 * 1024, postId)
    .run()
  return { token, project, postId }
}

/** Seeds published items with metrics on a stub account (analytics); answers their ids. */
export const seedItems = async (accountId: string, count: number, metrics?: Record<string, number>): Promise<string[]> =>
  (await control('POST', `/accounts/${encodeURIComponent(accountId)}/items`, { count, metrics })).ids

/** Changes a stub item's metrics (`null` removes one). */
export const setItemMetrics = (remoteId: string, metrics: Record<string, number | null>) => control('POST', `/items/${encodeURIComponent(remoteId)}`, { metrics })
