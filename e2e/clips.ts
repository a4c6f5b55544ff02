/**
 * Test clips for the e2e files, made with FFmpeg: a lavfi picture, a tone if asked for, H.264
 * (and AAC) in MP4. Light on purpose (Node built-ins and scripts/tools.mjs only, imports with
 * their extensions): harness.ts loads it only when it makes a clip, and bench/ runs harness.ts
 * under tsx.
 */
import { spawnSync } from 'node:child_process'
import { ffmpegPath } from '../scripts/tools.mjs'

export interface ClipOptions {
  /** The picture: a lavfi source with its size and rate, e.g. 'testsrc2=size=640x360:rate=25'. */
  picture: string
  /** How long the clip is, in seconds. */
  seconds: number
  /** A sine tone of this frequency (Hz) as the sound, in AAC; with none the clip has no audio stream. */
  tone?: number
  /** The tone's sample rate (FFmpeg's default, 44.1 kHz, when not given). */
  sampleRate?: number
  /** A high H.264 bit rate (-b:v and -maxrate) with its -bufsize: a large file, for upload tests. */
  bitrate?: { rate: string; buffer: string }
  /** Lossless H.264 (-qp 0): a noise picture then stays very large. */
  lossless?: boolean
}

/** Writes the clip to `path` and answers `path`; throws with FFmpeg's message if it cannot. */
export function makeClip(path: string, o: ClipOptions): string {
  const sound = o.tone === undefined ? null : `sine=frequency=${o.tone}${o.sampleRate ? `:sample_rate=${o.sampleRate}` : ''}`
  const args = [
    '-v', 'error', '-y',
    '-f', 'lavfi', '-i', o.picture,
    ...(sound ? ['-f', 'lavfi', '-i', sound] : []),
    '-t', String(o.seconds),
    '-c:v', 'libx264', '-preset', 'ultrafast',
    ...(o.bitrate ? ['-b:v', o.bitrate.rate, '-maxrate', o.bitrate.rate, '-bufsize', o.bitrate.buffer] : []),
    ...(o.lossless ? ['-qp', '0'] : []),
    '-pix_fmt', 'yuv420p',
    ...(sound ? ['-c:a', 'aac', '-shortest'] : []),
    path,
  ]
  const made = spawnSync(ffmpegPath(), args, { encoding: 'utf8' })
  if (made.error) throw new Error(`FFmpeg could not be run to make ${path}: ${made.error.message}`)
  if (made.status !== 0) throw new Error(`FFmpeg could not make the test clip ${path}: ${made.stderr}`)
  return path
}
