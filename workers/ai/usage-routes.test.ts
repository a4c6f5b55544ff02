/** GET /workspaces/{id}/ai-usage: the workspace's calls and tokens per day and provider, who answers, and the limits. */
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { call, expectProblem, memberWithRole, ownerWithProject } from '../../test/helpers'
import { createDb } from '../db/client'
import { recordUsage } from './usage'

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000)

describe('AI usage', () => {
  it("reads the workspace's calls, tokens and fallbacks per day and provider, within the days asked, with the limits", async () => {
    const { token, project } = await ownerWithProject('ai-usage', [])
    const workspaceId = project.workspaceId
    // One call through the API (the built-in answers here), and provider calls written as run.ts does.
    expect((await call('POST', '/ai-assistant/tools/content-ideas', { token, body: { projectId: project.id, count: 2 } })).status).toBe(200)
    const db = createDb(env.DB)
    await recordUsage(db, { workspaceId, provider: 'openai', usage: { promptTokens: 120, completionTokens: 40 } })
    await recordUsage(db, { workspaceId, provider: 'openai', usage: { promptTokens: 80, completionTokens: 20 } })
    await recordUsage(db, { workspaceId, provider: 'builtin', usage: { promptTokens: 0, completionTokens: 0 }, fallback: true }, daysAgo(3))
    await recordUsage(db, { workspaceId, provider: 'openai', usage: { promptTokens: 999, completionTokens: 999 } }, daysAgo(40))
    // Another workspace's usage is not counted.
    const other = await ownerWithProject('ai-usage-other', [])
    await recordUsage(db, { workspaceId: other.project.workspaceId, provider: 'openai', usage: { promptTokens: 5, completionTokens: 5 } })

    const res = await call('GET', `/workspaces/${workspaceId}/ai-usage`, { token })
    expect(res.status, res.text).toBe(200)
    const today = new Date().toISOString().slice(0, 10)
    expect(res.json).toMatchObject({
      workspaceId,
      to: today,
      from: daysAgo(29).toISOString().slice(0, 10),
      provider: { name: 'builtin', label: 'Built-in templates', fallback: false },
      totals: { calls: 4, promptTokens: 200, completionTokens: 60, fallbacks: 1 },
      limits: { requestsPerMinute: 30, monthlyCalls: null },
    })
    expect(res.json.byProvider).toEqual(
      expect.arrayContaining([
        { provider: 'builtin', calls: 2, promptTokens: 0, completionTokens: 0, fallbacks: 1, canceled: 0 },
        { provider: 'openai', calls: 2, promptTokens: 200, completionTokens: 60, fallbacks: 0, canceled: 0 },
      ]),
    )
    expect(res.json.days.map((d: any) => [d.day, d.provider, d.calls])).toEqual([
      [daysAgo(3).toISOString().slice(0, 10), 'builtin', 1],
      [today, 'builtin', 1],
      [today, 'openai', 2],
    ])
    // Further back, the old day counts too.
    expect((await call('GET', `/workspaces/${workspaceId}/ai-usage?days=60`, { token })).json.totals.calls).toBe(5)
    expect((await call('GET', `/workspaces/${workspaceId}/ai-usage?days=1`, { token })).json.totals.calls).toBe(3)

    const viewer = await memberWithRole(token, workspaceId, 'viewer')
    expect((await call('GET', `/workspaces/${workspaceId}/ai-usage`, { token: viewer.token })).status).toBe(200)
    expectProblem(await call('GET', `/workspaces/${workspaceId}/ai-usage`, { token: other.token }), 404)
    expect(expectProblem(await call('GET', `/workspaces/${workspaceId}/ai-usage?days=0`, { token }), 400).errors?.[0].field).toBe('query.days')
  })
})
