import { env, SELF } from 'cloudflare:test'
import { eq } from 'drizzle-orm'
import { describe, expect, it } from 'vitest'
import { call, expectProblem, ownerWithWorkspace } from '../../test/helpers'
import { addFault, connectViaOAuth as connect, cookiesFrom, publishInput, stubAccount, stubState, updateStubAccount } from '../../test/platform-stubs'
import { createDb } from '../db/client'
import { connections } from '../db/schema'
import { SecretBox } from '../lib/secret-box'
import { openGateway } from '../platforms'
import { liveAccessToken, openToken, refreshWithLease } from '../platforms/connections'
import { signState } from '../platforms/oauth'
import { sandboxId } from '../platforms/sandbox'
import { createWorkerApp } from '../app'
import type { Platform } from '../platforms/types'

const db = () => createDb(env.DB)

async function projectOwner() {
  const owner = await ownerWithWorkspace('creator')
  const project = await call('POST', '/projects', { token: owner.token, body: { workspaceId: owner.workspace.id, name: 'Cooking' } })
  return { ...owner, projectId: project.json.id as string }
}

async function connectionRow(projectId: string, platform: Platform) {
  const rows = await db().select().from(connections).where(eq(connections.projectId, projectId)).all()
  return rows.find((r) => r.platform === platform)!
}

describe('connecting with OAuth', () => {
  it('YouTube: signed state, PKCE and offline access; the callback stores the account and encrypted tokens', async () => {
    const { token, projectId } = await projectOwner()
    const account = await stubAccount('youtube', { name: 'Chef Ana' } as any)
    const { authorize, callback } = await connect(token, projectId, 'youtube', account.accountId)
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256')
    expect(authorize.searchParams.get('access_type')).toBe('offline')
    expect(authorize.searchParams.get('redirect_uri')).toBe(new URL('/oauth/youtube/callback', env.PUBLIC_URL).toString())
    expect(callback.status).toBe(302)
    expect(callback.headers.get('location')).toBe(`/projects/${projectId}/connections?connected=youtube`)

    const list = await call('GET', `/projects/${projectId}/connections`, { token })
    expect(list.json.data).toHaveLength(1)
    expect(list.json.data[0]).toMatchObject({ platform: 'youtube', mode: 'oauth', status: 'active', accountId: account.accountId, accountName: account.name, avatarUrl: account.avatarUrl })
    expect(list.text).not.toMatch(/at-|rt-/)
    expect(list.json.platforms).toContainEqual({ platform: 'youtube', oauth: true, sandbox: true })
  })

  it('tokens in D1 are not readable without the key, nor on another row', async () => {
    const { token, projectId } = await projectOwner()
    const account = await stubAccount('youtube')
    await connect(token, projectId, 'youtube', account.accountId)
    const raw = await env.DB.prepare('SELECT * FROM connections WHERE project_id = ?').bind(projectId).first<Record<string, string>>()
    const stub = await stubState(account.accountId)
    expect(JSON.stringify(raw)).not.toContain(stub.refreshToken)
    expect(raw!.access_token).toMatch(/^v1\.[\w-]+\.[\w-]+$/)
    const row = await connectionRow(projectId, 'youtube')
    expect(await openToken(env, row, 'refresh')).toBe(stub.refreshToken)
    const otherKey = `v1:${btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))}`
    await expect(openToken({ ...env, TOKEN_ENCRYPTION_KEY: otherKey }, row, 'refresh')).rejects.toThrow()
    await expect(new SecretBox(env.TOKEN_ENCRYPTION_KEY).open(row.refreshToken!, `connections|conn_other|${row.workspaceId}|${row.projectId}|youtube|refresh`)).rejects.toThrow()
  })

  it('TikTok and Instagram connect too (TikTok with client_key and PKCE, Instagram through its Page)', async () => {
    const { token, projectId } = await projectOwner()
    for (const platform of ['tiktok', 'instagram'] as const) {
      const account = await stubAccount(platform)
      const { authorize, callback } = await connect(token, projectId, platform, account.accountId)
      expect(callback.headers.get('location')).toBe(`/projects/${projectId}/connections?connected=${platform}`)
      if (platform === 'tiktok') expect(authorize.searchParams.get('client_key')).toBe('test-tiktok-client-key')
      expect((await connectionRow(projectId, platform)).accountId).toBe(account.accountId)
    }
  })

  it('refuses a tampered state and an expired one (older than 10 minutes)', async () => {
    const { token, projectId, workspace } = await projectOwner()
    const { authorize } = await (async () => {
      const started = await call('POST', `/projects/${projectId}/connections`, { token, body: { platform: 'youtube' } })
      return { authorize: new URL(started.json.authorizeUrl) }
    })()
    const state = authorize.searchParams.get('state')!
    const [payload, mac] = state.split('.')
    const forged = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')))
    forged.projectId = 'prj_someoneelse'
    const tampered = `${btoa(JSON.stringify(forged)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}.${mac}`
    const bad = await SELF.fetch(`https://reelpilot.test/oauth/youtube/callback?code=x&state=${tampered}`, { redirect: 'manual' })
    const badBody = expectProblem({ status: bad.status, headers: bad.headers, json: await bad.json() }, 400)
    expect(badBody.detail).toMatch(/altered/)

    const me = await call('GET', '/me', { token })
    const old = await signState(env, { by: `user:${me.json.id ?? me.json.user?.id}`, workspaceId: workspace.id, projectId, platform: 'youtube', bind: '' }, Date.now() - 11 * 60_000)
    const expired = await SELF.fetch(`https://reelpilot.test/oauth/youtube/callback?code=x&state=${old.token}`, { redirect: 'manual' })
    expect(expired.status).toBe(400)
    expect((await expired.json<any>()).detail).toMatch(/10 minutes/)

    const wrongPlatform = await SELF.fetch(`https://reelpilot.test/oauth/tiktok/callback?code=x&state=${state}`, { redirect: 'manual' })
    expect(wrongPlatform.status).toBe(400)
    expect(await call('GET', `/projects/${projectId}/connections`, { token }).then((r) => r.json.data)).toEqual([])
  })

  it('a reconnect that brings no refresh token keeps the stored one', async () => {
    const { token, projectId } = await projectOwner()
    const account = await stubAccount('youtube')
    await connect(token, projectId, 'youtube', account.accountId)
    const before = await openToken(env, await connectionRow(projectId, 'youtube'), 'refresh')
    // Google sends no refresh token on a second consent for the same account (the stub does the same).
    await connect(token, projectId, 'youtube', account.accountId)
    const row = await connectionRow(projectId, 'youtube')
    expect(await openToken(env, row, 'refresh')).toBe(before)
    const refreshed = await liveAccessToken(env, db(), row, { force: true })
    expect(refreshed.connection.status).toBe('active')
  })

  it('binds the flow to the browser and person that started it, and takes each state once', async () => {
    const editor = await projectOwner()
    const account = await stubAccount('youtube')
    const started = await call('POST', `/projects/${editor.projectId}/connections`, { token: editor.token, body: { platform: 'youtube' } })
    const setCookie = started.headers.getSetCookie().find((line) => line.startsWith('rp_oauth_youtube='))
    expect(setCookie).toMatch(/HttpOnly/i)
    expect(setCookie).toMatch(/Secure/i)
    expect(setCookie).toMatch(/SameSite=Lax/i)
    expect(setCookie).toMatch(/Path=\/oauth/i)
    const authorize = new URL(started.json.authorizeUrl)
    authorize.searchParams.set('stub_account', account.accountId)
    const consent = await fetch(authorize, { redirect: 'manual' })
    const location = consent.headers.get('location')!
    const nonce = cookiesFrom(started.headers)

    // The editor sends the link to someone else: another person, signed in, without the cookie.
    const creator = await ownerWithWorkspace('creator')
    const elsewhere = await SELF.fetch(location, { redirect: 'manual', headers: { cookie: `__session=${creator.token}` } })
    expect(elsewhere.status).toBe(400)
    // With the cookie (same browser) but another person signed in.
    const otherPerson = await SELF.fetch(location, { redirect: 'manual', headers: { cookie: `${nonce}; __session=${creator.token}` } })
    expect(otherPerson.status).toBe(403)
    // No cookie at all.
    expect((await SELF.fetch(location, { redirect: 'manual' })).status).toBe(400)
    expect((await call('GET', `/projects/${editor.projectId}/connections`, { token: editor.token })).json.data).toEqual([])

    // The right browser and person connect once; the same response replayed connects nothing.
    const ok = await SELF.fetch(location, { redirect: 'manual', headers: { cookie: `${nonce}; __session=${editor.token}` } })
    expect(ok.status).toBe(302)
    expect(ok.headers.get('location')).toBe(`/projects/${editor.projectId}/connections?connected=youtube`)
    const replay = await SELF.fetch(location, { redirect: 'manual', headers: { cookie: `${nonce}; __session=${editor.token}` } })
    expect(expectProblem({ status: replay.status, headers: replay.headers, json: await replay.json() }, 400).detail).toMatch(/already used/)
  })

  it('a starter no longer allowed to connect by the callback (demoted to viewer) connects nothing: 403', async () => {
    const owner = await projectOwner()
    const account = await stubAccount('youtube')
    const started = await call('POST', `/projects/${owner.projectId}/connections`, { token: owner.token, body: { platform: 'youtube' } })
    const authorize = new URL(started.json.authorizeUrl)
    authorize.searchParams.set('stub_account', account.accountId)
    const location = (await fetch(authorize, { redirect: 'manual' })).headers.get('location')!
    await env.DB.prepare(`update members set role = 'viewer' where workspace_id = ?`).bind(owner.workspace.id).run()
    const res = await SELF.fetch(location, { redirect: 'manual', headers: { cookie: `${cookiesFrom(started.headers)}; __session=${owner.token}` } })
    expect(expectProblem({ status: res.status, headers: res.headers, json: await res.json() }, 403).detail).toMatch(/no longer connect/)
    expect((await call('GET', `/projects/${owner.projectId}/connections`, { token: owner.token })).json.data).toEqual([])
  })

  it('API keys cannot start a real OAuth connection (no browser to bind it to)', async () => {
    const { token, projectId, workspace } = await projectOwner()
    const key = (await call('POST', `/workspaces/${workspace.id}/api-keys`, { token, body: { name: 'ci', role: 'editor' } })).json.secret
    expectProblem(await call('POST', `/projects/${projectId}/connections`, { token: key, body: { platform: 'youtube' } }), 403)
    expect((await call('POST', `/projects/${projectId}/connections`, { token: key, body: { platform: 'youtube', mode: 'sandbox' } })).status).toBe(201)
  })

  it('refuses an unknown mode, naming the field', async () => {
    const { token, projectId } = await projectOwner()
    const problem = expectProblem(await call('POST', `/projects/${projectId}/connections`, { token, body: { platform: 'youtube', mode: 'carrier-pigeon' } }), 400)
    expect(problem.errors?.[0].field).toBe('mode')
  })
})

describe('token refresh', () => {
  it('two concurrent refreshes of one connection make one token call; both get the new token', async () => {
    const { token, projectId } = await projectOwner()
    const account = await stubAccount('tiktok')
    await connect(token, projectId, 'tiktok', account.accountId)
    const row = await connectionRow(projectId, 'tiktok')
    const callsBefore = (await stubState(account.accountId)).counters.tokenCalls
    await addFault(account.accountId, { op: 'token', kind: 'delay', ms: 300 })
    // As two isolates would: no shared memory, only D1 between them.
    const [a, b] = await Promise.all([refreshWithLease(env, db(), row.id, row.tokenVersion, { waitStepMs: 20 }), refreshWithLease(env, db(), row.id, row.tokenVersion, { waitStepMs: 20 })])
    expect((await stubState(account.accountId)).counters.tokenCalls - callsBefore).toBe(1)
    expect(a.tokenVersion).toBe(row.tokenVersion + 1)
    expect(b.tokenVersion).toBe(a.tokenVersion)
    expect(await openToken(env, a, 'access')).toBe(await openToken(env, b, 'access'))
    // TikTok rotated the refresh token: the new one is stored.
    expect(await openToken(env, a, 'refresh')).toBe((await stubState(account.accountId)).refreshToken)
  })

  it('a dead TikTok refresh token answered with HTTP 200 still ends in needs_reconnect', async () => {
    const { token, projectId } = await projectOwner()
    const account = await stubAccount('tiktok')
    await connect(token, projectId, 'tiktok', account.accountId)
    await updateStubAccount(account.accountId, { revokeRefreshToken: true })
    await addFault(account.accountId, { op: 'token', kind: 'error_200' })
    const row = await connectionRow(projectId, 'tiktok')
    await expect(liveAccessToken(env, db(), row, { force: true })).rejects.toMatchObject({ failure: { kind: 'disconnected' } })
    expect((await connectionRow(projectId, 'tiktok')).status).toBe('needs_reconnect')
  })

  it('refreshes ahead of expiry', async () => {
    const { token, projectId } = await projectOwner()
    const account = await stubAccount('youtube')
    await connect(token, projectId, 'youtube', account.accountId)
    const row = await connectionRow(projectId, 'youtube')
    const soon = { ...row, accessTokenExpiresAt: Date.now() + 60_000 }
    const live = await liveAccessToken(env, db(), soon)
    expect(live.connection.tokenVersion).toBe(row.tokenVersion + 1)
    expect(live.token).not.toBe(await openToken(env, row, 'access'))
    const later = await liveAccessToken(env, db(), live.connection)
    expect(later.connection.tokenVersion).toBe(live.connection.tokenVersion)
  })
})

describe('Instagram tokens (no refresh token: the long-lived token is exchanged for a new one)', () => {
  it('exchanges a token close to expiry for a fresh one, and a dead token ends in needs_reconnect', async () => {
    const { token, projectId } = await projectOwner()
    const account = await stubAccount('instagram')
    await connect(token, projectId, 'instagram', account.accountId)
    const row = await connectionRow(projectId, 'instagram')
    expect(row.refreshToken).toBeNull()
    const live = await liveAccessToken(env, db(), { ...row, accessTokenExpiresAt: Date.now() + 60_000 })
    expect(live.connection.tokenVersion).toBe(row.tokenVersion + 1)
    expect(live.token).not.toBe(await openToken(env, row, 'access'))
    await updateStubAccount(account.accountId, { expireTokens: true })
    await expect(liveAccessToken(env, db(), live.connection, { force: true })).rejects.toMatchObject({ failure: { kind: 'disconnected' } })
    expect((await connectionRow(projectId, 'instagram')).status).toBe('needs_reconnect')
  })
})

describe('publishing through a connection', () => {
  async function youtubeConnected() {
    const owner = await projectOwner()
    const account = await stubAccount('youtube')
    await connect(owner.token, owner.projectId, 'youtube', account.accountId)
    return { ...owner, account }
  }
  const gateway = async (projectId: string, platform: Platform, size = 64 * 1024) => {
    const input = await publishInput(size)
    const g = await openGateway(env, db(), { projectId, platform, marker: input.marker, input: async () => input })
    if ('unavailable' in g) throw new Error(`unavailable: ${g.unavailable.detail}`)
    return { g, input }
  }

  it('an expired token refreshes once and the publication succeeds', async () => {
    const { projectId, account } = await youtubeConnected()
    await updateStubAccount(account.accountId, { expireTokens: true })
    const { g } = await gateway(projectId, 'youtube')
    const outcome = await g.publish()
    expect(outcome.status).toBe('published')
    const state = await stubState(account.accountId)
    expect(state.published).toHaveLength(1)
    expect((await connectionRow(projectId, 'youtube')).status).toBe('active')
  })

  it('a revoked refresh token ends in needs_reconnect with the reason, and later jobs say so', async () => {
    const { token, projectId, account } = await youtubeConnected()
    await updateStubAccount(account.accountId, { expireTokens: true, revokeRefreshToken: true })
    const { g } = await gateway(projectId, 'youtube')
    const outcome = await g.publish()
    expect(outcome).toMatchObject({ status: 'failed', error: { kind: 'disconnected' } })
    if (outcome.status === 'failed') expect(outcome.error.message).toMatch(/reconnect/i)
    const list = await call('GET', `/projects/${projectId}/connections`, { token })
    expect(list.json.data[0]).toMatchObject({ status: 'needs_reconnect' })
    expect(list.json.data[0].statusReason).toMatch(/Reconnect/)
    const next = await openGateway(env, db(), { projectId, platform: 'youtube', marker: 'x', input: async () => { throw new Error('not needed') } })
    expect('unavailable' in next && next.unavailable.kind).toBe('disconnected')
    expect((await stubState(account.accountId)).published).toHaveLength(0)
  })

  it('a transient error while refreshing does not disconnect anyone', async () => {
    const { projectId, account } = await youtubeConnected()
    await updateStubAccount(account.accountId, { expireTokens: true })
    await addFault(account.accountId, { op: 'token', kind: 'http500' })
    const { g } = await gateway(projectId, 'youtube')
    const outcome = await g.publish()
    expect(outcome).toMatchObject({ status: 'failed', error: { kind: 'retryable' } })
    expect((await connectionRow(projectId, 'youtube')).status).toBe('active')
    // Next attempt: the platform is back.
    expect((await (await gateway(projectId, 'youtube')).g.publish()).status).toBe('published')
  })

  it('TikTok through the gateway: processing, then polled to published', async () => {
    const { token, projectId } = await projectOwner()
    const account = await stubAccount('tiktok', { processingPolls: 1 })
    await connect(token, projectId, 'tiktok', account.accountId)
    const { g } = await gateway(projectId, 'tiktok', 6 * 1024 * 1024)
    let outcome = await g.publish()
    for (let i = 0; outcome.status === 'processing' && i < 5; i++) outcome = await g.poll(outcome.state)
    expect(outcome.status).toBe('published')
  })

  it('disconnecting revokes the token at the platform and makes the gateway unavailable', async () => {
    const { token, projectId, account } = await youtubeConnected()
    const row = await connectionRow(projectId, 'youtube')
    const res = await call('DELETE', `/projects/${projectId}/connections/${row.id}`, { token })
    expect(res.status).toBe(200)
    expect(res.json).toMatchObject({ status: 'disconnected', revoked: true })
    expect((await stubState(account.accountId)).counters.revoked).toBe(1)
    const after = await connectionRow(projectId, 'youtube')
    expect(after.accessToken).toBeNull()
    expect(after.refreshToken).toBeNull()
    const g = await openGateway(env, db(), { projectId, platform: 'youtube', marker: 'x', input: async () => { throw new Error('not needed') } })
    expect('unavailable' in g).toBe(true)
  })
})

describe('sandbox accounts', () => {
  it('connect at once and publish like the platform: processing, then published; faults injected on demand', async () => {
    const { token, projectId } = await projectOwner()
    const created = await call('POST', `/projects/${projectId}/connections`, { token, body: { platform: 'tiktok', mode: 'sandbox' } })
    expect(created.status).toBe(201)
    expect(created.json).toMatchObject({ platform: 'tiktok', mode: 'sandbox', status: 'active' })
    const input = await publishInput(100 * 1024)
    const g = await openGateway(env, db(), { projectId, platform: 'tiktok', marker: input.marker, input: async () => input })
    if ('unavailable' in g) throw new Error('unavailable')
    const first = await g.publish()
    expect(first.status).toBe('processing')
    if (first.status !== 'processing') return
    const done = await g.poll(first.state)
    expect(done).toMatchObject({ status: 'published', remoteUrl: expect.stringMatching(/^\/oauth\/sandbox\/posts\//) })
    if (done.status !== 'published') return
    const page = await SELF.fetch(`https://reelpilot.test${done.remoteUrl}`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<video')

    await call('PATCH', `/projects/${projectId}/connections/${created.json.id}`, { token, body: { sandboxFaults: ['rate_limit', 'expired_token', 'timeout_after_upload'] } })
    const limited = await g.publish()
    expect(limited).toMatchObject({ status: 'failed', error: { kind: 'retryable' } })
    // The expired token refreshes; then the upload "times out" after completing.
    const unknown = await g.publish()
    expect(unknown).toMatchObject({ status: 'failed', error: { kind: 'outcome_unknown' } })
    if (unknown.status !== 'failed') return
    const found = await g.findByMarker(unknown.error.state)
    expect(found?.status).toBe('published')
    const posts = await env.DB.prepare('SELECT count(*) AS n FROM sandbox_posts WHERE connection_id = ?').bind(created.json.id).first<{ n: number }>()
    // The first publication and the one that timed out: nothing was sent twice.
    expect(posts!.n).toBe(2)
  })

  it('a revoked sandbox token ends in needs_reconnect', async () => {
    const { token, projectId } = await projectOwner()
    const created = await call('POST', `/projects/${projectId}/connections`, { token, body: { platform: 'youtube', mode: 'sandbox' } })
    await call('PATCH', `/projects/${projectId}/connections/${created.json.id}`, { token, body: { sandboxFaults: ['revoked_token'] } })
    const input = await publishInput(1024)
    const g = await openGateway(env, db(), { projectId, platform: 'youtube', marker: input.marker, input: async () => input })
    if ('unavailable' in g) throw new Error('unavailable')
    expect(await g.publish()).toMatchObject({ status: 'failed', error: { kind: 'disconnected' } })
    expect((await call('GET', `/projects/${projectId}/connections`, { token })).json.data[0].status).toBe('needs_reconnect')
  })

  it('refuses unknown faults, naming the field', async () => {
    const { token, projectId } = await projectOwner()
    const created = await call('POST', `/projects/${projectId}/connections`, { token, body: { platform: 'youtube', mode: 'sandbox' } })
    const problem = expectProblem(await call('PATCH', `/projects/${projectId}/connections/${created.json.id}`, { token, body: { sandboxFaults: ['meteor'] } }), 400)
    expect(problem.errors?.[0].field).toBe('sandboxFaults.0')
  })
})

describe('the sandbox switch (#11)', () => {
  it('off (the production default): no sandbox connections, no faults, no publishing through old ones, no public post page', async () => {
    const { token, projectId } = await projectOwner()
    // On (these tests, npm start): a sandbox YouTube post with its public page.
    const created = await call('POST', `/projects/${projectId}/connections`, { token, body: { platform: 'youtube', mode: 'sandbox' } })
    expect(created.status).toBe(201)
    const input = await publishInput(10 * 1024)
    const g = await openGateway(env, db(), { projectId, platform: 'youtube', marker: input.marker, input: async () => input })
    if ('unavailable' in g) throw new Error('unavailable')
    const done = await g.publish()
    if (done.status !== 'published') throw new Error(`not published: ${JSON.stringify(done)}`)
    expect((await SELF.fetch(`https://reelpilot.test${done.remoteUrl}`)).status).toBe(200)

    const off = { ...env, SANDBOX_ENABLED: 'false' }
    const app = createWorkerApp(async () => new Response('the web app'))
    const request = (method: string, path: string, body?: unknown) =>
      app.request(path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined }, off)
    expect((await request('GET', done.remoteUrl!)).status).toBe(404)
    const refused = await request('POST', `/api/projects/${projectId}/connections`, { platform: 'tiktok', mode: 'sandbox' })
    expect(refused.status).toBe(403)
    const problem = (await refused.json()) as any
    expect(problem).toMatchObject({ setting: 'SANDBOX_ENABLED', errors: [{ field: 'mode' }] })
    expect((await request('PATCH', `/api/projects/${projectId}/connections/${created.json.id}`, { sandboxFaults: ['rate_limit'] })).status).toBe(403)
    const list = (await (await request('GET', `/api/projects/${projectId}/connections`)).json()) as any
    expect(list.platforms.every((p: { sandbox: boolean }) => p.sandbox === false)).toBe(true)
    expect(await connectionRow(projectId, 'tiktok')).toBeUndefined()
    const later = await openGateway(off, db(), { projectId, platform: 'youtube', marker: `${input.marker}-2`, input: async () => input })
    expect(later).toMatchObject({ unavailable: { kind: 'disconnected' } })
  })

  it('sandbox post ids carry at least 128 random bits (they are all that guards the public page)', () => {
    for (const platform of ['youtube', 'tiktok', 'instagram'] as const) {
      const ids = Array.from({ length: 64 }, () => sandboxId(platform))
      expect(new Set(ids).size).toBe(ids.length)
      if (platform === 'youtube') {
        for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/)
      } else {
        for (const id of ids) expect(id).toMatch(/^\d+$/)
        // 64 draws of 128 bits: the largest needs more than 124 bits (the odds against are 2^-256).
        expect(Math.max(...ids.map((id) => BigInt(id).toString(2).length))).toBeGreaterThan(124)
      }
    }
  })
})
