/**
 * Rules of the inbox that need no I/O: which comment sources a platform has, and the check that a
 * suggested reply adds no link or contact detail the creator did not write themselves.
 */

export type FlagKind = 'link' | 'email' | 'phone' | 'handle'
export interface ReplyFlag {
  kind: FlagKind
  value: string
}

const PATTERNS: [FlagKind, RegExp][] = [
  ['email', /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu],
  ['link', /\b(?:https?:\/\/|www\.)[^\s<>"')]+|\b[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.(?:com|net|org|io|co|me|ly|app|dev|shop|store|link|gg|tv|fr|de|es|uk|info|biz|xyz)\b(?:\/[^\s<>"')]*)?/giu],
  ['phone', /(?:\+|\b)\d[\d\s().-]{6,}\d\b/g],
  ['handle', /(?:^|[^\p{L}\p{N}_@.])(@[\p{L}\p{N}_.]{2,30})/gu],
]

const normalize = (value: string) => value.toLowerCase().replace(/^https?:\/\//, '').replace(/^www\./, '').replace(/[\s().-]/g, '').replace(/\/$/, '')

/** The links, e-mail addresses, phone numbers and @handles in `text`. */
export function contactDetails(text: string): ReplyFlag[] {
  const found: ReplyFlag[] = []
  const emails = new Set<string>()
  for (const [kind, pattern] of PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const value = (kind === 'handle' ? match[1] : match[0]).trim()
      if (kind === 'email') emails.add(value)
      // The domain of an address is not a link of its own.
      if (kind === 'link' && [...emails].some((e) => e.endsWith(value) || e.includes(value))) continue
      if (kind === 'handle' && [...emails].some((e) => e.includes(value.slice(1)))) continue
      if (!found.some((f) => f.kind === kind && normalize(f.value) === normalize(value))) found.push({ kind, value })
    }
  }
  return found
}

/**
 * What a suggested reply contains that none of the creator's own texts (their captions, the
 * template they gave, their project description) contains: a model may invent a link or an
 * address, or copy one from the comment it answers. Those are flagged for the creator to check.
 */
export function unrequestedDetails(reply: string, creatorTexts: readonly (string | null | undefined)[]): ReplyFlag[] {
  const own = new Set(creatorTexts.flatMap((t) => (t ? contactDetails(t) : [])).map((f) => normalize(f.value)))
  return contactDetails(reply).filter((f) => !own.has(normalize(f.value)))
}
