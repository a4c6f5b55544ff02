/**
 * A stub of OpenAI's speech to text API, `POST /openai/v1/audio/transcriptions`, strict about the
 * wire format: Bearer key; `multipart/form-data` with `file` (a file whose name has one of the
 * accepted extensions, at most 25 MB: 413 past it, as OpenAI answers), `model`, `response_format`
 * (json, text, srt, verbose_json, vtt) and `timestamp_granularities[]` (word, segment; only with
 * verbose_json). Errors have OpenAI's shape `{error: {message, type, param, code}}`. The answer
 * is verbose_json: `{task, language, duration, text, words: [{word, start, end}], segments}`.
 * This stub also wants a PCM WAV (our pipeline always sends 16 kHz mono 16-bit) and records
 * each file's format.
 *
 * Control (`/_control/transcription/*`): `POST keys {words?, language?}` → `{apiKey}`: the key
 * "hears" those words (the clip's, on its timeline; see hearing.ts), nothing when left out.
 * `POST keys/:key/script {responses}`: each used once, in order: `{status: 400|429|500|503}`,
 * `{delayMs}` (then the next). `GET keys/:key` → `{calls, requests: [{model, responseFormat,
 * granularities, filename, size, wav}], scriptLeft}`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { readBody, scriptedKeys, sendJson, type ScriptedKey } from './common'
import { Hearing, readWav, type KnownWord } from './hearing'

/** OpenAI's limit on an uploaded file. */
export const MAX_FILE_BYTES = 25 * 1024 * 1024
const FORMATS = ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm']
const RESPONSE_FORMATS = ['json', 'text', 'srt', 'verbose_json', 'vtt']
const LANGUAGE_NAMES: Record<string, string> = { en: 'english', ar: 'arabic', ja: 'japanese', zh: 'chinese', es: 'spanish', fr: 'french', de: 'german', he: 'hebrew' }

type Scripted = { status: 400 | 429 | 500 | 503 } | { delayMs: number }

interface Key extends ScriptedKey<Scripted> {
  hearing: Hearing
  language: string
}

const keys = scriptedKeys<Scripted, Key>({
  name: 'transcription',
  prefix: 'sk-stt',
  make: (apiKey, body) => ({
    apiKey,
    hearing: new Hearing(Array.isArray(body.words) ? (body.words as KnownWord[]) : []),
    language: typeof body.language === 'string' ? body.language : 'en',
    script: [],
    requests: [],
    calls: 0,
  }),
  valid: (r) => ('status' in r && [400, 429, 500, 503].includes(r.status)) || Number.isInteger(r.delayMs),
  allowed: '{status: 400|429|500|503} or {delayMs}',
})

const openAiError = (res: ServerResponse, status: number, message: string, type = 'invalid_request_error', param: string | null = null, code: string | null = null) =>
  sendJson(res, status, { error: { message, type, param, code } })

/** `/_control/transcription/*`: keys, scripts, what was received. Answers undefined for other paths. */
export const transcriptionControl = keys.control

/** Handles `/openai/v1/audio/transcriptions`; answers false for other paths. */
export async function transcriptionStub(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  if (path !== '/v1/audio/transcriptions') return false
  if (req.method !== 'POST') return void openAiError(res, 405, `Method ${req.method} not allowed`), true
  const key = keys.keyOf(req)
  if (!key) return void (req.resume(), openAiError(res, 401, 'Incorrect API key provided.', 'invalid_request_error', null, 'invalid_api_key')), true
  const contentType = req.headers['content-type'] ?? ''
  if (!/^multipart\/form-data;\s*boundary=/i.test(contentType)) return void (req.resume(), openAiError(res, 400, "Invalid Content-Type header (expected multipart/form-data with a boundary).")), true
  const raw = await readBody(req)
  key.calls++
  if (raw.length > MAX_FILE_BYTES) return void openAiError(res, 413, `Maximum content size limit (${MAX_FILE_BYTES}) exceeded (${raw.length} bytes read)`, 'server_error'), true
  let form: FormData
  try {
    form = await new Request('http://stub/', { method: 'POST', headers: { 'content-type': contentType }, body: new Uint8Array(raw) }).formData()
  } catch {
    return void openAiError(res, 400, 'Could not parse multipart form'), true
  }
  const file = form.get('file')
  const model = form.get('model')
  const responseFormat = String(form.get('response_format') ?? 'json')
  const granularities = form.getAll('timestamp_granularities[]').map(String)
  if (!(file instanceof File)) return void openAiError(res, 400, "you must provide a 'file' parameter", 'invalid_request_error', 'file'), true
  if (typeof model !== 'string' || !model) return void openAiError(res, 400, "you must provide a model parameter", 'invalid_request_error', 'model'), true
  const ext = file.name.split('.').pop()?.toLowerCase() ?? ''
  if (!FORMATS.includes(ext)) return void openAiError(res, 400, `Invalid file format. Supported formats: ${JSON.stringify(FORMATS)}`, 'invalid_request_error', 'file'), true
  if (!RESPONSE_FORMATS.includes(responseFormat)) return void openAiError(res, 400, `'${responseFormat}' is not one of ${JSON.stringify(RESPONSE_FORMATS)} - 'response_format'`, 'invalid_request_error', 'response_format'), true
  if (granularities.some((g) => g !== 'word' && g !== 'segment')) return void openAiError(res, 400, `Invalid value for 'timestamp_granularities[]'`, 'invalid_request_error', 'timestamp_granularities'), true
  if (granularities.length && responseFormat !== 'verbose_json') return void openAiError(res, 400, "timestamp_granularities requires response_format=verbose_json", 'invalid_request_error', 'timestamp_granularities'), true
  const bytes = new Uint8Array(await file.arrayBuffer())
  const wav = readWav(bytes)
  key.requests.push({ model, responseFormat, granularities, filename: file.name, size: bytes.length, wav })
  if (typeof wav === 'string') return void openAiError(res, 400, `The audio file could not be decoded or its format is not supported (${wav}).`, 'invalid_request_error', 'file'), true

  const next = await keys.next(key)
  if (next && 'status' in next) {
    if (next.status === 400) return void openAiError(res, 400, 'Audio file might be corrupted or unsupported', 'invalid_request_error', 'file'), true
    if (next.status === 429) return void openAiError(res, 429, 'Rate limit reached for requests', 'requests', null, 'rate_limit_exceeded'), true
    return void openAiError(res, next.status, 'The server had an error while processing your request.', 'server_error'), true
  }
  const words = key.hearing.hear(bytes, wav.durationSec)
  const text = words.map((w) => w.word).join(' ')
  const body = {
    task: 'transcribe',
    language: LANGUAGE_NAMES[key.language] ?? key.language,
    duration: Math.round(wav.durationSec * 100) / 100,
    text,
    ...(granularities.includes('word') ? { words } : {}),
    ...(granularities.length === 0 || granularities.includes('segment')
      ? { segments: words.length ? [{ id: 0, seek: 0, start: words[0].start, end: words.at(-1)!.end, text: ` ${text}`, tokens: [], temperature: 0, avg_logprob: -0.2, compression_ratio: 1.2, no_speech_prob: 0.01 }] : [] }
      : {}),
  }
  if (responseFormat === 'text') return void (res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }), res.end(text)), true
  if (responseFormat !== 'json' && responseFormat !== 'verbose_json') return void (res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }), res.end('')), true
  sendJson(res, 200, responseFormat === 'json' ? { text } : body)
  return true
}
