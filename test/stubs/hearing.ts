/**
 * What the transcription stubs "hear": nothing here recognises speech. A stub is given the words
 * of a clip on its own timeline (the speech fixture's, test/fixtures/speech/speech.json) and
 * answers, for each WAV it receives, the words inside that part: parts are placed on the
 * timeline in the order they first arrive (a part sent again, on a retry, keeps its place).
 * Shared by the OpenAI-compatible HTTP stub (Node) and the Workers AI stand-in (workerd): no Node APIs.
 */
export interface KnownWord {
  word: string
  start: number
  end: number
}

export interface WavInfo {
  channels: number
  sampleRate: number
  bitsPerSample: number
  durationSec: number
}

/** The format of a WAV, or why it is not one. */
export function readWav(bytes: Uint8Array): WavInfo | string {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const ascii = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4))
  if (bytes.length < 44 || ascii(0) !== 'RIFF' || ascii(8) !== 'WAVE') return 'not a RIFF/WAVE file'
  let at = 12
  let format: Omit<WavInfo, 'durationSec'> | undefined
  while (at + 8 <= bytes.length) {
    const id = ascii(at)
    const size = view.getUint32(at + 4, true)
    if (id === 'fmt ') {
      if (view.getUint16(at + 8, true) !== 1) return 'not PCM'
      format = { channels: view.getUint16(at + 10, true), sampleRate: view.getUint32(at + 12, true), bitsPerSample: view.getUint16(at + 22, true) }
    }
    if (id === 'data') {
      if (!format) return 'data before fmt'
      const bytesPerSec = format.sampleRate * format.channels * (format.bitsPerSample / 8)
      return { ...format, durationSec: Math.min(size, bytes.length - at - 8) / bytesPerSec }
    }
    at += 8 + size + (size % 2)
  }
  return 'no data chunk'
}

function digest(bytes: Uint8Array): string {
  // FNV-1a over the bytes and the length: enough to know a part sent again.
  let h = 0x811c9dc5
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0
  return `${h.toString(16)}:${bytes.length}`
}

/** A listener for one clip: each new part is laid after the ones heard before. */
export class Hearing {
  private readonly offsets = new Map<string, number>()
  private heardSec = 0

  constructor(readonly words: KnownWord[]) {}

  /** The words said during this part, on the part's own timeline (a word belongs to the part it starts in). */
  hear(wav: Uint8Array, durationSec: number): KnownWord[] {
    const key = digest(wav)
    let offset = this.offsets.get(key)
    if (offset === undefined) {
      offset = this.heardSec
      this.offsets.set(key, offset)
      this.heardSec += durationSec
    }
    const from = offset
    const to = offset + durationSec
    const round = (n: number) => Math.round(n * 100) / 100
    return this.words.filter((w) => w.start >= from && w.start < to).map((w) => ({ word: w.word, start: round(w.start - from), end: round(Math.min(w.end, to) - from) }))
  }
}
