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
import { Hearing, readWav, type KnownWord, type WavInfo } from './hearing'

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

/**
 * A stand-in for the `AI` binding running Whisper (`@cf/openai/whisper`, `-tiny-en`): `run(model,
 * {audio: number[]})` with the bytes as integers 0..255 (anything else throws the binding's
 * `5006` input error), answering `{text, word_count, words: [{word, start, end}], vtt}` for the
 * words it "hears" (hearing.ts: the clip's known words, part by part). Scripted faults as above.
 */
export class WhisperStandIn {
  readonly calls: { model: string; bytes: number; wav: WavInfo | string }[] = []
  private readonly hearing: Hearing
  private readonly faults: (429 | 500)[] = []

  constructor(words: KnownWord[] = []) {
    this.hearing = new Hearing(words)
  }

  fail(...faults: (429 | 500)[]) {
    this.faults.push(...faults)
  }

  async run(model: string, inputs: Record<string, any>): Promise<unknown> {
    if (model !== '@cf/openai/whisper' && model !== '@cf/openai/whisper-tiny-en') throw new Error(`5007: No such model ${model} or task`)
    const audio = inputs?.audio
    if (!Array.isArray(audio) || audio.length === 0) throw new Error("5006: Error: required properties at '/' are 'audio'")
    if (!audio.every((n) => Number.isInteger(n) && n >= 0 && n <= 255)) throw new Error("5006: Error: '/audio/0' must be an integer between 0 and 255")
    const bytes = Uint8Array.from(audio)
    const wav = readWav(bytes)
    this.calls.push({ model, bytes: bytes.length, wav })
    const fault = this.faults.shift()
    if (fault) throw new Error(fault === 429 ? '3040: Capacity temporarily exceeded, please try again.' : 'InferenceUpstreamError: 3043: Internal server error')
    if (typeof wav === 'string') throw new Error(`5006: Error: the audio could not be decoded (${wav})`)
    const words = this.hearing.hear(bytes, wav.durationSec)
    const stamp = (s: number) => new Date(s * 1000).toISOString().slice(11, 23)
    return {
      text: words.map((w) => w.word).join(' '),
      word_count: words.length,
      words,
      vtt: `WEBVTT\n\n${words.map((w) => `${stamp(w.start)} --> ${stamp(w.end)}\n${w.word}`).join('\n\n')}\n`,
    }
  }
}
