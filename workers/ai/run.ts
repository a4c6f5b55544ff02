/**
 * Runs a task on the configured provider, the same way for every provider and tool:
 * - identical requests in flight (same workspace, provider, task and prompt) share one call;
 * - each attempt has a timeout; 429, 5xx, timeouts and network errors are retried with backoff;
 * - one circuit breaker per provider (endpoint and model): open, or every retry spent, the
 *   built-in answers, marked `fallback` with the reason;
 * - the output is parsed as JSON and checked with the task's zod schema; an invalid answer is
 *   sent back once with what was wrong; invalid again is a 502 problem;
 * - every provider call (and built-in answer) is counted for the workspace (`ai_usage`), a streamed
 *   call the person stopped too (`canceled`, with the tokens used until then, estimated).
 */
import { z } from 'zod'
import type { Db } from '../db/client'
import { HttpError } from '../lib/errors'
import { log } from '../lib/log'
import { CircuitOpenError, Coalescer, TimeoutError, callService, type BreakerOptions } from '../lib/resilience'
import { builtinInfo, providerFor, providerInfo, timeoutOf, type AiSettings } from './config'
import { buildMessages, repairMessages } from './prompt'
import type { AiTask } from './task'
import { ProviderHttpError, type AiProvider, type ChatMessage, type ProviderInfo, type Usage } from './types'
import { recordUsage } from './usage'

export interface AiContext {
  env: AiSettings
  db: Db
  workspaceId: string
  /** Set when a person watches the answer arrive (POST /ai-assistant/stream): the tools pass it on. */
  stream?: StreamHooks
}

/** What a streamed answer needs from a call: its pieces, a word when they start over, and a way to stop it. */
export interface StreamHooks {
  /** Each piece of the answer's text, as the provider streams it (OpenAI-compatible servers do; Workers AI's JSON mode does not). */
  onDelta: (text: string) => void
  /** The pieces so far are void: a retry after a failure mid-answer, or the repair of an invalid answer, starts again. */
  onRestart: () => void
  /** Aborted when the person stops it (or goes away): the provider call is cancelled, nothing is retried. */
  signal: AbortSignal
}

export interface AiResult<O> {
  output: O
  provider: ProviderInfo
}

export interface RunOptions {
  /** Streamed pieces of the answer, when the provider streams. */
  onDelta?: (text: string) => void
  /** Overrides the env's provider (null: the built-in). */
  provider?: AiProvider | null
}

/** Three failed calls of three attempts open it well before a page of requests piles up. */
export const AI_BREAKER: BreakerOptions = { failureThreshold: 5, successThreshold: 1, resetTimeoutMs: 30_000 }

export const isTransientAiError = (error: unknown) =>
  (error instanceof ProviderHttpError && error.transient) || error instanceof TimeoutError || (error instanceof TypeError && /fetch|network|connect/i.test(error.message))

/** Answers are plain data, so one coalescer per isolate may share them between requests. */
const inFlight = new Coalescer()

/** How many calls are in flight in this isolate (tests). */
export const inFlightCalls = () => inFlight.size

export async function runTask<I, O>(ctx: AiContext, task: AiTask<I, O>, input: I, options: RunOptions = {}): Promise<AiResult<O>> {
  let provider: AiProvider | null
  try {
    provider = options.provider !== undefined ? options.provider : providerFor(ctx.env)
  } catch (error) {
    throw new HttpError(503, `The AI provider is misconfigured: ${(error as Error).message}`)
  }
  if (!provider) return builtinAnswer(ctx, task, input)
  const messages = buildMessages(task.instructions(input), task.data(input))
  // A streamed call is its own: its pieces and its cancel belong to the one person watching.
  if (ctx.stream) return callProvider(ctx, provider, task, input, messages, options)
  const key = `${ctx.workspaceId}|${provider.id}|${task.name}|${await digest(JSON.stringify(messages))}`
  const chosen = provider
  return inFlight.run(key, () => callProvider(ctx, chosen, task, input, messages, options))
}

/** The call was stopped by the person streaming it: no retry, no fallback, nothing to answer. */
export class StreamCanceled extends Error {
  constructor() {
    super('The answer was stopped.')
    this.name = 'StreamCanceled'
  }
}

async function builtinAnswer<I, O>(ctx: AiContext, task: AiTask<I, O>, input: I, reason?: string): Promise<AiResult<O>> {
  const output = task.output.parse(await task.builtin(input))
  await recordUsage(ctx.db, { workspaceId: ctx.workspaceId, provider: 'builtin', usage: { promptTokens: 0, completionTokens: 0 }, fallback: !!reason })
  return { output, provider: builtinInfo(reason) }
}

async function callProvider<I, O>(ctx: AiContext, provider: AiProvider, task: AiTask<I, O>, input: I, messages: ChatMessage[], options: RunOptions): Promise<AiResult<O>> {
  const jsonSchema = z.toJSONSchema(task.output, { metadata: z.registry(), target: 'draft-2020-12' }) as Record<string, unknown>
  delete jsonSchema.$schema
  const stream = ctx.stream
  const onDelta = options.onDelta ?? stream?.onDelta
  let attempts = 0
  const call = async (msgs: ChatMessage[]) => {
    const completion = await callService(
      `ai:${provider.id}`,
      (signal) => {
        if (stream?.signal.aborted) throw new StreamCanceled()
        // Every attempt after the first (a retry, the repair) writes its answer from the start.
        if (attempts++ > 0) stream?.onRestart()
        const both = stream ? AbortSignal.any([signal, stream.signal]) : signal
        let streamed = ''
        const onPiece = onDelta && ((text: string) => ((streamed += text), onDelta(text)))
        return provider.complete({ messages: msgs, schemaName: task.name, jsonSchema, maxTokens: task.maxTokens, onDelta: onPiece }, both).catch(async (error) => {
          if (!stream?.signal.aborted) throw error
          // Stopped by the person: the call was made and tokens were spent; the provider's usage comes only at the end, so estimate it.
          await recordUsage(ctx.db, { workspaceId: ctx.workspaceId, provider: provider.name, usage: { promptTokens: estimateTokens(msgs.map((m) => m.content).join('\n')), completionTokens: estimateTokens(streamed) }, canceled: true })
          throw new StreamCanceled()
        })
      },
      { timeoutMs: timeoutOf(ctx.env), maxAttempts: 3, initialDelayMs: 250, maxDelayMs: 4_000, isTransient: isTransientAiError },
      AI_BREAKER,
    )
    await recordUsage(ctx.db, { workspaceId: ctx.workspaceId, provider: provider.name, usage: completion.usage })
    return completion.output
  }
  try {
    const first = check(task.output, await call(messages))
    if (first.ok) return { output: first.value, provider: providerInfo(provider) }
    log.warn('ai output invalid, asking once more', { provider: provider.id, task: task.name, problems: first.problems })
    const second = check(task.output, await call(repairMessages(messages, first.text, first.problems)))
    if (second.ok) return { output: second.value, provider: providerInfo(provider) }
    throw new HttpError(502, `The AI provider (${providerInfo(provider).label}) answered twice with output that does not follow the ${task.name} schema: ${second.problems}`, { provider: providerInfo(provider) })
  } catch (error) {
    if (error instanceof HttpError || error instanceof StreamCanceled) throw error
    if (error instanceof CircuitOpenError) return builtinAnswer(ctx, task, input, `${providerInfo(provider).label} is failing; calls are paused for ${Math.ceil(error.retryAfterMs / 1000)} s`)
    if (isTransientAiError(error)) return builtinAnswer(ctx, task, input, `${providerInfo(provider).label} did not answer: ${(error as Error).message}`)
    log.warn('ai provider refused', { provider: provider.id, task: task.name, error: String(error) })
    throw new HttpError(502, `The AI provider (${providerInfo(provider).label}) refused the request: ${(error as Error).message}`, { provider: providerInfo(provider) })
  }
}

type Checked<O> = { ok: true; value: O } | { ok: false; text: string; problems: string }

/** JSON (a code fence around it is tolerated) checked against the schema. */
function check<O>(schema: z.ZodType<O>, output: unknown): Checked<O> {
  let value = output
  const text = typeof output === 'string' ? output : JSON.stringify(output)
  if (typeof output === 'string') {
    const unfenced = output.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/i, '$1')
    try {
      value = JSON.parse(unfenced)
    } catch {
      return { ok: false, text, problems: 'the answer is not JSON' }
    }
  }
  const parsed = schema.safeParse(value)
  if (parsed.success) return { ok: true, value: parsed.data }
  return { ok: false, text, problems: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ') }
}

/** About 4 characters a token (OpenAI's rule of thumb), for calls that end before the provider reports its usage. */
export const estimateTokens = (text: string) => Math.ceil(text.length / 4)

async function digest(text: string) {
  const hash = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

export type { Usage }
