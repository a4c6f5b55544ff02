/**
 * Text handling shared by every style: which script a text is in, which font family
 * draws it, which way it runs, the call to action per objective and language, and
 * escaping for ASS (the subtitle format libass renders inside FFmpeg).
 */
import type { Objective, StyleName } from './spec.ts'

export type Script = 'latin' | 'arabic' | 'hebrew' | 'cjk'

/**
 * The script a text is written in, to pick its font family. Any Arabic, Hebrew or CJK letter
 * wins over Latin ones (a brand name inside Arabic text is still Arabic text); libass falls
 * back to another font for the few glyphs the chosen one lacks.
 */
export function detectScript(text: string): Script {
  const counts: Record<Script, number> = { latin: 0, arabic: 0, hebrew: 0, cjk: 0 }
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0
    if ((c >= 0x0600 && c <= 0x06ff) || (c >= 0x0750 && c <= 0x077f) || (c >= 0x08a0 && c <= 0x08ff) || (c >= 0xfb50 && c <= 0xfdff) || (c >= 0xfe70 && c <= 0xfeff)) counts.arabic++
    else if ((c >= 0x0590 && c <= 0x05ff) || (c >= 0xfb1d && c <= 0xfb4f)) counts.hebrew++
    else if (
      (c >= 0x1100 && c <= 0x11ff) || (c >= 0x2e80 && c <= 0x9fff) || (c >= 0xac00 && c <= 0xd7af) ||
      (c >= 0xf900 && c <= 0xfaff) || (c >= 0xff00 && c <= 0xffef) || (c >= 0x20000 && c <= 0x2fa1f)
    ) counts.cjk++
    else if (/\p{L}/u.test(ch)) counts.latin++
  }
  let best: Script = 'latin'
  for (const s of ['arabic', 'hebrew', 'cjk'] as const) if (counts[s] > 0 && (best === 'latin' || counts[s] > counts[best])) best = s
  return best
}

/** True for languages written right to left. */
export function isRtlLanguage(language: string): boolean {
  return ['ar', 'he', 'iw', 'fa', 'ur', 'yi', 'ps', 'ckb', 'dv', 'sd', 'ug'].includes(primary(language))
}

function primary(language: string) {
  return language.toLowerCase().split('-')[0]
}

/** Which CJK face: the same ideograph is drawn differently in Japan, Korea and China. */
function cjkRegion(language: string): 'JP' | 'KR' | 'SC' | 'TC' {
  const lang = language.toLowerCase()
  if (lang.startsWith('ja')) return 'JP'
  if (lang.startsWith('ko')) return 'KR'
  if (/^zh-(tw|hk|mo|hant)/.test(lang)) return 'TC'
  return 'SC'
}

/** The two typefaces of a style: `display` for the hook and call to action, `text` for captions. */
export type FontRole = 'display' | 'text'

// Every family here is an open-licence Noto font listed in fonts.ts (npm packages locally,
// Debian's fonts-noto-core and fonts-noto-cjk in the image). Each style keeps its own look in
// every script: minimal is a plain sans, neon a display sans, corporate a serif headline.
const FAMILIES: Record<StyleName, Record<Exclude<Script, 'cjk'>, Record<FontRole, string>>> = {
  minimal: {
    latin: { display: 'Noto Sans', text: 'Noto Sans' },
    arabic: { display: 'Noto Sans Arabic', text: 'Noto Sans Arabic' },
    hebrew: { display: 'Noto Sans Hebrew', text: 'Noto Sans Hebrew' },
  },
  neon: {
    latin: { display: 'Noto Sans Display', text: 'Noto Sans Display' },
    // Not Noto Kufi Arabic: libass draws it as empty boxes once it falls back for a colon.
    arabic: { display: 'Noto Sans Arabic', text: 'Noto Sans Arabic' },
    hebrew: { display: 'Noto Sans Hebrew', text: 'Noto Sans Hebrew' },
  },
  corporate: {
    latin: { display: 'Noto Serif Display', text: 'Noto Sans' },
    arabic: { display: 'Noto Naskh Arabic', text: 'Noto Sans Arabic' },
    hebrew: { display: 'Noto Serif Hebrew', text: 'Noto Sans Hebrew' },
  },
}

/** The font family a style uses for a text in a language; `brand` replaces the Latin display face. */
export function fontFamily(style: StyleName, role: FontRole, script: Script, language: string, brand?: string): string {
  if (brand && script === 'latin' && role === 'display') return brand
  if (script === 'cjk') {
    const region = cjkRegion(language)
    return style === 'corporate' && role === 'display' ? `Noto Serif ${region}` : `Noto Sans ${region}`
  }
  return FAMILIES[style][script][role]
}

// Short, plain calls to action per objective: the one table, drawn by the render and written into
// captions by the Worker's template writer. Languages missing here fall back to English; a
// creator can always write their own with texts.callToAction.
const CTA: Record<string, Record<Objective, string>> = {
  en: { traffic: 'Link in bio', awareness: 'Follow for more', conversion: 'Shop now: link in bio' },
  es: { traffic: 'Enlace en la bio', awareness: 'Síguenos para más', conversion: 'Compra ya: enlace en la bio' },
  fr: { traffic: 'Lien en bio', awareness: 'Abonne-toi pour la suite', conversion: 'Achète maintenant : lien en bio' },
  de: { traffic: 'Link in der Bio', awareness: 'Folge für mehr', conversion: 'Jetzt kaufen: Link in der Bio' },
  pt: { traffic: 'Link na bio', awareness: 'Siga para mais', conversion: 'Compre já: link na bio' },
  it: { traffic: 'Link in bio', awareness: 'Seguici per altro', conversion: 'Acquista ora: link in bio' },
  ru: { traffic: 'Ссылка в профиле', awareness: 'Подпишись, будет ещё', conversion: 'Купить: ссылка в профиле' },
  uk: { traffic: 'Посилання в профілі', awareness: 'Підписуйся, буде ще', conversion: 'Купити: посилання в профілі' },
  ar: { traffic: 'الرابط في الوصف', awareness: 'تابعنا للمزيد', conversion: 'اشترِ الآن: الرابط في الوصف' },
  he: { traffic: 'הקישור בביו', awareness: 'עקבו לעוד', conversion: 'קנו עכשיו: הקישור בביו' },
  zh: { traffic: '链接在简介', awareness: '关注看更多', conversion: '立即购买：链接在简介' },
  ja: { traffic: 'リンクはプロフィールに', awareness: 'フォローしてね', conversion: '今すぐ購入：リンクはプロフィールに' },
  ko: { traffic: '링크는 프로필에', awareness: '팔로우하고 더 보기', conversion: '지금 구매: 링크는 프로필에' },
}

/** The call to action shown at the end: the creator's own, else the objective's in the language. */
export function callToAction(objective: Objective, language: string, custom?: string): string {
  if (custom !== undefined) return custom
  return (CTA[primary(language)] ?? CTA.en)[objective]
}

/**
 * Makes text safe inside an ASS dialogue line: braces would open override blocks and a
 * backslash before n, N or h is a line break or hard space, so neither may reach libass
 * as typed. A typed line break becomes an ASS one.
 */
export function escapeAss(text: string): string {
  return normalizeArabic(text)
    .replace(/\r\n?/g, '\n')
    .replace(/\\/g, '\\\u200b')
    .replace(/\{/g, '(')
    .replace(/\}/g, ')')
    .replace(/\n/g, '\\N')
}

/**
 * Writes tanween fath before a final alef (أولًا) rather than after it (أولاً): both spellings
 * are correct, and libass 0.17 with Noto Arabic draws the second with a dotted circle.
 */
export function normalizeArabic(text: string): string {
  return text.replace(/\u0627\u064b/g, '\u064b\u0627')
}

/**
 * Breaks CJK text into lines of at most `perLine` characters: libass only wraps at spaces,
 * and Chinese and Japanese have none. Other scripts are left to libass's own wrapping.
 */
export function wrapCjk(text: string, perLine: number): string {
  const chars = [...text]
  if (chars.length <= perLine) return text
  const lines: string[] = []
  for (let i = 0; i < chars.length; i += perLine) lines.push(chars.slice(i, i + perLine).join('').trim())
  return lines.join('\n')
}

/**
 * Breaks text into lines of at most `maxWords` words and about `maxChars` characters (a word
 * longer than that gets a line of its own). CJK text, which has no spaces, is cut every
 * `maxChars / 2` characters (each is about twice as wide as a Latin letter).
 */
export function wrapLines(text: string, maxWords: number, maxChars: number): string[] {
  const clean = text.replace(/\s+/g, ' ').trim()
  if (!clean) return []
  if (detectScript(clean) === 'cjk' && !clean.includes(' ')) {
    const per = Math.max(2, Math.floor(maxChars / 2))
    return wrapCjk(clean, per).split('\n')
  }
  const lines: string[] = []
  let line: string[] = []
  for (const word of clean.split(' ')) {
    const next = [...line, word].join(' ')
    if (line.length && (line.length >= maxWords || [...next].length > maxChars)) {
      lines.push(line.join(' '))
      line = [word]
    } else line.push(word)
  }
  if (line.length) lines.push(line.join(' '))
  return lines
}

/**
 * Cuts a caption into on-screen segments of at most `maxWords` words, ending a segment at the
 * end of a sentence or clause where it can. Hashtags, links and emoji are left out: they are
 * for the platform's description, not for the picture.
 */
export function captionSegments(body: string, maxWords = 6): string[] {
  const words = body
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/(^|\s)#[\p{L}\p{N}_]+/gu, ' ')
    .replace(/[\p{Extended_Pictographic}\u{FE0F}\u{200D}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  if (!words) return []
  if (detectScript(words) === 'cjk' && !words.includes(' ')) {
    return words.split(/(?<=[。！？!?；;，,])/u).map((s) => s.trim()).filter(Boolean).flatMap((s) => wrapCjk(s, 12).split('\n'))
  }
  const segments: string[] = []
  let current: string[] = []
  for (const word of words.split(' ')) {
    current.push(word)
    const endsSentence = /[.!?…]$/.test(word)
    const endsClause = /[,;:—–]$/.test(word)
    if (current.length >= maxWords || (endsSentence && current.length >= 2) || (endsClause && current.length >= 4)) {
      segments.push(current.join(' '))
      current = []
    }
  }
  if (current.length) {
    // A lone trailing word joins the segment before it rather than flashing by on its own.
    if (current.length === 1 && segments.length && segments.at(-1)!.split(' ').length < maxWords + 2) segments[segments.length - 1] += ` ${current[0]}`
    else segments.push(current.join(' '))
  }
  return segments.map((s) => s.replace(/[,;:—–]$/, '').trim()).filter((s) => /[\p{L}\p{N}]/u.test(s))
}

/** Relative luminance of a `#rrggbb` colour (WCAG 2). */
export function luminance(hex: string): number {
  const ch = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4))
  return 0.2126 * ch[0] + 0.7152 * ch[1] + 0.0722 * ch[2]
}

/** White or near-black, whichever reads better on a background colour. */
export function textColorOn(hex: string): '#ffffff' | '#111111' {
  const l = luminance(hex)
  // Contrast against white (1.05 / (l + 0.05)) vs against #111 ((l + 0.05) / 0.0566).
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.0566 ? '#ffffff' : '#111111'
}

/** Upper-cases text in scripts that have case, as the neon style wants, respecting the language. */
export function upper(text: string, language: string): string {
  try {
    return text.toLocaleUpperCase(language)
  } catch {
    return text.toUpperCase()
  }
}

/** An ASS event time (h:mm:ss.cc, centiseconds), never negative. */
export function assTime(sec: number): string {
  const cs = Math.max(0, Math.round(sec * 100))
  const h = Math.floor(cs / 360000)
  const m = Math.floor((cs % 360000) / 6000)
  const s = Math.floor((cs % 6000) / 100)
  const c = cs % 100
  return `${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${String(c).padStart(2, '0')}`
}
