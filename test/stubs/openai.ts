/**
 * A stub of an OpenAI-compatible chat completions API (`/openai/v1/chat/completions`), strict
 * about the wire format: Bearer key, `model`, `messages` of system/user/assistant strings,
 * `response_format` `json_schema` (with a valid `name` and a `schema` object) or `json_object`,
 * `max_tokens`, and `stream` (server-sent `chat.completion.chunk` events, then `data: [DONE]`,
 * usage in the last chunk with `stream_options.include_usage`). Errors have OpenAI's shape.
 *
 * Each test makes its own key (`POST /_control/ai/keys` → `{apiKey}`) and scripts its answers
 * (`POST /_control/ai/keys/:key/script {responses: [...]}`), each used once, in order:
 * `{status: 429 | 500 | 503}` an error, `{content: "…"}` that exact text (invalid output),
 * `{json: {...}}` that object (either with `chunkDelayMs`: a pause before each streamed chunk),
 * `{delayMs}` answer the next one late. A stream the client closes early counts in `aborted`. Without a script it answers a
 * value it makes from the request's JSON schema. `GET /_control/ai/keys/:key` → the requests
 * received (bodies) and how many chat calls were made; `{rejectJsonSchema: true}` on the key makes
 * the server refuse `json_schema` like one without structured outputs.
 */
import { randomBytes } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { readBody, scriptedKeys, sendJson, type ScriptedKey } from './common'
import { sampleOf } from './json-sample'

type Scripted = { status: number } | { content: string; chunkDelayMs?: number } | { json: unknown; chunkDelayMs?: number } | { delayMs: number }

interface Key extends ScriptedKey<Scripted> {
  /** Streams the client closed before their end. */
  aborted: number
  rejectJsonSchema: boolean
}

const keys = scriptedKeys<Scripted, Key>({
  name: 'ai',
  prefix: 'sk-stub',
  make: (apiKey, body) => ({ apiKey, script: [], requests: [], calls: 0, aborted: 0, rejectJsonSchema: !!body.rejectJsonSchema }),
  valid: (r) =>
    (('status' in r && [429, 500, 502, 503].includes(r.status)) || typeof r.content === 'string' || 'json' in r || Number.isInteger(r.delayMs)) &&
    (r.chunkDelayMs === undefined || Number.isInteger(r.chunkDelayMs)),
  allowed: '{status: 429|500|502|503}, {content}, {json} or {delayMs}',
  report: (key) => ({ aborted: key.aborted }),
})

const openAiError = (res: ServerResponse, status: number, message: string, type = 'invalid_request_error', code: string | null = null) =>
  sendJson(res, status, { error: { message, type, param: null, code } })

/** `/_control/ai/*`: keys, scripts, what was received. Answers undefined for other paths. */
export const openAiControl = keys.control

const ROLES = new Set(['system', 'user', 'assistant'])

/** Why a chat completions body is not one, or undefined. */
function invalidBody(body: any, key: Key): string | undefined {
  if (!body || typeof body !== 'object') return 'We could not parse the JSON body of your request.'
  if (typeof body.model !== 'string' || !body.model) return "you must provide a model parameter"
  if (!Array.isArray(body.messages) || body.messages.length === 0) return "'messages' must be a non-empty array"
  for (const [i, msg] of body.messages.entries()) {
    if (!ROLES.has(msg?.role)) return `Invalid value for 'messages[${i}].role'`
    if (typeof msg.content !== 'string') return `Invalid type for 'messages[${i}].content': expected a string`
  }
  if (body.max_tokens !== undefined && !(Number.isInteger(body.max_tokens) && body.max_tokens > 0)) return "Invalid 'max_tokens'"
  if (body.stream !== undefined && typeof body.stream !== 'boolean') return "Invalid 'stream'"
  const format = body.response_format
  if (format !== undefined) {
    if (format.type === 'json_schema') {
      if (key.rejectJsonSchema) return "Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model."
      if (!/^[a-zA-Z0-9_-]{1,64}$/.test(format.json_schema?.name ?? '')) return "Invalid 'response_format.json_schema.name'"
      if (!format.json_schema.schema || typeof format.json_schema.schema !== 'object') return "Missing 'response_format.json_schema.schema'"
    } else if (format.type !== 'json_object' && format.type !== 'text') return `Invalid value for 'response_format.type': ${JSON.stringify(format.type)}`
  }
  return undefined
}

const words = (text: string) => Math.max(1, Math.ceil(text.length / 4))

/** Handles `/openai/v1/*`; answers false for other paths. */
export async function openAiStub(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
  if (path !== '/v1/chat/completions') return false
  if (req.method !== 'POST') return void openAiError(res, 405, `Method ${req.method} not allowed`), true
  const key = keys.keyOf(req)
  if (!key) return void openAiError(res, 401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key'), true
  if (!/^application\/json/.test(req.headers['content-type'] ?? '')) return void openAiError(res, 400, 'Content-Type must be application/json'), true
  let body: any
  try {
    body = JSON.parse((await readBody(req)).toString())
  } catch {
    return void openAiError(res, 400, 'We could not parse the JSON body of your request.'), true
  }
  key.calls++
  key.requests.push(body)
  const invalid = invalidBody(body, key)
  if (invalid) return void openAiError(res, 400, invalid), true

  const next = await keys.next(key)
  if (next && 'status' in next) {
    if (next.status === 429) return void openAiError(res, 429, 'Rate limit reached for requests', 'requests', 'rate_limit_exceeded'), true
    return void openAiError(res, next.status, 'The server had an error while processing your request.', 'server_error'), true
  }
  const content =
    next && 'content' in next
      ? next.content
      : JSON.stringify(next && 'json' in next ? next.json : body.response_format?.type === 'json_schema' ? sampleOf(body.response_format.json_schema.schema) : { text: 'stub' })
  const usage = { prompt_tokens: words(body.messages.map((m: any) => m.content).join(' ')), completion_tokens: words(content), total_tokens: 0 }
  usage.total_tokens = usage.prompt_tokens + usage.completion_tokens
  const id = `chatcmpl-${randomBytes(9).toString('base64url')}`
  const created = Math.floor(Date.now() / 1000)
  if (body.stream) {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' })
    const chunk = (delta: object, finish: string | null, extra: object = {}) =>
      res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index: 0, delta, finish_reason: finish }], ...extra })}\n\n`)
    chunk({ role: 'assistant', content: '' }, null)
    const pause = next && 'chunkDelayMs' in next ? (next.chunkDelayMs ?? 0) : 0
    let closed = false
    res.on('close', () => {
      if (!res.writableFinished) closed = true
    })
    for (let i = 0; i < content.length; i += 16) {
      if (pause) await new Promise((r) => setTimeout(r, pause))
      // The client went away mid-answer (a cancelled stream): count it and stop writing.
      if (closed) return void key.aborted++, true
      chunk({ content: content.slice(i, i + 16) }, null)
    }
    chunk({}, 'stop')
    if (body.stream_options?.include_usage) res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage })}\n\n`)
    res.end('data: [DONE]\n\n')
    return true
  }
  sendJson(res, 200, {
    id,
    object: 'chat.completion',
    created,
    model: body.model,
    choices: [{ index: 0, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage,
  })
  return true
}
