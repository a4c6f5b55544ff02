/**
 * The three styles, written as one ASS subtitle document per render. libass (inside FFmpeg's
 * `subtitles` filter, natively and in ffmpeg.wasm) draws it with HarfBuzz shaping, bidi and
 * font fallback, so Arabic and Hebrew run right to left and CJK draws from the right face.
 * Coordinates are in output pixels of the full-size frame (PlayResX/Y); libass scales them
 * when the preview renders smaller, so the preview shows the same layout.
 */
import type { RenderSpec } from './spec.ts'
import { callToAction, detectScript, escapeAss, fontFamily, isRtlLanguage, upper, wrapCjk, type FontRole } from './text.ts'

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

/** Places the hook, captions and call to action on the output's timeline. */
export function timeline(spec: RenderSpec, durationSec: number): Timeline {
  const hookText = spec.texts.hook?.trim()
  const hook = hookText ? { text: hookText, start: 0, end: Math.min(spec.texts.hookSec, durationSec) } : null
  const ctaText = callToAction(spec.objective, spec.language, spec.texts.callToAction).trim()
  let cta: Timeline['cta'] = null
  if (ctaText) {
    const length = Math.min(2.5, durationSec * 0.35)
    // The call to action waits for the hook to finish when the clip is long enough for both.
    const start = Math.max(durationSec - length, Math.min(hook?.end ?? 0, durationSec - 0.8), 0)
    cta = { text: ctaText, start, end: durationSec }
  }
  const captions = spec.texts.captions
    .map((c) => ({ text: c.text, start: c.startSec, end: Math.min(c.endSec, cta ? cta.start : durationSec) }))
    .filter((c) => c.end - c.start >= 0.1)
  return { hook, captions, cta, durationSec }
}

function ts(sec: number): string {
  const cs = Math.max(0, Math.round(sec * 100))
  const h = Math.floor(cs / 360000)
  const m = Math.floor((cs % 360000) / 6000)
  const s = Math.floor((cs % 6000) / 100)
  const c = cs % 100
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(c).padStart(2, '0')}`
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

interface Ctx {
  spec: RenderSpec
  frame: Frame
  /** One unit: a pixel at 1080 on the short side. */
  u: number
  rtl: boolean
  events: string[]
}

/** A dialogue line; `tags` go first in the override block. */
function event(ctx: Ctx, layer: number, start: number, end: number, style: string, tags: string, text: string) {
  ctx.events.push(`Dialogue: ${layer},${ts(start)},${ts(end)},${style},,0,0,0,,{${tags}}${text}`)
}

/** Text prepared for one role: escaped, wrapped for CJK, with its font. */
function prepare(ctx: Ctx, raw: string, role: FontRole, size: number, bold: boolean, transform?: (s: string) => string) {
  const script = detectScript(raw)
  let text = transform ? transform(raw) : raw
  // libass cannot break CJK lines (no spaces): break them at the width the style leaves.
  if (script === 'cjk') text = wrapCjk(text, Math.max(4, Math.floor((ctx.frame.width * 0.8) / size)))
  const family = fontFamily(ctx.spec.style, role, script, ctx.spec.language)
  return { text: escapeAss(text), font: `\\fn${family}\\b${bold ? 1 : 0}`, family }
}

function minimal(ctx: Ctx, t: Timeline) {
  const { frame, u } = ctx
  const W = frame.width
  const H = frame.height
  if (t.hook) {
    const p = prepare(ctx, t.hook.text, 'display', 84 * u, false)
    event(ctx, 1, t.hook.start, t.hook.end, 'Hook', `${p.font}\\an8\\pos(${r(W / 2)},${r(H * 0.14)})\\fad(300,300)`, p.text)
  }
  for (const c of t.captions) {
    const p = prepare(ctx, c.text, 'text', 54 * u, false)
    event(ctx, 1, c.start, c.end, 'Caption', `${p.font}\\fad(120,120)`, p.text)
  }
  if (t.cta) {
    const p = prepare(ctx, t.cta.text, 'display', 64 * u, true)
    event(ctx, 2, t.cta.start, t.cta.end, 'Cta', `${p.font}\\an5\\pos(${r(W / 2)},${r(H * 0.7)})\\fad(300,0)`, p.text)
  }
}

const NEON_PINK = '#ff2bd6'
const NEON_CYAN = '#22f3ff'
const NEON_LIME = '#c6ff00'

function neon(ctx: Ctx, t: Timeline) {
  const { frame, u, spec } = ctx
  const W = frame.width
  const H = frame.height
  const caps = (s: string) => upper(s, spec.language)
  // Each neon text is drawn twice: a blurred thick outline underneath (the glow) and the
  // crisp letters on top.
  const glow = (layer: number, start: number, end: number, style: string, tags: string, text: string, color: string) => {
    event(ctx, layer, start, end, style, `${tags}\\1a&HFF&\\3c${assTagColor(color)}\\bord${r(10 * u)}\\blur${r(8 * u)}`, text)
    event(ctx, layer + 1, start, end, style, `${tags}\\3c${assTagColor(color)}\\bord${r(3 * u)}`, text)
  }
  if (t.hook) {
    const p = prepare(ctx, t.hook.text, 'display', 104 * u, true, caps)
    const pop = '\\fscx40\\fscy40\\t(0,180,\\fscx112\\fscy112)\\t(180,280,\\fscx100\\fscy100)\\fad(0,200)'
    glow(1, t.hook.start, t.hook.end, 'Hook', `${p.font}\\an5\\pos(${r(W / 2)},${r(H * 0.42)})${pop}`, p.text, NEON_PINK)
  }
  for (const c of t.captions) {
    const p = prepare(ctx, c.text, 'text', 62 * u, true)
    const pop = '\\fscx80\\fscy80\\t(0,120,\\fscx100\\fscy100)'
    glow(3, c.start, c.end, 'Caption', `${p.font}\\an5\\pos(${r(W / 2)},${r(H * 0.64)})${pop}`, p.text, NEON_CYAN)
  }
  if (t.cta) {
    const p = prepare(ctx, t.cta.text, 'display', 76 * u, true, caps)
    const pulse = '\\t(0,400,\\fscx110\\fscy110)\\t(400,800,\\fscx100\\fscy100)\\t(800,1200,\\fscx110\\fscy110)\\t(1200,1600,\\fscx100\\fscy100)'
    glow(5, t.cta.start, t.cta.end, 'Cta', `${p.font}\\an5\\pos(${r(W / 2)},${r(H * 0.8)})${pulse}`, p.text, NEON_PINK)
  }
}

function corporate(ctx: Ctx, t: Timeline) {
  const { frame, u, rtl, spec } = ctx
  const W = frame.width
  const H = frame.height
  const margin = 56 * u
  const barY = H * (H > W ? 0.7 : 0.7)
  const barH = 150 * u
  const barW = W * 0.88
  const brand = spec.brandColor
  if (t.hook) {
    const p = prepare(ctx, t.hook.text, 'display', 80 * u, true)
    const x = rtl ? W - margin : margin
    const from = rtl ? W + W * 0.3 : -W * 0.3
    const y = H * 0.12
    const tags = `${p.font}\\an${rtl ? 9 : 7}\\move(${r(from)},${r(y)},${r(x)},${r(y)},0,350)\\3c${assTagColor(brand)}\\fad(0,250)`
    event(ctx, 2, t.hook.start, t.hook.end, 'Hook', tags, p.text)
  }
  // The lower third: a bar in the brand colour with a white accent line, sliding in from the
  // side the language starts from, present from the first moment to the end.
  const barStart = 0.2
  const end = t.durationSec
  const rect = (w: number, h: number) => `m 0 0 l ${r(w)} 0 ${r(w)} ${r(h)} 0 ${r(h)}`
  const barX = rtl ? W : 0
  const barFrom = rtl ? W + barW : -barW
  event(ctx, 0, barStart, end, 'Bar', `\\an${rtl ? 9 : 7}\\move(${r(barFrom)},${r(barY)},${r(barX)},${r(barY)},0,400)\\1c${assTagColor(brand)}\\1a&H10&\\p1`, rect(barW, barH))
  event(ctx, 1, barStart, end, 'Bar', `\\an${rtl ? 9 : 7}\\move(${r(barFrom)},${r(barY - 8 * u)},${r(barX)},${r(barY - 8 * u)},0,400)\\1c&HFFFFFF&\\p1`, rect(barW * 0.35, 6 * u))
  const textX = rtl ? W - margin : margin
  for (const c of t.captions) {
    const p = prepare(ctx, c.text, 'text', 50 * u, true)
    event(ctx, 2, c.start, c.end, 'Caption', `${p.font}\\an${rtl ? 6 : 4}\\pos(${r(textX)},${r(barY + barH / 2)})\\fad(150,100)`, p.text)
  }
  if (t.cta) {
    const p = prepare(ctx, t.cta.text, 'display', 60 * u, true)
    event(ctx, 3, t.cta.start, t.cta.end, 'Cta', `${p.font}\\an${rtl ? 6 : 4}\\pos(${r(textX)},${r(barY + barH / 2)})\\1c&HFFFFFF&\\fad(200,0)`, p.text)
  }
}

/** Builds the ASS document that draws a spec's texts for a frame size and output duration. */
export function buildAss(spec: RenderSpec, frame: Frame, durationSec: number): string {
  const u = Math.min(frame.width, frame.height) / 1080
  const rtl = isRtlLanguage(spec.language)
  const ctx: Ctx = { spec, frame, u, rtl, events: [] }
  const t = timeline(spec, durationSec)
  if (spec.style === 'minimal') minimal(ctx, t)
  else if (spec.style === 'neon') neon(ctx, t)
  else corporate(ctx, t)

  const W = frame.width
  const H = frame.height
  const white = '&H00FFFFFF'
  const black = (opacity: number) => assColor('#000000', opacity)
  // Style columns: Name, Fontname, Fontsize, Primary, Secondary, Outline, Back, Bold, Italic,
  // Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow,
  // Alignment, MarginL, MarginR, MarginV, Encoding. Encoding -1 lets libass find each line's
  // base direction, so right-to-left text lays out right to left.
  const side = r(W * 0.08)
  const styles: Record<typeof spec.style, string[]> = {
    minimal: [
      `Style: Hook,Noto Sans,${r(84 * u)},${white},${white},${black(0.5)},${black(0.45)},0,0,0,0,100,100,1,0,1,${r(3 * u)},${r(4 * u)},8,${side},${side},0,-1`,
      `Style: Caption,Noto Sans,${r(54 * u)},${white},${white},${black(0.55)},${black(0)},0,0,0,0,100,100,0,0,3,${r(12 * u)},0,2,${side},${side},${r(H * 0.2)},-1`,
      `Style: Cta,Noto Sans,${r(64 * u)},&H00111111,${white},${assColor('#ffffff', 0.92)},${black(0)},-1,0,0,0,100,100,0,0,3,${r(18 * u)},0,5,${side},${side},0,-1`,
    ],
    neon: [
      `Style: Hook,Noto Sans Display,${r(104 * u)},${white},${white},${assColor(NEON_PINK)},${black(0)},-1,-1,0,0,100,100,2,0,1,${r(3 * u)},0,5,${side},${side},0,-1`,
      `Style: Caption,Noto Sans Display,${r(62 * u)},${white},${white},${assColor(NEON_CYAN)},${black(0)},-1,0,0,0,100,100,1,0,1,${r(3 * u)},0,5,${side},${side},0,-1`,
      `Style: Cta,Noto Sans Display,${r(76 * u)},${assColor(NEON_LIME)},${white},${assColor(NEON_PINK)},${black(0)},-1,-1,0,0,100,100,2,0,1,${r(3 * u)},0,5,${side},${side},0,-1`,
    ],
    corporate: [
      `Style: Hook,Noto Serif Display,${r(80 * u)},${white},${white},${assColor(spec.brandColor)},${black(0)},-1,0,0,0,100,100,0,0,3,${r(18 * u)},0,7,${r(W * 0.06)},${r(W * 0.06)},0,-1`,
      `Style: Caption,Noto Sans,${r(50 * u)},${white},${white},${black(0)},${black(0)},-1,0,0,0,100,100,0,0,1,0,0,4,${r(W * 0.06)},${r(W * 0.16)},0,-1`,
      `Style: Cta,Noto Serif Display,${r(60 * u)},${white},${white},${black(0)},${black(0)},-1,0,0,0,100,100,0,0,1,0,0,4,${r(W * 0.06)},${r(W * 0.16)},0,-1`,
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
