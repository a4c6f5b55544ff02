/**
 * Tracked links (issue 13): the rules of counting a click on `/l/:code`, pure.
 *
 * A click counts once per visitor, post and platform (the link's code) and day, where a visitor
 * is an address and a browser. What is not a person reading the post is not counted: link
 * previews and crawlers (the platforms fetch every link in a caption), prefetches, HEAD requests,
 * clients that are not browsers. A burst from one network (a script rotating its browser name)
 * counts at most `NETWORK_DAILY_CAP` clicks a day per link. Every request is redirected anyway.
 */

/** The most clicks counted per link, network and day. */
export const NETWORK_DAILY_CAP = 10

/** The length of a link's code (Crockford base-32: 40 bits, never ambiguous when typed). */
export const CODE_LENGTH = 8
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'

/** A new random code. */
export function newLinkCode(random: (n: number) => Uint8Array = (n) => crypto.getRandomValues(new Uint8Array(n))): string {
  return [...random(CODE_LENGTH)].map((b) => ALPHABET[b % 32]).join('')
}

export const isLinkCode = (code: string) => new RegExp(`^[${ALPHABET}]{${CODE_LENGTH}}$`).test(code)

const NOT_A_PERSON =
  /bot|crawl|spider|slurp|preview|facebookexternalhit|facebookcatalog|meta-externalagent|embedly|whatsapp|telegram|discord|skype|vkshare|pinterest|bitlybot|quora link|headless|phantomjs|lighthouse|curl|wget|python|java\/|go-http|okhttp|axios|node-fetch|undici|libwww|httpclient|postman|insomnia/i

/** Why a request is not counted as a click, or null when it is a person's click. */
export function notCounted(request: { method: string; userAgent: string | null; purpose: string | null }): string | null {
  if (request.method !== 'GET') return 'not a GET'
  if (request.purpose && /prefetch|prerender|preview/i.test(request.purpose)) return 'a prefetch'
  const ua = request.userAgent ?? ''
  if (!/^Mozilla\/\d/.test(ua)) return 'not a browser'
  if (NOT_A_PERSON.test(ua)) return 'a crawler or link preview'
  return null
}

/** The network an address belongs to: its /24 for IPv4, its /48 for IPv6. */
export function networkOf(address: string): string {
  // IPv6: the first three groups as written (a '::' among them shortens the prefix: still one network).
  if (address.includes(':')) return `${address.toLowerCase().split(':').slice(0, 3).join(':')}::/48`
  return `${address.split('.').slice(0, 3).join('.')}.0/24`
}

/** The line a post's text carries: the link on a line of its own. */
export const linkLine = (origin: string, code: string) => `${origin}/l/${code}`

/**
 * The line a project's texts are counted with before their post has a code (the API's checks, the
 * captions tool, the composer's counters): as long as the real one will be; null without a link URL.
 */
export const linkLineFor = (origin: string, linkUrl: string | null | undefined) => (linkUrl ? linkLine(origin, 'x'.repeat(CODE_LENGTH)) : null)
