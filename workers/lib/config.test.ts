import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { createWorkerApp } from '../app'
import { handleQueue } from '../queues'
import { misconfigurations } from './config'

const app = createWorkerApp(async () => new Response('the web app'))
const without = (...names: string[]) => ({ ...env, ...Object.fromEntries(names.map((n) => [n, ''])) }) as Env

describe('the configuration check at each entry point', () => {
  it('passes the test deployment, which has every setting', () => {
    expect(misconfigurations(env)).toEqual([])
  })

  it('answers every request of a deployment missing settings with a 503 naming each, pages and API alike', async () => {
    const broken = without('PUBLIC_URL', 'UPLOAD_SIGNING_KEY')
    for (const path of ['/api/health', '/api/me', '/sign-in']) {
      const res = await app.request(path, {}, broken)
      expect(res.status).toBe(503)
      expect(res.headers.get('content-type')).toContain('application/problem+json')
      const problem = (await res.json()) as { detail: string; setting: string; settings: string[] }
      expect(problem.settings).toEqual(['PUBLIC_URL', 'UPLOAD_SIGNING_KEY'])
      expect(problem.setting).toBe('PUBLIC_URL')
      expect(problem.detail).toContain("the Worker's public origin")
    }
    // A public origin that is not a web URL is as good as none.
    expect(misconfigurations({ ...env, PUBLIC_URL: 'ftp://example.com' }).map((p) => p.setting)).toEqual(['PUBLIC_URL'])
    // Sign-in comes first, with the others.
    expect(misconfigurations({ ...without('RENDER_SHARED_SECRET'), APP_ENV: 'production', CLERK_SECRET_KEY: '' }).map((p) => p.setting)).toEqual(['CLERK_SECRET_KEY', 'RENDER_SHARED_SECRET'])
  })

  it('holds queue messages back (retried later) while a setting is missing, but still records dead letters', async () => {
    const batch = createMessageBatch('render-jobs', [{ id: 'm1', timestamp: new Date(), attempts: 1, body: { postId: 'post_missing' } }])
    const ctx = createExecutionContext()
    await handleQueue(batch, without('TOKEN_ENCRYPTION_KEY'), ctx)
    const result = await getQueueResult(batch, ctx)
    expect(result.retryBatch.retry).toBe(true)
    expect(result.explicitAcks).toEqual([])

    const dead = createMessageBatch('render-jobs-dlq', [{ id: 'd1', timestamp: new Date(), attempts: 1, body: { postId: 'post_missing' } }])
    const deadCtx = createExecutionContext()
    await handleQueue(dead, without('TOKEN_ENCRYPTION_KEY'), deadCtx)
    expect((await getQueueResult(dead, deadCtx)).explicitAcks).toEqual(['d1'])
  })
})
