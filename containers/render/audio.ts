/**
 * The sound of a clip for transcription: 16 kHz mono 16-bit PCM WAV (what Whisper models take),
 * cut into the parts the Worker asks for (a provider takes files up to a size; a longer clip is
 * sent in parts and joined on the timeline by the Worker), each uploaded to its signed URL.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { NETWORK_INPUT } from './access.ts'
import { SpecRefusedError, UpstreamError } from './errors.ts'
import { probe, upstreamFromStderr, type Tools } from './media.ts'
import { runProcess } from './process.ts'
import { putFile } from './transfer.ts'

export const AUDIO_SAMPLE_RATE = 16_000
/** Bytes a second of the WAV we make (16-bit mono): what a provider's size limit is divided by. */
export const AUDIO_BYTES_PER_SEC = AUDIO_SAMPLE_RATE * 2
/** A WAV header without extra chunks (`-bitexact` drops FFmpeg's LIST/INFO): RIFF, fmt, data. */
export const WAV_HEADER_BYTES = 44

export interface AudioPartRequest {
  startSec: number
  durationSec: number
  uploadUrl: string
}

export interface AudioResult {
  sampleRate: number
  channels: 1
  contentType: 'audio/wav'
  /** The clip's length, from its probe. */
  durationSec: number
  /** Each part as made: where it starts on the clip's timeline, how long it is, its size. */
  parts: { startSec: number; durationSec: number; size: number }[]
}

/** Extracts each part's audio as WAV and PUTs it to the part's URL. A clip without sound is a 422 `no_audio`. */
export async function extractAudio(tools: Tools, sourceUrl: string, parts: AudioPartRequest[], signal?: AbortSignal): Promise<AudioResult> {
  const info = await probe(tools, sourceUrl, signal)
  if (info.isImage || !info.hasAudio) throw new SpecRefusedError('no_audio', 'This clip has no sound to transcribe.')
  const past = parts.find((p) => p.startSec >= info.durationSec)
  if (past) throw new SpecRefusedError('part_past_end', `A part starts at ${past.startSec} s, at or after the clip's end (${info.durationSec} s).`)
  const dir = await mkdtemp(join(tools.tempDir ?? tmpdir(), 'reelpilot-audio-'))
  try {
    const made: AudioResult['parts'] = []
    for (const [i, part] of parts.entries()) {
      const out = join(dir, `part-${i}.wav`)
      const durationSec = Math.min(part.durationSec, info.durationSec - part.startSec)
      const result = await runProcess(
        tools.ffmpeg,
        [
          '-v', 'error', '-nostdin', '-y', ...NETWORK_INPUT,
          // -ss before -i seeks by the container's index; audio is then cut sample-exact.
          ...(part.startSec > 0 ? ['-ss', part.startSec.toFixed(3)] : []),
          '-i', sourceUrl,
          '-t', durationSec.toFixed(3),
          '-map', '0:a:0', '-vn', '-sn', '-dn',
          '-ac', '1', '-ar', String(AUDIO_SAMPLE_RATE), '-c:a', 'pcm_s16le',
          // -bitexact: no LIST chunk naming the encoder, so the header is the plain 44 bytes on every build.
          '-bitexact', '-f', 'wav', out,
        ],
        { signal, maxStdout: 0 },
      )
      if (result.code !== 0) {
        throw upstreamFromStderr(result.stderr, sourceUrl) ?? new UpstreamError(`The sound could not be extracted: ${result.stderr.trim().split('\n').pop() ?? 'no reason given'}.`)
      }
      const { size } = await stat(out)
      await putFile(part.uploadUrl, out, 'audio/wav', signal)
      made.push({ startSec: part.startSec, durationSec: Math.round(Math.max(0, (size - WAV_HEADER_BYTES) / AUDIO_BYTES_PER_SEC) * 1000) / 1000, size })
      await rm(out, { force: true })
    }
    return { sampleRate: AUDIO_SAMPLE_RATE, channels: 1, contentType: 'audio/wav', durationSec: info.durationSec, parts: made }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
