/**
 * POST /ai-assistant/stream: the provider's server-sent events (the OpenAI-compatible stub) carried
 * through the Worker as they arrive, the checked answer at the end, a restart before a repair,
 * errors before the first piece as ordinary problems, and Stop cancelling the provider call.
 */
import { createExecutionContext, env } from 'cloudflare:test'
import { describe, expect, it, vi } from 'vitest'
import { openAiStubSettings, scriptAnswers, stubReceived } from '../../test/ai'
import { call, expectProblem, memberWithRole, ownerWithProject, readyClip } from '../../test/helpers'
import { createWorkerApp } from '../app'
import { readEvents as readSse } from '../../app/lib/sse'

const app = createWorkerApp(async () => new Response('the web app'))

/** The Worker with `settings` over its env (a provider pointed at the stub), as one request. */
const post = (token: string, body: unknown, settings: Record<string, string> = {}) =>
  app.request('/api/ai-assistant/stream', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }, { ...env, ...settings }, createExecutionContext())

interface Sse {
  event: string
  data: any
}

/** Reads events as they come; `until` stops early (the reader is then cancelled, as the page's Stop does). */
async function readEvents(res: Response, until?: (e: Sse) => boolean): Promise<Sse[]> {
  const events: Sse[] = []
  await readSse(res, (event, data) => {
    events.push({ event, data })
    return until?.({ event, data })
  })
  return events
}

const IDEAS = {
  ideas: [
    { title: 'Three knife cuts', hook: 'You are holding it wrong', format: 'tutorial', why: 'Beginners ask for it' },
    { title: 'Onion without tears', hook: 'No more crying', format: 'myth_busting', why: 'A common question' },
  ],
}

describe('streamed answers', () => {
  it("carries the provider's pieces through the Worker as events, then the checked answer (the same as the JSON route's)", async () => {
    const { token, project } = await ownerWithProject('stream', [])
    const { apiKey, settings } = await openAiStubSettings()
    await scriptAnswers(apiKey, [{ json: IDEAS }])
    const res = await post(token, { tool: 'content-ideas', input: { projectId: project.id, count: 2 } }, settings)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/)
    const events = await readEvents(res)
    const deltas = events.filter((e) => e.event === 'delta')
    // The stub streams 16 characters a chunk: many pieces, which together are the model's JSON.
    expect(deltas.length).toBeGreaterThan(5)
    expect(JSON.parse(deltas.map((d) => d.data.text).join(''))).toEqual(IDEAS)
    const answer = events.at(-1)!
    expect(answer.event).toBe('answer')
    expect(answer.data).toMatchObject({ tool: 'content-ideas', provider: { name: 'openai', fallback: false }, result: IDEAS })
    // The provider was asked to stream.
    const [request] = (await stubReceived(apiKey)).requests
    expect(request).toMatchObject({ stream: true, stream_options: { include_usage: true }, response_format: { type: 'json_schema' } })
  })

  it('says restart before the repair of an invalid answer, and ends with the repaired one', async () => {
    const { token, project } = await ownerWithProject('stream-repair', [])
    const { apiKey, settings } = await openAiStubSettings()
    await scriptAnswers(apiKey, [{ content: '{"ideas": "not a list of ideas, but long enough to stream"}' }, { json: IDEAS }])
    const events = await readEvents(await post(token, { tool: 'content-ideas', input: { projectId: project.id, count: 2 } }, settings))
    const restart = events.findIndex((e) => e.event === 'restart')
    expect(restart).toBeGreaterThan(0)
    expect(events.slice(0, restart).every((e) => e.event === 'delta')).toBe(true)
    expect(JSON.parse(events.slice(restart + 1, -1).map((e) => e.data.text).join(''))).toEqual(IDEAS)
    expect(events.at(-1)).toMatchObject({ event: 'answer', data: { result: IDEAS } })
  })

  it('stopping the stream cancels the provider call; nothing is retried', async () => {
    const { token, project } = await ownerWithProject('stream-stop', [])
    const { apiKey, settings } = await openAiStubSettings()
    await scriptAnswers(apiKey, [{ json: IDEAS, chunkDelayMs: 150 }, { json: IDEAS }])
    const res = await post(token, { tool: 'content-ideas', input: { projectId: project.id, count: 2 } }, { ...settings, AI_TIMEOUT_MS: '20000' })
    const seen = await readEvents(res, (e) => e.event === 'delta' && e.data.text.length > 0)
    expect(seen.at(-1)!.event).toBe('delta')
    // The stub saw its stream closed before the end, and no second call came.
    await vi.waitFor(async () => expect((await stubReceived(apiKey)).aborted).toBe(1), { timeout: 20_000, interval: 200 })
    expect((await stubReceived(apiKey)).calls).toBe(1)
    // The stopped call is counted for the workspace: one call, canceled, with the tokens used until then.
    await vi.waitFor(
      async () => {
        const usage = await call('GET', `/workspaces/${project.workspaceId}/ai-usage`, { token })
        expect(usage.json.totals).toMatchObject({ calls: 1, canceled: 1, fallbacks: 0 })
        expect(usage.json.totals.promptTokens).toBeGreaterThan(50)
        expect(usage.json.totals.completionTokens).toBeGreaterThan(0)
        expect(usage.json.byProvider).toEqual([expect.objectContaining({ provider: 'openai', calls: 1, canceled: 1 })])
      },
      { timeout: 10_000, interval: 200 },
    )
  })

  it('without a provider the built-in answers alone; bad input, roles and other workspaces are problems before any stream', async () => {
    const { token, project } = await ownerWithProject('stream-builtin', [])
    const events = await readEvents(await post(token, { tool: 'content-ideas', input: { projectId: project.id, count: 3 } }))
    expect(events.map((e) => e.event)).toEqual(['answer'])
    expect(events[0].data).toMatchObject({ tool: 'content-ideas', provider: { name: 'builtin', label: 'Built-in templates' } })
    const json = await call('POST', '/ai-assistant/tools/content-ideas', { token, body: { projectId: project.id, count: 3 } })
    expect(events[0].data.result).toEqual(json.json.result)

    const clip = await readyClip(project.workspaceId, project.id, 'Knife skills')
    const captions = await readEvents(await post(token, { tool: 'captions', input: { projectId: project.id, mediaId: clip, platforms: ['tiktok'] } }))
    expect(captions[0]).toMatchObject({ event: 'answer', data: { tool: 'captions', result: { limits: [{ platform: 'tiktok' }] } } })

    const bad = await post(token, { tool: 'content-ideas', input: { projectId: project.id, count: 99 } })
    expect(bad.status).toBe(400)
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(((await bad.json()) as any).errors[0].field).toBe('input.count')
    const viewer = await memberWithRole(token, project.workspaceId, 'viewer')
    expect((await post(viewer.token, { tool: 'content-ideas', input: { projectId: project.id } })).status).toBe(403)
    const outsider = await ownerWithProject('stream-outsider', [])
    expectProblem(await call('POST', '/ai-assistant/stream', { token: outsider.token, body: { tool: 'content-ideas', input: { projectId: project.id } } }), 404)
  })
})
