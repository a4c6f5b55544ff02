/**
 * The text of a post on each platform. A post has one shared text (hook, caption, call to action,
 * hashtags); a creator may write a platform's own text instead (YouTube title and description,
 * TikTok caption, Instagram caption). Pure: the API validates with it, the publishers' input is
 * built with it, and the composer counts each platform's limit with the same functions.
 */
import { z } from 'zod'
import { PLATFORM_NAMES } from '../../containers/render/recipe/vocabulary.ts'
import type { Platform } from './post-state.ts'

/** The texts a creator can write per platform; any left out follow the shared text. */
export interface PlatformTexts {
  youtube?: { title?: string; description?: string }
  tiktok?: { caption?: string }
  instagram?: { caption?: string }
}

export type PlatformTextField = 'title' | 'description' | 'caption'

/** One field of a platform's text and its limit, as the platform counts it. */
export interface TextLimit {
  platform: Platform
  field: PlatformTextField
  label: string
  max: number
  /** How the platform counts: characters (UTF-16 code units, as TikTok and Instagram do) or UTF-8 bytes (YouTube descriptions). */
  unit: 'characters' | 'bytes'
  /** Whether the shared hashtags are counted with this field (they are appended to it when published). */
  withHashtags: boolean
}

/** Each platform's fields in the composer's order, with their limits. */
export const TEXT_LIMITS: Record<Platform, TextLimit[]> = {
  youtube: [
    { platform: 'youtube', field: 'title', label: 'Title', max: 100, unit: 'characters', withHashtags: false },
    { platform: 'youtube', field: 'description', label: 'Description', max: 5000, unit: 'bytes', withHashtags: true },
  ],
  tiktok: [{ platform: 'tiktok', field: 'caption', label: 'Caption', max: 2200, unit: 'characters', withHashtags: true }],
  instagram: [{ platform: 'instagram', field: 'caption', label: 'Caption', max: 2200, unit: 'characters', withHashtags: true }],
}

/** Instagram refuses a caption with more hashtags than this. */
export const INSTAGRAM_MAX_HASHTAGS = 30

const encoder = new TextEncoder()

/** The length of `text` as `limit` counts it. */
export function measure(limit: Pick<TextLimit, 'unit'>, text: string): number {
  return limit.unit === 'bytes' ? encoder.encode(text).length : text.length
}

/** A hashtag as it is stored and published: with its `#`. */
export const hashtag = (tag: string) => (tag.startsWith('#') ? tag : `#${tag}`)

/** Hashtags as a person types them (`#a, b  #c`) → `['#a', '#b', '#c']`. */
export const parseHashtags = (text: string) => text.split(/[\s,]+/).filter(Boolean).map(hashtag)

/**
 * The text a field is published with: the field's own text, then the project's tracked link (on a
 * line of its own, in the fields that carry the hashtags: YouTube's description, the captions),
 * then the hashtags when they go with it.
 */
export function publishedField(limit: Pick<TextLimit, 'withHashtags'>, text: string, hashtags: readonly string[], link?: string | null): string {
  const tags = limit.withHashtags ? hashtags.map(hashtag).join(' ') : ''
  return [text.trim(), limit.withHashtags ? (link ?? '') : '', tags].filter(Boolean).join('\n\n')
}

/**
 * How long a field is once published (its text, the tracked link's line, the hashtags), as its
 * platform counts: the one length the API checks, the captions tool fits to and the composer's
 * counters show.
 */
export function publishedLength(limit: Pick<TextLimit, 'unit' | 'withHashtags'>, text: string, hashtags: readonly string[], link?: string | null): number {
  return measure(limit, publishedField(limit, text, hashtags, link))
}

/** What a post shares across platforms. */
export interface SharedText {
  hook: string | null
  caption: string | null
  callToAction: string | null
}

/** The shared text as each field starts: a title from the hook (or the caption's first line), a body from the caption and call to action. */
export function sharedFields(post: SharedText): { title: string; body: string } {
  const caption = (post.caption ?? '').trim()
  const title = (post.hook ?? caption.split('\n')[0] ?? '').trim() || 'New video'
  const body = [caption === title ? '' : caption, post.callToAction ?? ''].filter(Boolean).join('\n\n')
  return { title, body }
}

/**
 * The title and description a publisher gets for `platform`: the platform's own text where the
 * creator wrote one, else the shared text. TikTok and Instagram publish one caption (title, then
 * description, then hashtags), so a caption of their own replaces both.
 */
export function textsFor(post: SharedText & { platformTexts?: PlatformTexts | null }, platform: Platform): { title: string; description: string } {
  const shared = sharedFields(post)
  const own = post.platformTexts?.[platform]
  if (platform === 'youtube') {
    const yt = own as PlatformTexts['youtube']
    return { title: yt?.title?.trim() || shared.title, description: yt?.description ?? shared.body }
  }
  const caption = (own as { caption?: string } | undefined)?.caption
  return caption !== undefined && caption.trim() ? { title: caption.trim(), description: '' } : { title: shared.title, description: shared.body }
}

/** The text a platform's field starts from in the composer, before the creator writes their own. */
export function startingText(post: SharedText, platform: Platform, field: PlatformTextField): string {
  const shared = sharedFields(post)
  if (platform === 'youtube') return field === 'title' ? shared.title : shared.body
  return [shared.title, shared.body].filter(Boolean).join('\n\n')
}


const ownText = (limit: TextLimit) =>
  z
    .string()
    .refine((t) => measure(limit, t) <= limit.max, `${PLATFORM_NAMES[limit.platform]} takes at most ${limit.max} ${limit.unit} here`)
    .optional()

/** The per-platform texts as the API takes them; each field is checked against its platform's limit (hashtags aside). */
export const platformTextsSchema = z
  .object({
    youtube: z.object({ title: ownText(TEXT_LIMITS.youtube[0]), description: ownText(TEXT_LIMITS.youtube[1]) }).strict().optional(),
    tiktok: z.object({ caption: ownText(TEXT_LIMITS.tiktok[0]) }).strict().optional(),
    instagram: z.object({ caption: ownText(TEXT_LIMITS.instagram[0]) }).strict().optional(),
  })
  .strict()

/**
 * Problems with the texts as they would be published (the field's text plus the hashtags that go
 * with it), as `{field, message}` with the field path the API names (`platformTexts.tiktok.caption`).
 */
export function textProblems(post: SharedText & { platformTexts?: PlatformTexts | null; hashtags: readonly string[] }, platforms: readonly Platform[], link?: string | null): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = []
  for (const platform of platforms) {
    const texts = textsFor(post, platform)
    for (const limit of TEXT_LIMITS[platform]) {
      const text = platform === 'youtube' ? (limit.field === 'title' ? texts.title : texts.description) : [texts.title, texts.description].filter(Boolean).join('\n\n')
      const length = publishedLength(limit, text, post.hashtags, link)
      if (length > limit.max) {
        const withWhat = link && limit.withHashtags ? 'with the hashtags and the tracked link' : 'with the hashtags'
        problems.push({ field: `platformTexts.${platform}.${limit.field}`, message: `is ${length} ${limit.unit} ${withWhat}; ${PLATFORM_NAMES[platform]} takes at most ${limit.max}` })
      }
    }
  }
  if (platforms.includes('instagram') && post.hashtags.length > INSTAGRAM_MAX_HASHTAGS) {
    problems.push({ field: 'hashtags', message: `Instagram takes at most ${INSTAGRAM_MAX_HASHTAGS} hashtags; this post has ${post.hashtags.length}` })
  }
  return problems
}

/**
 * `text` cut (at a word where one is near, with `…`) so that it is within `limit` once published
 * with `hashtags` (and the tracked `link`); unchanged when it already is. For texts written by a
 * model, which may overrun, and for texts written before the project had a link.
 */
export function fitField(limit: Pick<TextLimit, 'unit' | 'max' | 'withHashtags'>, text: string, hashtags: readonly string[], link?: string | null): string {
  const fits = (t: string) => publishedLength(limit, t, hashtags, link) <= limit.max
  if (fits(text)) return text
  const chars = [...text]
  let lo = 0
  let hi = chars.length
  // The longest prefix (plus the ellipsis) that fits.
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2)
    if (fits(`${chars.slice(0, mid).join('').trimEnd()}…`)) lo = mid
    else hi = mid - 1
  }
  const cut = chars.slice(0, lo).join('')
  const space = cut.lastIndexOf(' ')
  const atWord = space > cut.length * 0.8 ? cut.slice(0, space) : cut
  return lo === 0 ? '' : `${atWord.trimEnd()}…`
}

/**
 * The title and description a publisher gets for `platform` with the tracked link on a line of its
 * own after the text (before the hashtags the publisher adds), the text cut where needed so that
 * the whole, link and hashtags included, stays within the platform's limit: the link is never the
 * part that is cut. TikTok and Instagram publish one caption, so their text becomes the title.
 */
export function textsWithLink(texts: { title: string; description: string }, platform: Platform, hashtags: readonly string[], link: string): { title: string; description: string } {
  if (platform === 'youtube') {
    const limit = TEXT_LIMITS.youtube[1]
    return { title: texts.title, description: [fitField(limit, texts.description, hashtags, link).trim(), link].filter(Boolean).join('\n\n') }
  }
  const limit = TEXT_LIMITS[platform][0]
  const caption = [texts.title.trim(), texts.description.trim()].filter(Boolean).join('\n\n')
  return { title: fitField(limit, caption, hashtags, link).trim(), description: link }
}
