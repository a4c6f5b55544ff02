import { describe, expect, it } from 'vitest'
import { SecretBox, SecretBoxError } from './secret-box'

const key = () => {
  let binary = ''
  for (const b of crypto.getRandomValues(new Uint8Array(32))) binary += String.fromCharCode(b)
  return btoa(binary)
}

describe('SecretBox', () => {
  it('seals and opens a token; the sealed text does not contain it', async () => {
    const box = new SecretBox(`v1:${key()}`)
    const sealed = await box.seal('ya29.secret-access-token', 'conn_1|ws_1')
    expect(sealed).not.toContain('secret-access-token')
    expect(sealed.startsWith('v1.')).toBe(true)
    expect(await box.open(sealed, 'conn_1|ws_1')).toBe('ya29.secret-access-token')
  })

  it('uses a fresh IV each time', async () => {
    const box = new SecretBox(`v1:${key()}`)
    expect(await box.seal('same', 'ad')).not.toBe(await box.seal('same', 'ad'))
  })

  it('refuses to open with other row ids (a ciphertext moved to another row)', async () => {
    const box = new SecretBox(`v1:${key()}`)
    const sealed = await box.seal('token', 'conn_1|ws_1')
    await expect(box.open(sealed, 'conn_2|ws_1')).rejects.toBeInstanceOf(SecretBoxError)
  })

  it('refuses to open with another key, or after tampering', async () => {
    const sealed = await new SecretBox(`v1:${key()}`).seal('token', 'ad')
    await expect(new SecretBox(`v1:${key()}`).open(sealed, 'ad')).rejects.toBeInstanceOf(SecretBoxError)
    const box = new SecretBox(`v1:${key()}`)
    const good = await box.seal('token', 'ad')
    const [v, iv, ct] = good.split('.')
    const flipped = `${v}.${iv}.${ct[0] === 'A' ? 'B' : 'A'}${ct.slice(1)}`
    await expect(box.open(flipped, 'ad')).rejects.toBeInstanceOf(SecretBoxError)
  })

  it('rotates: the highest version seals, older versions still open', async () => {
    const k1 = key()
    const old = new SecretBox(`v1:${k1}`)
    const sealedOld = await old.seal('old token', 'ad')
    const rotated = new SecretBox(`v1:${k1},v2:${key()}`)
    expect(rotated.version).toBe('v2')
    expect(await rotated.open(sealedOld, 'ad')).toBe('old token')
    expect(rotated.isCurrent(sealedOld)).toBe(false)
    const sealedNew = await rotated.seal('new token', 'ad')
    expect(sealedNew.startsWith('v2.')).toBe(true)
    expect(rotated.isCurrent(sealedNew)).toBe(true)
    await expect(old.open(sealedNew, 'ad')).rejects.toThrow(/v2/)
  })

  it('refuses a missing, malformed or short key', () => {
    expect(() => new SecretBox('')).toThrow(SecretBoxError)
    expect(() => new SecretBox('nope')).toThrow(SecretBoxError)
    expect(() => new SecretBox(`v1:${btoa('short')}`)).toThrow(/32 bytes/)
  })
})
