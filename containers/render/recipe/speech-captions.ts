/**
 * Captions from speech (#15): the words a clip says, on screen in groups of two to five, the word
 * being said highlighted while it is said, in the style's look, inside the safe area. Pure, part
 * of the recipe: the render server and the browser preview draw them from the same ASS events.
 *
 * Times: the spec carries the words on the clip's own timeline; a trim shifts them (a word cut
 * off by the trim is dropped). A group is on screen from its first word's start to its last
 * word's end, and each word of it is highlighted from its start to the next word's start.
 * Each moment is one ASS event drawing the whole group with one word coloured, so the layout
 * never moves between words and right-to-left and CJK text are laid out by libass as a whole.
 */
import { z } from 'zod'
import type { RenderSpec } from './spec.ts'
import type { Rect } from './safe-areas.ts'
import { assTime as ts, detectScript, escapeAss, fontFamily, upper, type Script } from './text.ts'

/** One spoken word: its text and its start and end in seconds on the clip's timeline. */
export const speechWordSchema = z
  .object({ word: z.string().trim().min(1).max(64), start: z.number().min(0), end: z.number().min(0) })
  .refine((w) => w.end >= w.start, { message: 'end must not be before start', path: ['end'] })

/** The spec's `speech`: the clip's transcript, drawn as word-timed captions instead of the caption segments. */
export const speechSpecSchema = z.object({
  words: z.array(speechWordSchema).max(5000),
  /** The transcript's language when it differs from the spec's (fonts and direction follow it). */
  language: z
    .string()
    .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/)
    .optional(),
})
export type SpeechSpec = z.output<typeof speechSpecSchema>

export const MIN_GROUP_WORDS = 2
export const MAX_GROUP_WORDS = 5
/** A pause this long ends a group (the next words start a new one). */
export const GROUP_PAUSE_SEC = 0.7

export interface SpokenWord {
  word: string
  /** Seconds of the output. */
  start: number
  end: number
}

export interface SpeechGroup {
  words: SpokenWord[]
  start: number
  end: number
}

const round = (n: number) => Math.round(n * 1000) / 1000

/** The words inside the trim, on the output's timeline. */
export function trimmedWords(words: readonly { word: string; start: number; end: number }[], trimStartSec: number, durationSec: number): SpokenWord[] {
  return words
    .map((w) => ({ word: w.word.trim(), start: round(w.start - trimStartSec), end: round(Math.min(w.end - trimStartSec, durationSec)) }))
    .filter((w) => w.word && w.start >= 0 && w.start < durationSec && w.end > w.start)
    .sort((a, b) => a.start - b.start)
}

/** How much of a line a word takes, in "Latin letter" units (a CJK character is about two). */
const widthOf = (text: string) => [...text].reduce((n, ch) => n + (detectScript(ch) === 'cjk' ? 2 : 1), 0)

/**
 * Groups of two to five words: a group ends at five words, at a pause, at the end of a sentence,
 * or when it would be wider than `maxChars` on two lines. A lone word left over joins its
 * neighbour (a group of one appears only when the whole clip says one word).
 */
export function speechGroups(words: readonly SpokenWord[], maxChars = 36): SpeechGroup[] {
  const groups: SpokenWord[][] = []
  let current: SpokenWord[] = []
  const close = () => {
    if (current.length) groups.push(current)
    current = []
  }
  for (const w of words) {
    const previous = current.at(-1)
    const pause = previous ? w.start - previous.end >= GROUP_PAUSE_SEC : false
    const width = widthOf(current.map((c) => c.word).join(' ') + ' ' + w.word)
    if (current.length && (current.length >= MAX_GROUP_WORDS || pause || width > maxChars * 2)) close()
    current.push(w)
    if (/[.!?…。！？]$/.test(w.word) && current.length >= MIN_GROUP_WORDS) close()
  }
  close()
  // A single word joins the group before it when that one has room and no pause lies between, else the one after.
  for (let i = 0; i < groups.length; i++) {
    if (groups[i].length >= MIN_GROUP_WORDS || groups.length === 1) continue
    const before = groups[i - 1]
    const after = groups[i + 1]
    const [w] = groups[i]
    if (before && before.length < MAX_GROUP_WORDS + 1 && w.start - before.at(-1)!.end < GROUP_PAUSE_SEC) {
      before.push(w)
      groups.splice(i--, 1)
    } else if (after && after[0].start - w.end < GROUP_PAUSE_SEC) {
      after.unshift(w)
      groups.splice(i--, 1)
    } else if (before && before.length > MIN_GROUP_WORDS) {
      groups[i].unshift(before.pop()!)
    }
  }
  return groups.map((g) => ({ words: g, start: g[0].start, end: Math.max(...g.map((w) => w.end)) }))
}

/** The look of each style's speech captions. Colours are `#rrggbb`. */
export interface SpeechLook {
  /** Fraction of the frame's height per line. */
  size: number
  text: string
  /** The word being said. */
  spoken: string
  /** Box behind the group (BorderStyle 3), or an outline. */
  box: { color: string; opacity: number } | null
  outline: { color: string; width: number } | null
  /** Glow under the letters (neon). */
  glow: string | null
  upperCase: boolean
  /** Where the group sits: its bottom edge, as a fraction of the safe area's height from its top. */
  bottomAt: number
}

export function speechLook(spec: Pick<RenderSpec, 'style' | 'brandColor'>): SpeechLook {
  if (spec.style === 'neon') return { size: 0.05, text: '#ffffff', spoken: '#c6ff00', box: null, outline: { color: '#16001f', width: 5 }, glow: '#22f3ff', upperCase: true, bottomAt: 0.78 }
  if (spec.style === 'corporate') return { size: 0.046, text: '#ffffff', spoken: '#ffd400', box: { color: spec.brandColor, opacity: 0.94 }, outline: null, glow: null, upperCase: false, bottomAt: 0.8 }
  return { size: 0.048, text: '#ffffff', spoken: '#ffd400', box: { color: '#000000', opacity: 0.6 }, outline: null, glow: null, upperCase: false, bottomAt: 1 }
}

const tag = (hex: string) => `&H${hex.slice(5, 7)}${hex.slice(3, 5)}${hex.slice(1, 3)}&`.toUpperCase()
const alpha = (opacity: number) => `&H${Math.round((1 - opacity) * 255).toString(16).padStart(2, '0').toUpperCase()}&`

/** A group's words split into at most two lines that fit `maxChars` each (indices per line). */
function lineBreaks(words: string[], maxChars: number, joiner: string): number[][] {
  const total = widthOf(words.join(joiner))
  if (total <= maxChars || words.length < 2) return [words.map((_, i) => i)]
  // The break that makes the two lines most even.
  let best = 1
  let bestDiff = Infinity
  for (let k = 1; k < words.length; k++) {
    const diff = Math.abs(widthOf(words.slice(0, k).join(joiner)) - widthOf(words.slice(k).join(joiner)))
    if (diff < bestDiff) [best, bestDiff] = [k, diff]
  }
  return [words.slice(0, best).map((_, i) => i), words.slice(best).map((_, i) => i + best)]
}

export interface SpeechEventsInput {
  spec: RenderSpec
  frame: { width: number; height: number }
  safe: Rect
  durationSec: number
}

/** The spec's speech, trimmed and grouped; empty when it has none. */
export function speechGroupsOf(spec: RenderSpec, durationSec: number): SpeechGroup[] {
  const words = spec.speech?.words ?? []
  if (!words.length) return []
  return speechGroups(trimmedWords(words, spec.trim.startSec, durationSec))
}

/** The ASS dialogue lines of the speech captions (layer 6 and up, above every style's own texts). */
export function speechEvents({ spec, frame, safe, durationSec }: SpeechEventsInput): string[] {
  const groups = speechGroupsOf(spec, durationSec)
  if (!groups.length) return []
  const look = speechLook(spec)
  const language = spec.speech?.language ?? spec.language
  const H = frame.height
  const u = Math.min(frame.width, frame.height) / 1080
  const size = Math.round(look.size * H)
  const pad = Math.round(16 * u)
  const width = safe.x1 - safe.x0 - 2 * pad
  const x = Math.round((safe.x0 + safe.x1) / 2)
  const y = Math.round(safe.y0 + (safe.y1 - safe.y0) * look.bottomAt - (look.box ? pad : 0))
  const out: string[] = []
  for (const group of groups) {
    const script: Script = detectScript(group.words.map((w) => w.word).join(''))
    const cjk = script === 'cjk'
    const joiner = cjk ? '' : ' '
    const texts = group.words.map((w) => (look.upperCase ? upper(w.word, language) : w.word))
    // Letters are about 0.56 em wide (0.64 in capitals); CJK characters count as two.
    const maxChars = Math.max(6, Math.floor(width / (size * (look.upperCase ? 0.64 : 0.56))))
    const lines = lineBreaks(texts, maxChars, joiner)
    const family = fontFamily(spec.style, 'text', script, language)
    const base = `\\fn${family}\\b1\\fs${size}\\an2\\pos(${x},${y})\\q2`
    const drawWith = (spoken: number) =>
      lines
        .map((line) =>
          line
            .map((i) => (i === spoken ? `{\\1c${tag(look.spoken)}}${escapeAss(texts[i])}{\\1c${tag(look.text)}}` : escapeAss(texts[i])))
            .join(joiner),
        )
        .join('\\N')
    const style = look.box
      ? `\\1c${tag(look.text)}\\3c${tag(look.box.color)}\\3a${alpha(look.box.opacity)}\\bord${pad}\\shad0`
      : `\\1c${tag(look.text)}\\3c${tag(look.outline!.color)}\\bord${Math.round(look.outline!.width * u)}\\shad0`
    group.words.forEach((w, i) => {
      const start = i === 0 ? group.start : w.start
      const end = i + 1 < group.words.length ? group.words[i + 1].start : group.end
      if (end - start < 0.01) return
      const text = drawWith(i)
      const styleName = look.box ? 'SpeechBox' : 'Speech'
      if (look.glow) out.push(`Dialogue: 6,${ts(start)},${ts(end)},Speech,,0,0,0,,{${base}\\1a&HFF&\\3c${tag(look.glow)}\\bord${Math.round(14 * u)}\\blur${Math.round(10 * u)}}${text.replace(/\{\\1c&H[0-9A-F]{6}&\}/g, '')}`)
      out.push(`Dialogue: 7,${ts(start)},${ts(end)},${styleName},,0,0,0,,{${base}${style}}${text}`)
    })
  }
  return out
}

/**
 * The ASS styles the speech events use (their look is in each event's own tags): `SpeechBox`
 * draws a box behind each line (BorderStyle 3, no override tag can switch it), `Speech` an outline.
 */
export function speechStyleLines(frame: { width: number; height: number }, safe: Rect): string[] {
  const size = Math.round(0.048 * frame.height)
  const margins = `${safe.x0},${frame.width - safe.x1},0,-1`
  return [
    `Style: Speech,Noto Sans,${size},&H00FFFFFF,&H00FFFFFF,&H00000000,&H00000000,-1,0,0,0,100,100,0,0,1,0,0,2,${margins}`,
    `Style: SpeechBox,Noto Sans,${size},&H00FFFFFF,&H00FFFFFF,&H00000000,&H00000000,-1,0,0,0,100,100,0,0,3,0,0,2,${margins}`,
  ]
}
