/**
 * Which transcription provider hears clips, from the Worker's settings (the AI assistant's
 * configuration, extended): `TRANSCRIPTION_PROVIDER` names one (`workers-ai`, `openai`, `none`);
 * empty means the first configured of an OpenAI-compatible API (`TRANSCRIPTION_MODEL`, with
 * `TRANSCRIPTION_BASE_URL` or else `AI_BASE_URL`, key `TRANSCRIPTION_API_KEY` or else `AI_API_KEY`)
 * and Workers AI (the `AI` binding, model `WORKERS_AI_TRANSCRIPTION_MODEL`; skipped by the empty choice
 * under APP_ENV=local, where the binding has no local mode). Nothing configured:
 * no transcription, and the library says captions from speech need a provider. Nothing is faked.
 */
import type { AiBinding } from '../ai/providers/workers-ai'
import { DEFAULT_WHISPER_MODEL, OpenAiTranscriber, WorkersAiTranscriber, type Transcriber } from './providers'

export interface TranscriptionSettings {
  AI?: AiBinding
  APP_ENV?: string
  AI_BASE_URL?: string
  AI_API_KEY?: string
  TRANSCRIPTION_PROVIDER?: string
  TRANSCRIPTION_BASE_URL?: string
  TRANSCRIPTION_API_KEY?: string
  TRANSCRIPTION_MODEL?: string
  WORKERS_AI_TRANSCRIPTION_MODEL?: string
  /** Seconds a part may last at most, below the provider's own limit (tests use it to see parts joined). */
  TRANSCRIPTION_PART_SEC?: string
  TRANSCRIPTION_TIMEOUT_MS?: string
}

/** Why no provider hears clips, in words for the library page. */
export const NO_PROVIDER =
  'Captions from speech need a transcription provider: set TRANSCRIPTION_MODEL (an OpenAI-compatible API such as whisper-1, with TRANSCRIPTION_BASE_URL or AI_BASE_URL and its key) or add the Workers AI binding.'

export type TranscriberChoice = { ok: true; transcriber: Transcriber; maxPartSec: number } | { ok: false; reason: string }

/** The configured transcriber and the part length it is sent, or why there is none. */
export function transcriberFor(env: TranscriptionSettings): TranscriberChoice {
  const choice = (env.TRANSCRIPTION_PROVIDER ?? '').trim()
  const baseUrl = env.TRANSCRIPTION_BASE_URL || env.AI_BASE_URL
  const openai = (): TranscriberChoice => {
    if (!baseUrl || !env.TRANSCRIPTION_MODEL) return { ok: false, reason: 'TRANSCRIPTION_PROVIDER=openai needs TRANSCRIPTION_MODEL and TRANSCRIPTION_BASE_URL (or AI_BASE_URL), with its key.' }
    return withParts(new OpenAiTranscriber({ baseUrl, apiKey: env.TRANSCRIPTION_API_KEY || env.AI_API_KEY || '', model: env.TRANSCRIPTION_MODEL }))
  }
  const workersAi = (): TranscriberChoice => {
    if (!env.AI) return { ok: false, reason: 'TRANSCRIPTION_PROVIDER=workers-ai needs the AI binding ([ai] binding = "AI" in wrangler.toml).' }
    return withParts(new WorkersAiTranscriber(env.AI, env.WORKERS_AI_TRANSCRIPTION_MODEL || DEFAULT_WHISPER_MODEL))
  }
  const withParts = (transcriber: Transcriber): TranscriberChoice => {
    const asked = Number(env.TRANSCRIPTION_PART_SEC)
    const maxPartSec = Number.isFinite(asked) && asked >= 1 ? Math.min(asked, transcriber.maxPartSec) : transcriber.maxPartSec
    return { ok: true, transcriber, maxPartSec }
  }
  if (choice === 'none') return { ok: false, reason: NO_PROVIDER }
  if (choice === 'openai') return openai()
  if (choice === 'workers-ai') return workersAi()
  if (choice) return { ok: false, reason: `TRANSCRIPTION_PROVIDER must be workers-ai, openai or none (or empty), not ${JSON.stringify(choice)}.` }
  if (baseUrl && env.TRANSCRIPTION_MODEL) return openai()
  // As for the assistant (ai/config.ts): under APP_ENV=local the empty choice skips the AI binding, which has no local mode.
  if (env.AI && env.APP_ENV !== 'local') return workersAi()
  return { ok: false, reason: NO_PROVIDER }
}

/** One provider call's budget. */
export const transcriptionTimeoutOf = (env: TranscriptionSettings) => {
  const ms = Number(env.TRANSCRIPTION_TIMEOUT_MS)
  return Number.isFinite(ms) && ms > 0 ? ms : 120_000
}
