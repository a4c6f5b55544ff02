/**
 * POST /ai-assistant/stream `{tool, input}`: the same tools as /ai-assistant/generate, answered as
 * server-sent events while the provider writes (what the assistant page shows as it arrives):
 * - `delta` `{text}`: the next piece of the answer's JSON text, as the provider streams it;
 * - `restart` `{}`: the pieces so far are void (a retry after a failure, or the repair of an invalid answer);
 * - `answer` `{tool, provider, result}`: the checked answer, exactly what the JSON route answers;
 * - `error` a problem (`{status, detail…}`) when the call fails once the stream has begun.
 * Bad input, roles, the rate limit and any failure before the first piece are ordinary problem+json
 * answers. Closing the connection (the page's Stop) cancels the provider call. The built-in and
 * Workers AI (whose JSON mode does not stream) send the answer alone.
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { commonErrors, createRouter, errorResponses, jsonBody, parseInput, security } from '../api/openapi'
import type { AppEnv } from '../env'
import { HttpError, problem } from '../lib/errors'
import { log } from '../lib/log'
import { GenerateBody, runTool, streamHooks, TOOLS, type ToolName } from './routes'
import { StreamCanceled } from './run'

const encoder = new TextEncoder()
const event = (name: string, data: unknown) => encoder.encode(`event: ${name}\ndata: ${JSON.stringify(data)}\n\n`)

/** The problem an error is, as the API's error handler would answer it. */
function problemOf(error: unknown) {
  if (error instanceof HttpError) {
    const { headers: _, ...extra } = error.extra
    return problem(error.status, error.message, extra)
  }
  log.error('ai stream failed', { error: String(error), stack: (error as Error)?.stack })
  return problem(500, 'Something went wrong on our side. It has been logged.')
}

export const aiStreamApi = createRouter().openapi(
  createRoute({
    method: 'post',
    path: '/ai-assistant/stream',
    tags: ['AI assistant'],
    security,
    summary: 'Any tool, streamed as server-sent events while the provider writes',
    description:
      'The body of `/ai-assistant/generate`. Events: `delta` `{text}` (the next piece of the JSON answer), `restart` `{}` (pieces so far are void: a retry or a repair), `answer` `{tool, provider, result}` (the checked answer, as the JSON route gives it), `error` (a problem, once the stream has begun). Errors before the first piece are problem+json answers. Closing the connection cancels the provider call. The built-in and Workers AI (JSON mode does not stream) send `answer` alone.',
    request: { body: jsonBody(GenerateBody) },
    responses: {
      200: { description: 'Server-sent events', content: { 'text/event-stream': { schema: z.string().openapi({ example: 'event: delta\ndata: {"text":"{\\"ideas\\":[{\\"ti"}\n\nevent: answer\ndata: {"tool":"content-ideas",…}\n\n' }) } } },
      ...commonErrors,
      ...errorResponses(409, 502, 503),
    },
  }),
  async (c) => {
    const { tool, input } = c.req.valid('json')
    const body = (parseInput(z.object({ input: TOOLS[tool as ToolName].body as z.ZodType }), { input }) as { input: unknown }).input
    return streamTool(c, tool as ToolName, body)
  },
)

async function streamTool(c: Context<AppEnv>, name: ToolName, body: unknown): Promise<Response> {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>()
  const writer = writable.getWriter()
  const cancel = new AbortController()
  // The page's Stop closes the connection: writes fail, and the request's signal fires where the runtime gives one.
  c.req.raw.signal?.addEventListener('abort', () => cancel.abort())
  const send = (name: string, data: unknown) => {
    if (cancel.signal.aborted) return
    writer.write(event(name, data)).catch(() => cancel.abort())
  }
  let began!: () => void
  const firstPiece = new Promise<'piece'>((resolve) => (began = () => resolve('piece')))
  streamHooks.set(c, {
    onDelta: (text) => {
      send('delta', { text })
      began()
    },
    onRestart: () => send('restart', {}),
    signal: cancel.signal,
  })
  const run = runTool(c, name, body)
  // Until a piece arrives, a failure is an ordinary answer with its status (404, 403, 429, 502…).
  const first = await Promise.race([firstPiece, run.then(() => 'done' as const)])
  if (first === 'done') log.info('ai stream: answered whole', { tool: name })
  const settled = run
    .then((answer) => send('answer', answer))
    .catch((error) => {
      if (error instanceof StreamCanceled || cancel.signal.aborted) return log.info('ai stream stopped', { tool: name })
      send('error', problemOf(error))
    })
    .finally(() => writer.close().catch(() => {}))
  // A stopped stream still records what it spent (ai_usage) after the person has gone.
  try {
    c.executionCtx.waitUntil(settled)
  } catch {
    // No execution context (an in-process call): the promise runs on by itself.
  }
  return new Response(readable, {
    status: 200,
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', 'x-accel-buffering': 'no' },
  })
}
