/**
 * The AI assistant's routes: one per tool under `/ai-assistant/tools/*`, `/ai-assistant/generate`
 * dispatching `{tool, input}` to the same tools, and `/content-ideas/generate`. Every answer names
 * the provider that wrote it (the built-in is "Built-in templates", marked `fallback` when it stood
 * in for a failing provider). Editors only (it spends the workspace's AI usage); rate limited per
 * workspace (`AI_RATE_LIMITER`).
 */
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { and, eq } from 'drizzle-orm'
import { requireProject } from '../api/access'
import { commonErrors, createRouter, errorResponses, json, jsonBody, parseInput, security } from '../api/openapi'
import { medianByPlatform } from '../analytics/queries'
import { media, postTargets } from '../db/schema'
import { editPost, linkLineOf, loadPost } from '../api/posts'
import { PLATFORMS, VIDEO_EDITABLE_POST_STATUSES } from '../domain/post-state'
import { recentHooks } from '../scheduler/planner'
import type { AppEnv } from '../env'
import { conflict, HttpError, notFound } from '../lib/errors'
import { limitAiRequests } from './limit'
import { projectFacts } from './project'
import { runTask, type AiContext, type StreamHooks } from './run'
import { CaptionsResultSchema, writeCaptions, type CaptionsInput } from './tools/captions'
import { IdeasOutputSchema, ideasTask } from './tools/ideas'
import { MessageInputSchema, MessageOutputSchema, messageTask } from './tools/message'
import { CpmRangeSchema, DEFAULT_CPM, pricingNotesTask, rateCard, RateCardSchema } from './tools/pricing'
import { PROVIDER_NAMES } from './types'

const tags = ['AI assistant']
const ProjectId = z.string().min(1).max(64).openapi({ example: 'prj_0123456789abcdefghjk' })

export const ProviderInfoSchema = z
  .object({
    name: z.enum(PROVIDER_NAMES),
    model: z.string(),
    label: z.string().openapi({ description: 'What the pages show; the built-in is "Built-in templates", never AI' }),
    fallback: z.boolean().openapi({ description: 'The configured provider failed and the built-in answered instead' }),
    reason: z.string().optional(),
  })
  .openapi('AiProvider')

export const IdeasBody = z.object({
  projectId: ProjectId,
  count: z.number().int().min(1).max(10).default(5),
  audienceNotes: z.string().trim().max(2000).optional().openapi({ description: 'Who watches and what they ask for' }),
})
export const CaptionsBody = z.object({
  projectId: ProjectId,
  mediaId: z.string().min(1).max(64),
  platforms: z.array(z.enum(PLATFORMS)).min(1).max(3).optional().openapi({ description: 'Default: all three' }),
})
export const PostCaptionsBody = z.object({
  postId: z.string().min(1).max(64).openapi({ example: 'post_0123456789abcdefghjk' }),
  apply: z.boolean().default(false).openapi({
    description: "Write the texts onto the post (as `PATCH /posts/{id}` would: checked against its platforms' limits, rendered again since the caption is drawn); the post's `textsProvider` then names who wrote them. Default: only suggest",
  }),
})
export const PostCaptionsResultSchema = CaptionsResultSchema.extend({
  postId: z.string(),
  applied: z.boolean().describe("The texts are now the post's"),
}).meta({ id: 'PostCaptions', description: "A post's texts for its own platforms, within their limits" })
export const MessageBody = MessageInputSchema.extend({ projectId: ProjectId, language: z.string().trim().min(2).max(16).optional() })
export const PricingBody = z.object({
  projectId: ProjectId,
  currency: z.enum(['USD', 'EUR', 'GBP']).default('USD'),
  cpm: z
    .object({ youtube: CpmRangeSchema.optional(), tiktok: CpmRangeSchema.optional(), instagram: CpmRangeSchema.optional() })
    .strict()
    .optional()
    .openapi({ description: `CPM per 1,000 views; defaults ${JSON.stringify(DEFAULT_CPM)}` }),
  benchmarkEngagementRate: z.number().min(0.001).max(1).default(0.04),
})

type C = Context<AppEnv>

/** The stream hooks of a request to POST /ai-assistant/stream (stream.ts), read by the tools' context. */
export const streamHooks = new WeakMap<C, StreamHooks>()

/** The project (editor), the workspace's AI budget, and the context the tools run in. */
async function start(c: C, projectId: string) {
  const { project } = await requireProject(c, projectId, 'projects.write')
  await limitAiRequests(c.env, project.workspaceId)
  const db = c.get('db')
  const ctx: AiContext = { env: c.env, db, workspaceId: project.workspaceId, stream: streamHooks.get(c) }
  return { project, db, ctx, facts: await projectFacts(db, project) }
}

async function contentIdeas(c: C, body: z.output<typeof IdeasBody>) {
  const { ctx, facts } = await start(c, body.projectId)
  const { output, provider } = await runTask(ctx, ideasTask, {
    projectName: facts.name,
    projectDescription: facts.description,
    language: facts.language,
    objective: facts.objective,
    style: facts.style,
    audienceNotes: body.audienceNotes ?? null,
    clips: facts.clips.map(({ title, topic }) => ({ title, topic })),
    count: body.count,
  })
  return { provider, result: { ideas: output.ideas.slice(0, body.count) } }
}

async function captions(c: C, body: z.output<typeof CaptionsBody>) {
  const { ctx, facts, db, project } = await start(c, body.projectId)
  const clip = await db.select().from(media).where(and(eq(media.id, body.mediaId), eq(media.projectId, body.projectId))).get()
  if (!clip) throw notFound('Clip')
  if (clip.status !== 'ready') throw new HttpError(409, `The clip is ${clip.status}: captions are written for ready clips.`, { errors: [{ field: 'mediaId', message: `is ${clip.status}` }] })
  const { result, provider } = await writeCaptions(ctx, {
    language: facts.language,
    style: facts.style as never,
    objective: facts.objective,
    ...clipFacts(clip),
    projectName: facts.name,
    projectDescription: facts.description,
    recentHooks: await recentHooks(db, body.projectId),
    seed: `${body.projectId}:${clip.id}:assistant`,
    platforms: body.platforms ?? [...PLATFORMS],
  }, linkLineOf(c, project.linkUrl))
  return { provider, result }
}

/** A clip's facts as the captions tool takes them. */
const clipFacts = (clip: typeof media.$inferSelect) => ({ title: clip.title, topic: clip.topic, tags: clip.tags, durationSec: clip.durationSec ?? undefined })

async function postCaptions(c: C, body: z.output<typeof PostCaptionsBody>) {
  const post = await loadPost(c, body.postId, 'projects.write')
  // Refused before a call is spent: the texts could not be written onto it.
  if (body.apply && !VIDEO_EDITABLE_POST_STATUSES.includes(post.status)) {
    throw conflict(`This post is ${post.status}: its texts can be rewritten when it is ${VIDEO_EDITABLE_POST_STATUSES.join(' or ')}.`)
  }
  const { ctx, facts, db, project } = await start(c, post.projectId)
  const clip = post.mediaId ? await db.select().from(media).where(eq(media.id, post.mediaId)).get() : undefined
  if (!clip) throw conflict('This post has no clip to write about.')
  const targets = await db.select({ platform: postTargets.platform }).from(postTargets).where(eq(postTargets.postId, post.id)).all()
  const platforms = PLATFORMS.filter((p) => targets.some((t) => t.platform === p))
  const input: CaptionsInput = {
    // The post's own language, objective and style (the autopilot's when it was planned).
    language: post.language,
    style: post.style as never,
    objective: post.objective as CaptionsInput['objective'],
    ...clipFacts(clip),
    projectName: facts.name,
    projectDescription: facts.description,
    recentHooks: (await recentHooks(db, post.projectId)).filter((h) => h !== post.hook),
    seed: `${post.projectId}:${post.id}:assistant`,
    platforms: platforms.length ? platforms : [...PLATFORMS],
  }
  // Room for the project's tracked link, which is published with the texts (#13).
  const { result, provider } = await writeCaptions(ctx, input, linkLineOf(c, project.linkUrl))
  if (body.apply) {
    await editPost(
      c,
      post.id,
      { hook: result.hook.slice(0, 140), caption: result.caption, callToAction: result.callToAction.slice(0, 80), hashtags: result.hashtags, platformTexts: result.platformTexts },
      { textsProvider: provider.name },
    )
  }
  return { provider, result: { ...result, postId: post.id, applied: body.apply } }
}

async function message(c: C, body: z.output<typeof MessageBody>) {
  const { ctx, facts } = await start(c, body.projectId)
  const { projectId: _, ...input } = body
  const { output, provider } = await runTask(ctx, messageTask, { ...input, language: input.language ?? facts.language })
  return { provider, result: output }
}

async function pricing(c: C, body: z.output<typeof PricingBody>) {
  const { ctx, facts, db } = await start(c, body.projectId)
  const card = rateCard({ medians: await medianByPlatform(db, body.projectId), cpm: { ...DEFAULT_CPM, ...body.cpm }, currency: body.currency, benchmarkEngagementRate: body.benchmarkEngagementRate })
  // Nothing to summarise without data: the built-in says what is needed, without spending a call.
  const { output, provider } = await runTask(ctx, pricingNotesTask, { card, language: facts.language }, card.status === 'insufficient_data' ? { provider: null } : {})
  return { provider, result: { card, summary: output.summary } }
}

/** A tool: its body, what it answers, how it runs, and what its route says. */
const tool = <B extends z.ZodType, R extends z.ZodType>(spec: { body: B; result: R; run: (c: C, body: z.output<B>) => Promise<{ provider: z.input<typeof ProviderInfoSchema>; result: z.input<R> }>; summary: string; description: string }) => spec

/** Every tool, each served at `/ai-assistant/tools/<name>` and through `/ai-assistant/generate`. */
export const TOOLS = {
  'content-ideas': tool({
    body: IdeasBody,
    result: IdeasOutputSchema,
    run: contentIdeas,
    summary: 'Ideas for the next videos, from the project',
    description: "From the project's clips (titles, topics), language, objective, style and your audience notes: ideas with a hook, a format and why they may work.",
  }),
  captions: tool({
    body: CaptionsBody,
    result: CaptionsResultSchema,
    run: captions,
    summary: "A clip's captions and hashtags per platform, within each platform's limits",
    description: "In the project's language, for its objective and style. Texts are cut to fit (YouTube title 100 characters, description 5,000 bytes; TikTok and Instagram 2,200 characters with the hashtags; at most 30 hashtags); `limits` shows each length.",
  }),
  'post-captions': tool({
    body: PostCaptionsBody,
    result: PostCaptionsResultSchema,
    run: postCaptions,
    summary: "A post's captions and hashtags for its platforms, within their limits; `apply` writes them onto the post",
    description:
      "For the post's clip, in the post's language, for its objective and style, for the platforms it targets, cut to their limits. With `apply: true` the texts become the post's (it renders again; 409 once it is publishing or final) and `textsProvider` records who wrote them.",
  }),
  'message-generator': tool({
    body: MessageBody,
    result: MessageOutputSchema,
    run: message,
    summary: 'A suggested reply to a comment or a direct message',
    description: 'From the message, the recipient, an optional template and the tone, in the project language unless `language` says otherwise. It only drafts: nothing is sent.',
  }),
  'pricing-optimizer': tool({
    body: PricingBody,
    result: z.object({ card: RateCardSchema, summary: z.string() }),
    run: pricing,
    summary: 'A sponsorship rate card from measured analytics',
    description: 'Per platform and format: median views × CPM × an engagement multiplier, each figure with its arithmetic. CPM ranges and the engagement benchmark are editable. A platform with too few measured posts says what it needs.',
  }),
}
export type ToolName = keyof typeof TOOLS
export const TOOL_NAMES = Object.keys(TOOLS) as ToolName[]

/** `{tool, provider, result}`, named for the OpenAPI document (`ContentIdeasAnswer`…). */
const answerOf = (name: ToolName) =>
  z.object({ tool: z.literal(name), provider: ProviderInfoSchema, result: TOOLS[name].result }).openapi(`${name.replace(/(^|-)(\w)/g, (_, __, ch: string) => ch.toUpperCase())}Answer`)
export const ANSWERS = Object.fromEntries(TOOL_NAMES.map((name) => [name, answerOf(name)])) as Record<ToolName, ReturnType<typeof answerOf>>

/** Runs one tool on its parsed body. */
export async function runTool(c: C, name: ToolName, body: unknown) {
  const { provider, result } = await (TOOLS[name].run as (c: C, body: unknown) => ReturnType<(typeof TOOLS)[ToolName]['run']>)(c, body)
  return { tool: name, provider, result }
}

const errors = { ...commonErrors, ...errorResponses(409, 502, 503) }

const toolRoute = <B extends z.ZodType>(path: string, summary: string, description: string, body: B, response: z.ZodType) =>
  createRoute({ method: 'post', path, tags, security, summary, description, request: { body: jsonBody(body) }, responses: { 200: json(response, 'The answer, with the provider that wrote it'), ...errors } })

export const GenerateBody = z.object({
  tool: z.enum(TOOL_NAMES as [ToolName, ...ToolName[]]),
  input: z.record(z.string(), z.unknown()).openapi({ description: "The tool's own body (see its route)" }),
})

export const aiApi = createRouter()
/** One route per tool, and content ideas again under its own name. */
const toolRoutes = [
  ...TOOL_NAMES.map((name) => ({ name, path: `/ai-assistant/tools/${name}`, summary: TOOLS[name].summary, description: TOOLS[name].description })),
  { name: 'content-ideas' as const, path: '/content-ideas/generate', summary: 'Ideas for the next videos (same as the content-ideas tool)', description: 'The content-ideas tool under its own name.' },
]
for (const { name, path, summary, description } of toolRoutes) {
  aiApi.openapi(toolRoute(path, summary, description, TOOLS[name].body as z.ZodType, ANSWERS[name]), async (c) => c.json((await runTool(c, name, c.req.valid('json'))) as never, 200))
}
aiApi.openapi(
  toolRoute('/ai-assistant/generate', 'Any tool: `{tool, input}`', "Dispatches to the tool's route logic; `input` is that tool's body, and its errors name `input.<field>`.", GenerateBody, z.union(TOOL_NAMES.map((name) => ANSWERS[name]))),
  async (c) => {
    const { tool: name, input } = c.req.valid('json')
    const body = parseInput(z.object({ input: TOOLS[name].body as z.ZodType }), { input }) as { input: unknown }
    return c.json((await runTool(c, name, body.input)) as never, 200)
  },
)
