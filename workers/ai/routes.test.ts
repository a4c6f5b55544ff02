/**
 * The assistant's tools and routes: answers checked, 4xx naming the field, per-workspace rate
 * limit, captions within the platforms' limits, the rate card's arithmetic from measured
 * analytics (and what it needs without), and the planner writing with the captions tool.
 */
import { createExecutionContext, env } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { openAiStubSettings, scriptAnswers, stubReceived } from '../../test/ai'
import { call, expectProblem, memberWithRole, ownerWithProject, readyClip, unique } from '../../test/helpers'
import { createDb } from '../db/client'
import { autopilotConfigSchema } from '../domain/autopilot-config'
import { INSTAGRAM_MAX_HASHTAGS, textProblems } from '../domain/platform-texts'
import { linkLineFor } from '../domain/tracked-links'
import { planSlot } from '../scheduler/planner'
import { createWorkerApp } from '../app'
import { captionWriterFor, writeCaptions } from './tools/captions'

async function namedClip(workspaceId: string, projectId: string, title: string, topic: string) {
  const id = await readyClip(workspaceId, projectId, title)
  await env.DB.prepare('update media set topic = ? where id = ?').bind(topic, id).run()
  return id
}

async function setAutopilot(token: string, projectId: string, language: string, objective = 'traffic') {
  const res = await call('PUT', `/autopilot/${projectId}`, { token, body: { cadence: 'daily', language, style: 'minimal', objective, timeWindows: ['12:00-13:00'], enabled: false } })
  if (res.status >= 300) throw new Error(res.text)
}

describe('content ideas', () => {
  it("are built from the project's clips and language, by the built-in when nothing is configured, the same on all three routes", async () => {
    const { token, project } = await ownerWithProject('ideas', [])
    await namedClip(project.workspaceId, project.id, 'Sourdough starter', 'feeding a starter')
    await setAutopilot(token, project.id, 'fr')
    const body = { projectId: project.id, count: 4, audienceNotes: 'Beginners who bake on weekends' }
    const res = await call('POST', '/ai-assistant/tools/content-ideas', { token, body })
    expect(res.status).toBe(200)
    expect(res.json.tool).toBe('content-ideas')
    expect(res.json.provider).toMatchObject({ name: 'builtin', label: 'Built-in templates', fallback: false })
    expect(res.json.result.ideas).toHaveLength(4)
    for (const idea of res.json.result.ideas) expect(idea).toEqual({ title: expect.any(String), hook: expect.any(String), format: expect.any(String), why: expect.any(String) })
    expect(res.json.result.ideas.map((i: any) => i.title).join(' ')).toMatch(/feeding a starter/)
    // French templates for a French project.
    expect(res.json.result.ideas.map((i: any) => i.why).join(' ')).toMatch(/ (les|la|le|une?) /)
    const again = await call('POST', '/content-ideas/generate', { token, body })
    expect(again.json).toEqual(res.json)
    const generic = await call('POST', '/ai-assistant/generate', { token, body: { tool: 'content-ideas', input: body } })
    expect(generic.status).toBe(200)
    expect(generic.json).toEqual(res.json)
  })

  it('answers 400 naming the field for bad input, 403 to viewers, 404 to outsiders', async () => {
    const { token, project } = await ownerWithProject('ideas-bad', [])
    expect(expectProblem(await call('POST', '/ai-assistant/tools/content-ideas', { token, body: { projectId: project.id, count: 50 } }), 400).errors).toEqual([{ field: 'count', message: expect.any(String) }])
    expect(expectProblem(await call('POST', '/ai-assistant/generate', { token, body: { tool: 'horoscope', input: {} } }), 400).errors?.[0].field).toBe('tool')
    expect(expectProblem(await call('POST', '/ai-assistant/generate', { token, body: { tool: 'message-generator', input: { projectId: project.id, message: '' } } }), 400).errors?.[0].field).toBe('input.message')
    expect(expectProblem(await call('POST', '/ai-assistant/tools/message-generator', { token, body: { projectId: project.id, message: 'hi', tone: 'rude' } }), 400).errors?.[0].field).toBe('tone')
    const viewer = await memberWithRole(token, project.workspaceId, 'viewer')
    expectProblem(await call('POST', '/ai-assistant/tools/content-ideas', { token: viewer.token, body: { projectId: project.id } }), 403)
    const other = await ownerWithProject('ideas-other', [])
    expectProblem(await call('POST', '/ai-assistant/tools/content-ideas', { token: other.token, body: { projectId: project.id } }), 404)
  })

  it('is rate limited per workspace', async () => {
    const { token, project } = await ownerWithProject('ai-limit', [])
    const statuses: number[] = []
    for (let i = 0; i < 31; i++) statuses.push((await call('POST', '/ai-assistant/tools/message-generator', { token, body: { projectId: project.id, message: `Nice ${i}` } })).status)
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true)
    const over = await call('POST', '/ai-assistant/tools/message-generator', { token, body: { projectId: project.id, message: 'one more' } })
    expect(expectProblem(over, 429).detail).toMatch(/AI requests for this workspace/)
    expect(over.headers.get('retry-after')).toMatch(/^\d+$/)
    // Another workspace has its own budget.
    const other = await ownerWithProject('ai-limit-2', [])
    expect((await call('POST', '/ai-assistant/tools/message-generator', { token: other.token, body: { projectId: other.project.id, message: 'hello' } })).status).toBe(200)
  })
})

describe('message generator', () => {
  it('drafts a reply in the project language with the template filled in', async () => {
    const { token, project } = await ownerWithProject('msg', [])
    await setAutopilot(token, project.id, 'de')
    const res = await call('POST', '/ai-assistant/tools/message-generator', { token, body: { projectId: project.id, message: 'Tolles Video! Welches Mehl?', recipient: 'Lena' } })
    expect(res.status).toBe(200)
    expect(res.json.result.reply).toMatch(/Lena/)
    expect(res.json.result.reply).toMatch(/Gute Frage/)
    const templated = await call('POST', '/ai-assistant/tools/message-generator', { token, body: { projectId: project.id, message: 'Hi', recipient: 'Sam', template: 'Thanks {name}, see you Friday!' } })
    expect(templated.json.result.reply).toBe('Thanks Sam, see you Friday!')
  })
})

describe('captions', () => {
  it('for a clip, per platform, within each limit, by the built-in', async () => {
    const { token, project } = await ownerWithProject('captions', [])
    const clip = await namedClip(project.workspaceId, project.id, 'Knife skills', 'three basic cuts')
    const res = await call('POST', '/ai-assistant/tools/captions', { token, body: { projectId: project.id, mediaId: clip } })
    expect(res.status).toBe(200)
    const { result } = res.json
    expect(Object.keys(result.platformTexts).sort()).toEqual(['instagram', 'tiktok', 'youtube'])
    expect(result.platformTexts.youtube!.title.length).toBeLessThanOrEqual(100)
    for (const l of result.limits) expect(l.length).toBeLessThanOrEqual(l.max)
    expect(result.hashtags.every((h: string) => /^#[\p{L}\p{N}_]+$/u.test(h))).toBe(true)
    expectProblem(await call('POST', '/ai-assistant/tools/captions', { token, body: { projectId: project.id, mediaId: 'med_missing' } }), 404)
    expect(expectProblem(await call('POST', '/ai-assistant/tools/captions', { token, body: { projectId: project.id, mediaId: clip, platforms: ['myspace'] } }), 400).errors?.[0].field).toMatch(/^platforms/)
  })

  it('cuts what a model overwrites to the limits: 30 hashtags, 100-character title, 2,200 characters with the hashtags', async () => {
    const { project } = await ownerWithProject('captions-ai', [])
    const { apiKey, settings } = await openAiStubSettings()
    const long = 'Word '.repeat(440).trim() // 2199 characters
    await scriptAnswers(apiKey, [
      {
        json: {
          hook: 'Three cuts',
          caption: long,
          callToAction: 'Follow',
          hashtags: Array.from({ length: 40 }, (_, i) => `#tag${i}`),
          youtube: { title: 'T'.repeat(140), description: 'é'.repeat(2600) },
          tiktok: { caption: long },
          instagram: { caption: long },
        },
      },
    ])
    const { result, provider } = await writeCaptions({ env: settings, db: createDb(env.DB), workspaceId: project.workspaceId }, {
      language: 'en', style: 'minimal', objective: 'awareness', title: 'Knife skills', topic: 'cuts', tags: [], projectName: 'Kitchen', seed: 's', platforms: ['youtube', 'tiktok', 'instagram'],
    })
    expect(provider.name).toBe('openai')
    expect(result.hashtags).toHaveLength(INSTAGRAM_MAX_HASHTAGS)
    expect(result.platformTexts.youtube!.title.length).toBeLessThanOrEqual(100)
    for (const l of result.limits) expect(l.length, `${l.platform} ${l.field}`).toBeLessThanOrEqual(l.max)
    expect(result.limits.find((l: any) => l.platform === "youtube" && l.field === "description")!.unit).toBe('bytes')
    expect(result.platformTexts.tiktok!.caption.endsWith('…')).toBe(true)
  })

  it('are written by the captions tool when the autopilot plans with a provider configured, and the post records who wrote them', async () => {
    const { token, project } = await ownerWithProject('planner-ai', [])
    await namedClip(project.workspaceId, project.id, 'Knife skills', 'three cuts')
    await namedClip(project.workspaceId, project.id, 'Onion dice', 'dicing fast')
    const { apiKey, settings } = await openAiStubSettings()
    await scriptAnswers(apiKey, [{ json: { hook: 'Cut like a chef', caption: 'Three cuts every cook needs.', callToAction: 'Follow for more', hashtags: ['knife', 'cooking'], youtube: { title: 'Three knife cuts', description: 'The cuts.' }, tiktok: { caption: 'TikTok text' }, instagram: { caption: 'Instagram text' } } }])
    const db = createDb(env.DB)
    const config = autopilotConfigSchema.parse({ cadence: 'daily', language: 'en', style: 'minimal', objective: 'awareness', timeWindows: ['12:00-13:00'] })
    const base = { db, env, projectId: project.id, workspaceId: project.workspaceId, config, connectedPlatforms: ['youtube', 'tiktok'] as const }
    const withAi = await planSlot({ ...base, writer: captionWriterFor(settings, db, project.workspaceId) }, new Date('2027-01-05T12:10:00Z'))
    const row = await env.DB.prepare('select hook, texts_provider, platform_texts, hashtags from posts where id = ?').bind(withAi.postId).first<any>()
    expect(row).toMatchObject({ hook: 'Cut like a chef', texts_provider: 'openai', hashtags: '["#knife","#cooking"]' })
    expect(JSON.parse(row.platform_texts)).toEqual({ youtube: { title: 'Three knife cuts', description: 'The cuts.' }, tiktok: { caption: 'TikTok text' } })
    // The tool was asked for the post's platforms only.
    expect((await stubReceived(apiKey)).requests[0].messages[0].content).toMatch(/for youtube, tiktok,/)
    expect(captionWriterFor(env, db, project.workspaceId)).toBeUndefined()
    const templated = await planSlot(base, new Date('2027-01-06T12:10:00Z'))
    expect((await env.DB.prepare('select texts_provider from posts where id = ?').bind(templated.postId).first<any>()).texts_provider).toBe('builtin')
    expect((await call('GET', `/posts/${withAi.postId}`, { token })).json.textsProvider).toBe('openai')
  })
})

const workerApp = createWorkerApp(async () => new Response('the web app'))

/** One API request with `settings` over the Worker's env (a provider pointed at the stub). */
async function callWith(settings: Record<string, string>, method: string, path: string, token: string, body?: unknown) {
  const res = await workerApp.request(`/api${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) }, { ...env, ...settings }, createExecutionContext())
  const text = await res.text()
  return { status: res.status, headers: res.headers, text, json: text ? JSON.parse(text) : undefined }
}

describe('the per-workspace AI limit', () => {
  it('answers 429 with Retry-After once a workspace spends its budget; another workspace is not affected', async () => {
    const a = await ownerWithProject('ai-limit-a', [])
    const b = await ownerWithProject('ai-limit-b', [])
    // The limiter of 3 a minute stands in for AI_RATE_LIMITER's 30.
    const tiny = { AI_RATE_LIMITER: (env as any).TEST_TINY_LIMITER }
    const ideas = (owner: typeof a) => callWith(tiny as never, 'POST', '/ai-assistant/tools/content-ideas', owner.token, { projectId: owner.project.id, count: 1 })
    for (let i = 0; i < 3; i++) expect((await ideas(a)).status).toBe(200)
    const over = await ideas(a)
    expect(over.status).toBe(429)
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(over.json.detail).toMatch(/Too many AI requests for this workspace/)
    expect((await ideas(b)).status).toBe(200)
  })
})

describe('captions for a post', () => {
  const WRITTEN = {
    hook: 'Cut like a chef',
    caption: 'Trois coupes que tout cuisinier doit connaître.',
    callToAction: 'Abonnez-vous',
    hashtags: ['cuisine', '#couteau'],
    youtube: { title: 'Trois coupes au couteau', description: 'Les coupes, pas à pas.' },
    tiktok: { caption: 'Le texte TikTok' },
    instagram: { caption: 'Le texte Instagram' },
  }

  async function postFor(label: string) {
    const { token, project } = await ownerWithProject(label, ['youtube', 'tiktok'])
    await setAutopilot(token, project.id, 'fr', 'traffic')
    const clip = await namedClip(project.workspaceId, project.id, 'Knife skills', 'three cuts')
    const made = await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt: new Date(Date.now() + 86_400_000).toISOString() } })
    expect(made.status, made.text).toBe(201)
    // As if rendered, so the post waits for its time.
    await env.DB.prepare(`update posts set status = 'scheduled', lease_until = null, render_key = 'r', cover_key = 'c' where id = ?`).bind(made.json.id).run()
    return { token, project, postId: made.json.id as string, before: made.json }
  }

  it("are written for the post's platforms in its language and objective; apply writes them onto it and records the provider", async () => {
    const { token, project, postId, before } = await postFor('post-captions')
    const { apiKey, settings } = await openAiStubSettings()
    await scriptAnswers(apiKey, [{ json: WRITTEN }, { json: WRITTEN }])

    const suggested = await callWith(settings, 'POST', '/ai-assistant/tools/post-captions', token, { postId })
    expect(suggested.status, suggested.text).toBe(200)
    expect(suggested.json).toMatchObject({ tool: 'post-captions', provider: { name: 'openai', fallback: false }, result: { postId, applied: false, hook: 'Cut like a chef', hashtags: ['#cuisine', '#couteau'], language: 'fr' } })
    // Only the platforms the post goes to, each within its limits.
    expect(Object.keys(suggested.json.result.platformTexts).sort()).toEqual(['tiktok', 'youtube'])
    expect(suggested.json.result.limits.map((l: any) => l.platform)).not.toContain('instagram')
    for (const l of suggested.json.result.limits) expect(l.length).toBeLessThanOrEqual(l.max)
    const prompt = (await stubReceived(apiKey)).requests[0].messages[0].content
    expect(prompt).toMatch(/for youtube, tiktok, in French \(fr\), for the objective "traffic" and the "minimal" style/)
    // A suggestion leaves the post as it was.
    const unchanged = (await call('GET', `/posts/${postId}`, { token })).json
    expect(unchanged).toMatchObject({ caption: before.caption, hook: before.hook, textsProvider: 'builtin', status: 'scheduled' })

    const applied = await callWith(settings, 'POST', '/ai-assistant/generate', token, { tool: 'post-captions', input: { postId, apply: true } })
    expect(applied.status, applied.text).toBe(200)
    expect(applied.json.result.applied).toBe(true)
    const after = (await call('GET', `/posts/${postId}`, { token })).json
    expect(after).toMatchObject({
      hook: 'Cut like a chef',
      caption: WRITTEN.caption,
      callToAction: 'Abonnez-vous',
      hashtags: ['#cuisine', '#couteau'],
      platformTexts: { youtube: WRITTEN.youtube, tiktok: WRITTEN.tiktok },
      textsProvider: 'openai',
      // The caption is drawn on the video: it renders again.
      status: 'planned',
    })
    expect(after.platformTexts.instagram).toBeUndefined()
    // The creator's own edit makes the texts theirs.
    expect((await call('PATCH', `/posts/${postId}`, { token, body: { caption: 'Mine now' } })).json.textsProvider).toBeNull()
    expect((await stubReceived(apiKey)).calls).toBe(2)
    expect(project.id).toBeTruthy()
  })

  it("leave room for the project's tracked link when the autopilot plans with the captions tool, so the planned post passes the API's own check", async () => {
    const { token, project } = await ownerWithProject('planner-ai-link', [])
    expect((await call('PATCH', `/projects/${project.id}`, { token, body: { linkUrl: 'https://mykitchen.example/recipes' } })).status).toBe(200)
    await namedClip(project.workspaceId, project.id, 'Knife skills', 'three cuts')
    const { apiKey, settings } = await openAiStubSettings()
    const long = 'Word '.repeat(440).trim() // 2199 characters: over the limit once the link and hashtags are added
    await scriptAnswers(apiKey, [{ json: { ...WRITTEN, caption: long, tiktok: { caption: long }, instagram: { caption: long }, youtube: { title: 'T', description: 'é'.repeat(2490) } } }])
    const db = createDb(env.DB)
    const config = autopilotConfigSchema.parse({ cadence: 'daily', language: 'en', style: 'minimal', objective: 'awareness', timeWindows: ['12:00-13:00'] })
    const planned = await planSlot({ db, env, projectId: project.id, workspaceId: project.workspaceId, config, connectedPlatforms: ['youtube', 'tiktok', 'instagram'], writer: captionWriterFor(settings, db, project.workspaceId) }, new Date('2027-01-05T12:10:00Z'))
    const post = (await call('GET', `/posts/${planned.postId}`, { token })).json
    expect(post.textsProvider).toBe('openai')
    // The same check the API makes on every edit, with the same link line.
    const link = linkLineFor(new URL(env.PUBLIC_URL).origin, 'https://mykitchen.example/recipes')
    expect(textProblems(post, ['youtube', 'tiktok', 'instagram'], link)).toEqual([])
    expect(post.platformTexts.tiktok.caption.length).toBeGreaterThan(2000)
    // So an edit of the hashtags alone is taken (it was refused: the stored caption ran over).
    const edited = await call('PATCH', `/posts/${planned.postId}`, { token, body: { hashtags: post.hashtags } })
    expect(edited.status, edited.text).toBe(200)
  })

  it("leave room for the project's tracked link, so texts a model fills to the limit can be applied", async () => {
    const { token, project, postId } = await postFor('post-captions-link')
    expect((await call('PATCH', `/projects/${project.id}`, { token, body: { linkUrl: 'https://mykitchen.example/recipes' } })).status).toBe(200)
    const { apiKey, settings } = await openAiStubSettings()
    const long = 'Word '.repeat(440).trim() // 2199 characters: over the limit once the link and hashtags are added
    await scriptAnswers(apiKey, [{ json: { ...WRITTEN, caption: long, tiktok: { caption: long }, youtube: { title: 'T', description: 'é'.repeat(2490) } } }])
    const applied = await callWith(settings, 'POST', '/ai-assistant/tools/post-captions', token, { postId, apply: true })
    expect(applied.status, applied.text).toBe(200)
    for (const l of applied.json.result.limits) expect(l.length, `${l.platform} ${l.field}`).toBeLessThanOrEqual(l.max)
    expect((await call('GET', `/posts/${postId}`, { token })).json.textsProvider).toBe('openai')
  })

  it('answers 4xx before any call: unknown or hidden posts, viewers, a post past editing, bad bodies', async () => {
    const { token, project, postId } = await postFor('post-captions-errors')
    const { apiKey, settings } = await openAiStubSettings()
    expectProblem(await callWith(settings, 'POST', '/ai-assistant/tools/post-captions', token, { postId: 'post_missing' }), 404)
    const outsider = await ownerWithProject('post-captions-outsider', [])
    expectProblem(await callWith(settings, 'POST', '/ai-assistant/tools/post-captions', outsider.token, { postId }), 404)
    const viewer = await memberWithRole(token, project.workspaceId, 'viewer')
    expectProblem(await callWith(settings, 'POST', '/ai-assistant/tools/post-captions', viewer.token, { postId }), 403)
    expect(expectProblem(await callWith(settings, 'POST', '/ai-assistant/tools/post-captions', token, { postId, apply: 'yes' }), 400).errors?.[0].field).toBe('apply')
    expect(expectProblem(await callWith(settings, 'POST', '/ai-assistant/generate', token, { tool: 'post-captions', input: {} }), 400).errors?.[0].field).toBe('input.postId')
    await env.DB.prepare(`update posts set status = 'published' where id = ?`).bind(postId).run()
    const late = expectProblem(await callWith(settings, 'POST', '/ai-assistant/tools/post-captions', token, { postId, apply: true }), 409)
    expect(late.detail).toMatch(/This post is published/)
    // Nothing was spent on any of them.
    expect((await stubReceived(apiKey)).calls).toBe(0)
  })
})

describe('pricing optimizer', () => {
  async function seedMetrics(projectId: string, workspaceId: string, platform: string, rows: { views: number; likes: number; comments: number }[]) {
    for (const r of rows) {
      const postId = unique('post')
      await env.DB.prepare(`insert into posts (id, workspace_id, project_id, origin, slot_key, status, scheduled_at, language, style, objective) values (?, ?, ?, 'manual', ?, 'published', '2026-11-01T12:00:00.000Z', 'en', 'minimal', 'awareness')`).bind(postId, workspaceId, projectId, postId).run()
      for (const [metric, value] of Object.entries(r)) {
        await env.DB.prepare('insert into metric_latest (post_id, platform, metric, project_id, value, pull_index, pulled_at) values (?, ?, ?, ?, ?, 3, ?)').bind(postId, platform, metric, projectId, value, '2026-11-03T12:00:00.000Z').run()
      }
    }
  }

  it('says what it needs when there is too little data', async () => {
    const { token, project } = await ownerWithProject('pricing-empty', [])
    await seedMetrics(project.id, project.workspaceId, 'tiktok', [{ views: 1000, likes: 10, comments: 1 }])
    const res = await call('POST', '/ai-assistant/tools/pricing-optimizer', { token, body: { projectId: project.id } })
    expect(res.status).toBe(200)
    expect(res.json.result.card.status).toBe('insufficient_data')
    expect(res.json.result.card.platforms.find((p: any) => p.platform === 'tiktok').needs).toBe('3 published TikTok posts with measured views (has 1)')
    expect(res.json.result.summary).toMatch(/Not enough data/)
  })

  it('prices from the median views and engagement, with the arithmetic and editable CPM', async () => {
    const { token, project } = await ownerWithProject('pricing', [])
    // Median views 10,000; engagement rates 5 %, 6 %, 2 % → median 5 % vs the 4 % benchmark: ×1.25.
    await seedMetrics(project.id, project.workspaceId, 'youtube', [
      { views: 8000, likes: 380, comments: 20 },
      { views: 10000, likes: 560, comments: 40 },
      { views: 30000, likes: 500, comments: 100 },
    ])
    const res = await call('POST', '/ai-assistant/tools/pricing-optimizer', { token, body: { projectId: project.id, cpm: { youtube: { low: 12, high: 20 } } } })
    expect(res.status).toBe(200)
    const yt = res.json.result.card.platforms.find((p: any) => p.platform === 'youtube')
    expect(yt).toMatchObject({ posts: 3, medianViews: 10000, engagementRate: 0.05, engagementMultiplier: 1.25, needs: null, cpm: { low: 12, high: 20 } })
    const dedicated = yt.rates.find((r: any) => r.format === 'dedicated')
    // 10,000 / 1,000 × 12..20 × 1.25 = 150..250
    expect(dedicated).toMatchObject({ low: 150, high: 250 })
    expect(dedicated.arithmetic).toBe('10,000 median views ÷ 1,000 × 12–20 USD CPM × 1.25 (engagement 5 % vs 4 % benchmark: ×1.25) = 150–250 USD')
    expect(yt.rates.find((r: any) => r.format === 'integration')).toMatchObject({ low: 75, high: 125 })
    expect(res.json.result.card.status).toBe('partial')
    expect(res.json.result.card.assumptions[0]).toMatch(/YouTube 12–20/)
    const bad = await call('POST', '/ai-assistant/tools/pricing-optimizer', { token, body: { projectId: project.id, cpm: { youtube: { low: 30, high: 20 } } } })
    expect(expectProblem(bad, 400).errors).toEqual([{ field: 'cpm.youtube.high', message: 'must be at least low' }])
  })
})
