/**
 * Output limits of each platform, checked before a render starts so a spec that cannot be
 * published is refused with the reason instead of failing at publish time.
 *
 * Sources (checked November 2026): YouTube Shorts are up to 3 minutes and square or taller
 * (since 15 October 2024); TikTok's Content Posting API takes 3 s to 10 min and up to 4 GB;
 * Instagram Reels through the Graph API take 3 s to 15 min and up to 300 MB.
 */
import { ASPECT_SIZES, ASPECTS, type Aspect, type Platform, type RenderSpec } from './spec.ts'

export interface PlatformLimits {
  label: string
  minDurationSec: number
  maxDurationSec: number
  maxSizeBytes: number
  aspects: readonly Aspect[]
}

export const PLATFORM_LIMITS: Record<Platform, PlatformLimits> = {
  youtube: { label: 'YouTube Shorts', minDurationSec: 1, maxDurationSec: 180, maxSizeBytes: 256 * 1024 ** 3, aspects: ['9:16', '1:1'] },
  tiktok: { label: 'TikTok', minDurationSec: 3, maxDurationSec: 600, maxSizeBytes: 4 * 1024 ** 3, aspects: ASPECTS },
  instagram: { label: 'Instagram Reels', minDurationSec: 3, maxDurationSec: 900, maxSizeBytes: 300 * 1024 ** 2, aspects: ASPECTS },
}

/** Video bitrate ceiling of a final render (x264 -maxrate), which bounds the file size. */
export const MAX_VIDEO_BITRATE = 8_000_000
/** AAC bitrate of a final render. */
export const AUDIO_BITRATE = 160_000

/** The largest file a render of this length can produce (bitrate ceilings plus 2% container overhead). */
export function maxOutputBytes(durationSec: number): number {
  return Math.ceil((((MAX_VIDEO_BITRATE + AUDIO_BITRATE) * durationSec) / 8) * 1.02)
}

export interface LimitProblem {
  platform: Platform
  code: 'too_short' | 'too_long' | 'too_large' | 'aspect'
  reason: string
}

/** Every platform limit the spec would break, each with a sentence; empty when it can be published everywhere it targets. */
export function checkPlatformLimits(spec: RenderSpec, durationSec: number): LimitProblem[] {
  const problems: LimitProblem[] = []
  const size = ASPECT_SIZES[spec.aspect]
  for (const platform of spec.platforms) {
    const limits = PLATFORM_LIMITS[platform]
    const secs = Math.round(durationSec * 10) / 10
    if (durationSec < limits.minDurationSec) {
      problems.push({ platform, code: 'too_short', reason: `${limits.label} needs at least ${limits.minDurationSec} s; this video is ${secs} s.` })
    }
    if (durationSec > limits.maxDurationSec) {
      problems.push({ platform, code: 'too_long', reason: `${limits.label} takes at most ${limits.maxDurationSec} s; this video is ${secs} s.` })
    }
    if (!limits.aspects.includes(spec.aspect)) {
      problems.push({
        platform,
        code: 'aspect',
        reason: `${limits.label} needs a square or vertical video; ${spec.aspect} (${size.width}×${size.height}) is wider than tall.`,
      })
    }
    const bytes = maxOutputBytes(durationSec)
    if (bytes > limits.maxSizeBytes) {
      const mb = (n: number) => Math.round(n / 1024 ** 2)
      problems.push({
        platform,
        code: 'too_large',
        reason: `${limits.label} takes files up to ${mb(limits.maxSizeBytes)} MB; a ${secs} s render may reach ${mb(bytes)} MB. Shorten the trim.`,
      })
    }
  }
  return problems
}
