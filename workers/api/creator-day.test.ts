/**
 * What the calendar and the composer ask of the API: the autopilot's free slots in a range,
 * moving a post with the posting-window check, per-platform texts with their limits, drafts, and
 * bulk scheduling into the next free slots.
 */
import { env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { nextSlots } from '../domain/slots'
import { autopilotConfigSchema } from '../domain/autopilot-config'
import { postInput } from '../platforms/post-gateway'
import { call, expectProblem, ownerWithProject, readyClip } from '../../test/helpers'

const WINDOWS = { cadence: 'daily', language: 'en', style: 'minimal', objective: 'awareness', timeWindows: ['12:00-14:00'], timezone: 'Europe/Paris' }

async function withAutopilot(extra: Record<string, unknown> = {}) {
  const owner = await ownerWithProject()
  const put = await call('PUT', `/autopilot/${owner.project.id}`, { token: owner.token, body: { ...WINDOWS, ...extra } })
  expect(put.status, put.text).toBe(200)
  return owner
}

/** The next instant at `hour`:`minute` in Paris, at least a day ahead. */
function parisTime(hour: number, minute = 0) {
  const d = new Date(Date.now() + 2 * 86_400_000)
  const utc = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), hour, minute))
  // Paris is UTC+1 or +2: find the instant whose Paris clock reads hour:minute.
  for (const offset of [1, 2]) {
    const t = new Date(utc.getTime() - offset * 3_600_000)
    const clock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(t)
    if (clock === `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`) return t.toISOString()
  }
  throw new Error('no such time')
}

describe('slots for the calendar', () => {
  it('bounds the slots by from and to, and leaves out the slots a post holds when free=true', async () => {
    const { token, project } = await withAutopilot()
    const config = autopilotConfigSchema.parse(WINDOWS)
    const coming = nextSlots(config, { projectId: project.id, after: new Date(), count: 10 })
    const from = coming[2].toISOString()
    const to = new Date(coming[6].getTime() + 1).toISOString()
    const ranged = await call('GET', `/autopilot/${project.id}/slots?count=50&from=${encodeURIComponent(new Date(coming[1].getTime() + 1).toISOString())}&to=${encodeURIComponent(to)}`, { token })
    expect(ranged.json.slots).toEqual(coming.slice(2, 7).map((d) => d.toISOString()))

    // A post at the minute of slot 3 takes it.
    const clip = await readyClip(project.workspaceId, project.id)
    const post = await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt: coming[3].toISOString() } })
    expect(post.status, post.text).toBe(201)
    const free = await call('GET', `/autopilot/${project.id}/slots?count=50&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&free=true`, { token })
    expect(free.json.slots).toEqual([coming[2], coming[4], coming[5], coming[6]].map((d) => d.toISOString()).filter((s) => s > from))
    expectProblem(await call('GET', `/autopilot/${project.id}/slots?from=yesterday`, { token }), 400)
  })
})

describe('moving a post', () => {
  it('accepts a time outside the windows with a warning, and refuses it when the project keeps to its windows', async () => {
    const { token, project } = await withAutopilot()
    const clip = await readyClip(project.workspaceId, project.id)
    const made = await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt: parisTime(12, 30) } })
    expect(made.status, made.text).toBe(201)
    expect(made.json.warnings).toEqual([])
    expect(made.json.outsideWindows).toBeNull()

    const moved = await call('PATCH', `/posts/${made.json.id}`, { token, body: { scheduledAt: parisTime(16, 5) } })
    expect(moved.status, moved.text).toBe(200)
    expect(moved.json.scheduledAt).toBe(parisTime(16, 5))
    expect(moved.json.warnings).toEqual([{ field: 'scheduledAt', message: '16:05 is outside the posting windows 12:00-14:00 (Europe/Paris)' }])
    expect(moved.json.outsideWindows).toBe('16:05 is outside the posting windows 12:00-14:00 (Europe/Paris)')

    const strict = await call('PUT', `/autopilot/${project.id}`, { token, body: { ...WINDOWS, keepToWindows: true } })
    expect(strict.json.config.keepToWindows).toBe(true)
    const refused = expectProblem(await call('PATCH', `/posts/${made.json.id}`, { token, body: { scheduledAt: parisTime(18, 0) } }), 400)
    expect(refused.errors).toEqual([{ field: 'scheduledAt', message: '18:00 is outside the posting windows 12:00-14:00 (Europe/Paris); this project keeps posts inside its windows' }])
    expect((await call('GET', `/posts/${made.json.id}`, { token })).json.scheduledAt).toBe(parisTime(16, 5))
    const inside = await call('PATCH', `/posts/${made.json.id}`, { token, body: { scheduledAt: parisTime(13, 15) } })
    expect(inside.status).toBe(200)
    expect(inside.json.warnings).toEqual([])
    // Made by hand outside the windows: refused the same way.
    expectProblem(await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt: parisTime(9, 0) } }), 400)
  })
})

describe('per-platform texts', () => {
  it('keeps each platform its own text, checks each limit with the hashtags, and publishes it', async () => {
    const { token, project } = await withAutopilot()
    const clip = await readyClip(project.workspaceId, project.id, 'Latte art')
    const platformTexts = { youtube: { title: 'Latte art in 30 seconds', description: 'Milk, espresso, a steady hand.' }, tiktok: { caption: 'POV: your first heart 🫶' } }
    const made = await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt: parisTime(12, 30), hashtags: ['latte'], platformTexts } })
    expect(made.status, made.text).toBe(201)
    expect(made.json.platformTexts).toEqual(platformTexts)

    const row = await env.DB.prepare('select * from posts where id = ?').bind(made.json.id).first<any>()
    const post = { ...row, projectId: row.project_id, platformTexts: JSON.parse(row.platform_texts), hashtags: JSON.parse(row.hashtags), renderKey: 'renders/x.mp4', renderSize: 10, coverKey: null, callToAction: row.call_to_action, renderDurationSec: null }
    expect(await postInput(env, post, 'youtube')).toMatchObject({ title: 'Latte art in 30 seconds', description: 'Milk, espresso, a steady hand.' })
    expect(await postInput(env, post, 'tiktok')).toMatchObject({ title: 'POV: your first heart 🫶', description: '' })
    // Instagram has no text of its own: the shared text.
    const shared = await postInput(env, post, 'instagram')
    expect(shared.title).toBe(row.hook)

    const long = expectProblem(await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, platformTexts: { youtube: { title: 'x'.repeat(101) } } } }), 400)
    expect(long.errors?.[0].field).toBe('platformTexts.youtube.title')
    // 2190 characters fit alone, not with the hashtags TikTok adds to them.
    const withTags = expectProblem(await call('PATCH', `/posts/${made.json.id}`, { token, body: { platformTexts: { tiktok: { caption: 'a'.repeat(2190) } }, hashtags: ['espresso', 'barista'] } }), 400)
    expect(withTags.errors?.[0]).toMatchObject({ field: 'platformTexts.tiktok.caption' })
    expect((await call('GET', `/posts/${made.json.id}`, { token })).json.platformTexts).toEqual(platformTexts)
    expectProblem(await call('PATCH', `/posts/${made.json.id}`, { token, body: { platformTexts: { facebook: { caption: 'x' } } } }), 400)
  })
})

describe('drafts', () => {
  it('saves a post without a time, changes it, and schedules it into a post', async () => {
    const { token, project } = await withAutopilot()
    const clip = await readyClip(project.workspaceId, project.id, 'Pour over')
    const draft = await call('POST', `/projects/${project.id}/drafts`, { token, body: { mediaId: clip, caption: 'Slow coffee', platforms: ['tiktok'] } })
    expect(draft.status, draft.text).toBe(201)
    expect(draft.json).toMatchObject({ mediaId: clip, clip: { title: 'Pour over' }, caption: 'Slow coffee', platforms: ['tiktok'], platformTexts: null })
    // A draft is not a post: nothing on the timeline, nothing to render.
    expect((await call('GET', `/projects/${project.id}/posts`, { token })).json.data).toEqual([])

    const changed = await call('PATCH', `/drafts/${draft.json.id}`, { token, body: { platformTexts: { tiktok: { caption: 'Slow coffee, fast video' } } } })
    expect(changed.json.platformTexts).toEqual({ tiktok: { caption: 'Slow coffee, fast video' } })
    expect((await call('GET', `/projects/${project.id}/drafts`, { token })).json.data.map((d: any) => d.id)).toEqual([draft.json.id])
    expectProblem(await call('PATCH', `/drafts/${draft.json.id}`, { token, body: {} }), 400)
    expectProblem(await call('POST', `/projects/${project.id}/drafts`, { token, body: {} }), 400)

    const scheduled = await call('POST', `/drafts/${draft.json.id}/schedule`, { token, body: { scheduledAt: parisTime(19, 0) } })
    expect(scheduled.status, scheduled.text).toBe(201)
    expect(scheduled.json.warnings).toEqual([{ field: 'scheduledAt', message: '19:00 is outside the posting windows 12:00-14:00 (Europe/Paris)' }])
    const post = (await call('GET', `/posts/${scheduled.json.postId}`, { token })).json
    expect(post).toMatchObject({ caption: 'Slow coffee', scheduledAt: parisTime(19, 0), platformTexts: { tiktok: { caption: 'Slow coffee, fast video' } } })
    expect(post.targets.map((t: any) => t.platform)).toEqual(['tiktok'])
    expectProblem(await call('GET', `/drafts/${draft.json.id}`, { token }), 404)
  })
})

describe('drafts keep the look', () => {
  it('saves the hook, call to action, framing, focus and trim on a draft, changes them, and makes the post with them', async () => {
    const { token, project } = await withAutopilot()
    const clip = await readyClip(project.workspaceId, project.id, 'Crêpes')
    const look = { hook: 'Three crêpe tricks', callToAction: '', framing: 'crop', focus: { x: 0.3, y: 0.5 }, trim: { startSec: 1, endSec: 6 } }
    const draft = await call('POST', `/projects/${project.id}/drafts`, { token, body: { mediaId: clip, ...look } })
    expect(draft.status, draft.text).toBe(201)
    expect(draft.json).toMatchObject({ ...look, speechCaptions: null })
    // A trim past the clip (12.5 s) or a framing that does not exist: refused by name, nothing saved.
    expect(expectProblem(await call('POST', `/projects/${project.id}/drafts`, { token, body: { mediaId: clip, trim: { startSec: 0, endSec: 20 } } }), 400).errors?.[0].field).toBe('trim.endSec')
    expect(expectProblem(await call('PATCH', `/drafts/${draft.json.id}`, { token, body: { trim: { startSec: 0, endSec: 20 } } }), 400).errors?.[0].field).toBe('trim.endSec')
    expectProblem(await call('PATCH', `/drafts/${draft.json.id}`, { token, body: { framing: 'stretch' } }), 400)
    expect((await call('GET', `/projects/${project.id}/drafts`, { token })).json.data).toHaveLength(1)
    // A change leaves the other fields as they were; null goes back to the default.
    const changed = await call('PATCH', `/drafts/${draft.json.id}`, { token, body: { hook: 'Crêpes, three ways', framing: null } })
    expect(changed.json).toMatchObject({ ...look, hook: 'Crêpes, three ways', framing: null })

    const scheduled = await call('POST', `/drafts/${draft.json.id}/schedule`, { token, body: { scheduledAt: parisTime(12, 30) } })
    expect(scheduled.status, scheduled.text).toBe(201)
    const post = (await call('GET', `/posts/${scheduled.json.postId}`, { token })).json
    expect(post).toMatchObject({ hook: 'Crêpes, three ways', callToAction: '', framing: null, focus: { x: 0.3, y: 0.5 }, trim: { startSec: 1, endSec: 6 } })
    expect(post.spec).toMatchObject({ trim: { startSec: 1, durationSec: 5 }, texts: { hook: 'Crêpes, three ways' } })
    // A draft with no look makes a post with the written texts and the defaults.
    const plain = await call('POST', `/projects/${project.id}/drafts`, { token, body: { mediaId: clip } })
    expect(plain.json).toMatchObject({ hook: null, callToAction: null, framing: null, focus: null, trim: null })
  })
})

describe('bulk scheduling', () => {
  it('plans several clips into the next free slots, then makes them on confirm; the autopilot plans nothing else there', async () => {
    const { token, project } = await withAutopilot()
    const clips = [await readyClip(project.workspaceId, project.id, 'One'), await readyClip(project.workspaceId, project.id, 'Two'), await readyClip(project.workspaceId, project.id, 'Three')]
    const free = (await call('GET', `/autopilot/${project.id}/slots?count=3&free=true&from=${encodeURIComponent(new Date(Date.now() + 15 * 60_000).toISOString())}`, { token })).json.slots

    const plan = await call('POST', `/projects/${project.id}/posts/bulk`, { token, body: { mediaIds: clips, confirm: false } })
    expect(plan.status, plan.text).toBe(200)
    expect(plan.json.plan).toEqual(clips.map((mediaId, i) => ({ mediaId, title: ['One', 'Two', 'Three'][i], scheduledAt: free[i] })))
    expect(plan.json.posts).toEqual([])
    expect((await call('GET', `/projects/${project.id}/posts`, { token })).json.data).toEqual([])

    const made = await call('POST', `/projects/${project.id}/posts/bulk`, { token, body: { mediaIds: clips, confirm: true } })
    expect(made.status, made.text).toBe(201)
    expect(made.json.posts.map((p: any) => [p.mediaId, p.scheduledAt])).toEqual(clips.map((c, i) => [c, free[i]]))
    // Those slots are now held: the next bulk goes after them.
    const next = await call('POST', `/projects/${project.id}/posts/bulk`, { token, body: { mediaIds: [clips[0]], confirm: false } })
    expect(Date.parse(next.json.plan[0].scheduledAt)).toBeGreaterThan(Date.parse(free[2]))
    const keys = await env.DB.prepare('select slot_key from posts where project_id = ? order by scheduled_at').bind(project.id).all<{ slot_key: string }>()
    expect(keys.results.map((r) => r.slot_key)).toEqual(free.map((s: string) => `${s.slice(0, 16)}Z`))

    const bad = expectProblem(await call('POST', `/projects/${project.id}/posts/bulk`, { token, body: { mediaIds: [clips[0], 'med_nope'], confirm: true } }), 400)
    expect(bad.errors).toEqual([{ field: 'mediaIds.1', message: 'not found in this project' }])
    expectProblem(await call('POST', `/projects/${project.id}/posts/bulk`, { token, body: { mediaIds: [clips[0], clips[0]], confirm: false } }), 400)
    expect((await call('GET', `/projects/${project.id}/posts`, { token })).json.data).toHaveLength(3)
  })

  it('needs the autopilot: its windows are what bulk scheduling fills', async () => {
    const { token, project } = await ownerWithProject()
    const clip = await readyClip(project.workspaceId, project.id)
    expectProblem(await call('POST', `/projects/${project.id}/posts/bulk`, { token, body: { mediaIds: [clip], confirm: false } }), 409)
  })
})
