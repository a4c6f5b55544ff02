/**
 * The assistant page's streamed answers: POST /api/ai-assistant/stream read as server-sent events
 * (delta, restart, answer, error), the text so far shown as it grows (read with `partialJson`),
 * and Stop (aborting the fetch closes the connection, which cancels the provider call).
 */
import { useCallback, useRef, useState } from 'react'
import type { z } from '@hono/zod-openapi'
import type { ProviderInfoSchema } from '../../workers/ai/routes'
import { readEvents } from './sse'

export interface StreamState<R> {
  status: 'idle' | 'streaming' | 'done' | 'stopped' | 'failed'
  /** The answer's JSON text so far (what the provider has written). */
  text: string
  /** The stream's last event: the tool route's answer (its provider schema; `R` the tool's result). */
  answer?: { provider: z.infer<typeof ProviderInfoSchema>; result: R }
  message?: string
}

/** `prefix` (JSON cut anywhere) closed: an open string ended, a dangling `:` given null, brackets closed. */
function closed(prefix: string): string {
  const closers: string[] = []
  let inString = false
  let escaped = false
  for (const ch of prefix) {
    if (inString) {
      if (escaped) escaped = false
      else if (ch === '\\') escaped = true
      else if (ch === '"') inString = false
    } else if (ch === '"') inString = true
    else if (ch === '{') closers.push('}')
    else if (ch === '[') closers.push(']')
    else if (ch === '}' || ch === ']') closers.pop()
  }
  let body = prefix
  if (inString) body = (escaped ? body.slice(0, -1) : body) + '"'
  else if (/:\s*$/.test(body)) body += 'null'
  return body + closers.reverse().join('')
}

/**
 * The value of a JSON text cut anywhere, for showing a draft while it streams: the text closed
 * as it is, or else cut back to one of its last few commas or brackets. Undefined when nothing
 * can be read yet.
 */
export function partialJson(text: string): unknown {
  const cuts = [text.length]
  for (let i = text.length - 1; i >= 0 && cuts.length < 24; i--) {
    if (text[i] === ',') cuts.push(i)
    else if (text[i] === '{' || text[i] === '[') cuts.push(i + 1)
  }
  for (const cut of cuts) {
    try {
      return JSON.parse(closed(text.slice(0, cut)))
    } catch {
      // Try a shorter prefix.
    }
  }
  return undefined
}

/** One streamed tool on the page: `start(tool, input)`, `stop()`, and what has arrived. */
export function useToolStream<R>() {
  const [state, setState] = useState<StreamState<R>>({ status: 'idle', text: '' })
  const controller = useRef<AbortController | null>(null)

  const start = useCallback(async (tool: string, input: Record<string, unknown>) => {
    controller.current?.abort()
    const abort = new AbortController()
    controller.current = abort
    setState({ status: 'streaming', text: '' })
    try {
      const res = await fetch('/api/ai-assistant/stream', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ tool, input }),
        signal: abort.signal,
      })
      if (!res.ok) {
        const problem = (await res.json().catch(() => undefined)) as { detail?: string } | undefined
        setState({ status: 'failed', text: '', message: problem?.detail ?? `The server answered ${res.status}.` })
        return
      }
      await readEvents(res, (event, data) => {
        if (event === 'delta') setState((s) => ({ ...s, text: s.text + data.text }))
        else if (event === 'restart') setState((s) => ({ ...s, text: '' }))
        else if (event === 'answer') setState((s) => ({ ...s, status: 'done', answer: data }))
        else if (event === 'error') setState((s) => ({ ...s, status: 'failed', message: data?.detail ?? 'The answer could not be finished.' }))
      })
      setState((s) => (s.status === 'streaming' ? { ...s, status: 'failed', message: 'The answer stopped before its end.' } : s))
    } catch (error) {
      if (abort.signal.aborted) setState((s) => ({ ...s, status: 'stopped' }))
      else setState((s) => ({ ...s, status: 'failed', message: `The answer could not be read: ${(error as Error).message}` }))
    } finally {
      if (controller.current === abort) controller.current = null
    }
  }, [])

  const stop = useCallback(() => controller.current?.abort(), [])
  return { state, start, stop }
}
