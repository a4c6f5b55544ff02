/**
 * Signed storage tokens kept out of logged request URLs (#11 item 9): the render server sends its
 * token in `Authorization: Storage …` to `/api/storage/by-header`, and a platform's pull link
 * (TikTok PULL_FROM_URL, Instagram video_url) lives two hours and only while its target is being
 * published, so a logged one is worthless once the platform has the video.
 */
import { env, SELF } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { expiresIn, signedUrl, verifyGrant } from '../lib/signed-url'
import { postInput, PULL_URL_TTL_MS } from '../platforms/post-gateway'
import { scheduledPost } from '../../test/helpers'

const ORIGIN = 'https://reelpilot.test'

describe('a token in the Authorization header', () => {
  it('reads and writes through /api/storage/by-header; the URL carries no token', async () => {
    await env.MEDIA.put('tests/by-header.bin', new Uint8Array([1, 2, 3, 4, 5]))
    const url = await signedUrl(env.UPLOAD_SIGNING_KEY, ORIGIN, { op: 'get', key: 'tests/by-header.bin', contentType: 'application/octet-stream', exp: expiresIn(60_000) })
    const token = new URL(url).pathname.split('/').pop()!
    const res = await SELF.fetch(`${ORIGIN}/api/storage/by-header`, { headers: { authorization: `Storage ${token}`, range: 'bytes=1-2' } })
    expect(res.status, await res.clone().text()).toBe(206)
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([2, 3])

    // Without the header, or with a token that is not ours, nothing is served.
    const bare = await SELF.fetch(`${ORIGIN}/api/storage/by-header`)
    expect(bare.status).toBe(403)
    expect(((await bare.json()) as any).detail).toMatch(/Authorization: Storage/)
    expect((await SELF.fetch(`${ORIGIN}/api/storage/by-header`, { headers: { authorization: `Storage ${token.slice(0, -2)}xx` } })).status).toBe(403)

    // Uploads too (a render server's thumbnail or output): the same grant checks apply.
    const put = await signedUrl(env.UPLOAD_SIGNING_KEY, ORIGIN, { op: 'get', key: 'tests/by-header.bin', contentType: 'application/octet-stream', exp: expiresIn(60_000) })
    const readOnly = await SELF.fetch(`${ORIGIN}/api/storage/by-header`, { method: 'PUT', headers: { authorization: `Storage ${new URL(put).pathname.split('/').pop()}`, 'content-length': '1' }, body: 'x' })
    expect(readOnly.status).toBe(403)
  })
})

describe("a platform's pull link", () => {
  it('lives two hours, reads only that render, and stops once the target has settled', async () => {
    const { postId } = await scheduledPost()
    await env.MEDIA.put('renders/pull-test.mp4', new Uint8Array(64))
    const row = await env.DB.prepare('select * from posts where id = ?').bind(postId).first<any>()
    const post = { ...row, projectId: row.project_id, platformTexts: null, hashtags: [], renderKey: 'renders/pull-test.mp4', renderSize: 64, coverKey: null, callToAction: null, renderDurationSec: 4 }
    const input = await postInput(env, post, 'tiktok')
    const url = input.video.url!
    const token = new URL(url).pathname.split('/').pop()!
    const grant = await verifyGrant(env.UPLOAD_SIGNING_KEY, token)
    expect(grant).toMatchObject({ ok: true, grant: { op: 'pull', postId, platform: 'tiktok', key: 'renders/pull-test.mp4' } })
    const exp = (grant as any).grant.exp * 1000
    expect(exp).toBeLessThanOrEqual(Date.now() + PULL_URL_TTL_MS + 1000)
    expect(PULL_URL_TTL_MS).toBeLessThanOrEqual(2 * 60 * 60_000)

    // While TikTok's target is being published, TikTok can fetch it.
    await env.DB.prepare(`update post_targets set status = 'publishing' where post_id = ? and platform = 'tiktok'`).bind(postId).run()
    expect((await SELF.fetch(url)).status).toBe(200)
    // Once published, the same link is refused: a logged copy is worthless.
    await env.DB.prepare(`update post_targets set status = 'published' where post_id = ? and platform = 'tiktok'`).bind(postId).run()
    const after = await SELF.fetch(url)
    expect(after.status).toBe(403)
    expect(((await after.json()) as any).detail).toMatch(/one upload to a platform/)
    // A pull link cannot write.
    expect((await SELF.fetch(url, { method: 'PUT', headers: { 'content-length': '1' }, body: 'x' })).status).toBe(403)
  })
})
