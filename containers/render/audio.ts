/**
 * The sound of a clip for transcription: 16 kHz mono 16-bit PCM WAV (what Whisper models take),
 * cut into the parts the Worker asks for (a provider takes files up to a size; a longer clip is
 * sent in parts and joined on the timeline by the Worker), each uploaded to its signed URL.
 * The clip is decoded once; each part is a slice of that sound with its own WAV header. With
 * `snapSec`, every cut moves back (up to that long) to the quietest moment before it, so a cut
 * falls between words rather than through one; each part says where it really starts.
 */
import { open, mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { urlInput } from './access.ts'
import { SpecRefusedError, UpstreamError } from './errors.ts'
import { probe, upstreamFromStderr, type Tools } from './media.ts'
import { runProcess } from './process.ts'
import { putFile } from './transfer.ts'

export const AUDIO_SAMPLE_RATE = 16_000
/** Bytes a second of the WAV we make (16-bit mono): what a provider's size limit is divided by. */
export const AUDIO_BYTES_PER_SEC = AUDIO_SAMPLE_RATE * 2
/** Our WAV header: RIFF, fmt, data, nothing else. */
export const WAV_HEADER_BYTES = 44
/** The header each uploaded part carries: where it starts on the clip's timeline, in seconds. */
export const PART_START_HEADER = 'x-audio-start-sec'

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

/** A 44-byte PCM WAV header for `dataBytes` of 16 kHz mono 16-bit samples. */
export function wavHeader(dataBytes: number): Buffer {
  const h = Buffer.alloc(WAV_HEADER_BYTES)
  h.write('RIFF', 0, 'latin1')
  h.writeUInt32LE(36 + dataBytes, 4)
  h.write('WAVEfmt ', 8, 'latin1')
  h.writeUInt32LE(16, 16)
  h.writeUInt16LE(1, 20)
  h.writeUInt16LE(1, 22)
  h.writeUInt32LE(AUDIO_SAMPLE_RATE, 24)
  h.writeUInt32LE(AUDIO_BYTES_PER_SEC, 28)
  h.writeUInt16LE(2, 32)
  h.writeUInt16LE(16, 34)
  h.write('data', 36, 'latin1')
  h.writeUInt32LE(dataBytes, 40)
  return h
}

const FRAME = AUDIO_SAMPLE_RATE / 50 // 20 ms

/** The sample to cut at: the start of the quietest 20 ms frame in the `snap` samples before `at`. Pure. */
export function quietestCut(pcm: Int16Array, at: number, snap: number): number {
  let best = at
  let bestEnergy = Infinity
  for (let from = at - FRAME; from >= Math.max(0, at - snap); from -= FRAME / 2) {
    let energy = 0
    for (let i = from; i < from + FRAME; i++) energy += pcm[i] * pcm[i]
    if (energy < bestEnergy) {
      bestEnergy = energy
      best = from + FRAME / 2
    }
  }
  return Math.max(0, Math.min(at, Math.round(best)))
}

/** Extracts each part's audio as WAV and PUTs it to the part's URL. A clip without sound is a 422 `no_audio`. */
export async function extractAudio(tools: Tools, sourceUrl: string, parts: AudioPartRequest[], options: { snapSec?: number; signal?: AbortSignal } = {}): Promise<AudioResult> {
  const { signal, snapSec = 0 } = options
  const info = await probe(tools, sourceUrl, signal)
  if (info.isImage || !info.hasAudio) throw new SpecRefusedError('no_audio', 'This clip has no sound to transcribe.')
  const past = parts.find((p) => p.startSec >= info.durationSec)
  if (past) throw new SpecRefusedError('part_past_end', `A part starts at ${past.startSec} s, at or after the clip's end (${info.durationSec} s).`)
  const dir = await mkdtemp(join(tools.tempDir ?? tmpdir(), 'reelpilot-audio-'))
  try {
    const raw = join(dir, 'sound.pcm')
    const result = await runProcess(
      tools.ffmpeg,
      ['-v', 'error', '-nostdin', '-y', ...urlInput(sourceUrl), '-map', '0:a:0', '-vn', '-sn', '-dn', '-ac', '1', '-ar', String(AUDIO_SAMPLE_RATE), '-f', 's16le', '-c:a', 'pcm_s16le', raw],
      { signal, maxStdout: 0 },
    )
    if (result.code !== 0) {
      throw upstreamFromStderr(result.stderr, sourceUrl) ?? new UpstreamError(`The sound could not be extracted: ${result.stderr.trim().split('\n').pop() ?? 'no reason given'}.`)
    }
    const { size: rawBytes } = await stat(raw)
    const total = Math.floor(rawBytes / 2)
    const file = await open(raw)
    try {
      // Cut points in samples: each asked start, moved back into the quiet before it.
      const asked = parts.map((p) => Math.min(total, Math.round(p.startSec * AUDIO_SAMPLE_RATE)))
      const cuts = await Promise.all(
        asked.map(async (at, i) => {
          if (i === 0 || snapSec <= 0) return at
          const snap = Math.round(snapSec * AUDIO_SAMPLE_RATE)
          const from = Math.max(0, at - snap - FRAME)
          const window = Buffer.alloc((at - from) * 2)
          await file.read(window, 0, window.length, from * 2)
          const pcm = new Int16Array(window.buffer, window.byteOffset, window.length / 2)
          return from + quietestCut(pcm, at - from, snap)
        }),
      )
      const made: AudioResult['parts'] = []
      for (const [i, part] of parts.entries()) {
        const start = cuts[i]
        const end = i + 1 < parts.length ? Math.max(start, cuts[i + 1]) : Math.min(total, Math.round((part.startSec + part.durationSec) * AUDIO_SAMPLE_RATE))
        const data = Buffer.alloc((end - start) * 2)
        await file.read(data, 0, data.length, start * 2)
        const out = join(dir, `part-${i}.wav`)
        await writeFile(out, Buffer.concat([wavHeader(data.length), data]))
        const startSec = Math.round((start / AUDIO_SAMPLE_RATE) * 1000) / 1000
        const size = await putFile(part.uploadUrl, out, 'audio/wav', signal, { [PART_START_HEADER]: String(startSec) })
        made.push({ startSec, durationSec: Math.round(((end - start) / AUDIO_SAMPLE_RATE) * 1000) / 1000, size })
        await rm(out, { force: true })
      }
      return { sampleRate: AUDIO_SAMPLE_RATE, channels: 1, contentType: 'audio/wav', durationSec: info.durationSec, parts: made }
    } finally {
      await file.close()
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}
