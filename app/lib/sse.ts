/**
 * Reads `event:`/`data:` blocks from a server-sent events body, calling `onEvent` with each event's
 * name (`message` when it has none) and its parsed JSON data (null when it has none). An `onEvent`
 * that returns true stops the reading there and cancels the body (as the assistant page's Stop does).
 * Used by the assistant page and by the stream's tests, so both read the stream the same way.
 */
export async function readEvents(res: Response, onEvent: (event: string, data: any) => boolean | void): Promise<void> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader()
  let buffer = ''
  for (;;) {
    const { done, value } = await reader.read()
    buffer += value ?? ''
    let end: number
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const event = /^event: (.+)$/m.exec(block)?.[1] ?? 'message'
      const data = /^data: (.*)$/m.exec(block)?.[1]
      if (onEvent(event, data ? JSON.parse(data) : null) === true) {
        await reader.cancel()
        return
      }
    }
    if (done) return
  }
}
