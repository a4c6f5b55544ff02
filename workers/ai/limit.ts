/** The AI budget per workspace (`AI_RATE_LIMITER`): over it, 429 with Retry-After, like the API's own limit. */
import { HttpError } from '../lib/errors'

/** The budget of `AI_RATE_LIMITER` (wrangler.toml `simple.limit`, per 60 s): what GET /workspaces/{id}/ai-usage reports. */
export const AI_REQUESTS_PER_MINUTE = 30

export async function limitAiRequests(env: Pick<Env, 'AI_RATE_LIMITER'>, workspaceId: string) {
  const { success } = await env.AI_RATE_LIMITER.limit({ key: workspaceId })
  if (success) return
  const now = Date.now()
  const resetMs = Math.ceil((now + 1) / 60_000) * 60_000
  const retryAfter = Math.max(1, Math.ceil((resetMs - now) / 1000))
  throw new HttpError(429, `Too many AI requests for this workspace: retry after ${retryAfter} s.`, {
    error: 'Rate limit exceeded',
    resetTime: new Date(resetMs).toISOString(),
    headers: { 'Retry-After': String(retryAfter) },
  })
}
