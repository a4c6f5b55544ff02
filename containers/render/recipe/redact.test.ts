/** No log line of the Worker or the render server carries a signed storage token or a signature. */
import { describe, expect, it } from 'vitest'
import { logServerError } from '../http.ts'
import { redactText } from './redact.ts'

const token = 'eyJtIjoibWVkXzEyMyJ9.c2lnbmF0dXJlLW9mLXRoaXMtdXJs'

describe('redaction', () => {
  it('masks the token of a signed storage URL and signed query parameters, keeping the route', () => {
    const line = `[https @ 0x55] HTTP error 403 Forbidden http://127.0.0.1:8787/api/storage/${token} and https://r2.example/b/k?X-Amz-Signature=abc123&X-Amz-Credential=k%2F1&partNumber=2`
    const out = redactText(line)
    expect(out).not.toContain(token)
    expect(out).not.toContain('abc123')
    expect(out).toContain('http://127.0.0.1:8787/api/storage/[redacted]')
    expect(out).toContain('partNumber=2')
  })

  it("the render server's error lines go through it (FFmpeg's errors name the URLs it was given)", () => {
    const lines: string[] = []
    logServerError(new Error(`ffmpeg exited 1: http://localhost:8787/api/storage/${token}: Input/output error`), (l) => lines.push(l))
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^render server: Error: ffmpeg exited 1: http:\/\/localhost:8787\/api\/storage\/\[redacted\]: Input\/output error/)
    expect(lines[0]).not.toContain(token)
  })
})
