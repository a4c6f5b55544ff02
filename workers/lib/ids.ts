/** Random, prefixed identifiers (`ws_…`, `prj_…`): readable in logs and URLs, unguessable. */
export function newId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12))
  return `${prefix}_${toBase32(bytes)}`
}

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'

function toBase32(bytes: Uint8Array): string {
  let bits = 0
  let value = 0
  let out = ''
  for (const byte of bytes) {
    value = (value << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31]
  return out
}
