/**
 * Any OpenAI-compatible chat completions API (OpenAI, Mistral, Groq, Ollama, vLLM…):
 * `POST {AI_BASE_URL}/chat/completions` with `response_format: json_schema`, or, when the server
 * refuses that, once more with `json_object` (the schema is in the instructions either way).
 * With `onDelta` it streams (`stream: true`, server-sent events) and hands each piece over.
 */
import { ProviderHttpError, type AiProvider, type Completion, type CompletionRequest } from '../types'

export interface OpenAiConfig {
  baseUrl: string
  apiKey: string
  model: string
}

interface ChatCompletion {
  choices?: { message?: { content?: string | null }; delta?: { content?: string | null }; finish_reason?: string | null }[]
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null
}

export class OpenAiCompatibleProvider implements AiProvider {
  readonly name = 'openai' as const
  readonly model: string
  readonly id: string
  private readonly url: string

  constructor(private readonly config: OpenAiConfig) {
    this.model = config.model
    this.url = `${config.baseUrl.replace(/\/+$/, '')}/chat/completions`
    this.id = `openai:${config.baseUrl}:${config.model}`
  }

  async complete(request: CompletionRequest, signal: AbortSignal): Promise<Completion> {
    try {
      return await this.post(request, signal, { type: 'json_schema', json_schema: { name: request.schemaName, schema: request.jsonSchema } })
    } catch (error) {
      // Servers without structured outputs say so with a 400 about response_format.
      if (error instanceof ProviderHttpError && error.status === 400 && /response_format|json_schema/i.test(error.message)) {
        return this.post(request, signal, { type: 'json_object' })
      }
      throw error
    }
  }

  private async post(request: CompletionRequest, signal: AbortSignal, responseFormat: unknown): Promise<Completion> {
    const stream = !!request.onDelta
    const res = await fetch(this.url, {
      method: 'POST',
      signal,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.config.apiKey}`, accept: stream ? 'text/event-stream' : 'application/json' },
      body: JSON.stringify({
        model: this.model,
        messages: request.messages,
        response_format: responseFormat,
        max_tokens: request.maxTokens,
        temperature: 0.7,
        ...(stream ? { stream: true, stream_options: { include_usage: true } } : {}),
      }),
    })
    if (!res.ok) throw new ProviderHttpError('OpenAI-compatible API', res.status, await res.text().catch(() => ''))
    if (stream) return readStream(res, request.onDelta!)
    const body = (await res.json()) as ChatCompletion
    return { output: body.choices?.[0]?.message?.content ?? '', usage: usageOf(body) }
  }
}

const usageOf = (body: ChatCompletion) => ({ promptTokens: body.usage?.prompt_tokens ?? 0, completionTokens: body.usage?.completion_tokens ?? 0 })

/** Reads `data: {chunk}` events up to `data: [DONE]`, gathering the content and the final usage. */
async function readStream(res: Response, onDelta: (text: string) => void): Promise<Completion> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  let output = ''
  let usage = { promptTokens: 0, completionTokens: 0 }
  for (;;) {
    const { done, value } = await reader.read()
    if (value) buffer += value
    let end: number
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const event = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const data = event
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trim())
        .join('\n')
      if (!data) continue
      if (data === '[DONE]') return { output, usage }
      const chunk = JSON.parse(data) as ChatCompletion
      const piece = chunk.choices?.[0]?.delta?.content ?? ''
      if (piece) {
        output += piece
        onDelta(piece)
      }
      if (chunk.usage) usage = usageOf(chunk)
    }
    if (done) return { output, usage }
  }
}
