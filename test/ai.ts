/** Helpers for tests of the AI assistant: keys and scripts of the OpenAI-compatible stub (test/stubs/openai.ts). */
import { env } from 'cloudflare:test'
import { unique } from './helpers'

const base = () => env.PLATFORM_API_BASE as string

async function control(method: string, path: string, body?: unknown) {
  const res = await fetch(`${base()}/_control/ai${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await res.text()
  if (!res.ok) throw new Error(`ai stub control ${method} ${path}: ${res.status} ${text}`)
  return text ? JSON.parse(text) : undefined
}

export type Scripted = { status: 429 | 500 | 502 | 503 } | { content: string; chunkDelayMs?: number } | { json: unknown; chunkDelayMs?: number } | { delayMs: number }

/** A fresh key on the stub and the settings that point the Worker at it (a model of its own, so breakers never meet). */
export async function openAiStubSettings(options: { rejectJsonSchema?: boolean } = {}) {
  const { apiKey } = await control('POST', '/keys', options)
  return { apiKey, settings: { AI_BASE_URL: `${base()}/openai/v1`, AI_API_KEY: apiKey as string, AI_MODEL: unique('stub-model'), AI_TIMEOUT_MS: '2000' } }
}

export const scriptAnswers = (apiKey: string, responses: Scripted[]) => control('POST', `/keys/${encodeURIComponent(apiKey)}/script`, { responses })

export const stubReceived = (apiKey: string): Promise<{ calls: number; requests: any[]; scriptLeft: number; aborted: number }> => control('GET', `/keys/${encodeURIComponent(apiKey)}`)
