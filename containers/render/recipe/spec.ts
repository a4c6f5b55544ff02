/**
 * The render spec: everything that decides how a post looks. Parsed with zod at the edge
 * (the render server, the preview) and turned into FFmpeg arguments by the rest of recipe/.
 * Pure TypeScript: no Node or browser API, so the browser preview shares it.
 */
import { z } from 'zod'
import { OBJECTIVES, PLATFORMS, STYLES } from './vocabulary.ts'
import { speechSpecSchema } from './speech-captions.ts'

export { OBJECTIVES, PLATFORMS, STYLES, type Objective, type Platform, type StyleName } from './vocabulary.ts'

export const ASPECTS = ['9:16', '1:1', '16:9'] as const
export const FRAMINGS = ['crop', 'fit', 'pad'] as const

export type Aspect = (typeof ASPECTS)[number]
export type Framing = (typeof FRAMINGS)[number]

/**
 * The typefaces a project may choose for its hook and call to action (Latin script; other
 * scripts keep the style's face for that script). All are bundled Noto families.
 */
export const BRAND_FONTS = ['Noto Sans', 'Noto Sans Display', 'Noto Serif Display'] as const
export type BrandFont = (typeof BRAND_FONTS)[number]

/** Output frame size of each aspect at full quality. */
export const ASPECT_SIZES: Record<Aspect, { width: number; height: number }> = {
  '9:16': { width: 1080, height: 1920 },
  '1:1': { width: 1080, height: 1080 },
  '16:9': { width: 1920, height: 1080 },
}

const caption = z
  .object({
    text: z.string().trim().min(1).max(200),
    startSec: z.number().min(0),
    endSec: z.number().positive(),
  })
  .refine((c) => c.endSec > c.startSec, { message: 'endSec must be after startSec', path: ['endSec'] })

export const renderSpecSchema = z.object({
  /** The part of the source to use, in seconds. */
  trim: z.object({
    startSec: z.number().min(0).default(0),
    durationSec: z.number().min(0.5).max(900),
  }),
  aspect: z.enum(ASPECTS).default('9:16'),
  /**
   * crop: fill the frame, cut around the focus point; fit: the whole source over a blurred copy
   * of itself; pad: the whole source on black.
   */
  framing: z.enum(FRAMINGS).default('crop'),
  /** Where a crop centres, as fractions of the source's width and height (0.5, 0.5 is the middle). */
  focus: z.object({ x: z.number().min(0).max(1).default(0.5), y: z.number().min(0).max(1).default(0.5) }).default({ x: 0.5, y: 0.5 }),
  /** The typeface of the hook and call to action; the style's own when absent. */
  font: z.enum(BRAND_FONTS).optional(),
  style: z.enum(STYLES).default('minimal'),
  /** The project's brand colour: the corporate style's lower-third bar and hook box. */
  brandColor: z
    .string()
    .regex(/^#[0-9a-fA-F]{6}$/, 'must be a colour like #1e40af')
    .default('#1e40af'),
  /** BCP 47 language of the texts (en, ru, ar, he, zh-TW, ja, ko...): picks fonts, direction and the default call to action. */
  language: z
    .string()
    .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'must be a language tag like en or zh-TW')
    .default('en'),
  objective: z.enum(OBJECTIVES).default('awareness'),
  texts: z
    .object({
      /** Shown in the first seconds, large. */
      hook: z.string().trim().max(140).optional(),
      hookSec: z.number().min(0.5).max(10).default(3),
      /** Timed lines, in seconds of the output (0 is the first frame of the post), e.g. captions from speech. */
      captions: z.array(caption).max(300).default([]),
      /**
       * The post's caption as on-screen text: cut into short segments shown one after another
       * between the hook and the call to action. Ignored when timed captions are given.
       */
      body: z.string().trim().max(2200).optional(),
      /** Overrides the call to action chosen by the objective; an empty string shows none. */
      callToAction: z.string().trim().max(80).optional(),
    })
    .default({ hookSec: 3, captions: [] }),
  /** Platforms the render will be published to: their limits are checked before rendering. */
  platforms: z.array(z.enum(PLATFORMS)).default([]),
  /**
   * Captions from speech (#15, speech-captions.ts): the clip's words with their times on the
   * clip's own timeline, drawn in groups with the spoken word highlighted; they replace the
   * caption segments of the middle. Absent: no captions from speech.
   */
  speech: speechSpecSchema.optional(),
})

/** A parsed render spec (defaults filled in). */
export type RenderSpec = z.output<typeof renderSpecSchema>
/** A render spec as a client may send it (defaults optional). */
export type RenderSpecInput = z.input<typeof renderSpecSchema>

/** Parses a spec, filling defaults; throws a ZodError naming the field on bad input. */
export function parseRenderSpec(input: unknown): RenderSpec {
  return renderSpecSchema.parse(input)
}
