/**
 * Captions and hashtags for a clip, per platform, in the project's language, for its objective and
 * style, within each platform's limits (YouTube title 100 characters and description 5,000 bytes,
 * TikTok and Instagram captions 2,200 characters with the hashtags, Instagram 30 hashtags): what
 * a model writes is cut to fit (`fitField`), so a post made from it always passes the API's checks.
 * `AiCaptionWriter` puts the tool behind the planner's `CaptionWriter` seam.
 */
import { z } from 'zod'
import { TemplateCaptionWriter, toHashtag, type CaptionInput, type CaptionOutput, type CaptionWriter } from '../../domain/captions'
import { fitField, INSTAGRAM_MAX_HASHTAGS, publishedLength, TEXT_LIMITS, type PlatformTexts } from '../../domain/platform-texts'
import type { Platform } from '../../domain/post-state'
import type { Db } from '../../db/client'
import { providerFor, type AiSettings } from '../config'
import { runTask, type AiContext } from '../run'
import { languageName, type AiTask } from '../task'
import type { ProviderName } from '../types'
import { PLATFORMS } from '../../domain/post-state'

export type CaptionsInput = Omit<CaptionInput, 'platforms'> & { platforms: Platform[] }

/** What a model is asked for (loose limits; the result is fitted afterwards). */
const ModelCaptionsSchema = z.object({
  hook: z.string().min(1).max(120),
  caption: z.string().min(1).max(2200),
  callToAction: z.string().max(120),
  hashtags: z.array(z.string().min(1).max(60)).max(40),
  youtube: z.object({ title: z.string().min(1).max(150), description: z.string().max(5000) }),
  tiktok: z.object({ caption: z.string().max(2200) }),
  instagram: z.object({ caption: z.string().max(2200) }),
})
type ModelCaptions = z.output<typeof ModelCaptionsSchema>

export const CaptionsResultSchema = z
  .object({
    hook: z.string(),
    caption: z.string(),
    callToAction: z.string(),
    hashtags: z.array(z.string()).describe('With their #, at most 30'),
    language: z.string(),
    platformTexts: z.object({
      youtube: z.object({ title: z.string(), description: z.string() }).optional(),
      tiktok: z.object({ caption: z.string() }).optional(),
      instagram: z.object({ caption: z.string() }).optional(),
    }),
    limits: z.array(z.object({ platform: z.string(), field: z.string(), max: z.number(), unit: z.string(), length: z.number() })).describe("Each field's length as published (with its hashtags) and its limit"),
  })
  .meta({ id: 'Captions', description: 'Texts per platform, within their limits' })
export type CaptionsResult = z.output<typeof CaptionsResultSchema>

function builtinCaptions(shared: CaptionOutput): ModelCaptions {
  const body = [shared.caption].filter(Boolean).join('\n\n')
  return {
    hook: shared.hook,
    caption: shared.caption,
    callToAction: shared.callToAction,
    hashtags: shared.hashtags,
    youtube: { title: shared.hook, description: body },
    tiktok: { caption: `${shared.hook}\n\n${body}` },
    instagram: { caption: `${shared.hook}\n\n${body}` },
  }
}

export const captionsTask: AiTask<CaptionsInput, ModelCaptions> = {
  name: 'captions',
  output: ModelCaptionsSchema,
  maxTokens: 1800,
  instructions: (input) =>
    `You write the texts of a short vertical video for ${input.platforms.join(', ')}, in ${languageName(input.language)}, for the objective "${input.objective}" and the "${input.style}" style. Give: a hook (the first words on screen, under 8 words), a shared caption, a call to action, up to 15 relevant hashtags without spaces, and per platform: YouTube title (under 100 characters) and description, TikTok caption, Instagram caption (each under 2000 characters, without the hashtags, which are added after). Do not repeat any of the recent hooks. No links, e-mail addresses or phone numbers.`,
  data: (input) => ({
    clipTitle: input.title,
    clipTopic: input.topic ?? '',
    tags: input.tags,
    project: input.projectName,
    projectDescription: input.projectDescription ?? null,
    videoSeconds: input.durationSec ?? null,
    recentHooks: (input.recentHooks ?? []).slice(0, 10),
  }),
  builtin: async (input) => builtinCaptions(await new TemplateCaptionWriter().write(input)),
}

/** The model's (or the built-in's) texts, normalised and cut to each platform's limits (with the project's tracked `link` line where it is published). */
export function fitCaptions(raw: ModelCaptions, platforms: readonly Platform[], language: string, link?: string | null): CaptionsResult {
  const hashtags = [...new Set(raw.hashtags.map((h) => toHashtag(h.replace(/^#+/, ''))).filter((h): h is string => h !== null))].slice(0, INSTAGRAM_MAX_HASHTAGS)
  const [ytTitle, ytDescription] = TEXT_LIMITS.youtube
  const texts: PlatformTexts = {}
  if (platforms.includes('youtube')) texts.youtube = { title: fitField(ytTitle, raw.youtube.title.trim(), hashtags, link), description: fitField(ytDescription, raw.youtube.description.trim(), hashtags, link) }
  if (platforms.includes('tiktok')) texts.tiktok = { caption: fitField(TEXT_LIMITS.tiktok[0], raw.tiktok.caption.trim(), hashtags, link) }
  if (platforms.includes('instagram')) texts.instagram = { caption: fitField(TEXT_LIMITS.instagram[0], raw.instagram.caption.trim(), hashtags, link) }
  const limits = platforms.flatMap((platform) =>
    TEXT_LIMITS[platform].map((limit) => {
      const text = (platform === 'youtube' ? texts.youtube![limit.field as 'title' | 'description'] : texts[platform]!.caption) ?? ''
      return { platform, field: limit.field, max: limit.max, unit: limit.unit, length: publishedLength(limit, text, hashtags, link) }
    }),
  )
  return {
    hook: fitField({ unit: 'characters', max: 100, withHashtags: false }, raw.hook.trim(), []),
    caption: fitField(TEXT_LIMITS.tiktok[0], raw.caption.trim(), hashtags, link),
    callToAction: raw.callToAction.trim().slice(0, 100),
    hashtags,
    language,
    platformTexts: texts as CaptionsResult['platformTexts'],
    limits,
  }
}

/** Captions for one clip through the configured provider. */
export async function writeCaptions(ctx: AiContext, input: CaptionsInput, link?: string | null) {
  const { output, provider } = await runTask(ctx, captionsTask, input)
  return { result: fitCaptions(output, input.platforms, input.language, link), provider }
}

/** The planner's writer when a provider is configured: the texts, their per-platform versions, and who wrote them. */
export class AiCaptionWriter implements CaptionWriter {
  constructor(private readonly ctx: AiContext) {}

  async write(input: CaptionInput): Promise<CaptionOutput & { provider: ProviderName; platformTexts: PlatformTexts }> {
    const { result, provider } = await writeCaptions(this.ctx, { ...input, platforms: [...(input.platforms ?? PLATFORMS)] }, input.link)
    return { hook: result.hook, caption: result.caption, hashtags: result.hashtags, callToAction: result.callToAction, language: result.language, provider: provider.name, platformTexts: result.platformTexts }
  }
}

/** The planner's writer: the captions tool when a provider is configured, else undefined (the templates). */
export function captionWriterFor(env: AiSettings, db: Db, workspaceId: string): CaptionWriter | undefined {
  try {
    if (!providerFor(env)) return undefined
  } catch {
    return undefined
  }
  return new AiCaptionWriter({ env, db, workspaceId })
}
