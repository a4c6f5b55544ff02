// The tracked link's line (issue 13) counts in each platform's caption limit: a post carrying it
// never goes over TikTok's or Instagram's 2,200 characters or YouTube's 5,000-byte description, and
// the link is never the part cut. Through the publishers' own text functions.
import { describe, expect, it } from 'vitest'
import { measure, textProblems, textsFor, textsWithLink, TEXT_LIMITS } from '../domain/platform-texts'
import { CODE_LENGTH, linkLine } from '../domain/tracked-links'
import { instagramCaption } from './instagram'
import { tiktokCaption } from './tiktok'
import { videoResource } from './youtube'
import type { PublishInput } from './types'

const link = linkLine('https://app.reelpilot.example', 'k3v9qz7m')
const hashtags = ['#kitchen', '#knifeskills', '#cooking']
const input = (texts: { title: string; description: string }): PublishInput => ({
  video: {} as PublishInput['video'],
  ...texts,
  hashtags,
  privacy: 'public',
  madeForKids: false,
  marker: 'rp:post_1:youtube',
})

describe('the tracked link in the caption limits', () => {
  it('a caption at the limit without the link is cut to make room for it, on every platform, the link and hashtags whole', () => {
    // Each platform's text as long as it may be without the link (é is 2 bytes: YouTube counts bytes).
    const words = (n: number, word: string) => Array.from({ length: n }, () => word).join(' ')
    const tags = hashtags.join(' ')
    const post = { hook: 'Knife skills', caption: null, callToAction: null, hashtags, platformTexts: {} as Record<string, unknown> }
    post.platformTexts.tiktok = { caption: words(2200, 'chop').slice(0, 2200 - tags.length - 2) }
    post.platformTexts.instagram = { caption: words(2200, 'dice').slice(0, 2200 - tags.length - 2) }
    post.platformTexts.youtube = { title: 'Knife skills', description: words(1000, 'émincé') }
    const yt = TEXT_LIMITS.youtube[1]
    // Trim YouTube's description to exactly its byte limit with the hashtags.
    let d = (post.platformTexts.youtube as { description: string }).description
    while (measure(yt, `${d}\n\n${tags}`) > 5000) d = d.slice(0, -1)
    ;(post.platformTexts.youtube as { description: string }).description = d
    expect(textProblems(post, ['youtube', 'tiktok', 'instagram'])).toEqual([])
    // With the link they are too long, and the API says so, naming the link.
    const problems = textProblems(post, ['youtube', 'tiktok', 'instagram'], link)
    expect(problems.map((p) => p.field)).toEqual(['platformTexts.youtube.description', 'platformTexts.tiktok.caption', 'platformTexts.instagram.caption'])
    expect(problems[0].message).toContain('tracked link')

    // What the publishers send: within the limit, ending with the link and the hashtags, intact.
    const tiktok = tiktokCaption(input(textsWithLink(textsFor(post, 'tiktok'), 'tiktok', hashtags, link)))
    const instagram = instagramCaption(input(textsWithLink(textsFor(post, 'instagram'), 'instagram', hashtags, link)))
    const youtube = videoResource(input(textsWithLink(textsFor(post, 'youtube'), 'youtube', hashtags, link))).snippet!.description!
    for (const [text, max, unit] of [
      [tiktok, 2200, 'characters'],
      [instagram, 2200, 'characters'],
      [youtube, 5000, 'bytes'],
    ] as const) {
      expect(measure({ unit }, text)).toBeLessThanOrEqual(max)
      expect(text.endsWith(`…\n\n${link}\n\n${tags}`)).toBe(true)
    }
  })

  it('a short text keeps every word, with the link on a line of its own before the hashtags', () => {
    const post = { hook: 'Knife skills in 30 seconds', caption: 'The three cuts every cook needs.', callToAction: 'Follow for more', hashtags }
    expect(tiktokCaption(input(textsWithLink(textsFor(post, 'tiktok'), 'tiktok', hashtags, link)))).toBe(
      `Knife skills in 30 seconds\n\nThe three cuts every cook needs.\n\nFollow for more\n\n${link}\n\n#kitchen #knifeskills #cooking`,
    )
    const yt = textsWithLink(textsFor(post, 'youtube'), 'youtube', hashtags, link)
    expect(yt).toEqual({ title: 'Knife skills in 30 seconds', description: `The three cuts every cook needs.\n\nFollow for more\n\n${link}` })
    // The API counts the line as long as the real one: the same origin and a code of the same length.
    expect(linkLine('https://app.reelpilot.example', 'x'.repeat(CODE_LENGTH)).length).toBe(link.length)
  })
})
