import { describe, expect, it } from 'vitest'
import { DEFAULT_PART_BYTES, formatBytes, judgeContent, MAX_PARTS, MiB, mediaKey, partBytes, planParts, safeName, thumbnailKey } from './media'

const probe = (over: Partial<Parameters<typeof judgeContent>[0]>) => ({
  durationSec: 12,
  width: 1080,
  height: 1920,
  fps: 30,
  videoCodec: 'h264',
  audioCodec: 'aac',
  hasAudio: true,
  formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
  bitRate: 4_000_000,
  ...over,
})

describe('media rules', () => {
  it('makes safe names and keys the server owns', () => {
    expect(safeName('../../etc/passwd')).toBe('passwd')
    expect(safeName('Mon clip été (1).MP4')).toBe('Mon-clip-ete-1.MP4')
    expect(safeName('🎬.mov')).toBe('mov')
    expect(safeName('...')).toBe('file')
    expect(safeName('_thumbnail.jpg')).toBe('thumbnail.jpg')
    expect(safeName(`${'a'.repeat(300)}.webm`)).toMatch(/^a{95}\.webm$/)
    const key = mediaKey('ws_1', 'prj_2', 'u-u-i-d', 'x y.mp4')
    expect(key).toBe('media/ws_1/prj_2/u-u-i-d/x-y.mp4')
    expect(thumbnailKey(key)).toBe('media/ws_1/prj_2/u-u-i-d/_thumbnail.jpg')
  })

  it('cuts files into equal parts with a shorter last one, never more than 10,000', () => {
    const plan = planParts(2 * 5 * MiB + 7, 5 * MiB)
    expect(plan).toEqual({ partSize: 5 * MiB, partCount: 3 })
    expect([1, 2, 3].map((n) => partBytes(2 * 5 * MiB + 7, plan, n))).toEqual([5 * MiB, 5 * MiB, 7])
    expect(planParts(1).partCount).toBe(1)
    const huge = planParts(DEFAULT_PART_BYTES * MAX_PARTS * 3)
    expect(huge.partCount).toBeLessThanOrEqual(MAX_PARTS)
    expect(huge.partSize % MiB).toBe(0)
  })

  it('judges by content, not by the announced type', () => {
    expect(judgeContent(probe({}), 'video/quicktime')).toEqual({ ok: true, kind: 'video', contentType: 'video/quicktime' })
    expect(judgeContent(probe({}), 'image/png')).toEqual({ ok: true, kind: 'video', contentType: 'video/mp4' })
    expect(judgeContent(probe({ formatName: 'png_pipe', videoCodec: 'png', durationSec: 0 }), 'video/mp4')).toEqual({ ok: true, kind: 'image', contentType: 'image/png' })
    expect(judgeContent(probe({ formatName: 'jpeg_pipe', videoCodec: 'mjpeg', durationSec: 0 }), 'image/jpeg')).toMatchObject({ contentType: 'image/jpeg' })
    expect(judgeContent(probe({ formatName: 'matroska,webm', videoCodec: 'vp9' }), 'video/webm')).toMatchObject({ ok: true, contentType: 'video/webm' })
    expect(judgeContent(probe({ formatName: 'matroska,webm', videoCodec: 'h264' }), 'video/webm')).toMatchObject({ ok: false })
    expect(judgeContent(probe({ formatName: 'avi' }), 'video/mp4')).toMatchObject({ ok: false })
    expect(judgeContent(probe({ durationSec: 600.5 }), 'video/mp4')).toEqual({ ok: false, reason: 'longer than 10 minutes' })
  })

  it('writes sizes as people read them', () => {
    expect(formatBytes(2_000_000_000)).toBe('2 GB')
    expect(formatBytes(1_500_000)).toBe('1.5 MB')
    expect(formatBytes(999)).toBe('999 bytes')
  })
})
