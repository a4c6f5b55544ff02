import { describe, expect, it } from 'vitest'
import { redact } from './transfer.ts'

describe('redact', () => {
  it('drops the query-string signature and any token in the path', () => {
    expect(redact('https://bucket.example/media/a.mp4?X-Amz-Signature=abc')).toBe('https://bucket.example/media/a.mp4')
    const token = `${'e'.repeat(120)}.${'s'.repeat(43)}`
    expect(redact(`http://127.0.0.1:8787/api/storage/${token}`)).toBe('http://127.0.0.1:8787/api/storage/…')
    expect(redact('not a url')).toBe('(invalid URL)')
  })
})
