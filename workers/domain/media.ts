/**
 * The media library's rules, without I/O: accepted types, plan limits, R2 keys, how a large file
 * is cut into parts, and what a content check means for the creator. Tested without the runtime.
 */
import { titleFromFilename } from './captions'
import type { ProbeResult } from '../../containers/render/media'
import type { MediaErrorCode } from '../../containers/render/recipe/vocabulary'

/** The announced types we accept. The content check decides what the file really is. */
export const ACCEPTED_TYPES = ['video/mp4', 'video/quicktime', 'video/webm', 'image/jpeg', 'image/png'] as const
export type AcceptedType = (typeof ACCEPTED_TYPES)[number]

export const MB = 1_000_000
export const GB = 1_000_000_000
export const MiB = 1024 * 1024

/** Above this a file must go up in parts: one Worker request body may not be larger. */
export const SINGLE_UPLOAD_MAX_BYTES = 100 * MB
/** R2's floor for every part but the last, and our default part size. */
export const MIN_PART_BYTES = 5 * MiB
export const DEFAULT_PART_BYTES = 16 * MiB
export const MAX_PART_BYTES = SINGLE_UPLOAD_MAX_BYTES
export const MAX_PARTS = 10_000
/** Longest clip the autopilot will cut from. */
export const MAX_DURATION_SEC = 600
/** An upload that is not completed within this time is abandoned and swept away. */
export const ABANDONED_AFTER_MS = 24 * 60 * 60 * 1000
/**
 * An item still `processing` this long after its last move was left there by a complete that
 * could not reach the renderer (or the renderer could not reach storage): the sweeper checks it again.
 */
export const RECHECK_AFTER_MS = 10 * 60 * 1000
/** After this long in `processing` the sweeper stops trying and rejects the item (`not_checked`). */
export const CHECK_GIVE_UP_AFTER_MS = 24 * 60 * 60 * 1000
/** A rejected item stays this long so the creator can read why, then the sweeper removes it. */
export const REJECTED_KEPT_MS = 30 * 24 * 60 * 60 * 1000

export interface MediaLimits {
  /** Largest single file. */
  maxFileBytes: number
  /** Everything the workspace stores (uploads in flight count from the start). */
  storageBytes: number
}

/** Limits per workspace plan. Unknown plans get the free plan's limits. */
export const PLAN_LIMITS: Record<string, MediaLimits> = {
  free: { maxFileBytes: 2 * GB, storageBytes: 10 * GB },
  pro: { maxFileBytes: 5 * GB, storageBytes: 500 * GB },
  business: { maxFileBytes: 10 * GB, storageBytes: 5000 * GB },
}

export function limitsFor(plan: string | null | undefined): MediaLimits {
  return PLAN_LIMITS[plan ?? 'free'] ?? PLAN_LIMITS.free
}

export function isAcceptedType(type: string): type is AcceptedType {
  return (ACCEPTED_TYPES as readonly string[]).includes(type.toLowerCase())
}

/** "1.5 GB", "340 MB", "12 kB": sizes as people read them (decimal units, like the limits). */
export function formatBytes(bytes: number): string {
  const units: [number, string][] = [
    [GB, 'GB'],
    [MB, 'MB'],
    [1000, 'kB'],
  ]
  for (const [unit, name] of units) {
    if (bytes >= unit) {
      const value = bytes / unit
      return `${value >= 100 || Number.isInteger(value) ? Math.round(value) : value.toFixed(1)} ${name}`
    }
  }
  return `${bytes} bytes`
}

/**
 * A filename reduced to what is safe in a key and a URL: ASCII letters, digits, `.`, `-`, `_`;
 * at most 100 characters, extension kept. Never empty, never starting with `.` or `_` (so it
 * cannot take the thumbnail's name).
 */
export function safeName(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? ''
  const ascii = base.normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
  let name = ascii
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/-*\.-*/g, '.')
    .replace(/^[-._]+|[-.]+$/g, '')
  if (!name) name = 'file'
  if (name.length > 100) {
    const dot = name.lastIndexOf('.')
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : ''
    name = name.slice(0, 100 - ext.length).replace(/[-.]+$/, '') + ext
  }
  return name
}

/** Where an original lives in R2. The uuid keeps two uploads of the same name apart. */
export function mediaKey(workspaceId: string, projectId: string, uuid: string, filename: string): string {
  return `media/${workspaceId}/${projectId}/${uuid}/${safeName(filename)}`
}

/** Where a media item's thumbnail lives: beside its original, under a name no upload can take. */
export function thumbnailKey(originalKey: string): string {
  return `${originalKey.slice(0, originalKey.lastIndexOf('/'))}/_thumbnail.jpg`
}

/**
 * The title a new item gets: the file name's words when they read like a title, else none
 * (`landscape.mp4`, `IMG_1234.MOV`): the creator names the clip in the library.
 */
export function defaultTitle(filename: string): string {
  return titleFromFilename(filename)
}

export interface PartPlan {
  partSize: number
  partCount: number
}

/**
 * How a file of `size` bytes is cut: equal parts of `requested` bytes (or the default) and a
 * shorter last one. The part size grows when the file would otherwise need more than R2's 10,000 parts.
 */
export function planParts(size: number, requested?: number): PartPlan {
  let partSize = requested ?? DEFAULT_PART_BYTES
  if (Math.ceil(size / partSize) > MAX_PARTS) partSize = Math.ceil(size / MAX_PARTS / MiB) * MiB
  return { partSize, partCount: Math.max(1, Math.ceil(size / partSize)) }
}

/** The exact size part `partNumber` (1-based) must have. */
export function partBytes(size: number, plan: PartPlan, partNumber: number): number {
  if (partNumber < plan.partCount) return plan.partSize
  return size - plan.partSize * (plan.partCount - 1)
}


/** The reason a creator reads next to a refused file. */
export const REJECTION_REASONS: Record<MediaErrorCode | 'too_long' | 'unsupported_format' | 'wrong_size' | 'not_checked', string> = {
  not_video: 'not a video',
  no_video_stream: 'no video stream',
  damaged: 'file is damaged',
  unreadable: 'file is damaged',
  over_limits: 'over the limits (8192 px a side, 120 frames a second, 10 minutes)',
  too_long: 'longer than 10 minutes',
  unsupported_format: 'not a supported format (MP4, MOV, WebM, JPEG or PNG)',
  wrong_size: 'file is damaged',
  not_checked: 'could not be checked within a day (our checker was unavailable): please upload it again',
}

/** What the render server's `POST /probe` answers (its `ProbeResult` without the internal flag). */
export type ProbeInfo = Omit<ProbeResult, 'isImage'>

export type ContentVerdict =
  | { ok: true; kind: 'video' | 'image'; contentType: AcceptedType }
  | { ok: false; reason: string }

/**
 * What a probed file really is, from its content (format and codec), never from its name or the
 * announced type: the announced type only chooses between MP4 and QuickTime, which share a demuxer.
 */
export function judgeContent(info: ProbeInfo, announced: string): ContentVerdict {
  const formats = info.formatName.split(',')
  const codec = info.videoCodec
  if (formats.includes('png_pipe') || (formats.includes('image2') && codec === 'png')) return { ok: true, kind: 'image', contentType: 'image/png' }
  if (formats.includes('jpeg_pipe') || (formats.includes('image2') && codec === 'mjpeg')) return { ok: true, kind: 'image', contentType: 'image/jpeg' }
  if (formats.includes('image2') || formats.some((f) => f.endsWith('_pipe'))) return { ok: false, reason: REJECTION_REASONS.unsupported_format }
  if (info.durationSec > MAX_DURATION_SEC) return { ok: false, reason: REJECTION_REASONS.too_long }
  if (formats.includes('mov') || formats.includes('mp4')) {
    return { ok: true, kind: 'video', contentType: announced === 'video/quicktime' ? 'video/quicktime' : 'video/mp4' }
  }
  if (formats.includes('webm') && ['vp8', 'vp9', 'av1'].includes(codec)) return { ok: true, kind: 'video', contentType: 'video/webm' }
  return { ok: false, reason: REJECTION_REASONS.unsupported_format }
}
