/** Server side of the assistant page: the project's ready clips, and each tool through the API. */
import type { RouterContextProvider } from 'react-router'
import type { z } from '@hono/zod-openapi'
import type { ProviderInfoSchema, TOOLS } from '../../workers/ai/routes'
import { callApi, loadApi } from '../lib/api.server'
import type { Media } from '../lib/media-upload'
import type { List } from '../lib/types'
import { PLATFORMS } from '../../workers/domain/post-state'

type Context = Readonly<RouterContextProvider>

// The answers' shapes are the AI routes' own schemas (types only: no server code reaches the page).
/** Which provider answered. */
export type ProviderInfo = z.infer<typeof ProviderInfoSchema>
/** What a tool's route answers in `result`: the tool's result schema in the routes' TOOLS table. */
type ToolResult<N extends keyof typeof TOOLS> = z.infer<(typeof TOOLS)[N]['result']>
export type Ideas = ToolResult<'content-ideas'>
export type Idea = Ideas['ideas'][number]
export type Captions = ToolResult<'captions'>
export type Pricing = ToolResult<'pricing-optimizer'>
export type RateCard = Pricing['card']

export type AssistantResult =
  | { intent: 'ideas'; ok: true; provider: ProviderInfo; ideas: Idea[] }
  | { intent: 'captions'; ok: true; provider: ProviderInfo; captions: Captions; clipId: string }
  | { intent: 'pricing'; ok: true; provider: ProviderInfo; card: RateCard; summary: string }
  | { intent: string; ok: false; message: string; errors?: { field: string; message: string }[] }

export async function loadAssistant(context: Context, request: Request, projectId: string) {
  const media = await loadApi<List<Media>>(context, request, `/projects/${encodeURIComponent(projectId)}/media?status=ready`)
  return { clips: media.data.filter((m) => m.kind !== 'image').map((m) => ({ id: m.id, label: m.title || m.filename })) }
}

const num = (v: FormDataEntryValue | null) => (v === null || v === '' ? undefined : Number(v))

export async function assistantAction(context: Context, request: Request, projectId: string): Promise<AssistantResult> {
  const form = await request.formData()
  const intent = String(form.get('intent'))
  const fail = (res: { problem: { detail: string; errors?: { field: string; message: string }[] } }) => ({ intent, ok: false as const, message: res.problem.detail, errors: res.problem.errors })
  if (intent === 'ideas') {
    const res = await callApi<{ provider: ProviderInfo; result: Ideas }>(context, request, '/ai-assistant/tools/content-ideas', {
      method: 'POST',
      body: { projectId, count: num(form.get('count')) ?? 5, audienceNotes: String(form.get('audienceNotes') ?? '').trim() || undefined },
    })
    return res.ok ? { intent, ok: true, provider: res.data.provider, ideas: res.data.result.ideas } : fail(res)
  }
  if (intent === 'captions') {
    const mediaId = String(form.get('mediaId') ?? '')
    const res = await callApi<{ provider: ProviderInfo; result: Captions }>(context, request, '/ai-assistant/tools/captions', { method: 'POST', body: { projectId, mediaId } })
    return res.ok ? { intent, ok: true, provider: res.data.provider, captions: res.data.result, clipId: mediaId } : fail(res)
  }
  if (intent === 'pricing') {
    const cpm: Record<string, { low: number; high: number }> = {}
    for (const p of PLATFORMS) {
      const low = num(form.get(`${p}.low`))
      const high = num(form.get(`${p}.high`))
      if (low !== undefined || high !== undefined) cpm[p] = { low: low ?? NaN, high: high ?? NaN }
    }
    const res = await callApi<{ provider: ProviderInfo; result: Pricing }>(context, request, '/ai-assistant/tools/pricing-optimizer', {
      method: 'POST',
      body: { projectId, currency: String(form.get('currency') ?? 'USD'), ...(Object.keys(cpm).length ? { cpm } : {}) },
    })
    return res.ok ? { intent, ok: true, provider: res.data.provider, card: res.data.result.card, summary: res.data.result.summary } : fail(res)
  }
  return { intent, ok: false, message: `Unknown action “${intent}”.` }
}
