/**
 * Tracked links in D1 (issue 13): each published post gets a short code per platform when the
 * project has a link URL (`projects.link_url`); `GET /l/:code` redirects there and counts the
 * click (rules in `domain/tracked-links.ts`); the clicks are the traffic objective's result for
 * that post and platform.
 *
 * No personal data is kept: a visitor is an HMAC (keyed by the Worker's signing secret) of the
 * day, address and browser, and its network one of the day and /24 (or /48); both are kept only
 * for the day they were seen and the next (then deleted), so that a visitor counts once. A
 * counted click keeps only its code and time.
 */
import { and, eq, sql } from 'drizzle-orm'
import type { Context } from 'hono'
import type { Db } from '../db/client'
import { projects, trackedLinks } from '../db/schema'
import type { Platform } from '../domain/post-state'
import { isLinkCode, NETWORK_DAILY_CAP, networkOf, newLinkCode, notCounted } from '../domain/tracked-links'
import type { AppEnv } from '../env'
import { log } from '../lib/log'
import { signingKey } from '../lib/signed-url'
import { hmacKey } from '../lib/crypto'

/** The code of a post's link on a platform, made the first time it is asked for; null when the project has no link URL. */
export async function linkCodeFor(db: Db, post: { id: string; projectId: string }, platform: Platform): Promise<string | null> {
  const project = await db.select({ linkUrl: projects.linkUrl }).from(projects).where(eq(projects.id, post.projectId)).get()
  if (!project?.linkUrl) return null
  const existing = () => db.select({ code: trackedLinks.code }).from(trackedLinks).where(and(eq(trackedLinks.postId, post.id), eq(trackedLinks.platform, platform))).get()
  const found = await existing()
  if (found) return found.code
  // Two deliveries at once: the unique (post, platform) keeps one code; both read it back.
  await db.insert(trackedLinks).values({ code: newLinkCode(), projectId: post.projectId, postId: post.id, platform }).onConflictDoNothing().run()
  return (await existing())?.code ?? null
}

async function hmac(secret: string, text: string): Promise<string> {
  const key = await hmacKey(`tracked-link:${secret}`)
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(text)))
  return [...mac.slice(0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('')
}

const COUNT = `insert into link_visitors (code, day, visitor, network, clicked_at)
select ?1, ?2, ?3, ?4, ?5 where (select count(*) from link_visitors where code = ?1 and day = ?2 and network = ?4) < ?6
on conflict (code, day, visitor) do nothing`

/**
 * `GET /l/:code`: a redirect (302) to the project's link URL, counting the click when it is a
 * person's first that day; 404 for an unknown code or a project whose link was removed.
 */
export async function followLink(c: Context<AppEnv>): Promise<Response> {
  const code = c.req.param('code') ?? ''
  const notFound = () => c.text('This link is not in use.', 404, { 'cache-control': 'no-store' })
  if (!isLinkCode(code)) return notFound()
  const d1 = c.env.DB
  const link = await d1
    .prepare('select p.link_url as url from tracked_links l join projects p on p.id = l.project_id where l.code = ?1')
    .bind(code)
    .first<{ url: string | null }>()
  if (!link?.url) return notFound()
  const reason = notCounted({ method: c.req.method, userAgent: c.req.header('user-agent') ?? null, purpose: c.req.header('sec-purpose') ?? c.req.header('purpose') ?? null })
  const address = c.req.header('cf-connecting-ip') ?? c.req.header('x-real-ip') ?? ''
  if (!reason && address) {
    const now = new Date()
    const day = now.toISOString().slice(0, 10)
    const yesterday = new Date(now.getTime() - 86_400_000).toISOString().slice(0, 10)
    const secret = signingKey(c.env)
    const [visitor, network] = await Promise.all([hmac(secret, `${day}|${address}|${c.req.header('user-agent')}`), hmac(secret, `${day}|${networkOf(address)}`)])
    try {
      await d1.batch([
        // Visitors of the days before yesterday are forgotten.
        d1.prepare('delete from link_visitors where day < ?1').bind(yesterday),
        d1.prepare(COUNT).bind(code, day, visitor, network, now.toISOString(), NETWORK_DAILY_CAP),
      ])
    } catch (error) {
      // A click that could not be counted still reaches the creator's page.
      log.error('tracked link click not counted', { code, error: String(error) })
    }
  }
  // Never cached: each visit must reach us to be counted.
  return new Response(null, { status: 302, headers: { location: link.url, 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' } })
}

/** A post's clicks so far per platform; only platforms with a link are present. */
export async function postClicks(d1: D1Database, postId: string): Promise<Partial<Record<Platform, number>>> {
  const rows = await d1
    .prepare('select l.platform as platform, count(c.code) as n from tracked_links l left join link_clicks c on c.code = l.code where l.post_id = ?1 group by l.platform')
    .bind(postId)
    .all<{ platform: Platform; n: number }>()
  return Object.fromEntries(rows.results.map((r) => [r.platform, r.n]))
}

/**
 * Each tracked target of a project (`postId|platform`) with its clicks in the first `ageMs`
 * after its publication: the learner's reward at a fixed age.
 */
export async function clicksAtAge(db: Db, projectId: string, ageMs: number): Promise<Map<string, number>> {
  const rows = await db.all<{ postId: string; platform: string; n: number }>(
    sql`select l.post_id as postId, l.platform as platform, count(c.code) as n
        from tracked_links l
        join post_targets t on t.post_id = l.post_id and t.platform = l.platform
        left join link_clicks c on c.code = l.code and c.clicked_at <= strftime('%Y-%m-%dT%H:%M:%fZ', t.published_at, printf('+%d seconds', ${Math.round(ageMs / 1000)}))
        where l.project_id = ${projectId} and t.published_at is not null
        group by l.post_id, l.platform`,
  )
  return new Map(rows.map((r) => [`${r.postId}|${r.platform}`, r.n]))
}
