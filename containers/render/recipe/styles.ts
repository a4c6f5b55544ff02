/**
 * The three styles, written as one ASS subtitle document per render. libass (inside FFmpeg's
 * `subtitles` filter, natively and in ffmpeg.wasm) draws it with HarfBuzz shaping, bidi and
 * font fallback, so Arabic and Hebrew run right to left and CJK draws from the right face.
 * Coordinates are in output pixels of the full-size frame (PlayResX/Y); libass scales them
 * when the preview renders smaller, so the preview shows the same layout.
 */
import type { RenderSpec } from './spec.ts'
import { safeRect, type Rect } from './safe-areas.ts'
import { speechEvents, speechGroupsOf, speechStyleLines } from './speech-captions.ts'
import { assTime as ts, callToAction, captionSegments, detectScript, escapeAss, fontFamily, isRtlLanguage, textColorOn, upper, wrapLines, type FontRole } from './text.ts'

export interface Frame {
  width: number
  height: number
}

/** When each text is on screen, in seconds of the output. */
export interface Timeline {
  hook: { text: string; start: number; end: number } | null
  captions: Array<{ text: string; start: number; end: number }>
  cta: { text: string; start: number; end: number } | null
  durationSec: number
}

/** The shortest time a caption segment stays on screen, to be read. */
export const MIN_SEGMENT_SEC = 1.2
/** The longest stretch of a video left without text by the timeline (the "about 2 s"). */
export const MAX_GAP_SEC = 2

/**
 * The beats of a video: the hook at the start, the caption in timed segments through the middle
 * (or the timed captions given, such as captions from speech), the call to action at the end.
 * Every length fits the clip: on a short clip the hook and the call to action get shorter, and
 * a caption too long for the middle keeps only the segments that can be read there. With no
 * middle text at all, the hook stays until the call to action, so the screen is never empty.
 */
export function timeline(spec: RenderSpec, durationSec: number): Timeline {
  const d = durationSec
  const hookText = spec.texts.hook?.trim()
  const ctaText = callToAction(spec.objective, spec.language, spec.texts.callToAction).trim()
  const hookLen = hookText ? Math.min(spec.texts.hookSec, Math.max(1.2, d * 0.3)) : 0
  const ctaLen = ctaText ? Math.min(2.5, Math.max(1, d * 0.22)) : 0
  // A clip too short for both keeps them in proportion.
  const scale = hookLen + ctaLen > d ? d / (hookLen + ctaLen) : 1
  const hookEnd = hookLen * scale
  const ctaStart = d - ctaLen * scale
  const cta = ctaText ? { text: ctaText, start: ctaStart, end: d } : null

  const captions = middleBeats(spec, hookEnd, ctaStart, cta ? cta.start : d)
  let hook = hookText ? { text: hookText, start: 0, end: hookEnd } : null
  // Nothing in the middle: the hook holds until the call to action rather than leaving a gap.
  if (hook && captions.length === 0 && !spec.texts.captions.length) hook = { ...hook, end: ctaStart }
  if (hook && !cta && captions.length === 0) hook = { ...hook, end: d }
  return { hook, captions, cta, durationSec: d }
}

/**
 * The middle of the timeline, between the hook (ending at `hookEnd`) and the call to action
 * (starting at `ctaStart`): the one place where timed captions (`texts.captions`, e.g. captions
 * from speech, each at its own time, cut at `until`) replace the post's caption cut into
 * segments (`texts.body`, spread evenly, as many as can be read in the time there is).
 */
export function middleBeats(spec: RenderSpec, hookEnd: number, ctaStart: number, until: number): Timeline['captions'] {
  if (spec.texts.captions.length) {
    return spec.texts.captions
      .map((c) => ({ text: c.text, start: c.startSec, end: Math.min(c.endSec, until) }))
      .filter((c) => c.end - c.start >= 0.1)
  }
  const middle = ctaStart - hookEnd
  const all = captionSegments(spec.texts.body ?? '')
  const fit = Math.max(0, Math.min(all.length, Math.floor(middle / MIN_SEGMENT_SEC + 1e-9)))
  const chosen = all.slice(0, fit)
  const each = chosen.length ? middle / chosen.length : 0
  return chosen.map((text, i) => ({ text, start: hookEnd + i * each, end: hookEnd + (i + 1) * each }))
}

/** Stretches of the timeline with no text on screen, longer than `minSec`. */
export function gaps(t: Timeline, minSec = MAX_GAP_SEC): Array<{ start: number; end: number }> {
  const spans = [t.hook, ...t.captions, t.cta].filter((s): s is { text: string; start: number; end: number } => !!s).sort((a, b) => a.start - b.start)
  const out: Array<{ start: number; end: number }> = []
  let at = 0
  for (const s of spans) {
    if (s.start - at > minSec) out.push({ start: at, end: s.start })
    at = Math.max(at, s.end)
  }
  if (t.durationSec - at > minSec) out.push({ start: at, end: t.durationSec })
  return out
}

/** `#rrggbb` and an opacity (0..1) as an ASS colour, which is &HAABBGGRR with alpha 0 = opaque. */
export function assColor(hex: string, opacity = 1): string {
  const rr = hex.slice(1, 3)
  const gg = hex.slice(3, 5)
  const bb = hex.slice(5, 7)
  const aa = Math.round((1 - opacity) * 255).toString(16).padStart(2, '0')
  return `&H${aa}${bb}${gg}${rr}`.toUpperCase()
}

/** `#rrggbb` as an ASS override colour (`\\1c&HBBGGRR&`). */
export function assTagColor(hex: string): string {
  return `&H${hex.slice(5, 7)}${hex.slice(3, 5)}${hex.slice(1, 3)}&`.toUpperCase()
}

const r = (n: number) => Math.round(n)

/** The text sizes of every style, as fractions of the frame's height (line height ≈ font size in libass). */
export const TEXT_SIZES = {
  /** At least ~7% of a 9:16 frame's height per line, to read at arm's length. */
  hook: 0.075,
  /** A long hook is made smaller to fit four lines, never below this. */
  hookMin: 0.07,
  caption: 0.045,
  cta: 0.05,
} as const
/** At most this many words on a line of the hook. */
export const HOOK_WORDS_PER_LINE = 6

/** Where a logo goes: the top-right corner of the safe area. Shared with the FFmpeg graph. */
export function logoBox(frame: Frame, safe: Rect): { height: number; x: number; y: number } {
  const height = r(Math.min(frame.width, frame.height) * 0.1)
  return { height, x: safe.x1, y: safe.y0 }
}

interface Ctx {
  spec: RenderSpec
  frame: Frame
  /** One unit: a pixel at 1080 on the short side. */
  u: number
  rtl: boolean
  safe: Rect
  /** Where the top texts start: below the logo when there is one. */
  top: number
  events: string[]
}

/** A dialogue line; `tags` go first in the override block. */
function event(ctx: Ctx, layer: number, start: number, end: number, style: string, tags: string, text: string) {
  ctx.events.push(`Dialogue: ${layer},${ts(start)},${ts(end)},${style},,0,0,0,,{${tags}}${text}`)
}

/**
 * Text prepared for one role: broken into lines that fit the safe area's width at its size
 * (at most `maxWords` a line), escaped, with its font. Line breaks are ours, so libass never
 * wraps a line differently in the preview and the render.
 */
function prepare(ctx: Ctx, raw: string, role: FontRole, size: number, bold: boolean, opts: { maxWords?: number; transform?: (s: string) => string; width?: number } = {}) {
  const script = detectScript(raw)
  const text = opts.transform ? opts.transform(raw) : raw
  const width = opts.width ?? ctx.safe.x1 - ctx.safe.x0
  // Average advance of a letter: ~0.55 em for these sans and serif faces, ~0.64 in capitals.
  const em = opts.transform ? 0.64 : 0.56
  const maxChars = Math.max(6, Math.floor(width / (size * em)))
  const lines = wrapLines(text, opts.maxWords ?? 8, maxChars)
  const family = fontFamily(ctx.spec.style, role, script, ctx.spec.language, role === 'display' ? ctx.spec.font : undefined)
  return { text: lines.map(escapeAss).join('\\N'), lines: lines.length, font: `\\fn${family}\\b${bold ? 1 : 0}`, family }
}

/** The hook's size: the style's, made smaller only when a long hook would need more than four lines. */
function hookPrepare(ctx: Ctx, text: string, bold: boolean, transform?: (s: string) => string, width?: number) {
  let size = TEXT_SIZES.hook * ctx.frame.height
  let p = prepare(ctx, text, 'display', size, bold, { maxWords: HOOK_WORDS_PER_LINE, transform, width })
  const floor = TEXT_SIZES.hookMin * ctx.frame.height
  while (p.lines > 4 && size > floor) {
    size = Math.max(floor, size * 0.95)
    p = prepare(ctx, text, 'display', size, bold, { maxWords: HOOK_WORDS_PER_LINE, transform, width })
  }
  return { ...p, size: Math.ceil(size) }
}

function minimal(ctx: Ctx, t: Timeline) {
  const { frame, safe } = ctx
  const H = frame.height
  const cx = r((safe.x0 + safe.x1) / 2)
  if (t.hook) {
    const p = hookPrepare(ctx, t.hook.text, true)
    event(ctx, 1, t.hook.start, t.hook.end, 'Hook', `${p.font}\\fs${p.size}\\an8\\pos(${cx},${r(ctx.top)})\\fad(250,200)`, p.text)
  }
  for (const c of t.captions) {
    const p = prepare(ctx, c.text, 'text', TEXT_SIZES.caption * H, true, { maxWords: 6 })
    event(ctx, 1, c.start, c.end, 'Caption', `${p.font}\\an2\\pos(${cx},${r(safe.y1 - 0.01 * H)})\\fad(100,100)`, p.text)
  }
  if (t.cta) {
    const p = prepare(ctx, t.cta.text, 'display', TEXT_SIZES.cta * H, true)
    event(ctx, 2, t.cta.start, t.cta.end, 'Cta', `${p.font}\\an5\\pos(${cx},${r(safe.y0 + (safe.y1 - safe.y0) * 0.62)})\\fad(250,0)`, p.text)
  }
}

const NEON_PINK = '#ff2bd6'
const NEON_CYAN = '#22f3ff'
const NEON_LIME = '#c6ff00'
/** The neon letters' dark rim: it keeps them readable on a white or a yellow frame. */
const NEON_RIM = '#16001f'

function neon(ctx: Ctx, t: Timeline) {
  const { frame, u, spec, safe } = ctx
  const H = frame.height
  const cx = r((safe.x0 + safe.x1) / 2)
  const caps = (s: string) => upper(s, spec.language)
  // Each neon text is drawn twice: a blurred thick outline in the colour underneath (the glow)
  // and the letters on top with a dark rim, which keeps them readable on any background.
  const glow = (layer: number, start: number, end: number, style: string, tags: string, text: string, color: string) => {
    event(ctx, layer, start, end, style, `${tags}\\1a&HFF&\\3c${assTagColor(color)}\\bord${r(14 * u)}\\blur${r(10 * u)}`, text)
    event(ctx, layer + 1, start, end, style, `${tags}\\3c${assTagColor(NEON_RIM)}\\bord${r(5 * u)}`, text)
  }
  if (t.hook) {
    const p = hookPrepare(ctx, t.hook.text, true, caps)
    const pop = '\\fscx40\\fscy40\\t(0,180,\\fscx112\\fscy112)\\t(180,280,\\fscx100\\fscy100)\\fad(0,200)'
    glow(1, t.hook.start, t.hook.end, 'Hook', `${p.font}\\fs${p.size}\\an5\\pos(${cx},${r(H * 0.42)})${pop}`, p.text, NEON_PINK)
  }
  for (const c of t.captions) {
    const p = prepare(ctx, c.text, 'text', TEXT_SIZES.caption * H, true, { maxWords: 6 })
    const pop = '\\fscx80\\fscy80\\t(0,120,\\fscx100\\fscy100)'
    glow(3, c.start, c.end, 'Caption', `${p.font}\\an5\\pos(${cx},${r(H * 0.58)})${pop}`, p.text, NEON_CYAN)
  }
  if (t.cta) {
    const p = prepare(ctx, t.cta.text, 'display', TEXT_SIZES.cta * H, true, { transform: caps, width: (safe.x1 - safe.x0) / 1.1 })
    // The pulse grows the text by 10%: its resting box is kept 10% inside the safe area.
    const pulse = '\\t(0,400,\\fscx110\\fscy110)\\t(400,800,\\fscx100\\fscy100)\\t(800,1200,\\fscx110\\fscy110)\\t(1200,1600,\\fscx100\\fscy100)'
    glow(5, t.cta.start, t.cta.end, 'Cta', `${p.font}\\an2\\pos(${cx},${r(safe.y1 - 0.02 * H)})${pulse}`, p.text, NEON_PINK)
  }
}

function corporate(ctx: Ctx, t: Timeline) {
  const { frame, u, rtl, spec, safe } = ctx
  const H = frame.height
  const brand = spec.brandColor
  const onBrand = assTagColor(textColorOn(brand))
  const pad = r(28 * u)
  if (t.hook) {
    const p = hookPrepare(ctx, t.hook.text, true, undefined, safe.x1 - safe.x0 - 2 * pad)
    const x = rtl ? safe.x1 - pad : safe.x0 + pad
    const from = rtl ? frame.width * 1.3 : -frame.width * 0.3
    const y = r(ctx.top + pad)
    const tags = `${p.font}\\fs${p.size}\\an${rtl ? 9 : 7}\\move(${r(from)},${y},${r(x)},${y},0,350)\\1c${onBrand}\\3c${assTagColor(brand)}\\fad(0,250)`
    event(ctx, 2, t.hook.start, t.hook.end, 'Hook', tags, p.text)
  }
  // The lower third: a bar in the brand colour with a white accent line, sliding in from the
  // side the language starts from, on screen only while it carries a caption or the call to action.
  const carried = [...t.captions, ...(t.cta ? [t.cta] : [])]
  if (!carried.length) return
  const barStart = Math.min(...carried.map((c) => c.start))
  const end = t.durationSec
  const capSize = TEXT_SIZES.caption * H
  const barH = r(capSize * 2 + 2 * pad)
  // A card across the safe area's width, its bottom on the safe area's bottom edge.
  const barW = safe.x1 - safe.x0
  const barY = r(safe.y1 - barH)
  const rect = (w: number, h: number) => `m 0 0 l ${r(w)} 0 ${r(w)} ${r(h)} 0 ${r(h)}`
  const barX = rtl ? safe.x1 : safe.x0
  const barFrom = rtl ? frame.width + barW : -barW
  const slide = (y: number) => `\\an${rtl ? 9 : 7}\\move(${r(barFrom)},${y},${r(barX)},${y},0,400)`
  event(ctx, 0, barStart, end, 'Bar', `${slide(barY)}\\1c${assTagColor(brand)}\\1a&H08&\\p1`, rect(barW, barH))
  event(ctx, 1, barStart, end, 'Bar', `${slide(r(barY - 10 * u))}\\1c&HFFFFFF&\\p1`, rect(barW * 0.35, 6 * u))
  const textX = rtl ? safe.x1 - pad : safe.x0 + pad
  const width = safe.x1 - safe.x0 - 2 * pad
  for (const c of t.captions) {
    const p = prepare(ctx, c.text, 'text', capSize * 0.92, true, { maxWords: 6, width })
    event(ctx, 2, c.start, c.end, 'Caption', `${p.font}\\an${rtl ? 6 : 4}\\pos(${r(textX)},${r(barY + barH / 2)})\\1c${onBrand}\\fad(150,100)`, p.text)
  }
  if (t.cta) {
    const p = prepare(ctx, t.cta.text, 'display', TEXT_SIZES.cta * H * 0.9, true, { width })
    event(ctx, 3, t.cta.start, t.cta.end, 'Cta', `${p.font}\\an${rtl ? 6 : 4}\\pos(${r(textX)},${r(barY + barH / 2)})\\1c${onBrand}\\fad(200,0)`, p.text)
  }
}

/** What the texts are drawn around, beyond the spec: a logo in the top corner. */
export interface AssOptions {
  logo?: boolean
}

/** Builds the ASS document that draws a spec's texts for a frame size and output duration. */
export function buildAss(spec: RenderSpec, frame: Frame, durationSec: number, options: AssOptions = {}): string {
  const u = Math.min(frame.width, frame.height) / 1080
  const rtl = isRtlLanguage(spec.language)
  const safe = safeRect(frame, spec.aspect, spec.platforms)
  const logo = options.logo ? logoBox(frame, safe) : null
  const top = safe.y0 + (logo ? logo.height + 0.015 * frame.height : 0.005 * frame.height)
  const ctx: Ctx = { spec, frame, u, rtl, safe, top, events: [] }
  // Captions from speech replace the middle's caption segments: the beats are laid out around
  // them as around timed captions, and they draw themselves (speech-captions.ts).
  const speech = speechGroupsOf(spec, durationSec)
  const beats = speech.length ? { ...spec, texts: { ...spec.texts, captions: speech.map((g) => ({ text: g.words.map((w) => w.word).join(' '), startSec: g.start, endSec: g.end })) } } : spec
  const laid = timeline(beats, durationSec)
  const t = speech.length ? { ...laid, captions: [] } : laid
  if (spec.style === 'minimal') minimal(ctx, t)
  else if (spec.style === 'neon') neon(ctx, t)
  else corporate(ctx, t)
  ctx.events.push(...speechEvents({ spec, frame, safe, durationSec }))

  const W = frame.width
  const H = frame.height
  const white = '&H00FFFFFF'
  const black = (opacity: number) => assColor('#000000', opacity)
  // Style columns: Name, Fontname, Fontsize, Primary, Secondary, Outline, Back, Bold, Italic,
  // Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow,
  // Alignment, MarginL, MarginR, MarginV, Encoding. Encoding -1 lets libass find each line's
  // base direction, so right-to-left text lays out right to left. The margins are the safe
  // area's, so a line libass had to wrap would still stay inside it.
  const mL = safe.x0
  const mR = W - safe.x1
  const hook = r(TEXT_SIZES.hook * H)
  const cap = r(TEXT_SIZES.caption * H)
  const cta = r(TEXT_SIZES.cta * H)
  const styles: Record<typeof spec.style, string[]> = {
    // White letters with a solid dark outline and a soft shadow (hook), white on a dark box
    // (captions), dark on a white box (call to action): readable on white and on black.
    minimal: [
      `Style: Hook,Noto Sans,${hook},${white},${white},${black(0.85)},${black(0.5)},-1,0,0,0,100,100,0,0,1,${r(6 * u)},${r(4 * u)},8,${mL},${mR},0,-1`,
      `Style: Caption,Noto Sans,${cap},${white},${white},${black(0.62)},${black(0)},-1,0,0,0,100,100,0,0,3,${r(14 * u)},0,2,${mL},${mR},0,-1`,
      `Style: Cta,Noto Sans,${cta},&H00111111,${white},${assColor('#ffffff', 0.94)},${black(0)},-1,0,0,0,100,100,0,0,3,${r(20 * u)},0,5,${mL},${mR},0,-1`,
    ],
    neon: [
      `Style: Hook,Noto Sans Display,${hook},${white},${white},${assColor(NEON_RIM)},${black(0)},-1,-1,0,0,100,100,2,0,1,${r(5 * u)},0,5,${mL},${mR},0,-1`,
      `Style: Caption,Noto Sans Display,${cap},${white},${white},${assColor(NEON_RIM)},${black(0)},-1,0,0,0,100,100,1,0,1,${r(5 * u)},0,5,${mL},${mR},0,-1`,
      `Style: Cta,Noto Sans Display,${cta},${assColor(NEON_LIME)},${white},${assColor(NEON_RIM)},${black(0)},-1,-1,0,0,100,100,2,0,1,${r(5 * u)},0,2,${mL},${mR},0,-1`,
    ],
    // The hook sits in a box of the brand colour; the captions and call to action on the bar.
    corporate: [
      `Style: Hook,Noto Serif Display,${hook},${white},${white},${assColor(spec.brandColor)},${black(0)},-1,0,0,0,100,100,0,0,3,${r(22 * u)},0,7,${mL},${mR},0,-1`,
      `Style: Caption,Noto Sans,${cap},${white},${white},${black(0)},${black(0)},-1,0,0,0,100,100,0,0,1,0,0,4,${mL},${mR},0,-1`,
      `Style: Cta,Noto Serif Display,${cta},${white},${white},${black(0)},${black(0)},-1,0,0,0,100,100,0,0,1,0,0,4,${mL},${mR},0,-1`,
      `Style: Bar,Noto Sans,20,${white},${white},${black(0)},${black(0)},0,0,0,0,100,100,0,0,1,0,0,7,0,0,0,-1`,
    ],
  }
  return [
    '[Script Info]',
    '; Made by the Reelpilot render recipe',
    'ScriptType: v4.00+',
    `PlayResX: ${W}`,
    `PlayResY: ${H}`,
    'WrapStyle: 0',
    'ScaledBorderAndShadow: yes',
    'YCbCr Matrix: TV.709',
    '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
    ...styles[spec.style],
    ...(speech.length ? speechStyleLines(frame, safe) : []),
    '',
    '[Events]',
    'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
    ...ctx.events,
    '',
  ].join('\n')
}

/** Every font family an ASS document asks for, so the preview loads just those files. */
export function familiesIn(ass: string): string[] {
  const found = new Set<string>()
  for (const m of ass.matchAll(/\\fn([^\\}]+)/g)) found.add(m[1])
  for (const m of ass.matchAll(/^Style: [^,]+,([^,]+),/gm)) found.add(m[1])
  return [...found]
}
