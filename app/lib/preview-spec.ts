/**
 * The render spec of a style preview: a few seconds from a start, with the texts the preview
 * panel shows. Pure, so the browser preview and the benchmark that times it against native
 * FFmpeg (bench/preview.bench.ts) render exactly the same spec.
 */
import { parseRenderSpec, type RenderSpec, type RenderSpecInput } from '../../containers/render/recipe/index.ts'

/** How long a preview lasts at most, in seconds. */
export const PREVIEW_SECONDS = 4

/** What a preview is asked for: a spec without its trim's duration (the preview sets it). */
export type PreviewSpecInput = Omit<RenderSpecInput, 'trim'> & { trim?: { startSec?: number } }

/** The texts the preview panel renders: the creator's hook (none when blank) and a sample caption. */
export function previewTexts(hook: string): NonNullable<RenderSpecInput['texts']> {
  const text = hook.trim()
  return { ...(text ? { hook: text } : {}), captions: [{ text: 'Your captions appear here', startSec: 1.5, endSec: 3 }] }
}

/** The spec a preview renders: PREVIEW_SECONDS from the chosen start. */
export function previewSpec(input: PreviewSpecInput): RenderSpec {
  return parseRenderSpec({ ...input, trim: { startSec: input.trim?.startSec ?? 0, durationSec: PREVIEW_SECONDS } })
}
