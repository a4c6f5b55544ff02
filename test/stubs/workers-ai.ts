/**
 * A stand-in for the Workers AI binding (`env.AI`), with the part of its interface Reelpilot uses:
 * `run(model, {messages, response_format: {type: 'json_schema', json_schema}, max_tokens})` →
 * `{response, usage}`, `response` being the parsed object in JSON mode. It checks its input as
 * strictly as the binding (a bad input throws like the binding's `AiError`), throws the binding's
 * errors for scripted faults (`3040: Capacity temporarily exceeded` for 429, an
 * `InferenceUpstreamError` for 5xx), and records every call. Unscripted, it answers a value made
 * from the schema.
 */
import { sampleOf } from './json-sample'

export type StandInAnswer = { fault: 429 | 500 } | { response: unknown } | { text: string }

export class WorkersAiStandIn {
  readonly calls: { model: string; inputs: any }[] = []
  private readonly script: StandInAnswer[] = []

  constructor(answers: StandInAnswer[] = []) {
    this.script.push(...answers)
  }

  queue(...answers: StandInAnswer[]) {
    this.script.push(...answers)
  }

  async run(model: string, inputs: Record<string, any>): Promise<unknown> {
    this.calls.push({ model, inputs: structuredClone(inputs) })
    if (typeof model !== 'string' || !model.startsWith('@cf/')) throw new Error(`5007: No such model ${model} or task`)
    const messages = inputs.messages
    if (!Array.isArray(messages) || !messages.every((m: any) => ['system', 'user', 'assistant'].includes(m?.role) && typeof m.content === 'string'))
      throw new Error('5006: Error: required properties at \'/\' are \'messages\' (or \'prompt\')')
    const format = inputs.response_format
    if (format && (format.type !== 'json_schema' || typeof format.json_schema !== 'object')) throw new Error("5006: Error: 'response_format' must be { type: 'json_schema', json_schema }")
    const next = this.script.shift()
    if (next && 'fault' in next) throw new Error(next.fault === 429 ? '3040: Capacity temporarily exceeded, please try again.' : 'InferenceUpstreamError: 3043: Internal server error')
    const response = next && 'text' in next ? next.text : next && 'response' in next ? next.response : sampleOf(format?.json_schema)
    const prompt = messages.map((m: any) => m.content).join(' ')
    const usage = { prompt_tokens: Math.ceil(prompt.length / 4), completion_tokens: Math.ceil(JSON.stringify(response).length / 4), total_tokens: 0 }
    usage.total_tokens = usage.prompt_tokens + usage.completion_tokens
    return { response, usage }
  }
}
