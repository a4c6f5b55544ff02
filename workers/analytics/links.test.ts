/**
 * Tracked links (issue 13) through the real Worker: a project's link URL puts `/l/:code` in what
 * the publisher sends (the YouTube stub keeps the description), the link redirects, a click
 * counts once per visitor, previews and a burst from one network do not count as people, and
 * the learner's traffic reward is the clicks at the reward's age.
 */
import { env, SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { call, expectProblem } from '../../test/helpers'
import { connectViaOAuth, duePost, stubAccount, stubState } from '../../test/platform-stubs'
import { createDb } from '../db/client'
import { armsFor } from '../domain/learning'
import { NETWORK_DAILY_CAP } from '../domain/tracked-links'
import { gatewayForPost } from '../platforms/post-gateway'
import { publishStep } from '../queues/publish-consumer'
import { learningOutcomes } from './learning'
import { clicksAtAge } from './links'
import { recordPulls } from './store'

const LINK = 'https://shop.example.com/knives?ref=reel'
const BROWSER = 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1'
const HOUR = 3600_000

async function publishedWithLink() {
  const account = await stubAccount('youtube')
  const { token, project, postId } = await duePost(['youtube'], (token, projectId) => connectViaOAuth(token, projectId, 'youtube', account.accountId))
  const patched = await call('PATCH', `/projects/${project.id}`, { token, body: { linkUrl: LINK } })
  expect(patched.status, patched.text).toBe(200)
  expect(patched.json.linkUrl).toBe(LINK)
  expect(await publishStep(env, { postId, platform: 'youtube', kind: 'publish' }, { gateway: gatewayForPost })).toBe('published')
  const sent = (await stubState(account.accountId)).published.at(-1)
  const description: string = sent.description
  const code = /\/l\/([0-9a-z]{8})$/m.exec(description)?.[1]
  // The link on a line of its own after the text (the hashtags follow it).
  expect(description, 'the published description carries the tracked link').toMatch(new RegExp(`\\n\\n${new URL(env.PUBLIC_URL).origin}/l/[0-9a-z]{8}(\\n|$)`))
  return { token, project, postId, code: code! }
}

const visit = (code: string, address: string, userAgent = BROWSER, init: RequestInit = {}) =>
  SELF.fetch(`https://reelpilot.test/l/${code}`, { redirect: 'manual', ...init, headers: { 'user-agent': userAgent, 'cf-connecting-ip': address, ...(init.headers as Record<string, string>) } })

const clicks = async (token: string, postId: string) => (await call('GET', `/posts/${postId}/metrics`, { token })).json.platforms.find((p: any) => p.platform === 'youtube').linkClicks

describe('tracked links', () => {
  it('carries the link in the published text, redirects, and counts a click once per visitor: not previews, not a burst from one network', { timeout: 120_000 }, async () => {
    const { token, postId, code } = await publishedWithLink()
    expect(await clicks(token, postId)).toBe(0)

    const first = await visit(code, '203.0.113.7')
    expect(first.status).toBe(302)
    expect(first.headers.get('location')).toBe(LINK)
    expect(first.headers.get('cache-control')).toMatch(/no-store/)
    // The same person again, and again: still one click.
    for (let i = 0; i < 3; i++) expect((await visit(code, '203.0.113.7')).status).toBe(302)
    expect(await clicks(token, postId)).toBe(1)
    // Someone else (another network): a second click.
    await visit(code, '192.0.2.44')
    expect(await clicks(token, postId)).toBe(2)

    // The platforms' link previews and crawlers, prefetches, HEAD, scripts: redirected, not counted.
    for (const ua of ['facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'curl/8.5.0', 'WhatsApp/2.23.20.0']) {
      expect((await visit(code, '198.18.0.9', ua)).status).toBe(302)
    }
    expect((await visit(code, '198.18.0.10', BROWSER, { headers: { 'sec-purpose': 'prefetch' } })).status).toBe(302)
    expect((await visit(code, '198.18.0.11', BROWSER, { method: 'HEAD' })).status).toBe(302)
    expect(await clicks(token, postId)).toBe(2)

    // A burst of a thousand requests from one network, each with its own address and browser name.
    for (let i = 0; i < 1000; i += 50) {
      await Promise.all(Array.from({ length: 50 }, (_, j) => visit(code, `198.51.100.${(i + j) % 250}`, `${BROWSER} burst/${i + j}`)))
    }
    expect(await clicks(token, postId)).toBe(2 + NETWORK_DAILY_CAP)

    // Nothing personal is kept: the visitor rows hold hashes, never the address or the browser.
    const rows = await env.DB.prepare('select * from link_visitors where code = ?').bind(code).all<Record<string, string>>()
    expect(rows.results.length).toBe(2 + NETWORK_DAILY_CAP)
    for (const row of rows.results) expect(JSON.stringify(row)).not.toMatch(/203\.0\.113|198\.51\.100|Mozilla|iPhone/)
  })

  it('answers 404 for an unknown code or once the project drops its link, and refuses a link URL that is not a web address', async () => {
    const { token, project, code } = await publishedWithLink()
    expect((await visit('zzzzzzzz', '203.0.113.7')).status).toBe(404)
    expect((await visit('not-a-code', '203.0.113.7')).status).toBe(404)
    for (const linkUrl of ['javascript:alert(1)', 'shop', 'ftp://example.com/x']) {
      const bad = await call('PATCH', `/projects/${project.id}`, { token, body: { linkUrl } })
      expectProblem(bad, 400)
      expect(JSON.stringify(bad.json)).toMatch(/linkUrl/)
    }
    expect((await call('PATCH', `/projects/${project.id}`, { token, body: { linkUrl: null } })).status).toBe(200)
    expect((await visit(code, '203.0.113.7')).status).toBe(404)
  })

  it("counts the link's line in the platform's limit: a description that fits without it is refused (400 naming the field and the link) once the project has a link", async () => {
    const account = await stubAccount('youtube')
    const { token, project, postId } = await duePost(['youtube'], (token, projectId) => connectViaOAuth(token, projectId, 'youtube', account.accountId))
    // 4,990 bytes + a blank line + "#cooking": exactly YouTube's 5,000 bytes without the link.
    const body = { platformTexts: { youtube: { description: 'a'.repeat(4990) } } }
    expect((await call('PATCH', `/posts/${postId}`, { token, body })).status).toBe(200)
    expect((await call('PATCH', `/projects/${project.id}`, { token, body: { linkUrl: LINK } })).status).toBe(200)
    const refused = await call('PATCH', `/posts/${postId}`, { token, body: { platformTexts: { youtube: { description: 'b'.repeat(4990) } } } })
    expectProblem(refused, 400)
    expect(JSON.stringify(refused.json)).toMatch(/platformTexts\.youtube\.description/)
    expect(JSON.stringify(refused.json)).toMatch(/tracked link/)
    // Room for the line ("\n\n" + origin + "/l/" + 8 characters): accepted.
    const room = 2 + `${new URL(env.PUBLIC_URL).origin}/l/`.length + 8
    expect((await call('PATCH', `/posts/${postId}`, { token, body: { platformTexts: { youtube: { description: 'c'.repeat(4990 - room) } } } })).status).toBe(200)
  })

  it("is the traffic objective's reward: the clicks in the reward's age, not shares and saves", async () => {
    const { project, postId, code } = await publishedWithLink()
    const published = Date.parse((await env.DB.prepare("select published_at from post_targets where post_id = ? and platform = 'youtube'").bind(postId).first<{ published_at: string }>())!.published_at)
    // Four clicks within 72 h of publication, one after (counted on the post, not in the reward).
    for (const [i, age] of [1, 5, 30, 70, 80].entries()) await env.DB.prepare('insert into link_clicks (code, clicked_at) values (?, ?)').bind(code, new Date(published + age * HOUR + i).toISOString()).run()
    const db = createDb(env.DB)
    expect((await clicksAtAge(db, project.id, 72 * HOUR)).get(`${postId}|youtube`)).toBe(4)

    const post = (await env.DB.prepare('select style from posts where id = ?').bind(postId).first<{ style: string }>())!
    const arms = armsFor({ timeWindows: ['00:00-23:59'], style: post.style })
    const outcome = async (objective: 'traffic' | 'awareness') => (await learningOutcomes(db, { projectId: project.id, timezone: 'UTC', arms, objective }))['youtube']?.[0]?.value
    // Before the reward's pull: pending, never zero.
    expect(await outcome('traffic')).toBeNull()
    await recordPulls(env.DB, [{ projectId: project.id, postId, platform: 'youtube', pullIndex: 3, pulledAt: new Date(published + 72 * HOUR).toISOString(), day: '2026-12-01', style: post.style, weekday: 0, hour: 12, values: { views: 900, shares: 30, saves: 9 } }])
    expect(await outcome('traffic')).toBe(4)
    expect(await outcome('awareness')).toBe(900)
  })
})
