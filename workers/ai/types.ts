/**
 * The one interface every AI provider implements, and the errors they raise. A provider takes
 * chat messages and a JSON schema and answers text that should be JSON of that schema; checking
 * it, repairing it, retrying, the breaker and usage are `run.ts`'s, the same for every provider.
 */
export const PROVIDER_NAMES = ['workers-ai', 'openai', 'builtin'] as const
export type ProviderName = (typeof PROVIDER_NAMES)[number]

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

export interface CompletionRequest {
  messages: ChatMessage[]
  /** A name for the output's schema (OpenAI's `json_schema.name`). */
  schemaName: string
  /** The JSON Schema the output must follow (from the task's zod schema). */
  jsonSchema: Record<string, unknown>
  maxTokens: number
  /** Called with each piece of text when the provider streams (OpenAI-compatible `stream: true`). */
  onDelta?: (text: string) => void
}

export interface Usage {
  promptTokens: number
  completionTokens: number
}

export interface Completion {
  /** The answer: JSON text, or an already parsed value (Workers AI's JSON mode may give one). */
  output: string | unknown
  usage: Usage
}

/** A model behind the interface. `id` names the breaker and the coalescing key: one per endpoint and model. */
export interface AiProvider {
  readonly name: Exclude<ProviderName, 'builtin'>
  readonly model: string
  readonly id: string
  complete(request: CompletionRequest, signal: AbortSignal): Promise<Completion>
}

/** A provider answered with an HTTP error (or the binding's equivalent). 429 and 5xx are transient. */
export class ProviderHttpError extends Error {
  constructor(
    readonly provider: string,
    readonly status: number,
    detail: string,
  ) {
    super(`${provider} answered ${status}: ${detail.slice(0, 300)}`)
    this.name = 'ProviderHttpError'
  }

  get transient() {
    return this.status === 429 || this.status >= 500
  }
}

/** What answered a call, as the API and the pages show it. The built-in is never called AI. */
export interface ProviderInfo {
  name: ProviderName
  /** The model, or `built-in templates`. */
  model: string
  /** Words for the page: "Workers AI (model)", "OpenAI-compatible (model)", "Built-in templates" (with `fallback` and `reason` when it stood in). */
  label: string
  /** True when a configured provider failed and the built-in answered instead. */
  fallback: boolean
  /** Why the built-in answered instead (only with `fallback`). */
  reason?: string
}
