import { describe, expect, it } from 'vitest'
import { base64, base64url, fromBase64url } from './crypto'

const bytes = (text: string) => new TextEncoder().encode(text)

describe('base64 and base64url', () => {
  it('encode as RFC 4648 says (padded base64; base64url without padding, - and _)', () => {
    expect(['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'].map((t) => base64(bytes(t)))).toEqual(['', 'Zg==', 'Zm8=', 'Zm9v', 'Zm9vYg==', 'Zm9vYmE=', 'Zm9vYmFy'])
    expect(base64(new Uint8Array([0xfb, 0xff]))).toBe('+/8=')
    expect(base64url(new Uint8Array([0xfb, 0xff]))).toBe('-_8')
  })

  it('encode megabytes (a WAV part for Whisper) without overflowing the stack, and decode back', () => {
    const wav = new Uint8Array(3 * 1024 * 1024).map((_, i) => (i * 31) & 0xff)
    const text = base64(wav)
    expect(text).toHaveLength(4 * Math.ceil(wav.length / 3))
    expect(fromBase64url(text)).toEqual(wav)
  })
})
