import { describe, expect, it } from 'vitest'
import { readRenderEvents, RenderEventError, type RenderEvent } from './events.ts'

const encoder = new TextEncoder()
async function* chunks(...parts: string[]) {
  for (const part of parts) yield encoder.encode(part)
}
async function read(...parts: string[]): Promise<RenderEvent[]> {
  const events: RenderEvent[] = []
  for await (const event of readRenderEvents(chunks(...parts))) events.push(event)
  return events
}

const result = { type: 'result', durationSec: 12, size: 1000, width: 1080, height: 1920, sha256: 'ab', contentType: 'video/mp4', cover: { size: 10, width: 1080, height: 1920, contentType: 'image/jpeg' } }

describe('readRenderEvents', () => {
  it('reads events split anywhere across chunks, the last line with or without its newline', async () => {
    const lines = [{ type: 'accepted', durationSec: 12, width: 1080, height: 1920 }, { type: 'stage', stage: 'render' }, { type: 'progress', fraction: 0.5, outTimeSec: 6 }, result].map((e) => JSON.stringify(e))
    const text = lines.join('\n')
    expect(await read(text.slice(0, 7), text.slice(7, 60), text.slice(60))).toEqual(lines.map((l) => JSON.parse(l)))
    expect(await read(`${text}\n`)).toHaveLength(4)
  })

  it('keeps the extra fields of an error (the refused platforms, the upstream status)', async () => {
    const error = { type: 'error', status: 422, code: 'platform_limits', error: 'Too long', problems: [{ platform: 'youtube', code: 'too_long', reason: 'Too long' }] }
    expect(await read(JSON.stringify(error))).toEqual([error])
  })

  it('refuses a line that is not JSON or not a render event, naming it', async () => {
    await expect(read('{"type":"progress","fraction":0.5,"outTimeSec":1}\n{"type":"prog')).rejects.toThrow(RenderEventError)
    await expect(read('{"type":"progress","fraction":"half"}\n')).rejects.toThrow(/does not know: \{"type":"progress"/)
    await expect(read('{"type":"done"}\n')).rejects.toThrow(RenderEventError)
  })
})
