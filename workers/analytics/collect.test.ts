/**
 * Collection against the platform stubs: the real collectors, the real consumer, D1 as it is.
 */
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { call } from '../../test/helpers'
import { addFault, connectViaOAuth, contextFor, duePost, seedItems, setItemMetrics, stubAccount, stubState, updateStubAccount } from '../../test/platform-stubs'
import { createDb } from '../db/client'
import { gatewayForPost } from '../platforms/post-gateway'
import type { Platform } from '../platforms/types'
import { publishStep } from '../queues/publish-consumer'
import { InstagramCollector, TikTokCollector, YouTubeCollector, type CollectContext, type CollectTarget } from './collectors'
import { collectStep } from './consumer'
import { dispatchDuePulls } from './pulls'
import { quotaUsed, takeQuota } from './quota'
import { recordPulls } from './store'

const base = () => env.PLATFORM_API_BASE as string
const HOUR = 3600_000

const targetsFor = (ids: string[]): CollectTarget[] =>
  ids.map((remoteId, i) => ({ postId: `post_${i}`, remoteId, publishedAt: '2026-11-20T12:00:00.000Z', style: 'neon', weekday: 4, hour: 12, durationSec: 20 }))

const ctxFor = (platform: Platform, account: Awaited<ReturnType<typeof stubAccount>>, scopes: string | null = null): CollectContext => ({ ...contextFor(platform, account), scopes, accountSeed: 'prj_test' })

const ANALYTICS = 'https://www.googleapis.com/auth/youtube.upload https://www.googleapis.com/auth/yt-analytics.readonly'

describe('YouTube collector', () => {
  it('reads statistics for 50 ids in one videos.list call and watch time in one Analytics report; hidden likes stay absent', async () => {
    const account = await stubAccount('youtube')
    const ids = await seedItems(account.accountId, 50, { views: 1200, likes: 80, comments: 7, shares: 5, watchMinutes: 310, avgViewDuration: 16, avgViewPercentage: 55.5, subscribersGained: 3 })
    await setItemMetrics(ids[1], { likes: null })
    const collector = new YouTubeCollector({ rootUrl: `${base()}/youtube/`, analyticsUrl: `${base()}/youtube/`, timeoutMs: 1000 })
    const values = await collector.collect(targetsFor(ids), ctxFor('youtube', account, ANALYTICS))
    expect(values.size).toBe(50)
    expect(values.get(ids[0])).toEqual({ views: 1200, likes: 80, comments: 7, shares: 5, watch_time_minutes: 310, avg_view_duration_sec: 16, avg_view_percentage: 55.5, subscribers_gained: 3 })
    expect(values.get(ids[1])).not.toHaveProperty('likes')
    const state = await stubState(account.accountId)
    expect(state.counters.videosList).toBe(1)
    expect(state.counters.analyticsReports).toBe(1)
  })

  it('without the Analytics scope (an older connection) reads the public statistics only, and never calls the Analytics API', async () => {
    const account = await stubAccount('youtube')
    await updateStubAccount(account.accountId, { scopes: ['https://www.googleapis.com/auth/youtube.upload'] })
    const [id] = await seedItems(account.accountId, 1, { views: 10, likes: 1, comments: 0, watchMinutes: 4 })
    const collector = new YouTubeCollector({ rootUrl: `${base()}/youtube/`, analyticsUrl: `${base()}/youtube/`, timeoutMs: 1000 })
    const values = await collector.collect(targetsFor([id]), ctxFor('youtube', account, 'https://www.googleapis.com/auth/youtube.upload'))
    expect(values.get(id)).toEqual({ views: 10, likes: 1, comments: 0 })
    expect((await stubState(account.accountId)).counters.analyticsReports).toBeUndefined()
  })
})

describe('Instagram collector', () => {
  it('reads Reels insights under their current names (saved → saves), leaves out what has no data, and skips a Reel with too few viewers', async () => {
    const account = await stubAccount('instagram')
    const [a, b] = await seedItems(account.accountId, 2, { views: 900, reach: 700, likes: 40, comments: 3, shares: 2, saves: 6, avgWatchTimeMs: 8100 })
    await setItemMetrics(b, { reach: null })
    const collector = new InstagramCollector({ apiUrl: `${base()}/instagram`, timeoutMs: 1000 })
    const first = await collector.collect(targetsFor([a, b]), ctxFor('instagram', account))
    expect(first.get(a)).toEqual({ views: 900, reach: 700, likes: 40, comments: 3, shares: 2, saves: 6, total_interactions: 51, avg_watch_time_ms: 8100 })
    expect(first.get(b)).not.toHaveProperty('reach')
    await addFault(account.accountId, { op: 'insights', kind: 'publish_limit' })
    const second = await collector.collect(targetsFor([a]), ctxFor('instagram', account))
    expect(second.has(a)).toBe(false)
    expect((await stubState(account.accountId)).counters.insights).toBe(3)
  })
})

describe('TikTok collector', () => {
  it('reads 20 videos in one video/query call with the four counts', async () => {
    const account = await stubAccount('tiktok')
    const ids = await seedItems(account.accountId, 20, { views: 5000, likes: 300, comments: 20, shares: 41 })
    const collector = new TikTokCollector({ apiUrl: `${base()}/tiktok`, timeoutMs: 1000 })
    const values = await collector.collect(targetsFor(ids), ctxFor('tiktok', account))
    expect(values.size).toBe(20)
    expect(values.get(ids[19])).toEqual({ views: 5000, likes: 300, comments: 20, shares: 41 })
    expect((await stubState(account.accountId)).counters.videoQuery).toBe(1)
  })
})

/** A post published to a stub account through the real publisher, with its pull schedule started. */
async function publishedOn(platform: Platform) {
  const account = await stubAccount(platform)
  const { token, project, postId } = await duePost([platform], (token, projectId) => connectViaOAuth(token, projectId, platform, account.accountId))
  let step = await publishStep(env, { postId, platform, kind: 'publish' }, { gateway: gatewayForPost })
  // TikTok and Instagram process the video first: poll as the delayed messages would.
  for (let i = 0; step === 'processing' && i < 5; i++) step = await publishStep(env, { postId, platform, kind: 'poll' }, { gateway: gatewayForPost })
  expect(step).toBe('published')
  const pull = await env.DB.prepare('select * from metric_pulls where post_id = ? and platform = ?').bind(postId, platform).first<Record<string, any>>()
  // The schedule is ISO text like every other time (migration 0016).
  expect(pull!.next_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  return { account, token, project, postId, pull: pull!, dueAt: Date.parse(pull!.next_at) }
}

const snapshots = (postId: string) => env.DB.prepare('select metric, value, pull_index from metric_snapshots where post_id = ? order by metric').bind(postId).all<Record<string, any>>()
const daily = (projectId: string) => env.DB.prepare('select metric, sum(value) as value from metric_daily where project_id = ? group by metric order by metric').bind(projectId).all<Record<string, any>>()

describe('the metrics-jobs consumer', () => {
  it('pulls a published YouTube video an hour after publication, writes each metric once however often the message comes, and moves the schedule on', async () => {
    const { project, postId, pull, dueAt } = await publishedOn('youtube')
    expect(pull.next_index).toBe(0)
    const remoteId = (await env.DB.prepare('select remote_id from post_targets where post_id = ?').bind(postId).first<{ remote_id: string }>())!.remote_id
    await setItemMetrics(remoteId, { views: 321, likes: 12, comments: 2 })
    const job = { projectId: project.id, platform: 'youtube' as const, targets: [{ postId, pullIndex: 0 }] }
    const at = dueAt + 1000
    const first = await collectStep(env, job, { now: () => at })
    expect(first).toMatchObject({ status: 'collected', targets: 1 })
    const again = await collectStep(env, job, { now: () => at + 5000 })
    expect(again).toEqual({ status: 'ignored' })
    const rows = (await snapshots(postId)).results
    expect(rows.filter((r) => r.metric === 'views')).toEqual([{ metric: 'views', value: 321, pull_index: 0 }])
    expect((await daily(project.id)).results.find((r) => r.metric === 'views')?.value).toBe(321)
    const moved = await env.DB.prepare('select next_index, next_at, lease_until from metric_pulls where post_id = ?').bind(postId).first<Record<string, any>>()
    expect(moved).toMatchObject({ next_index: 1, lease_until: null })
    expect(Date.parse(moved!.next_at) - Date.parse((await env.DB.prepare('select published_at from post_targets where post_id = ?').bind(postId).first<{ published_at: string }>())!.published_at)).toBe(6 * HOUR)

    // The next pull adds only what was earned since.
    await setItemMetrics(remoteId, { views: 500 })
    await collectStep(env, { ...job, targets: [{ postId, pullIndex: 1 }] }, { now: () => Date.parse(moved!.next_at) + 1000 })
    expect((await daily(project.id)).results.find((r) => r.metric === 'views')?.value).toBe(500)
    const views = (await snapshots(postId)).results.filter((r) => r.metric === 'views').map((r) => r.value)
    expect(views).toEqual([321, 500])
  })

  it('never changes the post when collection fails, and marks a dead grant needs_reconnect', async () => {
    const { account, token, project, postId, dueAt } = await publishedOn('tiktok')
    await updateStubAccount(account.accountId, { expireTokens: true, revokeRefreshToken: true })
    const step = await collectStep(env, { projectId: project.id, platform: 'tiktok', targets: [{ postId, pullIndex: 0 }] }, { now: () => dueAt + 1000 })
    expect(step.status).toBe('deferred')
    const post = await call('GET', `/posts/${postId}`, { token })
    expect(post.json.status).toBe('published')
    expect(post.json.targets[0].status).toBe('published')
    const connection = (await call('GET', `/projects/${project.id}/connections`, { token })).json.data.find((c: any) => c.platform === 'tiktok')
    expect(connection.status).toBe('needs_reconnect')
    expect((await snapshots(postId)).results).toEqual([])
    const deferred = await env.DB.prepare('select next_index, next_at, last_error from metric_pulls where post_id = ?').bind(postId).first<Record<string, any>>()
    expect(deferred!.next_index).toBe(0)
    expect(Date.parse(deferred!.next_at)).toBeGreaterThan(dueAt + 23 * HOUR)
    expect(deferred!.last_error).toMatch(/reconnect/i)
  })

  it('counts the quota before calling: over budget defers the pull without any call', async () => {
    const { account, project, postId, dueAt } = await publishedOn('tiktok')
    const now = dueAt + 1000
    const window = new Date(Math.floor(now / 60_000) * 60_000).toISOString()
    // Spend the whole collection budget of that minute.
    const left = 400 - (await quotaUsed(createDb(env.DB), 'tiktok:video.query', window))
    expect(await takeQuota(createDb(env.DB), [{ budget: 'tiktok:video.query', window, resetAt: Math.floor(now / 60_000) * 60_000 + 60_000, limit: 400, cost: left }])).toEqual({ ok: true })
    const before = (await stubState(account.accountId)).counters.videoQuery ?? 0
    const step = await collectStep(env, { projectId: project.id, platform: 'tiktok', targets: [{ postId, pullIndex: 0 }] }, { now: () => now })
    expect(step).toMatchObject({ status: 'deferred', until: Math.floor(now / 60_000) * 60_000 + 60_000 })
    expect((await stubState(account.accountId)).counters.videoQuery ?? 0).toBe(before)
  })

  it('the scheduler hands due pulls out once: a second alarm at the same time finds them leased', async () => {
    const { project, postId, dueAt } = await publishedOn('instagram')
    const db = createDb(env.DB)
    const first = await dispatchDuePulls(db, env, project.id, dueAt + 1)
    const second = await dispatchDuePulls(db, env, project.id, dueAt + 2)
    expect(first).toMatchObject({ sent: 1, messages: 1 })
    expect(second).toMatchObject({ sent: 0, messages: 0 })
    const leased = await env.DB.prepare('select lease_until from metric_pulls where post_id = ?').bind(postId).first<{ lease_until: string }>()
    expect(leased!.lease_until).toBe(new Date(dueAt + 1 + 30 * 60_000).toISOString())
    // The lease lapses, so a lost message is handed out again.
    expect(first.wakeAt).toBe(dueAt + 1 + 30 * 60_000)
    expect((await dispatchDuePulls(db, env, project.id, dueAt + 31 * 60_000)).sent).toBe(1)
  })
})

describe('the snapshot store', () => {
  it('writes a pull once: the same pull recorded again, or an older one arriving late, changes nothing', async () => {
    const { project, postId } = await publishedOn('youtube')
    const record = (pullIndex: number, views: number) => ({ projectId: project.id, postId, platform: 'youtube' as const, pullIndex, pulledAt: new Date().toISOString(), day: '2026-12-01', style: 'neon', weekday: 1, hour: 12, values: { views, likes: 3 } })
    expect(await recordPulls(env.DB, [record(2, 100)])).toBe(2)
    expect(await recordPulls(env.DB, [record(2, 100)])).toBe(0)
    expect(await recordPulls(env.DB, [record(3, 160)])).toBe(2)
    // Pull 1 arrives after pull 3: its snapshot is kept, but it adds nothing to the rollup or the newest value.
    expect(await recordPulls(env.DB, [record(1, 40)])).toBe(2)
    expect((await daily(project.id)).results).toEqual([
      { metric: 'likes', value: 3 },
      { metric: 'views', value: 160 },
    ])
    const latest = await env.DB.prepare("select value, pull_index from metric_latest where post_id = ? and metric = 'views'").bind(postId).first()
    expect(latest).toEqual({ value: 160, pull_index: 3 })
    // The dashboard's rollups hold the same sums: for the project and per style, weekday and hour, in the day, 8-day and 64-day buckets holding 2026-12-01.
    const rollups = await env.DB.prepare('select dim, span, start, key, metric, value from metric_rollup where project_id = ? order by dim, span, metric').bind(project.id).all<Record<string, any>>()
    const expected = (['all', 'hour', 'style', 'weekday'] as const).flatMap((dim) =>
      ([[1, '2026-12-01'], [8, '2026-11-27'], [64, '2026-10-10']] as const).flatMap(([span, start]) =>
        ['likes', 'views'].map((metric) => ({ dim, span, start, key: { all: '', hour: '12', style: 'neon', weekday: '1' }[dim], metric, value: metric === 'views' ? 160 : 3 })),
      ),
    )
    expect(rollups.results).toEqual(expected)
  })
})
