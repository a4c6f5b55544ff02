import { env } from 'cloudflare:test'
import { SignJWT, importPKCS8 } from 'jose'
import { generateKeyPair, exportPKCS8 } from 'jose'
import { describe, expect, it, vi } from 'vitest'
import { LOCAL_ISSUER } from '../lib/local-auth'
import { call, expectProblem, memberWithRole, ownerWithWorkspace, tokenFor, unique } from '../../test/helpers'
import { createWorkerApp } from '../app'

/** A user in the Clerk Backend API stub (test/stubs/clerk.ts). */
async function clerkUser(body: { emails: { email: string; verified: boolean }[]; primary?: number; firstName?: string; lastName?: string }): Promise<{ userId: string }> {
  const res = await fetch(`${env.PLATFORM_API_BASE}/_control/clerk/users`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return res.json()
}
import { createApi } from '.'

async function forgedToken(claims: Record<string, unknown>, privateKeyPem: string, expSeconds = 3600) {
  const now = Math.floor(Date.now() / 1000)
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .setSubject(String(claims.sub ?? 'user_forged'))
    .setIssuer(LOCAL_ISSUER)
    .setIssuedAt(now - 10)
    .setExpirationTime(now + expSeconds)
    .sign(await importPKCS8(privateKeyPem, 'RS256'))
}

describe('sign-in', () => {
  it('issues a local token that the API accepts, and creates the user on first sight only once', async () => {
    const email = `${unique('dev')}@example.com`
    const issued = await call('POST', '/dev/token', { body: { email, name: 'Dev' } })
    expect(issued.status).toBe(200)
    const me = await call('GET', '/me', { token: issued.json.token })
    expect(me.json).toMatchObject({ kind: 'user', email, name: 'Dev' })
    await call('GET', '/me', { token: await tokenFor(email) })
    const rows = await env.DB.prepare('select count(*) as n from users where email = ?').bind(email).first<{ n: number }>()
    expect(rows?.n).toBe(1)
  })

  it('accepts the session as the __session cookie too', async () => {
    const token = await tokenFor(`${unique('cookie')}@example.com`)
    const res = await call('GET', '/me', { headers: { cookie: `__session=${token}` } })
    expect(res.status).toBe(200)
  })

  it('refuses missing, malformed, foreign-signed and expired tokens with 401', async () => {
    expectProblem(await call('GET', '/me'), 401)
    expectProblem(await call('GET', '/me', { token: 'not-a-jwt' }), 401)
    const { privateKey } = await generateKeyPair('RS256', { extractable: true })
    const foreign = await forgedToken({ email: 'x@example.com' }, await exportPKCS8(privateKey))
    const expired = await forgedToken({ email: 'x@example.com' }, env.LOCAL_AUTH_PRIVATE_KEY, -3600)
    // One plain sentence whatever the reason: the verifier's own message stays in the logs.
    for (const bad of [foreign, expired, 'not-a-jwt']) {
      const detail = expectProblem(await call('GET', '/me', { token: bad }), 401).detail
      expect(detail).toBe('Your session is not valid or has expired: sign in again.')
      expect(detail).not.toMatch(/jwk|kid|signature|JWT|exp claim|Token/)
    }
  })

  it('remembers a verified token no longer than its expiry', async () => {
    const token = await forgedToken({ email: `${unique('short')}@example.com`, sub: unique('user_short') }, env.LOCAL_AUTH_PRIVATE_KEY, 20)
    expect((await call('GET', '/me', { token })).status).toBe(200)
    // 40 s on (past its exp and the verifier's 5 s of clock skew, within the isolate's minute of memory).
    vi.useFakeTimers({ now: Date.now() + 40_000, toFake: ['Date'] })
    try {
      expect(expectProblem(await call('GET', '/me', { token }), 401).detail).toBe('Your session is not valid or has expired: sign in again.')
    } finally {
      vi.useRealTimers()
    }
  })

  it('rejects bad input to the dev token route', async () => {
    const problem = expectProblem(await call('POST', '/dev/token', { body: { email: 'nope' } }), 400)
    expect(problem.errors?.[0].field).toBe('email')
  })

  it('fails closed outside APP_ENV=local: a missing Clerk secret or authorized parties is a 503 naming it, never a token', async () => {
    const app = createWorkerApp(async () => new Response('the web app'))
    const devToken = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'a@b.co' }) }
    const noSecret = await app.request('/api/dev/token', devToken, { ...env, APP_ENV: 'production', CLERK_SECRET_KEY: '' })
    expect(noSecret.status).toBe(503)
    const body = await noSecret.text()
    expect(body).toContain('CLERK_SECRET_KEY')
    expect(body).not.toContain('token"')
    // The sign-in page and every other page too.
    const page = await app.request('/sign-in', {}, { ...env, APP_ENV: 'production', CLERK_SECRET_KEY: '' })
    expect(page.status).toBe(503)
    // APP_ENV unset is not local either.
    expect((await app.request('/api/dev/token', devToken, { ...env, APP_ENV: undefined, CLERK_SECRET_KEY: '' } as unknown as Env)).status).toBe(503)
    const noParties = await app.request('/api/health', {}, { ...env, APP_ENV: 'production', CLERK_SECRET_KEY: 'sk_test_x', CLERK_AUTHORIZED_PARTIES: ' , ' })
    expect(noParties.status).toBe(503)
    expect(await noParties.text()).toContain('CLERK_AUTHORIZED_PARTIES')
    // Local mode (these tests) still signs in locally.
    expect((await app.request('/api/dev/token', devToken, env)).status).toBe(200)
  })

  it('has no dev token route in production mode (Clerk configured)', async () => {
    const res = await createApi().request('/dev/token', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'a@b.co' }) }, { ...env, CLERK_SECRET_KEY: 'sk_test_x' })
    expect(res.status).toBe(404)
  })

  it('verifies production tokens against the Clerk key, not the local one', async () => {
    // In production mode a token signed by the local key must not pass.
    const token = await tokenFor(`${unique('prod')}@example.com`)
    const { publicKey } = await generateKeyPair('RS256', { extractable: true })
    const { exportSPKI } = await import('jose')
    const res = await createApi().request('/me', { headers: { authorization: `Bearer ${token}` } }, { ...env, CLERK_SECRET_KEY: 'sk_test_x', CLERK_JWT_KEY: await exportSPKI(publicKey), CLERK_AUTHORIZED_PARTIES: 'https://app.reelpilot.dev' }, { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext)
    expect(res.status).toBe(401)
  })
})

describe('production sign-in (Clerk session tokens, verified networkless with CLERK_JWT_KEY)', () => {
  const ctx = { waitUntil() {}, passThroughOnException() {}, props: {} } as unknown as ExecutionContext

  async function clerkSetup() {
    const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
    const { exportSPKI } = await import('jose')
    const prodEnv = {
      ...env,
      APP_ENV: 'production',
      CLERK_SECRET_KEY: 'sk_test_reelpilot',
      CLERK_JWT_KEY: await exportSPKI(publicKey),
      CLERK_AUTHORIZED_PARTIES: 'https://app.reelpilot.dev',
      CLERK_API_URL: `${env.PLATFORM_API_BASE}/clerk`,
    }
    const sign = (claims: Record<string, unknown>) => {
      const now = Math.floor(Date.now() / 1000)
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'ins_test' })
        .setIssuer('https://clerk.reelpilot.dev')
        .setIssuedAt(now - 5)
        .setNotBefore(now - 5)
        .setExpirationTime(now + 60)
        .sign(privateKey)
    }
    return { prodEnv, sign }
  }

  it('accepts a Clerk session for an authorized party and creates the user on first sight', async () => {
    const { prodEnv, sign } = await clerkSetup()
    const email = `${unique('clerk')}@example.com`
    const { userId } = await clerkUser({ emails: [{ email, verified: true }], firstName: 'Clerk', lastName: 'User' })
    const token = await sign({ sub: userId, azp: 'https://app.reelpilot.dev', sid: 'sess_1' })
    const res = await createApi().request('/me', { headers: { authorization: `Bearer ${token}` } }, prodEnv, ctx)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ kind: 'user', email })
    // The cookie Clerk's frontend sets works the same way.
    const viaCookie = await createApi().request('/me', { headers: { cookie: `__session=${token}` } }, prodEnv, ctx)
    expect(viaCookie.status).toBe(200)
  })

  it('only a verified primary email claims an invitation', async () => {
    const { prodEnv, sign } = await clerkSetup()
    const { token: ownerToken, workspace } = await ownerWithWorkspace()
    const invited = `${unique('invited')}@example.com`
    expect((await call('POST', `/workspaces/${workspace.id}/members`, { token: ownerToken, body: { email: invited, role: 'admin' } })).status).toBe(201)
    const asClerk = async (userId: string) =>
      createApi().request('/workspaces', { headers: { authorization: `Bearer ${await sign({ sub: userId, azp: 'https://app.reelpilot.dev' })}` } }, prodEnv, ctx)

    // Someone who typed the invited address into Clerk without verifying it.
    const squatter = await clerkUser({ emails: [{ email: invited, verified: false }] })
    expect((await asClerk(squatter.userId)).status).toBe(403)
    // Or who verified another address and added the invited one unverified as a second address.
    const second = await clerkUser({ emails: [{ email: `${unique('own')}@example.com`, verified: true }, { email: invited, verified: false }] })
    const theirs = await asClerk(second.userId)
    expect(theirs.status).toBe(200)
    expect(((await theirs.json()) as { data: { id: string }[] }).data.map((w) => w.id)).not.toContain(workspace.id)
    const row = await env.DB.prepare('select external_id from users where email = ?').bind(invited).first<{ external_id: string | null }>()
    expect(row?.external_id).toBeNull()

    // The real owner of the address, verified, claims it.
    const owner = await clerkUser({ emails: [{ email: invited, verified: true }] })
    const joined = await asClerk(owner.userId)
    expect(joined.status).toBe(200)
    expect(((await joined.json()) as { data: { id: string; role: string }[] }).data).toContainEqual(expect.objectContaining({ id: workspace.id, role: 'admin' }))
  })

  it('refuses a Clerk session minted for another party', async () => {
    const { prodEnv, sign } = await clerkSetup()
    const token = await sign({ sub: 'user_other', email: 'x@example.com', azp: 'https://evil.example' })
    const res = await createApi().request('/me', { headers: { authorization: `Bearer ${token}` } }, prodEnv, ctx)
    expect(res.status).toBe(401)
    expect(((await res.json()) as { detail: string }).detail).not.toMatch(/azp|evil/i)
  })
})

describe('API keys', () => {
  it('returns the secret once, stores only its hash, and works as a bearer token with its role', async () => {
    const { token, workspace } = await ownerWithWorkspace()
    const created = await call('POST', `/workspaces/${workspace.id}/api-keys`, { token, body: { name: 'zapier', role: 'editor' } })
    expect(created.status).toBe(201)
    const secret: string = created.json.secret
    expect(secret).toMatch(/^rp_[A-Za-z0-9_-]{40,}$/)

    const stored = await env.DB.prepare('select * from api_keys where id = ?').bind(created.json.id).first<Record<string, string>>()
    expect(JSON.stringify(stored)).not.toContain(secret)
    expect(stored?.hash).toMatch(/^[0-9a-f]{64}$/)

    const list = await call('GET', `/workspaces/${workspace.id}/api-keys`, { token })
    expect(list.json.data).toHaveLength(1)
    expect(list.json.data[0]).not.toHaveProperty('secret')
    expect(list.json.data[0]).toMatchObject({ name: 'zapier', role: 'editor', prefix: secret.slice(0, 10), lastUsedAt: null })

    // The key acts with its role: an editor may create projects but not manage members.
    const project = await call('POST', '/projects', { token: secret, body: { workspaceId: workspace.id, name: 'From Zapier' } })
    expect(project.status).toBe(201)
    expectProblem(await call('POST', `/workspaces/${workspace.id}/members`, { token: secret, body: { email: 'x@example.com', role: 'viewer' } }), 403)
    expect((await call('GET', '/workspaces', { token: secret })).json.data.map((w: any) => w.id)).toEqual([workspace.id])

    // Its last use is recorded.
    await expect.poll(async () => (await call('GET', `/workspaces/${workspace.id}/api-keys`, { token })).json.data[0].lastUsedAt).not.toBeNull()
  })

  it('stops working the moment it is revoked', async () => {
    const { token, workspace } = await ownerWithWorkspace()
    const created = await call('POST', `/workspaces/${workspace.id}/api-keys`, { token, body: { name: 'temp', role: 'viewer' } })
    expect((await call('GET', `/workspaces/${workspace.id}`, { token: created.json.secret })).status).toBe(200)
    expect((await call('DELETE', `/workspaces/${workspace.id}/api-keys/${created.json.id}`, { token })).status).toBe(204)
    expectProblem(await call('GET', `/workspaces/${workspace.id}`, { token: created.json.secret }), 401)
    expectProblem(await call('DELETE', `/workspaces/${workspace.id}/api-keys/${created.json.id}`, { token }), 404)
    const listed = await call('GET', `/workspaces/${workspace.id}/api-keys`, { token })
    expect(listed.json.data[0].revokedAt).not.toBeNull()
  })

  it('has one working key per name in a workspace (409 naming the field); a revoked key frees its name', async () => {
    const { token, workspace } = await ownerWithWorkspace()
    const first = await call('POST', `/workspaces/${workspace.id}/api-keys`, { token, body: { name: 'Zapier', role: 'editor' } })
    expect(first.status).toBe(201)
    const again = await call('POST', `/workspaces/${workspace.id}/api-keys`, { token, body: { name: ' zapier ', role: 'viewer' } })
    expectProblem(again, 409)
    expect(again.json.errors).toEqual([{ field: 'name', message: expect.stringContaining('already named "zapier"') }])
    expect((await call('GET', `/workspaces/${workspace.id}/api-keys`, { token })).json.data).toHaveLength(1)
    // Another workspace may use the name.
    const other = await ownerWithWorkspace()
    expect((await call('POST', `/workspaces/${other.workspace.id}/api-keys`, { token: other.token, body: { name: 'zapier', role: 'editor' } })).status).toBe(201)
    expect((await call('DELETE', `/workspaces/${workspace.id}/api-keys/${first.json.id}`, { token })).status).toBe(204)
    expect((await call('POST', `/workspaces/${workspace.id}/api-keys`, { token, body: { name: 'zapier', role: 'editor' } })).status).toBe(201)
  })

  it('keeps one working key per name when creates of the same name race: one 201, the rest 409', async () => {
    const { token, workspace } = await ownerWithWorkspace()
    const names = ['Race', 'race', ' RACE ', 'Race', 'rAce', 'race']
    const answers = await Promise.all(names.map((name) => call('POST', `/workspaces/${workspace.id}/api-keys`, { token, body: { name, role: 'viewer' } })))
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409])
    for (const refused of answers.filter((a) => a.status === 409)) expect(refused.json.errors).toEqual([{ field: 'name', message: expect.stringContaining('already named') }])
    const working = await env.DB.prepare('select count(*) as n from api_keys where workspace_id = ? and revoked_at is null').bind(workspace.id).first<{ n: number }>()
    expect(working?.n).toBe(1)
    // The database holds the rule too, whatever writes the row.
    const insert = () => env.DB.prepare(`insert into api_keys (id, workspace_id, name, role, prefix, hash) values (?, ?, 'RACE', 'viewer', 'rp_x', ?)`).bind(unique('key'), workspace.id, unique('hash')).run()
    await expect(insert()).rejects.toThrow(/UNIQUE constraint failed/)
  })

  it('cannot be created with a role above the creator, nor by editors', async () => {
    const { token, workspace } = await ownerWithWorkspace()
    const admin = await call('POST', `/workspaces/${workspace.id}/api-keys`, { token, body: { name: 'admin key', role: 'admin' } })
    expectProblem(await call('POST', `/workspaces/${workspace.id}/api-keys`, { token: admin.json.secret, body: { name: 'owner key', role: 'owner' } }), 403)
    const editorKey = await call('POST', `/workspaces/${workspace.id}/api-keys`, { token, body: { name: 'ed', role: 'editor' } })
    expectProblem(await call('POST', `/workspaces/${workspace.id}/api-keys`, { token: editorKey.json.secret, body: { name: 'x', role: 'viewer' } }), 403)
  })

  it("acts with the lower of its role and its creator's current role, and stops when the creator leaves", async () => {
    const { token, workspace } = await ownerWithWorkspace()
    const admin = await memberWithRole(token, workspace.id, 'admin')
    const made = await call('POST', `/workspaces/${workspace.id}/api-keys`, { token: admin.token, body: { name: 'admin key', role: 'admin' } })
    const key = made.json.secret as string
    // A key the admin's key makes answers to the admin too.
    const child = (await call('POST', `/workspaces/${workspace.id}/api-keys`, { token: key, body: { name: 'child', role: 'editor' } })).json.secret as string
    expect((await call('GET', `/workspaces/${workspace.id}/members`, { token: key })).status).toBe(200)
    expect((await call('POST', `/workspaces/${workspace.id}/members`, { token: key, body: { email: `${unique('k')}@example.com`, role: 'viewer' } })).status).toBe(201)

    // Demoted to viewer: the admin key now acts as a viewer.
    expect((await call('PATCH', `/workspaces/${workspace.id}/members/${admin.userId}`, { token, body: { role: 'viewer' } })).status).toBe(200)
    expect((await call('GET', '/me', { token: key })).json.role).toBe('viewer')
    expectProblem(await call('POST', `/workspaces/${workspace.id}/members`, { token: key, body: { email: `${unique('k')}@example.com`, role: 'viewer' } }), 403)
    expectProblem(await call('POST', '/projects', { token: child, body: { workspaceId: workspace.id, name: 'nope' } }), 403)

    // Removed: both keys stop, and the list says why.
    expect((await call('DELETE', `/workspaces/${workspace.id}/members/${admin.userId}`, { token })).status).toBe(204)
    expectProblem(await call('GET', `/workspaces/${workspace.id}`, { token: key }), 401)
    expectProblem(await call('GET', `/workspaces/${workspace.id}`, { token: child }), 401)
    const listed = (await call('GET', `/workspaces/${workspace.id}/api-keys`, { token })).json.data as any[]
    const row = listed.find((k) => k.id === made.json.id)
    expect(row.revokedAt).not.toBeNull()
    expect(row.revokedReason).toMatch(new RegExp(`${admin.email.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*left`))
  })

  it('refuses an unknown rp_ key with 401', async () => {
    expectProblem(await call('GET', '/me', { token: `rp_${'x'.repeat(43)}` }), 401)
  })
})

describe('rate limiting', () => {
  it('answers 429 with Retry-After and resetTime once a key exceeds its budget, and counts each key apart', async () => {
    const { token, workspace } = await ownerWithWorkspace()
    const hot = (await call('POST', `/workspaces/${workspace.id}/api-keys`, { token, body: { name: 'hot', role: 'viewer' } })).json.secret
    const cold = (await call('POST', `/workspaces/${workspace.id}/api-keys`, { token, body: { name: 'cold', role: 'viewer' } })).json.secret
    // The test budget is 120 requests a minute (vitest.config.ts), counted in fixed one-minute
    // windows: a run that crosses into the next minute starts a new budget there, so the first
    // refusal comes after 120 to 240 answers, never fewer.
    let answered = 0
    let limited: Awaited<ReturnType<typeof call>> | undefined
    while (!limited && answered <= 240) {
      const res = await call('GET', `/workspaces/${workspace.id}`, { token: hot })
      if (res.status === 200) answered++
      else limited = res
    }
    expect(answered).toBeGreaterThanOrEqual(120)
    const problem = expectProblem(limited!, 429)
    expect(problem.error).toBe('Rate limit exceeded')
    expect(Date.parse(problem.resetTime as string)).toBeGreaterThan(Date.now())
    const retryAfter = Number(limited!.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(60)
    expect((await call('GET', `/workspaces/${workspace.id}`, { token: cold })).status).toBe(200)
  })
})
