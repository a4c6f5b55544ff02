/**
 * Encryption at rest for secrets in D1 (OAuth tokens): AES-256-GCM with a key derived (HKDF-SHA256)
 * from `TOKEN_ENCRYPTION_KEY`, and the row's ids as additional data, so a ciphertext copied to
 * another row does not open.
 *
 * `TOKEN_ENCRYPTION_KEY` holds one or more versioned secrets: `v1:<base64>` or
 * `v1:<base64>,v2:<base64>`. The highest version seals; every listed version opens. To rotate, add
 * a version, deploy, and re-seal rows as they are next written (`SecretBox.isCurrent`).
 * A sealed value reads `<version>.<iv>.<ciphertext>` (base64url).
 */

import { base64url, derivedKey, fromBase64url } from './crypto'

const encoder = new TextEncoder()
const decoder = new TextDecoder()
const INFO = 'reelpilot-secret-box-v1'

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'SecretBoxError'
  }
}

/** One version of a versioned secret: `v2:<base64>` is version `v2`, number 2. */
export interface VersionedSecret {
  version: string
  number: number
  secret: Uint8Array<ArrayBuffer>
}

interface VersionedKey extends VersionedSecret {
  key: Promise<CryptoKey>
}

/** Parses `v1:<base64>[,v2:<base64>…]`; each secret must be at least 32 bytes. */
export function parseVersionedSecrets(config: string): VersionedSecret[] {
  const entries = config
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  if (entries.length === 0) throw new SecretBoxError('TOKEN_ENCRYPTION_KEY is not set (expected v1:<base64 of 32+ random bytes>)')
  return entries.map((entry) => {
    const match = /^v(\d+):(.+)$/.exec(entry)
    if (!match) throw new SecretBoxError('TOKEN_ENCRYPTION_KEY entries must look like v1:<base64>')
    let secret: Uint8Array<ArrayBuffer>
    try {
      secret = fromBase64url(match[2])
    } catch {
      throw new SecretBoxError(`TOKEN_ENCRYPTION_KEY v${match[1]} is not base64`)
    }
    if (secret.length < 32) throw new SecretBoxError(`TOKEN_ENCRYPTION_KEY v${match[1]} must be at least 32 bytes`)
    return { version: `v${match[1]}`, number: Number(match[1]), secret }
  })
}

/** The highest version of a versioned secret: the one new values are sealed or signed with. */
export function currentSecret(config: string): VersionedSecret {
  return parseVersionedSecrets(config).reduce((a, b) => (b.number > a.number ? b : a))
}

/** Seals and opens short secrets with a versioned AES-GCM key. */
export class SecretBox {
  private readonly keys: Map<string, VersionedKey>
  private readonly current: VersionedKey

  constructor(config: string) {
    const parsed = parseVersionedSecrets(config).map((s) => ({ ...s, key: derivedKey(s.secret, INFO, { name: 'AES-GCM', length: 256 }, ['encrypt', 'decrypt']) }))
    this.keys = new Map(parsed.map((k) => [k.version, k]))
    this.current = parsed.reduce((a, b) => (b.number > a.number ? b : a))
  }

  /** The version new values are sealed with. */
  get version() {
    return this.current.version
  }

  /** Encrypts `plaintext`, bound to `associatedData` (the row's ids). */
  async seal(plaintext: string, associatedData: string): Promise<string> {
    const iv = crypto.getRandomValues(new Uint8Array(12))
    const ciphertext = await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: encoder.encode(associatedData) },
      await this.current.key,
      encoder.encode(plaintext),
    )
    return `${this.current.version}.${base64url(iv)}.${base64url(new Uint8Array(ciphertext))}`
  }

  /** Decrypts a sealed value; throws SecretBoxError if the key, the data or the row ids don't match. */
  async open(sealed: string, associatedData: string): Promise<string> {
    const [version, iv, ciphertext, extra] = sealed.split('.')
    if (!version || !iv || !ciphertext || extra !== undefined) throw new SecretBoxError('not a sealed value')
    const key = this.keys.get(version)
    if (!key) throw new SecretBoxError(`sealed with key ${version}, which is not configured`)
    try {
      const plain = await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: fromBase64url(iv), additionalData: encoder.encode(associatedData) },
        await key.key,
        fromBase64url(ciphertext),
      )
      return decoder.decode(plain)
    } catch {
      throw new SecretBoxError('the sealed value does not open with this key and these ids')
    }
  }

  /** Whether a sealed value uses the current key version (else re-seal it on the next write). */
  isCurrent(sealed: string): boolean {
    return sealed.startsWith(`${this.current.version}.`)
  }
}

const boxes = new Map<string, SecretBox>()
/** The SecretBox for a configuration, made once per isolate. */
export function secretBox(config: string): SecretBox {
  let box = boxes.get(config)
  if (!box) {
    box = new SecretBox(config)
    boxes.set(config, box)
  }
  return box
}
