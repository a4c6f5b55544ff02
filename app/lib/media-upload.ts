/**
 * The browser's uploader for the library page: asks the API (same origin, the session cookie) for
 * signed URLs, sends the bytes straight to them with XHR (for real progress), and completes.
 * Files over 100 MB go in parts, several at a time; a dropped connection is retried with backoff
 * and resumed from the parts the server says it holds, even after a reload (the upload id is
 * remembered per file in localStorage).
 */
import type { z } from '@hono/zod-openapi'
import type { MediaSchema } from '../../workers/media/routes'
import { ACCEPTED_TYPES, SINGLE_UPLOAD_MAX_BYTES } from '../../workers/domain/media'
import { parseJsonOrUndefined } from '../../workers/lib/json'

export type Media = z.infer<typeof MediaSchema>
export { formatBytes } from '../../workers/domain/media'
/** The file picker's filter: the accepted types, and their usual extensions for systems that go by name. */
export const ACCEPT = [...ACCEPTED_TYPES, '.mp4', '.mov', '.webm', '.jpg', '.jpeg', '.png'].join(',')
/** The library page's filters. */
export const STATUS_FILTERS = ['ready', 'processing', 'uploading', 'rejected'] as const
export const TYPE_FILTERS = ['video', 'image'] as const
const PARALLEL_PARTS = 3
const MAX_QUIET_FAILURES = 8

export interface Progress {
  loaded: number
  total: number
  /** Bytes per second over the last few seconds. */
  rate: number
  /** Seconds left at that rate; null until there is a rate. */
  secondsLeft: number | null
}

export type Phase = 'starting' | 'uploading' | 'reconnecting' | 'checking' | 'done' | 'failed' | 'cancelled'

export interface UploadUpdate {
  phase?: Phase
  progress?: Progress
  mediaId?: string
  media?: Media
  message?: string
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body?: any,
  ) {
    super(message)
  }
}

async function api<T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(`/api${path}`, {
    method: init.method ?? 'GET',
    credentials: 'same-origin',
    headers: init.body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
  const text = await res.text()
  const body: any = parseJsonOrUndefined(text)
  if (!res.ok) throw new ApiError(res.status, body?.detail ?? `The server answered ${res.status}.`, body)
  return body as T
}

/** A network failure (not an answer from the server): worth retrying. */
class NetworkError extends Error {}

/** PUTs a blob with XHR, reporting bytes sent. */
function xhrPut(url: string, body: Blob, onProgress: (loaded: number) => void, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('PUT', url)
    xhr.upload.onprogress = (e) => onProgress(e.loaded)
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(body.size)
        return resolve()
      }
      let detail = `The upload was refused (${xhr.status}).`
      try {
        detail = JSON.parse(xhr.responseText).detail ?? detail
      } catch {}
      // 5xx and an interrupted body are worth another go; anything else is final.
      if (xhr.status >= 500 || xhr.status === 400) reject(new NetworkError(detail))
      else reject(new ApiError(xhr.status, detail))
    }
    xhr.onerror = () => reject(new NetworkError('The connection dropped.'))
    xhr.ontimeout = () => reject(new NetworkError('The connection timed out.'))
    const abort = () => xhr.abort()
    signal.addEventListener('abort', abort, { once: true })
    xhr.onabort = () => reject(signal.reason ?? new DOMException('Cancelled', 'AbortError'))
    xhr.send(body)
  })
}

/** Bytes per second over a sliding window of recent samples. */
class RateMeter {
  private samples: [number, number][] = []
  constructor(private windowMs = 4000) {}
  push(loaded: number, now = performance.now()) {
    this.samples.push([now, loaded])
    while (this.samples.length > 2 && now - this.samples[0][0] > this.windowMs) this.samples.shift()
  }
  rate(): number {
    if (this.samples.length < 2) return 0
    const [t0, b0] = this.samples[0]
    const [t1, b1] = this.samples[this.samples.length - 1]
    return t1 > t0 ? Math.max(0, ((b1 - b0) * 1000) / (t1 - t0)) : 0
  }
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms)
    signal.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true })
  })

const resumeKey = (projectId: string, file: File) => `reelpilot:upload:${projectId}:${file.name}:${file.size}:${file.lastModified}`

/**
 * Uploads one file into a project's library and completes it; answers the media (ready or
 * rejected). `onUpdate` receives every change of phase and progress.
 */
export async function uploadFile(projectId: string, file: File, onUpdate: (u: UploadUpdate) => void, signal: AbortSignal): Promise<Media> {
  const meter = new RateMeter()
  let lastReport = 0
  const report = (loaded: number, force = false) => {
    meter.push(loaded)
    const now = performance.now()
    if (!force && now - lastReport < 150) return
    lastReport = now
    const rate = meter.rate()
    onUpdate({ progress: { loaded, total: file.size, rate, secondsLeft: rate > 0 ? (file.size - loaded) / rate : null } })
  }
  const contentType = file.type || guessType(file.name)
  onUpdate({ phase: 'starting', progress: { loaded: 0, total: file.size, rate: 0, secondsLeft: null } })

  let mediaId: string
  if (file.size <= SINGLE_UPLOAD_MAX_BYTES) {
    const started = await api<{ mediaId: string; uploadUrl: string }>('/media/upload-url', { method: 'POST', body: { projectId, filename: file.name, contentType, size: file.size } })
    mediaId = started.mediaId
    onUpdate({ mediaId, phase: 'uploading' })
    await withRetries(signal, onUpdate, async () => {
      await xhrPut(started.uploadUrl, file, report, signal)
    })
  } else {
    mediaId = await uploadParts(projectId, file, contentType, report, onUpdate, signal)
  }
  report(file.size, true)
  onUpdate({ phase: 'checking' })
  const media = await withRetries(signal, onUpdate, () => complete(mediaId))
  localStorage.removeItem(resumeKey(projectId, file))
  onUpdate({ phase: 'done', media })
  return media
}

async function complete(mediaId: string): Promise<Media> {
  try {
    return await api<Media>(`/media/${mediaId}/complete`, { method: 'POST' })
  } catch (error) {
    // The checker is busy or down: the media waits in `processing`; asking again resumes.
    if (error instanceof ApiError && error.status === 503) throw new NetworkError(error.message)
    // Refused (422): the problem carries the rejected item, which the list shows with its reason.
    const refused = error instanceof ApiError && error.status === 422 ? (error.body as { media?: Media } | undefined)?.media : undefined
    if (refused) return refused
    throw error
  }
}

/** Runs `step` until it succeeds, retrying network failures with growing pauses. */
async function withRetries<T>(signal: AbortSignal, onUpdate: (u: UploadUpdate) => void, step: () => Promise<T>): Promise<T> {
  for (let failures = 0; ; failures++) {
    try {
      const result = await step()
      return result
    } catch (error) {
      if (!(error instanceof NetworkError) || failures >= MAX_QUIET_FAILURES || signal.aborted) throw error
      const wait = Math.min(30, 2 ** failures)
      onUpdate({ phase: 'reconnecting', message: `${error.message} Retrying in ${wait} s…` })
      await sleep(wait * 1000, signal)
      onUpdate({ phase: 'uploading', message: undefined })
    }
  }
}

async function uploadParts(
  projectId: string,
  file: File,
  contentType: string,
  report: (loaded: number, force?: boolean) => void,
  onUpdate: (u: UploadUpdate) => void,
  signal: AbortSignal,
): Promise<string> {
  const key = resumeKey(projectId, file)
  let plan: { mediaId: string; partSize: number; partCount: number } | undefined
  const remembered = localStorage.getItem(key)
  if (remembered) {
    try {
      const listed = await api<{ partSize: number; partCount: number; missing: number[] }>(`/media/${remembered}/parts`)
      plan = { mediaId: remembered, partSize: listed.partSize, partCount: listed.partCount }
    } catch {
      localStorage.removeItem(key)
    }
  }
  if (!plan) {
    plan = await api<{ mediaId: string; partSize: number; partCount: number }>('/media/multipart', { method: 'POST', body: { projectId, filename: file.name, contentType, size: file.size } })
    localStorage.setItem(key, plan.mediaId)
  }
  const { mediaId, partSize, partCount } = plan
  onUpdate({ mediaId, phase: 'uploading' })
  const partSizeOf = (n: number) => (n < partCount ? partSize : file.size - partSize * (partCount - 1))

  let stalled = 0
  for (;;) {
    // What the server holds is the truth: after a drop, only the missing parts go again.
    const listed = await api<{ missing: number[] }>(`/media/${mediaId}/parts`)
    const done = new Set(Array.from({ length: partCount }, (_, i) => i + 1).filter((n) => !listed.missing.includes(n)))
    const inFlight = new Map<number, number>()
    const loaded = () => [...done].reduce((s, n) => s + partSizeOf(n), 0) + [...inFlight.values()].reduce((s, b) => s + b, 0)
    report(loaded(), true)
    if (listed.missing.length === 0) return mediaId

    const urls = new Map<number, string>()
    for (let i = 0; i < listed.missing.length; i += 100) {
      const got = await api<{ parts: { partNumber: number; uploadUrl: string }[] }>(`/media/${mediaId}/parts`, { method: 'POST', body: { partNumbers: listed.missing.slice(i, i + 100) } })
      for (const p of got.parts) urls.set(p.partNumber, p.uploadUrl)
    }
    const queue = [...listed.missing]
    let failure: unknown
    const worker = async () => {
      for (let n = queue.shift(); n !== undefined && !failure; n = queue.shift()) {
        const start = (n - 1) * partSize
        inFlight.set(n, 0)
        try {
          await xhrPut(urls.get(n)!, file.slice(start, start + partSizeOf(n)), (b) => (inFlight.set(n, b), report(loaded())), signal)
          inFlight.delete(n)
          done.add(n)
          stalled = 0
        } catch (error) {
          inFlight.delete(n)
          failure ??= error
        }
      }
    }
    await Promise.all(Array.from({ length: Math.min(PARALLEL_PARTS, queue.length) }, worker))
    if (!failure) continue
    if (!(failure instanceof NetworkError) || signal.aborted || ++stalled > MAX_QUIET_FAILURES) throw failure
    const wait = Math.min(30, 2 ** (stalled - 1))
    onUpdate({ phase: 'reconnecting', message: `${(failure as Error).message} Resuming in ${wait} s…` })
    // The server may be unreachable for a while: keep asking until it answers.
    await sleep(wait * 1000, signal)
    onUpdate({ phase: 'uploading', message: undefined })
  }
}

/** Cancels an upload on the server (bytes and record). */
export async function abortUpload(mediaId: string, projectId: string, file: File) {
  localStorage.removeItem(resumeKey(projectId, file))
  await api(`/media/${mediaId}/abort`, { method: 'POST' }).catch(() => {})
}

function guessType(name: string): string {
  const ext = name.toLowerCase().split('.').pop()
  return { mp4: 'video/mp4', m4v: 'video/mp4', mov: 'video/quicktime', webm: 'video/webm', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png' }[ext ?? ''] ?? 'application/octet-stream'
}

/** "0:07", "12:30", "1:02:03". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return ''
  const s = Math.round(seconds)
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = String(s % 60).padStart(2, '0')
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`
}

/** "8 s left", "3 min left". */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return 'estimating…'
  if (seconds < 60) return `${Math.ceil(seconds)} s left`
  if (seconds < 3600) return `${Math.ceil(seconds / 60)} min left`
  return `${(seconds / 3600).toFixed(1)} h left`
}
