import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { createWorkerApp } from '../app'
import { handleQueue } from '../queues'
import { misconfigurations } from './config'
import { call, ownerWithProject, readyClip } from '../../test/helpers'

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

    // A post whose render messages died that way, past its time, fails naming the setting.
    const { token, project } = await ownerWithProject()
    const clip = await readyClip(project.workspaceId, project.id)
    const post = (await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt: new Date(Date.now() + 60_000).toISOString() } })).json
    await env.DB.prepare(`update posts set status = 'planned', lease_until = null, scheduled_at = ? where id = ?`).bind(new Date(Date.now() - 3_600_000).toISOString(), post.id).run()
    const dead = createMessageBatch('render-jobs-dlq', [
      { id: 'd1', timestamp: new Date(), attempts: 1, body: { postId: 'post_missing' } },
      { id: 'd2', timestamp: new Date(), attempts: 6, body: { postId: post.id } },
    ])
    const deadCtx = createExecutionContext()
    await handleQueue(dead, without('TOKEN_ENCRYPTION_KEY'), deadCtx)
    expect((await getQueueResult(dead, deadCtx)).explicitAcks).toEqual(['d1', 'd2'])
    const failed = await env.DB.prepare('select status, error from posts where id = ?').bind(post.id).first<{ status: string; error: string }>()
    expect(failed).toMatchObject({ status: 'failed' })
    expect(failed!.error).toMatch(/^Rendering failed after every retry: the deployment is missing or has wrong settings: TOKEN_ENCRYPTION_KEY is not set/)
  })
})
