/**
 * The render spec of a post: its texts, framing, trim and the project's brand, turned into the
 * recipe's spec. One function, used by the render consumer (the real render) and by the
 * composer's preview (app/lib/preview-spec.ts), so the preview draws what will be published.
 * Pure.
 */
import type { Framing, Platform, RenderSpecInput } from '../../containers/render/recipe/spec'
import { BRAND_FONTS } from '../../containers/render/recipe/spec'
import { PLATFORM_LIMITS } from '../../containers/render/recipe/platforms'
import type { Objective, StyleName } from '../../containers/render/recipe/vocabulary'

/** How a post may fill the frame (the recipe's framings). */
export const POST_FRAMINGS = ['crop', 'fit', 'pad'] as const satisfies readonly Framing[]
/** A project's default adds `auto`: crop a clip that is already vertical, fit any other over a blurred copy. */
export const PROJECT_FRAMINGS = ['auto', ...POST_FRAMINGS] as const
export type ProjectFraming = (typeof PROJECT_FRAMINGS)[number]
export { BRAND_FONTS }

/** The longest video a post renders to, whatever the clip's length (a short is short). */
export const MAX_POST_SECONDS = 60

export interface SpecPost {
  style: StyleName
  language: string
  objective: Objective
  hook: string | null
  caption: string | null
  callToAction: string | null
  framing: Framing | null
  focusX: number | null
  focusY: number | null
  trimStartSec: number | null
  trimEndSec: number | null
}

export interface SpecClip {
  durationSec: number | null
  width: number | null
  height: number | null
}

export interface SpecProject {
  brandColor: string | null
  font: string | null
  framing: ProjectFraming
}

/** The framing a post renders with: its own, else the project's default (auto decides by the clip's shape). */
export function resolveFraming(post: Pick<SpecPost, 'framing'>, project: Pick<SpecProject, 'framing'>, clip: Pick<SpecClip, 'width' | 'height'>): Framing {
  if (post.framing) return post.framing
  if (project.framing !== 'auto') return project.framing
  const w = clip.width ?? 0
  const h = clip.height ?? 0
  // Vertical already (or nearly): fill the frame. Square or wide: show all of it over a blur.
  return w > 0 && h > 0 && w / h <= 0.7 ? 'crop' : 'fit'
}

/**
 * The caption as it is drawn on the video: without the call to action (shown at the end on its
 * own) and without hashtags, links and emoji (the recipe leaves those out).
 */
export function onScreenBody(caption: string | null, callToAction: string | null): string {
  let text = (caption ?? '').trim()
  const cta = (callToAction ?? '').trim()
  if (cta) text = text.split(cta).join(' ')
  return text.replace(/\s*\.\s*\./g, '.').replace(/\s+/g, ' ').trim()
}

/** The longest a post to these platforms may run: the shortest platform limit, at most MAX_POST_SECONDS. */
export function maxPostSeconds(platforms: readonly Platform[]): number {
  return Math.min(...platforms.map((p) => PLATFORM_LIMITS[p].maxDurationSec), MAX_POST_SECONDS)
}

/** The part of the clip a post uses: its trim, within the clip and at most `maxSec` long. */
export function postTrim(post: Pick<SpecPost, 'trimStartSec' | 'trimEndSec'>, clip: Pick<SpecClip, 'durationSec'>, maxSec = MAX_POST_SECONDS): { startSec: number; durationSec: number } {
  const length = clip.durationSec ?? 0
  const startSec = Math.max(0, Math.min(post.trimStartSec ?? 0, Math.max(0, length - 0.5)))
  const end = Math.min(post.trimEndSec ?? length, length || Infinity)
  const durationSec = Math.max(0.5, Math.min(end - startSec, maxSec))
  return { startSec, durationSec: Number.isFinite(durationSec) ? Math.round(durationSec * 1000) / 1000 : 0.5 }
}

/** The recipe spec that renders a post. */
export function postRenderSpec(
  post: SpecPost,
  clip: SpecClip,
  project: SpecProject,
  opts: { platforms: readonly Platform[]; maxDurationSec?: number } = { platforms: [] },
): RenderSpecInput {
  const font = (BRAND_FONTS as readonly string[]).includes(project.font ?? '') ? (project.font as (typeof BRAND_FONTS)[number]) : undefined
  return {
    trim: postTrim(post, clip, Math.min(opts.maxDurationSec ?? MAX_POST_SECONDS, MAX_POST_SECONDS)),
    aspect: '9:16',
    framing: resolveFraming(post, project, clip),
    focus: { x: post.focusX ?? 0.5, y: post.focusY ?? 0.5 },
    ...(font ? { font } : {}),
    ...(project.brandColor ? { brandColor: project.brandColor } : {}),
    style: post.style,
    language: post.language,
    objective: post.objective,
    texts: {
      hook: post.hook ?? undefined,
      callToAction: post.callToAction ?? undefined,
      body: onScreenBody(post.caption, post.callToAction) || undefined,
      captions: [],
    },
    platforms: [...opts.platforms],
  }
}
