import { createExecutionContext, createMessageBatch, env, getQueueResult } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import worker from '../index'
import { z } from 'zod'
import { backoffSeconds, consumeDeadLetters, consumeKeepingReason } from './consume'
import { call, ownerWithProject, readyClip } from '../../test/helpers'

describe('the queue handler', () => {
  it('acknowledges malformed messages, and retries a failing render (with exponential backoff)', async () => {
    const { token, project } = await ownerWithProject()
    const clip = await readyClip(project.workspaceId, project.id)
    const post = (await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt: new Date(Date.now() + 86_400_000).toISOString() } })).json
    await env.DB.prepare(`update posts set status = 'planned', lease_until = null where id = ?`).bind(post.id).run()
    const batch = createMessageBatch('render-jobs', [
      { id: 'bad', timestamp: new Date(), attempts: 1, body: { nope: true } },
      // The render server cannot reach storage from inside these tests, so this render fails.
      { id: 'third-try', timestamp: new Date(), attempts: 3, body: { postId: post.id } },
    ])
    const ctx = createExecutionContext()
    await worker.queue(batch, env, ctx)
    const result = await getQueueResult(batch, ctx)
    expect(result.explicitAcks).toEqual(['bad'])
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(['third-try'])
    expect([1, 2, 3, 4, 10].map((n) => backoffSeconds(15, n))).toEqual([15, 30, 60, 120, 600])
  })

  it('hands every queue wrangler.toml binds to a consumer (a malformed message is acknowledged), and retries a batch of a queue it does not know', async () => {
    const queues = ['render-jobs', 'publish-jobs', 'metrics-jobs', 'transcribe-jobs', 'inbox-jobs'].flatMap((q) => [q, `${q}-dlq`])
    for (const queue of queues) {
      const batch = createMessageBatch(queue, [{ id: 'malformed', timestamp: new Date(), attempts: 1, body: { nope: true } }])
      const ctx = createExecutionContext()
      await worker.queue(batch, env, ctx)
      expect((await getQueueResult(batch, ctx)).explicitAcks, queue).toEqual(['malformed'])
    }
    for (const queue of ['unknown-jobs', 'unknown-jobs-dlq', 'constructor']) {
      const batch = createMessageBatch(queue, [{ id: 'm', timestamp: new Date(), attempts: 1, body: { postId: 'post_missing' } }])
      const ctx = createExecutionContext()
      await worker.queue(batch, env, ctx)
      const result = await getQueueResult(batch, ctx)
      expect([result.retryBatch.retry, result.explicitAcks], queue).toEqual([true, []])
    }
  })

  it('asks a second render delivery to come back in a minute while the first holds the lease', async () => {
    const { token, project } = await ownerWithProject()
    const clip = await readyClip(project.workspaceId, project.id)
    const post = (await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt: new Date(Date.now() + 86_400_000).toISOString() } })).json
    await env.DB.prepare(`update posts set status = 'rendering', lease_until = ? where id = ?`).bind(new Date(Date.now() + 600_000).toISOString(), post.id).run()
    const batch = createMessageBatch('render-jobs', [{ id: 'second', timestamp: new Date(), attempts: 1, body: { postId: post.id } }])
    const ctx = createExecutionContext()
    await worker.queue(batch, env, ctx)
    expect((await getQueueResult(batch, ctx)).retryMessages.map((m) => m.msgId)).toEqual(['second'])
  })

  it('acknowledges a publish message for a post that is gone', async () => {
    const batch = createMessageBatch('publish-jobs', [{ id: 'gone', timestamp: new Date(), attempts: 1, body: { postId: 'post_missing', platform: 'tiktok' } }])
    const ctx = createExecutionContext()
    await worker.queue(batch, env, ctx)
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(['gone'])
  })

  it('keeps the reason of a failing job and retries it; a dead-letter queue settles each job it can name and acknowledges every message', async () => {
    const kept: Array<[string, string]> = []
    const batch = createMessageBatch('inbox-jobs', [
      { id: 'works', timestamp: new Date(), attempts: 1, body: { projectId: 'prj_ok' } },
      { id: 'fails', timestamp: new Date(), attempts: 2, body: { projectId: 'prj_down' } },
    ])
    const ctx = createExecutionContext()
    await consumeKeepingReason(
      batch,
      z.object({ projectId: z.string() }),
      { baseDelaySec: 30 },
      async ({ projectId }) => {
        if (projectId === 'prj_down') throw new Error('platform answered 503')
      },
      async ({ projectId }, reason) => kept.push([projectId, reason]),
    )
    const result = await getQueueResult(batch, ctx)
    expect(result.explicitAcks).toEqual(['works'])
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(['fails'])
    expect(kept).toEqual([['prj_down', 'platform answered 503']])

    const settled: string[] = []
    const dead = createMessageBatch('inbox-dead', [
      { id: 'named', timestamp: new Date(), attempts: 5, body: { projectId: 'prj_a' } },
      { id: 'nameless', timestamp: new Date(), attempts: 5, body: { other: 1 } },
      { id: 'empty', timestamp: new Date(), attempts: 5, body: null },
    ])
    const deadCtx = createExecutionContext()
    await consumeDeadLetters(dead, 'projectId', async (id) => void settled.push(id))
    expect(settled).toEqual(['prj_a'])
    expect((await getQueueResult(dead, deadCtx)).explicitAcks).toEqual(['named', 'nameless', 'empty'])
  })
})
