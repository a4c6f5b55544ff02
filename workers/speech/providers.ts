/**
 * Transcription providers behind one interface (#15): a 16 kHz mono WAV in, words with start and
 * end seconds out. Workers AI Whisper through the `AI` binding, or any OpenAI-compatible
 * `POST {base}/audio/transcriptions` (OpenAI, Groq, a self-hosted Whisper server). Errors are the
 * AI assistant's `ProviderHttpError` (429 and 5xx transient, retried by the queue).
 */
import { ProviderHttpError } from '../ai/types'
import type { AiBinding } from '../ai/providers/workers-ai'
import { languageCode } from '../domain/transcript'
import { base64 } from '../lib/crypto'

export const TRANSCRIPTION_PROVIDERS = ['workers-ai', 'openai'] as const
export type TranscriptionProviderName = (typeof TRANSCRIPTION_PROVIDERS)[number]

export interface Heard {
  /** ISO 639-1 when the provider says; null when it does not (Workers AI's `@cf/openai/whisper`). */
  language: string | null
  words: { word: string; start: number; end: number }[]
}

export interface Transcriber {
  readonly name: TranscriptionProviderName
  readonly model: string
  /** The longest part it takes, in seconds of our 16 kHz mono WAV: longer clips go in parts. */
  readonly maxPartSec: number
  transcribe(wav: Uint8Array<ArrayBuffer>, signal: AbortSignal): Promise<Heard>
}

/** Bytes a second of the WAV the render server makes (16-bit mono at 16 kHz), and its header. */
const WAV_BYTES_PER_SEC = 32_000
const WAV_HEADER = 44

/** OpenAI's limit on an uploaded file: 25 MB (26,214,400 bytes). */
export const OPENAI_MAX_FILE_BYTES = 25 * 1024 * 1024

/**
 * Workers AI documents no size limit for Whisper's input, which travels as a JSON array of byte
 * values (about four characters a byte): our bound keeps a request near 15 MB.
 */
export const WORKERS_AI_MAX_PART_SEC = 120

interface VerboseJson {
  language?: string
  duration?: number
  text?: string
  words?: { word?: string; start?: number; end?: number }[]
}

export class OpenAiTranscriber implements Transcriber {
  readonly name = 'openai' as const
  // A second short of the limit, so a header or rounding never tips a part over it.
  readonly maxPartSec = Math.floor((OPENAI_MAX_FILE_BYTES - WAV_HEADER) / WAV_BYTES_PER_SEC) - 1
  private readonly url: string

  constructor(
    private readonly config: { baseUrl: string; apiKey: string; model: string },
  ) {
    this.url = `${config.baseUrl.replace(/\/+$/, '')}/audio/transcriptions`
  }

  get model() {
    return this.config.model
  }

  async transcribe(wav: Uint8Array<ArrayBuffer>, signal: AbortSignal): Promise<Heard> {
    const form = new FormData()
    form.append('file', new Blob([wav], { type: 'audio/wav' }), 'audio.wav')
    form.append('model', this.config.model)
    form.append('response_format', 'verbose_json')
    form.append('timestamp_granularities[]', 'word')
    const res = await fetch(this.url, { method: 'POST', signal, headers: { authorization: `Bearer ${this.config.apiKey}`, accept: 'application/json' }, body: form })
    if (!res.ok) throw new ProviderHttpError('OpenAI-compatible transcription', res.status, errorMessage(await res.text().catch(() => '')))
    const body = (await res.json()) as VerboseJson
    if (!Array.isArray(body.words)) throw new ProviderHttpError('OpenAI-compatible transcription', 502, 'the answer has no words: does the server support timestamp_granularities[]=word?')
    return { language: languageCode(body.language), words: wordsOf(body.words) }
  }
}

/** OpenAI's `{error: {message}}`, else the text. */
function errorMessage(text: string): string {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: string } }
    return parsed.error?.message ?? text
  } catch {
    return text
  }
}

const wordsOf = (words: { word?: string; start?: number; end?: number }[]) =>
  words.filter((w) => typeof w.word === 'string' && typeof w.start === 'number' && typeof w.end === 'number').map((w) => ({ word: w.word!, start: w.start!, end: w.end! }))

interface WhisperOutput {
  text?: string
  word_count?: number
  words?: { word?: string; start?: number; end?: number }[]
  /** whisper-large-v3-turbo: segments with their words, and the language it detected. */
  segments?: { words?: { word?: string; start?: number; end?: number }[] }[]
  transcription_info?: { language?: string }
}

export const DEFAULT_WHISPER_MODEL = '@cf/openai/whisper'

export class WorkersAiTranscriber implements Transcriber {
  readonly name = 'workers-ai' as const
  readonly maxPartSec = WORKERS_AI_MAX_PART_SEC

  constructor(
    private readonly binding: AiBinding,
    readonly model: string = DEFAULT_WHISPER_MODEL,
  ) {}

  async transcribe(wav: Uint8Array<ArrayBuffer>, signal: AbortSignal): Promise<Heard> {
    // `@cf/openai/whisper` (and -tiny-en) take the bytes as an array of numbers; large-v3-turbo takes base64.
    const turbo = this.model.includes('large-v3-turbo')
    const inputs = turbo ? { audio: base64(wav), task: 'transcribe' } : { audio: Array.from(wav) }
    let out: WhisperOutput
    try {
      const run = this.binding.run(this.model, inputs) as Promise<WhisperOutput>
      out = await Promise.race([run, new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }))])
    } catch (error) {
      if (signal.aborted) throw signal.reason
      const message = error instanceof Error ? error.message : String(error)
      throw new ProviderHttpError('Workers AI Whisper', statusOf(message), message)
    }
    const words = turbo ? (out?.segments ?? []).flatMap((s) => s.words ?? []) : (out?.words ?? [])
    if (!Array.isArray(words)) throw new ProviderHttpError('Workers AI Whisper', 502, 'the answer has no words')
    return { language: languageCode(out?.transcription_info?.language), words: wordsOf(words) }
  }
}

function statusOf(message: string): number {
  if (/\b(429|3040|3036)\b|capacity|rate.?limit|too many/i.test(message)) return 429
  if (/\b5\d\d\b|upstream|internal|unavailable|timed? ?out/i.test(message)) return 503
  return 400
}
