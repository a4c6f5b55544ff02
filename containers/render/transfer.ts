/**
 * Moving bytes to and from the signed URLs the Worker hands us. Uploads stream from disk
 * with a Content-Length (presigned S3/R2 PUTs refuse chunked bodies) and never load a
 * whole video into memory.
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { request as httpRequest } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { UpstreamError } from './errors.ts'
import { storageRequest } from './access.ts'

/** Only plain web URLs reach FFmpeg: `file:`, `concat:` and friends would read the container's own disk. */
export function isWebUrl(value: string): boolean {
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:'
  } catch {
    return false
  }
}

/**
 * A URL without its credentials, safe to put in a message or a log: the query string (an S3-style
 * signature) goes, and so does any long path segment (a token in the path, as our storage route's).
 */
export function redact(url: string): string {
  try {
    const u = new URL(url)
    const path = u.pathname
      .split('/')
      .map((segment) => (segment.length > 40 ? '…' : segment))
      .join('/')
    return `${u.origin}${path}`
  } catch {
    return '(invalid URL)'
  }
}

/** Uploads a local file with `PUT url`, streaming it; throws UpstreamError unless storage answers 2xx. */
export async function putFile(url: string, path: string, contentType: string, signal?: AbortSignal, headers: Record<string, string> = {}): Promise<number> {
  const { size } = await stat(path)
  const asked = storageRequest(url)
  const target = new URL(asked.url)
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest
  return new Promise<number>((resolve, reject) => {
    const req = request(
      target,
      { method: 'PUT', headers: { ...headers, ...asked.headers, 'content-type': contentType, 'content-length': String(size) }, signal },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          if (body.length < 2000) body += chunk
        })
        res.on('end', () => {
          const status = res.statusCode ?? 0
          if (status >= 200 && status < 300) return resolve(size)
          const detail = body.trim().slice(0, 300)
          reject(
            new UpstreamError(
              `Uploading to ${redact(url)} failed: storage answered ${status} ${res.statusMessage ?? ''}`.trim() +
                (detail ? ` (${detail})` : '') +
                '.',
              status,
            ),
          )
        })
      },
    )
    req.on('error', (error) => {
      if (signal?.aborted) return reject(signal.reason ?? error)
      reject(new UpstreamError(`Uploading to ${redact(url)} failed: ${error.message}.`))
    })
    createReadStream(path).on('error', reject).pipe(req)
  })
}

/**
 * Reads the first bytes of a source (a Range request; the rest of the body is dropped), so a
 * file FFmpeg cannot open can be told apart: a damaged video still starts like a container.
 */
export async function readHead(url: string, bytes = 64, signal?: AbortSignal): Promise<Uint8Array> {
  let res: Response
  try {
    const asked = storageRequest(url)
    res = await fetch(asked.url, { headers: { ...asked.headers, range: `bytes=0-${bytes - 1}` }, signal })
  } catch (error) {
    throw new UpstreamError(`The source ${redact(url)} could not be fetched: ${(error as Error).message}.`)
  }
  // 416: a range of an empty object cannot be satisfied (S3 and R2 answer so); it is just empty.
  if (res.status === 416) {
    await res.body?.cancel()
    return new Uint8Array(0)
  }
  if (!res.ok) {
    await res.body?.cancel()
    throw new UpstreamError(`The source ${redact(url)} could not be fetched: storage answered ${res.status} ${res.statusText}.`, res.status)
  }
  const out = new Uint8Array(bytes)
  let filled = 0
  const reader = res.body?.getReader()
  if (!reader) return out.subarray(0, 0)
  while (filled < bytes) {
    const { done, value } = await reader.read()
    if (done) break
    const take = Math.min(value.length, bytes - filled)
    out.set(value.subarray(0, take), filled)
    filled += take
  }
  await reader.cancel().catch(() => {})
  return out.subarray(0, filled)
}
