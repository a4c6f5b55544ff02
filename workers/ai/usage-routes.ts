/**
 * GET /workspaces/{id}/ai-usage: what the workspace's assistant spent (calls, tokens, fallbacks per
 * UTC day and provider, from `ai_usage`), who answers now, and the limits that apply to it.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { and, asc, eq, gte } from 'drizzle-orm'
import { requireWorkspace } from '../api/access'
import { commonErrors, createRouter, IdParam, json, security } from '../api/openapi'
import { aiUsage } from '../db/schema'
import { builtinInfo, providerFor, providerInfo } from './config'
import { AI_REQUESTS_PER_MINUTE } from './limit'
import { ProviderInfoSchema } from './routes'
import { PROVIDER_NAMES } from './types'

const Counts = {
  calls: z.number().int(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  fallbacks: z.number().int().openapi({ description: 'Calls the built-in answered because the configured provider failed' }),
  canceled: z.number().int().openapi({ description: 'Streamed calls stopped by the person watching; counted in `calls`, with the tokens used until then (estimated at 4 characters a token, as the provider reports usage only at the end)' }),
}

export const AiUsageSchema = z
  .object({
    workspaceId: z.string(),
    from: z.string().openapi({ description: 'First UTC day counted (YYYY-MM-DD)', example: '2026-11-03' }),
    to: z.string().openapi({ description: 'Last UTC day counted (today)', example: '2026-12-02' }),
    provider: ProviderInfoSchema.openapi({ description: 'Who answers the assistant now' }),
    totals: z.object(Counts),
    byProvider: z.array(z.object({ provider: z.enum(PROVIDER_NAMES), ...Counts })),
    days: z.array(z.object({ day: z.string(), provider: z.enum(PROVIDER_NAMES), ...Counts })).openapi({ description: 'Oldest first; days without calls are left out' }),
    limits: z.object({
      requestsPerMinute: z.number().int().openapi({ description: 'Assistant and inbox requests per minute for the whole workspace (beyond it: 429 with Retry-After)' }),
      monthlyCalls: z.null().openapi({ description: 'No monthly allowance per plan yet: calls are counted, not capped' }),
    }),
  })
  .openapi('AiUsage')

const zero = () => ({ calls: 0, promptTokens: 0, completionTokens: 0, fallbacks: 0, canceled: 0 })
const add = (into: ReturnType<typeof zero>, row: ReturnType<typeof zero>) => {
  into.calls += row.calls
  into.promptTokens += row.promptTokens
  into.completionTokens += row.completionTokens
  into.fallbacks += row.fallbacks
  into.canceled += row.canceled
}

export const aiUsageApi = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/workspaces/{id}/ai-usage',
    tags: ['AI assistant'],
    security,
    summary: "The workspace's AI usage (calls, tokens, fallbacks per day and provider) and its limits",
    request: {
      params: z.object({ id: IdParam('id', 'ws_0123456789abcdefghjk') }),
      query: z.object({ days: z.coerce.number().int().min(1).max(366).default(30).openapi({ description: 'How many UTC days back, today included' }) }),
    },
    responses: { 200: json(AiUsageSchema, 'Usage and limits'), ...commonErrors },
  }),
  async (c) => {
    const { id } = c.req.valid('param')
    const { days } = c.req.valid('query')
    await requireWorkspace(c, id, 'workspace.read')
    const today = new Date()
    const from = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() - (days - 1))).toISOString().slice(0, 10)
    const rows = await c
      .get('db')
      .select()
      .from(aiUsage)
      .where(and(eq(aiUsage.workspaceId, id), gte(aiUsage.day, from)))
      .orderBy(asc(aiUsage.day), asc(aiUsage.provider))
      .all()
    const totals = zero()
    const byProvider = new Map<(typeof PROVIDER_NAMES)[number], ReturnType<typeof zero>>()
    for (const row of rows) {
      add(totals, row)
      if (!byProvider.has(row.provider)) byProvider.set(row.provider, zero())
      add(byProvider.get(row.provider)!, row)
    }
    let provider
    try {
      const configured = providerFor(c.env)
      provider = configured ? providerInfo(configured) : builtinInfo()
    } catch (error) {
      // A named provider without its settings: every call would fail over to the built-in.
      provider = builtinInfo(error instanceof Error ? error.message : String(error))
    }
    return c.json(
      {
        workspaceId: id,
        from,
        to: today.toISOString().slice(0, 10),
        provider,
        totals,
        byProvider: [...byProvider].map(([name, counts]) => ({ provider: name, ...counts })),
        days: rows.map((r) => ({ day: r.day, provider: r.provider, calls: r.calls, promptTokens: r.promptTokens, completionTokens: r.completionTokens, fallbacks: r.fallbacks, canceled: r.canceled })),
        limits: { requestsPerMinute: AI_REQUESTS_PER_MINUTE, monthlyCalls: null },
      },
      200,
    )
  },
)
