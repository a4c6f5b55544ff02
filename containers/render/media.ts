/**
 * Probing and thumbnails. FFmpeg reads the source straight from its signed URL (HTTP range
 * requests), so nothing here ever holds a whole file in memory.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { urlInput } from './access.ts'
import { MediaError, UpstreamError } from './errors.ts'
import { runProcess, type RunResult } from './process.ts'
import { putFile, readHead, redact } from './transfer.ts'
import { MEDIA_LIMITS } from './recipe/vocabulary.ts'

/** What the media library stores about a clip. */
export interface ProbeResult {
  durationSec: number
  width: number
  height: number
  fps: number
  videoCodec: string
  audioCodec: string | null
  hasAudio: boolean
  formatName: string
  /** Bits per second over the whole file; null when the container does not say (e.g. a PNG). */
  bitRate: number | null
  /** True for a still image (PNG, JPEG, WebP...): durationSec is then 0. */
  isImage: boolean
}

export interface Tools {
  ffmpeg: string
  ffprobe: string
  /** Where temp folders go; default the OS temp folder. */
  tempDir?: string
}


const IMAGE_FORMATS = /(^|,)(image2|[a-z0-9]+_pipe)(,|$)/
const IMAGE_CODECS = new Set(['png', 'mjpeg', 'webp', 'bmp', 'tiff', 'jpegls', 'jpeg2000', 'qoi'])

interface FfprobeStream {
  codec_type?: string
  codec_name?: string
  width?: number
  height?: number
  avg_frame_rate?: string
  r_frame_rate?: string
  duration?: string
  tags?: Record<string, string>
  side_data_list?: Array<{ rotation?: number }>
  disposition?: { attached_pic?: number }
}
interface FfprobeOutput {
  streams?: FfprobeStream[]
  format?: { format_name?: string; duration?: string; bit_rate?: string; size?: string }
}

function rate(value: string | undefined): number {
  if (!value) return 0
  const [num, den] = value.split('/').map(Number)
  if (!den || !Number.isFinite(num)) return 0
  return Math.round((num / den) * 1000) / 1000
}

/** Turns FFmpeg's stderr about an unreachable source into a 502-worthy error, or null if it is about the media. */
export function upstreamFromStderr(stderr: string, url: string): UpstreamError | null {
  const http = /Server returned (\d{3})\s*([^\r\n]*)/.exec(stderr) ?? /HTTP error (\d{3})\s*([^\r\n]*)/.exec(stderr)
  if (http) {
    const status = Number(http[1])
    return new UpstreamError(`The source ${redact(url)} could not be fetched: storage answered ${status} ${http[2].trim()}.`, status)
  }
  const net = /(Connection refused|Failed to resolve hostname[^\r\n]*|Connection timed out|Network is unreachable|No route to host|Operation timed out|Connection reset by peer|Protocol not on whitelist[^\r\n]*)/.exec(
    stderr,
  )
  if (net) return new UpstreamError(`The source ${redact(url)} could not be fetched: ${net[1]}.`)
  return null
}

/** The bytes `from`..`to` of a file's head read as ASCII (for magic numbers). */
function ascii(head: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...head.subarray(from, to))
}

// Containers whose first bytes we recognise: if FFmpeg cannot open a file that starts like one
// of these, the file is a damaged video rather than something else renamed.
function looksLikeMediaContainer(head: Uint8Array): boolean {
  if (head.length >= 8 && ['ftyp', 'moov', 'mdat', 'free', 'wide', 'skip', 'styp'].includes(ascii(head, 4, 8))) return true
  if (head.length >= 4 && head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) return true // Matroska/WebM
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 11) === 'AVI') return true
  if (head.length >= 3 && ascii(head, 0, 3) === 'FLV') return true
  if (head.length >= 1 && head[0] === 0x47 && head.length >= 189 && head[188] === 0x47) return true // MPEG-TS
  if (head.length >= 4 && head[0] === 0 && head[1] === 0 && head[2] === 1 && head[3] === 0xba) return true // MPEG-PS
  return false
}

async function explainUnopenable(result: RunResult, url: string, signal?: AbortSignal): Promise<never> {
  const upstream = upstreamFromStderr(result.stderr, url)
  if (upstream) throw upstream
  const head = await readHead(url, 200, signal)
  if (head.length === 0) throw new MediaError('not_video', 'The file is empty.')
  if (looksLikeMediaContainer(head)) {
    throw new MediaError('damaged', 'The file is damaged: it looks like a video but cannot be read (was the upload cut short?).')
  }
  if (/Invalid data found when processing input|moov atom not found|could not find codec parameters/i.test(result.stderr)) {
    throw new MediaError('not_video', 'This file is not a video or an image we can read.')
  }
  throw new MediaError('unreadable', `The file could not be read: ${lastLine(result.stderr) || 'FFmpeg gave no reason'}.`)
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop()?.replace(/^[^:]*:\s*/, '').trim() ?? ''
}

/** The size a still image's own header announces (PNG, JPEG, GIF, WebP, BMP), or null. Pure. */
export function imageHeaderSize(head: Uint8Array): { width: number; height: number } | null {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength)
  if (head.length >= 24 && head[0] === 0x89 && ascii(head, 1, 4) === 'PNG' && ascii(head, 12, 16) === 'IHDR') {
    return { width: view.getUint32(16), height: view.getUint32(20) }
  }
  if (head.length >= 10 && (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a')) return { width: view.getUint16(6, true), height: view.getUint16(8, true) }
  if (head.length >= 26 && ascii(head, 0, 2) === 'BM') return { width: Math.abs(view.getInt32(18, true)), height: Math.abs(view.getInt32(22, true)) }
  if (head.length >= 30 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') {
    const kind = ascii(head, 12, 16)
    if (kind === 'VP8X') return { width: 1 + (head[24] | (head[25] << 8) | (head[26] << 16)), height: 1 + (head[27] | (head[28] << 8) | (head[29] << 16)) }
    if (kind === 'VP8L') {
      const bits = view.getUint32(21, true)
      return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) }
    }
    if (kind === 'VP8 ') return { width: view.getUint16(26, true) & 0x3fff, height: view.getUint16(28, true) & 0x3fff }
  }
  if (head.length >= 4 && head[0] === 0xff && head[1] === 0xd8) {
    // JPEG: walk the segments to the first start-of-frame marker.
    let at = 2
    while (at + 9 < head.length) {
      if (head[at] !== 0xff) return null
      const marker = head[at + 1]
      const length = view.getUint16(at + 2)
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: view.getUint16(at + 7), height: view.getUint16(at + 5) }
      }
      at += 2 + length
    }
  }
  return null
}

/** How many bytes of a source are read for its image header (a JPEG's EXIF comes before its size). */
const IMAGE_HEAD_BYTES = 256 * 1024

/**
 * The media limits, checked on what the headers say, before any decoder runs: ffprobe without
 * `find_stream_info` (which would decode frames), then a still image's own header when the
 * container does not carry the size. Past a limit: a 422 `over_limits` naming it.
 */
export async function checkLimits(tools: Tools, url: string, signal?: AbortSignal): Promise<void> {
  const result = await runProcess(
    tools.ffprobe,
    ['-v', 'error', '-nofind_stream_info', '-print_format', 'json', '-show_format', '-show_streams', ...urlInput(url)],
    { signal },
  )
  // Unreadable headers are the full probe's to explain.
  if (result.code !== 0) return
  let parsed: FfprobeOutput
  try {
    parsed = JSON.parse(result.stdout)
  } catch {
    return
  }
  const { maxSidePx, maxFps, maxDurationSec } = MEDIA_LIMITS
  const videos = (parsed.streams ?? []).filter((s) => s.codec_type === 'video' && !s.disposition?.attached_pic)
  const over = (what: string) => new MediaError('over_limits', what)
  for (const video of videos) {
    let width = video.width ?? 0
    let height = video.height ?? 0
    if (!width || !height) {
      const size = imageHeaderSize(await readHead(url, IMAGE_HEAD_BYTES, signal))
      if (size) ({ width, height } = size)
    }
    if (width > maxSidePx || height > maxSidePx) {
      throw over(`The picture is ${width}×${height} px: at most ${maxSidePx} px on a side is accepted.`)
    }
    const image = IMAGE_FORMATS.test(parsed.format?.format_name ?? '')
    const fps = image ? 0 : rate(video.avg_frame_rate) || rate(video.r_frame_rate)
    if (fps > maxFps) throw over(`The video runs at ${fps} frames a second: at most ${maxFps} is accepted.`)
  }
  const duration = Math.max(Number(parsed.format?.duration ?? 0) || 0, ...(parsed.streams ?? []).map((s) => Number(s.duration ?? 0) || 0))
  if (duration > maxDurationSec) {
    throw over(`The video is ${Math.round(duration)} s long: at most ${maxDurationSec / 60} minutes is accepted.`)
  }
}

/** Reads a source's format and streams with ffprobe and checks it is usable as a clip. */
export async function probe(tools: Tools, url: string, signal?: AbortSignal): Promise<ProbeResult> {
  await checkLimits(tools, url, signal)
  const result = await runProcess(
    tools.ffprobe,
    ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', ...urlInput(url)],
    { signal },
  )
  if (result.code !== 0) return explainUnopenable(result, url, signal)
  let parsed: FfprobeOutput
  try {
    parsed = JSON.parse(result.stdout) as FfprobeOutput
  } catch {
    throw new MediaError('unreadable', 'The file could not be read: ffprobe gave an answer we do not understand.')
  }
  const streams = parsed.streams ?? []
  const formatName = parsed.format?.format_name ?? 'unknown'
  // Cover art inside an audio file is a "video" stream too; it does not make the file a video.
  const video = streams.find((s) => s.codec_type === 'video' && !s.disposition?.attached_pic)
  const audio = streams.find((s) => s.codec_type === 'audio')
  if (formatName === 'tty' || video?.codec_name === 'ansi') {
    throw new MediaError('not_video', 'This file is text, not a video.')
  }
  if (!video) {
    if (audio) throw new MediaError('no_video_stream', 'This file has sound but no picture: it has no video stream.')
    throw new MediaError('not_video', 'This file has no video or image in it.')
  }
  const isImage = IMAGE_FORMATS.test(formatName) || (IMAGE_CODECS.has(video.codec_name ?? '') && !Number(parsed.format?.duration))
  let width = video.width ?? 0
  let height = video.height ?? 0
  if (!width || !height) throw new MediaError('damaged', 'The file is damaged: its picture has no size.')
  // Phones record portrait video as landscape frames plus a rotation; report what a viewer sees.
  const rotation = video.side_data_list?.find((d) => typeof d.rotation === 'number')?.rotation ?? Number(video.tags?.rotate ?? 0)
  if (Math.abs(rotation) % 180 === 90) [width, height] = [height, width]
  const durationSec = isImage ? 0 : Math.round(Number(parsed.format?.duration ?? 0) * 1000) / 1000
  const bitRate = parsed.format?.bit_rate ? Number(parsed.format.bit_rate) : null
  const info: ProbeResult = {
    durationSec,
    width,
    height,
    fps: isImage ? 0 : rate(video.avg_frame_rate) || rate(video.r_frame_rate),
    videoCodec: video.codec_name ?? 'unknown',
    audioCodec: audio?.codec_name ?? null,
    hasAudio: Boolean(audio),
    formatName,
    bitRate: Number.isFinite(bitRate) ? bitRate : null,
    isImage,
  }
  if (!isImage) {
    if (!(durationSec > 0)) throw new MediaError('damaged', 'The file is damaged: it has no duration.')
    await checkTail(tools, url, durationSec, signal)
  }
  return info
}

// A truncated MP4 whose index sits at the front still opens; its last second does not read.
// Copying (not decoding) the end of every stream finds that cheaply.
async function checkTail(tools: Tools, url: string, durationSec: number, signal?: AbortSignal) {
  const back = Math.min(1, durationSec)
  const result = await runProcess(
    tools.ffmpeg,
    ['-v', 'error', '-nostdin', '-sseof', `-${back}`, ...urlInput(url), '-map', '0', '-c', 'copy', '-f', 'null', '-'],
    { signal, maxStdout: 0 },
  )
  const upstream = upstreamFromStderr(result.stderr, url)
  if (upstream) throw upstream
  if (result.code !== 0 || /partial file|Invalid data found/i.test(result.stderr)) {
    throw new MediaError('damaged', 'The file is damaged: it ends before its last frames (was the upload cut short?).')
  }
}

export interface ThumbnailOptions {
  sourceUrl: string
  uploadUrl: string
  atSec?: number
  width?: number
}

export interface ThumbnailResult {
  width: number
  height: number
  size: number
  contentType: 'image/jpeg'
}

/** Makes a JPEG frame of a source and uploads it with `PUT uploadUrl`. */
export async function thumbnail(tools: Tools, options: ThumbnailOptions, signal?: AbortSignal): Promise<ThumbnailResult> {
  const info = await probe(tools, options.sourceUrl, signal)
  const width = options.width ?? 480
  // 10% in avoids black intro frames; never more than 1 s so long clips stay cheap to seek.
  const wanted = options.atSec ?? Math.min(info.durationSec * 0.1, 1)
  const at = info.isImage ? 0 : Math.max(0, Math.min(wanted, info.durationSec - 0.05))
  const dir = await mkdtemp(join(tools.tempDir ?? tmpdir(), 'reelpilot-thumb-'))
  try {
    const out = join(dir, 'thumb.jpg')
    const grab = async (seek: number) =>
      runProcess(
        tools.ffmpeg,
        [
          '-v', 'error', '-nostdin', '-y',
          ...(seek > 0 ? ['-ss', seek.toFixed(3)] : []),
          ...urlInput(options.sourceUrl),
          '-frames:v', '1', '-an',
          // -2 keeps the aspect with an even height, which every JPEG decoder likes.
          '-vf', `scale=${width}:-2:flags=bicubic,format=yuvj420p`,
          '-q:v', '3', '-f', 'image2', '-update', '1', out,
        ],
        { signal, maxStdout: 0 },
      )
    let result = await grab(at)
    let size = result.code === 0 ? await fileSize(out) : 0
    // A seek near the end can land after the last frame; the first frame is better than nothing.
    if (size === 0 && at > 0) {
      result = await grab(0)
      size = result.code === 0 ? await fileSize(out) : 0
    }
    if (size === 0) {
      const upstream = upstreamFromStderr(result.stderr, options.sourceUrl)
      if (upstream) throw upstream
      throw new MediaError('damaged', `The file is damaged: no frame could be decoded (${lastLine(result.stderr) || 'no reason given'}).`)
    }
    const dims = await probeImageSize(tools, out, signal)
    await putFile(options.uploadUrl, out, 'image/jpeg', signal)
    return { ...dims, size, contentType: 'image/jpeg' }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function fileSize(path: string): Promise<number> {
  try {
    return (await stat(path)).size
  } catch {
    return 0
  }
}

/** Width and height of a local image or video file (the first video stream). */
export async function probeImageSize(tools: Tools, path: string, signal?: AbortSignal): Promise<{ width: number; height: number }> {
  const result = await runProcess(
    tools.ffprobe,
    ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height', '-of', 'json', path],
    { signal },
  )
  const stream = (JSON.parse(result.stdout || '{}') as FfprobeOutput).streams?.[0]
  return { width: stream?.width ?? 0, height: stream?.height ?? 0 }
}
