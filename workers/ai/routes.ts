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
import { media } from '../db/schema'
import { PLATFORMS } from '../domain/post-state'
import { recentHooks } from '../scheduler/planner'
import type { AppEnv } from '../env'
import { HttpError, notFound } from '../lib/errors'
import { limitAiRequests } from './limit'
import { projectFacts } from './project'
import { runTask, type AiContext } from './run'
import { CaptionsResultSchema, writeCaptions } from './tools/captions'
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

const answer = <T extends z.ZodType>(tool: string, result: T) => z.object({ tool: z.literal(tool), provider: ProviderInfoSchema, result }).openapi(`${tool.replace(/(^|-)(\w)/g, (_, __, ch: string) => ch.toUpperCase())}Answer`)
const IdeasAnswer = answer('content-ideas', IdeasOutputSchema)
const CaptionsAnswer = answer('captions', CaptionsResultSchema)
const MessageAnswer = answer('message-generator', MessageOutputSchema)
const PricingAnswer = answer('pricing-optimizer', z.object({ card: RateCardSchema, summary: z.string() }))

type C = Context<AppEnv>

/** The project (editor), the workspace's AI budget, and the context the tools run in. */
async function start(c: C, projectId: string) {
  const { project } = await requireProject(c, projectId, 'projects.write')
  await limitAiRequests(c.env, project.workspaceId)
  const db = c.get('db')
  const ctx: AiContext = { env: c.env, db, workspaceId: project.workspaceId }
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
  return { tool: 'content-ideas' as const, provider, result: { ideas: output.ideas.slice(0, body.count) } }
}

async function captions(c: C, body: z.output<typeof CaptionsBody>) {
  const { ctx, facts, db } = await start(c, body.projectId)
  const clip = await db.select().from(media).where(and(eq(media.id, body.mediaId), eq(media.projectId, body.projectId))).get()
  if (!clip) throw notFound('Clip')
  if (clip.status !== 'ready') throw new HttpError(409, `The clip is ${clip.status}: captions are written for ready clips.`, { errors: [{ field: 'mediaId', message: `is ${clip.status}` }] })
  const { result, provider } = await writeCaptions(ctx, {
    language: facts.language,
    style: facts.style as never,
    objective: facts.objective,
    title: clip.title,
    topic: clip.topic,
    tags: clip.tags,
    projectName: facts.name,
    projectDescription: facts.description,
    durationSec: clip.durationSec ?? undefined,
    recentHooks: await recentHooks(db, body.projectId),
    seed: `${body.projectId}:${clip.id}:assistant`,
    platforms: body.platforms ?? [...PLATFORMS],
  })
  return { tool: 'captions' as const, provider, result }
}

async function message(c: C, body: z.output<typeof MessageBody>) {
  const { ctx, facts } = await start(c, body.projectId)
  const { projectId: _, ...input } = body
  const { output, provider } = await runTask(ctx, messageTask, { ...input, language: input.language ?? facts.language })
  return { tool: 'message-generator' as const, provider, result: output }
}

async function pricing(c: C, body: z.output<typeof PricingBody>) {
  const { ctx, facts, db } = await start(c, body.projectId)
  const card = rateCard({ medians: await medianByPlatform(db, body.projectId), cpm: { ...DEFAULT_CPM, ...body.cpm }, currency: body.currency, benchmarkEngagementRate: body.benchmarkEngagementRate })
  // Nothing to summarise without data: the built-in says what is needed, without spending a call.
  const { output, provider } = await runTask(ctx, pricingNotesTask, { card, language: facts.language }, card.status === 'insufficient_data' ? { provider: null } : {})
  return { tool: 'pricing-optimizer' as const, provider, result: { card, summary: output.summary } }
}

export const TOOLS = {
  'content-ideas': { body: IdeasBody, run: contentIdeas },
  captions: { body: CaptionsBody, run: captions },
  'message-generator': { body: MessageBody, run: message },
  'pricing-optimizer': { body: PricingBody, run: pricing },
} as const
export const TOOL_NAMES = Object.keys(TOOLS) as (keyof typeof TOOLS)[]

const errors = { ...commonErrors, ...errorResponses(409, 502, 503) }

const toolRoute = <B extends z.ZodType, R extends z.ZodType>(path: string, summary: string, description: string, body: B, response: R) =>
  createRoute({ method: 'post', path, tags, security, summary, description, request: { body: jsonBody(body) }, responses: { 200: json(response, 'The answer, with the provider that wrote it'), ...errors } })

const GenerateBody = z.object({
  tool: z.enum(TOOL_NAMES as [keyof typeof TOOLS, ...(keyof typeof TOOLS)[]]),
  input: z.record(z.string(), z.unknown()).openapi({ description: "The tool's own body (see its route)" }),
})

export const aiApi = createRouter()
  .openapi(
    toolRoute('/ai-assistant/tools/content-ideas', 'Ideas for the next videos, from the project', "From the project's clips (titles, topics), language, objective, style and your audience notes: ideas with a hook, a format and why they may work.", IdeasBody, IdeasAnswer),
    async (c) => c.json(await contentIdeas(c, c.req.valid('json')), 200),
  )
  .openapi(
    toolRoute('/content-ideas/generate', 'Ideas for the next videos (same as the content-ideas tool)', 'The content-ideas tool under its own name.', IdeasBody, IdeasAnswer),
    async (c) => c.json(await contentIdeas(c, c.req.valid('json')), 200),
  )
  .openapi(
    toolRoute('/ai-assistant/tools/captions', "A clip's captions and hashtags per platform, within each platform's limits", "In the project's language, for its objective and style. Texts are cut to fit (YouTube title 100 characters, description 5,000 bytes; TikTok and Instagram 2,200 characters with the hashtags; at most 30 hashtags); `limits` shows each length.", CaptionsBody, CaptionsAnswer),
    async (c) => c.json(await captions(c, c.req.valid('json')), 200),
  )
  .openapi(
    toolRoute('/ai-assistant/tools/message-generator', 'A suggested reply to a comment or a direct message', 'From the message, the recipient, an optional template and the tone, in the project language unless `language` says otherwise. It only drafts: nothing is sent.', MessageBody, MessageAnswer),
    async (c) => c.json(await message(c, c.req.valid('json')), 200),
  )
  .openapi(
    toolRoute('/ai-assistant/tools/pricing-optimizer', 'A sponsorship rate card from measured analytics', 'Per platform and format: median views × CPM × an engagement multiplier, each figure with its arithmetic. CPM ranges and the engagement benchmark are editable. A platform with too few measured posts says what it needs.', PricingBody, PricingAnswer),
    async (c) => c.json(await pricing(c, c.req.valid('json')), 200),
  )
  .openapi(
    toolRoute('/ai-assistant/generate', 'Any tool: `{tool, input}`', "Dispatches to the tool's route logic; `input` is that tool's body, and its errors name `input.<field>`.", GenerateBody, z.union([IdeasAnswer, CaptionsAnswer, MessageAnswer, PricingAnswer])),
    async (c) => {
      const { tool, input } = c.req.valid('json')
      const spec = TOOLS[tool]
      const body = parseInput(z.object({ input: spec.body }), { input })
      return c.json(await (spec.run as (c: C, b: unknown) => Promise<unknown>)(c, body.input) as never, 200)
    },
  )
