/**
 * Signed, expiring grants to one R2 object: what a presigned S3 URL does, for our own storage
 * route (`/api/storage/{token}`). The token carries the grant in the clear and an HMAC-SHA256 over
 * it, so the route needs no database lookup to know what the bearer may do, and nothing in a
 * grant (method, key, expiry, size, part) can be changed without breaking the signature.
 */
import { base64url, fromBase64url, hmacKey } from './crypto'
import { misconfigured } from './config'
import type { Platform } from '../../containers/render/recipe/vocabulary'

/** The signing secret, or a 503 when the deployment lacks one (a misconfiguration, not a client error). */
export function signingKey(env: Pick<Env, 'UPLOAD_SIGNING_KEY'>): string {
  const key = env.UPLOAD_SIGNING_KEY
  if (!key) throw misconfigured({ setting: 'UPLOAD_SIGNING_KEY', problem: 'UPLOAD_SIGNING_KEY is not set, so no storage link can be signed.' })
  return key
}

export type Grant =
  | {
      /** Upload the original of a media item in one PUT of exactly `size` bytes. */
      op: 'put'
      mediaId: string
      key: string
      size: number
      contentType: string
      exp: number
    }
  | {
      /** Upload part `partNumber` of a multipart upload: exactly `size` bytes. */
      op: 'part'
      mediaId: string
      key: string
      uploadId: string
      partNumber: number
      size: number
      exp: number
    }
  | {
      /** Upload a thumbnail of at most `maxSize` bytes. */
      op: 'thumbnail'
      mediaId: string
      key: string
      maxSize: number
      contentType: string
      exp: number
    }
  | {
      /** Upload a render output (video or cover) of post `postId`, at most `maxSize` bytes. */
      op: 'output'
      postId: string
      key: string
      maxSize: number
      contentType: string
      exp: number
    }
  | {
      /** Upload the sound of ready media item `mediaId` for its transcription (#15): a WAV of at most `maxSize` bytes. */
      op: 'audio'
      mediaId: string
      key: string
      maxSize: number
      exp: number
    }
  | {
      /**
       * A platform fetching a post's render or cover (TikTok PULL_FROM_URL, Instagram video_url):
       * read `key` only while target `platform` of post `postId` is being published (#11 item 9).
       */
      op: 'pull'
      postId: string
      platform: Platform
      key: string
      contentType: string
      exp: number
    }
  | {
      /** Read an object (range requests allowed), served with `contentType`. */
      op: 'get'
      key: string
      contentType: string
      exp: number
    }

const CONTEXT = 'reelpilot-storage-v1'
const encoder = new TextEncoder()

/** Signs a grant; the result is URL-safe. */
export async function signGrant(secret: string, grant: Grant): Promise<string> {
  if (!secret) throw new Error('UPLOAD_SIGNING_KEY is not set')
  const payload = base64url(encoder.encode(JSON.stringify(grant)))
  const mac = await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(`${CONTEXT}.${payload}`))
  return `${payload}.${base64url(new Uint8Array(mac))}`
}

export type VerifyResult = { ok: true; grant: Grant } | { ok: false; reason: 'malformed' | 'bad_signature' | 'expired' }

/** Checks a token's signature (in constant time) and expiry. */
export async function verifyGrant(secret: string, token: string, nowMs = Date.now()): Promise<VerifyResult> {
  const parts = token.split('.')
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { ok: false, reason: 'malformed' }
  let mac: Uint8Array<ArrayBuffer>
  try {
    mac = fromBase64url(parts[1])
  } catch {
    return { ok: false, reason: 'malformed' }
  }
  const valid = await crypto.subtle.verify('HMAC', await hmacKey(secret), mac, encoder.encode(`${CONTEXT}.${parts[0]}`))
  if (!valid) return { ok: false, reason: 'bad_signature' }
  const grant = JSON.parse(new TextDecoder().decode(fromBase64url(parts[0]))) as Grant
  if (!(grant.exp * 1000 > nowMs)) return { ok: false, reason: 'expired' }
  return { ok: true, grant }
}

/** The absolute URL of the storage route for a grant, on the origin the caller reached us at. */
export async function signedUrl(secret: string, origin: string, grant: Grant): Promise<string> {
  return new URL(`/api/storage/${await signGrant(secret, grant)}`, origin).toString()
}

/** Seconds since the epoch, `ms` from now. */
export const expiresIn = (ms: number, nowMs = Date.now()) => Math.floor((nowMs + ms) / 1000)
