/**
 * Who may use the render server, and what it may fetch. Only the Worker holds the shared secret
 * (`Authorization: Bearer …`, compared in constant time), and only URLs on the Worker's own
 * public origin are fetched or uploaded to: the server never reaches an internal address for
 * someone else. Every FFmpeg input gets the same protocol whitelist and timeouts.
 */
import { createHash, timingSafeEqual } from 'node:crypto'
import { MEDIA_LIMITS, STORAGE_BY_HEADER } from './recipe/vocabulary.ts'

/** Input options for every FFmpeg/ffprobe input that is a URL: web protocols only, and give up on a stalled source. */
// -max_pixels: no decoder opens a frame larger than the media limits allow, whatever the headers said.
export const NETWORK_INPUT = ['-rw_timeout', '30000000', '-protocol_whitelist', 'http,https,tcp,tls,crypto', '-max_pixels', String(MEDIA_LIMITS.maxSidePx * MEDIA_LIMITS.maxSidePx)]

/** A signed storage URL's token: `/api/storage/{token}` on any origin. */
const STORAGE_TOKEN_PATH = /^\/api\/storage\/([^/]+)$/

/**
 * A signed storage URL as the render server asks for it: the token moved from the path into
 * `Authorization: Storage <token>` and the path made `/api/storage/by-header`, so the request URL
 * the Worker's logs (wrangler tail, Logpush, zone logs) record carries no token. Any other URL is
 * asked as it is.
 */
export function storageRequest(value: string): { url: string; headers: Record<string, string> } {
  const url = new URL(value)
  const token = STORAGE_TOKEN_PATH.exec(url.pathname)?.[1]
  if (!token || token === STORAGE_BY_HEADER) return { url: value, headers: {} }
  url.pathname = `/api/storage/${STORAGE_BY_HEADER}`
  return { url: url.href, headers: { authorization: `Storage ${decodeURIComponent(token)}` } }
}

/** An FFmpeg/ffprobe URL input: its options (NETWORK_INPUT, the storage token as a header) and the URL to give `-i`. */
export function networkInput(value: string): { input: string; options: string[] } {
  const { url, headers } = storageRequest(value)
  const lines = Object.entries(headers)
    .map(([name, v]) => `${name}: ${v}\r\n`)
    .join('')
  return { input: url, options: [...NETWORK_INPUT, ...(lines ? ['-headers', lines] : [])] }
}

/** `…options, -i, url` for one URL input (see networkInput). */
export function urlInput(value: string): string[] {
  const { input, options } = networkInput(value)
  return [...options, '-i', input]
}

/** True when `authorization` carries exactly `secret` as a bearer token (constant time). */
export function secretMatches(authorization: string | undefined, secret: string): boolean {
  const given = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1] ?? ''
  // Digests have one length, so timingSafeEqual never throws and the length is not revealed.
  const digest = (s: string) => createHash('sha256').update(s).digest()
  return timingSafeEqual(digest(given), digest(secret)) && given.length > 0
}

/** The origins the server fetches from and uploads to: comma-separated, normalised. */
export function parseOrigins(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => new URL(s).origin)
}

/** True for an http(s) URL on one of `origins`. */
export function onAllowedOrigin(value: string, origins: readonly string[]): boolean {
  try {
    const url = new URL(value)
    return (url.protocol === 'http:' || url.protocol === 'https:') && origins.includes(url.origin) && !url.username && !url.password
  } catch {
    return false
  }
}

/** Where the server listens when nothing says otherwise: this machine only. The container sets HOST=0.0.0.0. */
export function listenHost(env: Record<string, string | undefined> = process.env): string {
  return env.HOST || '127.0.0.1'
}

/**
 * The URL with `localhost` written as 127.0.0.1. The static FFmpeg and ffprobe builds that npm
 * ships (used locally) crash looking a name up (a static glibc cannot load its resolver): seen as
 * ffprobe exiting on SIGSEGV, every upload "damaged", once storage URLs were signed on
 * PUBLIC_URL=http://localhost:…. Loopback by address needs no lookup; any other host is kept.
 */
export function loopbackByAddress(value: string): string {
  const url = new URL(value)
  if (url.hostname !== 'localhost') return value
  url.hostname = '127.0.0.1'
  return url.href
}
