/**
 * What the render server says while it renders: `POST /render` answers NDJSON, one event a line
 * (containers/render/README.md). The server writes these, and the Worker's render consumer and
 * the benches read them, with this one schema. Pure: no Node or Worker API.
 */
import { z } from 'zod'

/** The stages of a render, in order (loudness only when the source has audio). */
export const RENDER_STAGES = ['loudness', 'render', 'cover', 'upload'] as const
export type RenderStage = (typeof RENDER_STAGES)[number]

/** The finished render, as uploaded: the video and its cover. */
export const renderResultSchema = z.object({
  durationSec: z.number(),
  size: z.number(),
  width: z.number(),
  height: z.number(),
  sha256: z.string(),
  contentType: z.literal('video/mp4'),
  cover: z.object({ size: z.number(), width: z.number(), height: z.number(), contentType: z.literal('image/jpeg') }),
})
export type RenderResult = z.infer<typeof renderResultSchema>

/** One line of the render server's answer; the last one is always `result` or `error`. */
export const renderEventSchema = z.discriminatedUnion('type', [
  /** Every check passed; the render will run with these dimensions. */
  z.object({ type: z.literal('accepted'), durationSec: z.number(), width: z.number(), height: z.number() }),
  /** Every render slot is busy: this render waits at `position`. */
  z.object({ type: z.literal('queued'), position: z.number().int() }),
  z.object({ type: z.literal('stage'), stage: z.enum(RENDER_STAGES) }),
  /** From FFmpeg's -progress: the fraction (0..1) of the render stage done. */
  z.object({ type: z.literal('progress'), fraction: z.number().min(0).max(1), outTimeSec: z.number() }),
  renderResultSchema.extend({ type: z.literal('result') }),
  /** `status` is HTTP-like (422 refused, 502 upstream, 504 timeout); other fields per `code`. */
  z.looseObject({ type: z.literal('error'), status: z.number().int(), code: z.string(), error: z.string() }),
])
export type RenderEvent = z.infer<typeof renderEventSchema>

/** Thrown for a line that is not a render event (the answer is cut or garbled). */
export class RenderEventError extends Error {
  name = 'RenderEventError'
}

/** The events of a render answer as they arrive, each checked against the schema. */
export async function* readRenderEvents(body: AsyncIterable<Uint8Array>): AsyncGenerator<RenderEvent> {
  const decoder = new TextDecoder()
  let buffered = ''
  const parse = (line: string): RenderEvent => {
    let value: unknown
    try {
      value = JSON.parse(line)
    } catch {
      throw new RenderEventError(`The render server sent a line that is not JSON: ${line.slice(0, 200)}`)
    }
    const event = renderEventSchema.safeParse(value)
    if (!event.success) throw new RenderEventError(`The render server sent an event this reader does not know: ${line.slice(0, 200)}`)
    return event.data
  }
  for await (const chunk of body) {
    buffered += decoder.decode(chunk, { stream: true })
    let newline: number
    while ((newline = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, newline).trim()
      buffered = buffered.slice(newline + 1)
      if (line) yield parse(line)
    }
  }
  buffered += decoder.decode()
  if (buffered.trim()) yield parse(buffered.trim())
}
