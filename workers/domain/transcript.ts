/**
 * A clip's transcript (#15): its words with start and end seconds on the clip's own timeline.
 * Pure: the transcription step joins provider answers with it, the API validates edits with it,
 * the render spec takes its words.
 */
import { z } from 'zod'

export const TRANSCRIPT_STATUSES = ['pending', 'done', 'failed'] as const
export type TranscriptStatus = (typeof TRANSCRIPT_STATUSES)[number]

/** Longest word kept (a provider may run words together; longer ones are cut). */
export const MAX_WORD_CHARS = 64
/** Words a transcript holds at most (10 minutes of fast speech is about 2,000). */
export const MAX_WORDS = 5000

export const transcriptWordSchema = z
  .object({
    word: z.string().trim().min(1, 'a word cannot be empty').max(MAX_WORD_CHARS, `a word is at most ${MAX_WORD_CHARS} characters`),
    start: z.number().min(0).max(86_400),
    end: z.number().min(0).max(86_400),
  })
  .refine((w) => w.end >= w.start, { message: 'a word ends after it starts', path: ['end'] })
  .meta({ id: 'TranscriptWord', description: 'One spoken word and when it is said, in seconds on the clip.' })
export type TranscriptWord = z.infer<typeof transcriptWordSchema>

/** A language as ISO 639-1, from a code or from the English name Whisper answers (`english`). */
export function languageCode(value: string | null | undefined): string | null {
  if (!value) return null
  const v = value.trim().toLowerCase()
  if (/^[a-z]{2}$/.test(v)) return v
  const code = /^([a-z]{2})[-_]/.exec(v)?.[1]
  if (code) return code
  return WHISPER_LANGUAGES[v] ?? null
}

// The names Whisper's verbose_json gives `language` for the languages people post in most.
const WHISPER_LANGUAGES: Record<string, string> = {
  english: 'en', spanish: 'es', french: 'fr', german: 'de', italian: 'it', portuguese: 'pt', dutch: 'nl', polish: 'pl',
  russian: 'ru', ukrainian: 'uk', turkish: 'tr', arabic: 'ar', hebrew: 'he', persian: 'fa', urdu: 'ur', hindi: 'hi',
  bengali: 'bn', japanese: 'ja', chinese: 'zh', korean: 'ko', vietnamese: 'vi', thai: 'th', indonesian: 'id',
  malay: 'ms', swedish: 'sv', norwegian: 'no', danish: 'da', finnish: 'fi', greek: 'el', czech: 'cs', romanian: 'ro',
  hungarian: 'hu', catalan: 'ca', tagalog: 'tl', swahili: 'sw', tamil: 'ta',
}

/** One part of a clip as a provider heard it: its words on the part's own timeline. */
export interface HeardPart {
  startSec: number
  durationSec: number
  words: { word: string; start: number; end: number }[]
}

/**
 * The words of all parts on the clip's timeline: each part's times shifted by its start, kept
 * inside its part, blanks dropped, in order. Words are whole tokens as the provider gave them.
 */
export function joinParts(parts: HeardPart[]): TranscriptWord[] {
  const out: TranscriptWord[] = []
  const round = (n: number) => Math.round(n * 1000) / 1000
  for (const part of [...parts].sort((a, b) => a.startSec - b.startSec)) {
    for (const w of part.words) {
      const word = w.word.trim().slice(0, MAX_WORD_CHARS)
      if (!word || !Number.isFinite(w.start) || !Number.isFinite(w.end)) continue
      const start = round(part.startSec + Math.min(Math.max(0, w.start), part.durationSec))
      const end = round(part.startSec + Math.min(Math.max(w.start, w.end), part.durationSec))
      const previous = out.at(-1)
      out.push({ word, start: previous ? Math.max(start, previous.start) : start, end: Math.max(end, start) })
    }
  }
  return out.slice(0, MAX_WORDS)
}

/** The parts a clip is sent in: none longer than `maxPartSec`, back to back from 0, of equal length. */
export function partsOf(durationSec: number, maxPartSec: number): { startSec: number; durationSec: number }[] {
  const round = (n: number) => Math.round(n * 1000) / 1000
  const count = Math.max(1, Math.ceil(durationSec / maxPartSec - 1e-9))
  const length = durationSec / count
  return Array.from({ length: count }, (_, i) => {
    const startSec = round(i * length)
    // The last part asks for a little more: the render server stops at the clip's real end (the stored length is rounded).
    return { startSec, durationSec: round(i === count - 1 ? durationSec - startSec + 0.5 : length) }
  })
}

/** `PUT /media/{id}/transcript`: one text per word, in order (each keeps its times), and the language. */
export const transcriptEditSchema = z
  .object({
    words: z.array(transcriptWordSchema.shape.word).max(MAX_WORDS).meta({ description: 'The text of each word, in order: as many as the transcript has. Each keeps its start and end.' }),
    language: z
      .string()
      .regex(/^[a-z]{2}$/, 'a two-letter language code (ISO 639-1), such as en')
      .nullable()
      .optional(),
  })
  .meta({ id: 'TranscriptEdit', description: 'Fixed words of a transcript; their times stay as they were heard.' })
export type TranscriptEdit = z.infer<typeof transcriptEditSchema>

/** The edited words, or why the edit does not fit (then the field is `words`). */
export function applyEdit(words: TranscriptWord[], edit: TranscriptEdit): { ok: true; words: TranscriptWord[] } | { ok: false; message: string } {
  if (edit.words.length !== words.length) {
    return { ok: false, message: `has ${edit.words.length} words, the transcript ${words.length}: send one text per word, in order (each keeps its times)` }
  }
  return { ok: true, words: words.map((w, i) => ({ ...w, word: edit.words[i].trim() })) }
}
