/**
 * Workers AI through the `AI` binding: `env.AI.run(model, {messages, response_format})` with
 * JSON mode (`json_schema`). The binding throws plain errors; capacity and rate errors become 429,
 * upstream and internal ones 503 (both retried), anything else 400.
 */
import { ProviderHttpError, type AiProvider, type Completion, type CompletionRequest } from '../types'

/** The part of the binding's interface we use (tests pass a stand-in with the same shape). */
export interface AiBinding {
  run(model: string, inputs: Record<string, unknown>, options?: Record<string, unknown>): Promise<unknown>
}

interface TextGenerationOutput {
  response?: unknown
  usage?: { prompt_tokens?: number; completion_tokens?: number }
}

export class WorkersAiProvider implements AiProvider {
  readonly name = 'workers-ai' as const
  readonly id: string

  constructor(
    private readonly binding: AiBinding,
    readonly model: string,
  ) {
    this.id = `workers-ai:${model}`
  }

  async complete(request: CompletionRequest, signal: AbortSignal): Promise<Completion> {
    let out: TextGenerationOutput
    try {
      const run = this.binding.run(this.model, {
        messages: request.messages,
        response_format: { type: 'json_schema', json_schema: request.jsonSchema },
        max_tokens: request.maxTokens,
      }) as Promise<TextGenerationOutput>
      // The binding takes no AbortSignal: stop waiting when the budget is spent.
      out = await Promise.race([run, new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }))])
    } catch (error) {
      if (signal.aborted) throw signal.reason
      const message = error instanceof Error ? error.message : String(error)
      throw new ProviderHttpError('Workers AI', statusOf(message), message)
    }
    return { output: out?.response ?? '', usage: { promptTokens: out?.usage?.prompt_tokens ?? 0, completionTokens: out?.usage?.completion_tokens ?? 0 } }
  }
}

function statusOf(message: string): number {
  if (/\b(429|3040|3036)\b|capacity|rate.?limit|too many/i.test(message)) return 429
  if (/\b5\d\d\b|upstream|internal|unavailable|timed? ?out/i.test(message)) return 503
  return 400
}
