/**
 * The render spec of a style preview: a few seconds from a start, with the texts the preview
 * panel shows. Pure, so the browser preview and the benchmark that times it against native
 * FFmpeg (bench/preview.bench.ts) render exactly the same spec.
 */
import { parseRenderSpec, type RenderSpec, type RenderSpecInput } from '../../containers/render/recipe/index.ts'

/** How long a preview lasts at most, in seconds. */
export const PREVIEW_SECONDS = 6

/** What a preview is asked for: a spec without its trim's duration (the preview sets it). */
export type PreviewSpecInput = Omit<RenderSpecInput, 'trim'> & { trim?: { startSec?: number } }

/** The caption the style panel starts with, until the creator types their own. */
export const SAMPLE_CAPTION = 'Start with the end in mind. Then work back, one step at a time.'

/**
 * The texts the style panel renders: the creator's hook and caption (none when blank), laid out
 * by the recipe's own timeline, as a post's are: the hook first, the caption in timed segments,
 * the objective's call to action at the end.
 */
export function previewTexts(hook: string, caption = SAMPLE_CAPTION): NonNullable<RenderSpecInput['texts']> {
  const h = hook.trim()
  const body = caption.trim()
  return { ...(h ? { hook: h } : {}), ...(body ? { body } : {}), captions: [] }
}

/** The spec a preview renders: PREVIEW_SECONDS from the chosen start. */
export function previewSpec(input: PreviewSpecInput): RenderSpec {
  return parseRenderSpec({ ...input, trim: { startSec: input.trim?.startSec ?? 0, durationSec: PREVIEW_SECONDS } })
}
