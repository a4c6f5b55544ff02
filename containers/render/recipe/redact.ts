/**
 * What no log line may carry, for the Worker (workers/lib/log.ts) and the render server (its
 * errors name the URLs FFmpeg was given, and its logs reach Cloudflare from the Container).
 * Signed storage URLs carry their grant in the path (`/api/storage/<token>`, valid up to a day).
 */
export const REDACTED = '[redacted]'

// A token is base64url segments joined by dots: it ends at anything else (a colon FFmpeg adds, a quote, a slash).
const STORAGE_TOKEN = /(\/api\/storage\/)[^\s"'?#/\\<>:]+/g

/** `text` with every signed storage token replaced by `[redacted]` (the route stays). */
export const redactStorageTokens = (text: string) => text.replace(STORAGE_TOKEN, `$1${REDACTED}`)

/** Secrets in free text (error messages, bodies): each is masked, keeping what says what it was. */
const SECRET_TEXT: [RegExp, string][] = [
  // Signed or token-bearing query parameters (S3/R2 presigning, OAuth, ours).
  [/([?&](?:x-amz-[a-z-]+|signature|sig|token|access_token|refresh_token|id_token|code|client_secret|key|upload_id|uploadId)=)[^&\s"'#]+/gi, `$1${REDACTED}`],
  [/(\bBearer\s+)[A-Za-z0-9._~+/=-]+/gi, `$1${REDACTED}`],
  [/\brp_[A-Za-z0-9_-]{8,}/g, `rp_${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, `jwt:${REDACTED}`],
  [/(-----BEGIN [A-Z ]*PRIVATE KEY-----)[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----)/g, `$1${REDACTED}$2`],
]

/** Masks secrets in a string. */
export function redactText(text: string): string {
  let out = redactStorageTokens(text)
  for (const [pattern, replacement] of SECRET_TEXT) out = out.replace(pattern, replacement)
  return out
}

