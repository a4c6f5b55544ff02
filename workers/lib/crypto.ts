/**
 * Hashing, encoding and key helpers on WebCrypto (available in workerd and Node alike): the one
 * base64 / base64url codec and the one cache of imported keys every signer and sealer uses.
 */

const encoder = new TextEncoder()

export async function sha256Hex(input: string | ArrayBuffer | Uint8Array<ArrayBuffer>): Promise<string> {
  const data = typeof input === 'string' ? encoder.encode(input) : input
  const digest = await crypto.subtle.digest('SHA-256', data)
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

/** Bytes as base64 (RFC 4648 §4, padded), in chunks so megabytes of audio do not overflow the call stack. */
export function base64(bytes: Uint8Array): string {
  let binary = ''
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(binary)
}

/** Bytes as base64url, without padding (RFC 4648 §5). */
export function base64url(bytes: Uint8Array): string {
  return base64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

/** The bytes of base64url or plain base64 text; throws on anything else. */
export function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
  const out = new Uint8Array(binary.length)
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i)
  return out
}

/** Text as base64url (UTF-8). */
export const textToBase64url = (text: string) => base64url(encoder.encode(text))
/** base64url text back to text (UTF-8); throws when it is not base64url. */
export const base64urlToText = (text: string) => new TextDecoder().decode(fromBase64url(text))

/** A URL-safe random secret of `byteLength` random bytes. */
export function randomSecret(byteLength = 32): string {
  return base64url(crypto.getRandomValues(new Uint8Array(byteLength)))
}

const keys = new Map<string, Promise<CryptoKey>>()
/** A key made once per isolate for `id` (importing and deriving keys is slow, and keys never change). */
export function cachedKey(id: string, make: () => Promise<CryptoKey>): Promise<CryptoKey> {
  let key = keys.get(id)
  if (!key) {
    key = make()
    keys.set(id, key)
  }
  return key
}

/** The HMAC-SHA256 key of a text secret, imported once. */
export function hmacKey(secret: string): Promise<CryptoKey> {
  return cachedKey(`hmac:${secret}`, () => crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']))
}

/** A key derived with HKDF-SHA256 from secret bytes, for one purpose (`info`): made once per secret and purpose. */
export function derivedKey(secret: Uint8Array<ArrayBuffer>, info: string, algorithm: HmacImportParams | AesKeyGenParams, usages: KeyUsage[]): Promise<CryptoKey> {
  return cachedKey(`hkdf:${info}:${base64url(secret)}`, () =>
    crypto.subtle
      .importKey('raw', secret, 'HKDF', false, ['deriveKey'])
      .then((ikm) => crypto.subtle.deriveKey({ name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: encoder.encode(info) }, ikm, algorithm, false, usages)),
  )
}
