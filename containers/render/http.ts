/** Small helpers for the render server's plain `node:http` handlers. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { ZodType } from 'zod'
import { BadRequestError, SpecRefusedError, UpstreamError } from './errors.ts'
import { RecipeError } from './recipe/index.ts'
import { redactText } from './recipe/redact.ts'
import { RenderFailedError } from './render-job.ts'

/** Sends a JSON answer. */
/**
 * Logs a failure the server did not expect. Its message may quote FFmpeg, which names the signed
 * URLs it was given: tokens and signatures are masked first (the Container's logs reach Cloudflare).
 */
export function logServerError(error: unknown, write: (line: string) => void = console.error) {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error)
  write(redactText(`render server: ${text}`))
}

export function sendJson(res: ServerResponse, status: number, body: unknown) {
  if (res.headersSent) return
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

const MAX_BODY = 256 * 1024

/** Reads and validates a JSON body; throws BadRequestError with a sentence naming the problem. */
export async function readJson<T>(req: IncomingMessage, schema: ZodType<T>): Promise<T> {
  const type = req.headers['content-type'] ?? ''
  if (!/^application\/json\b/i.test(type)) throw new BadRequestError('Send the request body as JSON (content-type: application/json).')
  let text = ''
  for await (const chunk of req) {
    text += chunk
    if (text.length > MAX_BODY) throw new BadRequestError(`The request body is larger than ${MAX_BODY / 1024} KiB.`)
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new BadRequestError('The request body is not valid JSON.')
  }
  const parsed = schema.safeParse(value)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    const where = issue.path.length ? issue.path.join('.') : 'body'
    throw new BadRequestError(`Invalid ${where}: ${issue.message}.`)
  }
  return parsed.data
}

/** Maps an error to its HTTP answer: the one place that decides status codes. */
export function errorAnswer(error: unknown): { status: number; body: { error: string; code: string; [detail: string]: unknown } } {
  if (error instanceof BadRequestError) return { status: 400, body: { error: error.message, code: 'bad_request' } }
  if (error instanceof SpecRefusedError) return { status: 422, body: { error: error.message, code: error.code, ...error.details } }
  // A MediaError is one too.
  if (error instanceof RecipeError) return { status: 422, body: { error: error.message, code: error.code } }
  if (error instanceof RenderFailedError) return { status: 422, body: { error: error.message, code: 'render_failed' } }
  if (error instanceof UpstreamError) {
    return { status: 502, body: { error: error.message, code: 'upstream', upstreamStatus: error.upstreamStatus } }
  }
  return { status: 500, body: { error: `The render server failed: ${(error as Error)?.message ?? String(error)}`, code: 'internal' } }
}
