/**
 * Which provider answers, from the Worker's settings: `AI_PROVIDER` names one (`workers-ai`,
 * `openai`, `builtin`); empty means the first configured of an OpenAI-compatible API
 * (`AI_BASE_URL` + `AI_MODEL`, key `AI_API_KEY`), the `AI` binding with `WORKERS_AI_MODEL`, and
 * the built-in. Nothing configured (local mode, tests) is the built-in: under APP_ENV=local the
 * empty choice skips the `AI` binding, which has no local mode.
 */
import { OpenAiCompatibleProvider } from './providers/openai'
import { WorkersAiProvider, type AiBinding } from './providers/workers-ai'
import type { AiProvider, ProviderInfo } from './types'

/** The settings read here; every one optional, so any env (a test's too) fits. */
export interface AiSettings {
  AI?: AiBinding
  APP_ENV?: string
  AI_PROVIDER?: string
  WORKERS_AI_MODEL?: string
  AI_BASE_URL?: string
  AI_API_KEY?: string
  AI_MODEL?: string
  AI_TIMEOUT_MS?: string
}

export const DEFAULT_WORKERS_AI_MODEL = '@cf/meta/llama-3.3-70b-instruct-fp8-fast'

/** The configured provider, or null for the built-in. A named provider without its settings is an error at the first call. */
export function providerFor(env: AiSettings): AiProvider | null {
  const choice = (env.AI_PROVIDER ?? '').trim()
  const openai = () => {
    if (!env.AI_BASE_URL || !env.AI_MODEL) throw new Error('AI_PROVIDER=openai needs AI_BASE_URL and AI_MODEL (and the AI_API_KEY secret)')
    return new OpenAiCompatibleProvider({ baseUrl: env.AI_BASE_URL, apiKey: env.AI_API_KEY ?? '', model: env.AI_MODEL })
  }
  const workersAi = () => {
    if (!env.AI) throw new Error('AI_PROVIDER=workers-ai needs the AI binding ([ai] binding = "AI" in wrangler.toml)')
    return new WorkersAiProvider(env.AI, env.WORKERS_AI_MODEL || DEFAULT_WORKERS_AI_MODEL)
  }
  if (choice === 'builtin') return null
  if (choice === 'openai') return openai()
  if (choice === 'workers-ai') return workersAi()
  if (choice) throw new Error(`AI_PROVIDER must be workers-ai, openai or builtin (or empty), not ${JSON.stringify(choice)}`)
  if (env.AI_BASE_URL && env.AI_MODEL) return openai()
  // Locally the binding exists (wrangler.toml) but reaches nothing without a Cloudflare account.
  if (env.AI && env.APP_ENV !== 'local') return workersAi()
  return null
}

/** The timeout of one provider attempt. */
export const timeoutOf = (env: AiSettings) => {
  const ms = Number(env.AI_TIMEOUT_MS)
  return Number.isFinite(ms) && ms > 0 ? ms : 20_000
}

const LABELS = { 'workers-ai': 'Workers AI', openai: 'OpenAI-compatible API' } as const

export const providerInfo = (provider: AiProvider): ProviderInfo => ({ name: provider.name, model: provider.model, label: `${LABELS[provider.name]} (${provider.model})`, fallback: false })

export const builtinInfo = (reason?: string): ProviderInfo => ({
  name: 'builtin',
  model: 'built-in templates',
  label: 'Built-in templates',
  fallback: !!reason,
  ...(reason ? { reason } : {}),
})
