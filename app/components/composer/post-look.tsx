/**
 * What is drawn on a post's video, as the post panel edits it: the hook, the caption (drawn in
 * timed segments), the call to action, the framing (fit over a blurred copy, crop around a focus
 * point, pad) and the trim, with a browser preview of exactly these values. The preview's spec
 * is made by the same `postRenderSpec` the render consumer uses (workers/domain/post-spec.ts).
 */
import { useState } from 'react'
import { parseRenderSpec, type RenderSpec } from '../../../containers/render/recipe/spec.ts'
import type { SpeechSpec } from '../../../containers/render/recipe/speech-captions.ts'
import { callToAction } from '../../../containers/render/recipe/text.ts'
import { maxPostSeconds, postRenderSpec, postTrim, resolveFraming, type SpecProject } from '../../../workers/domain/post-spec'
import { fetchLibraryClip } from '../../lib/library-clip'
import type { Post } from '../../lib/posts'
import { PreviewOutcome, usePreviewRun } from '../preview-run'
import { Button, inputClass } from '../ui'

type Framing = NonNullable<Post['framing']>

/**
 * What the look fields and the preview need of a post: a saved post (the post panel) or the one
 * being composed (the composer builds it from the chosen clip, platforms and autopilot settings).
 */
export type LookSubject = Pick<Post, 'id' | 'mediaId' | 'style' | 'language' | 'objective' | 'callToAction' | 'spec' | 'logoUrl'> & {
  clip: Pick<NonNullable<Post['clip']>, 'durationSec' | 'width' | 'height'> | null
  targets: Pick<Post['targets'][number], 'platform'>[]
}

/** The form's values of a post's look (focus in percent, trim as typed). */
export interface PostLook {
  hook: string
  caption: string
  callToAction: string
  /** '' is the project's default. */
  framing: '' | Framing
  focusX: number
  focusY: number
  trimStart: string
  trimEnd: string
}

const FRAMING_LABEL: Record<Framing, string> = {
  fit: 'Fit: the whole clip over a blurred copy of itself',
  crop: 'Crop to fill the frame, around a focus point',
  pad: 'Pad: the whole clip on black',
}

const secs = (n: number) => String(Math.round(n * 10) / 10)

/** The call to action shown when the post has none of its own: the objective's, in its language. */
export function defaultCallToAction(post: Pick<Post, 'objective' | 'language'>): string {
  return callToAction(post.objective as 'awareness', post.language)
}

/** The values the form starts from: the post's (none yet for a new one), with the trim and call to action it renders with. */
export function initialLook(post: LookSubject & Partial<Pick<Post, 'hook' | 'caption' | 'framing' | 'focus' | 'trim'>>): PostLook {
  const trim = postTrim({ trimStartSec: post.trim?.startSec ?? null, trimEndSec: post.trim?.endSec ?? null }, { durationSec: post.clip?.durationSec ?? null }, maxPostSeconds(post.targets.map((t) => t.platform)))
  return {
    hook: post.hook ?? '',
    caption: post.caption ?? '',
    callToAction: post.callToAction ?? defaultCallToAction(post),
    framing: post.framing ?? '',
    focusX: Math.round((post.focus?.x ?? 0.5) * 100),
    focusY: Math.round((post.focus?.y ?? 0.5) * 100),
    trimStart: secs(trim.startSec),
    trimEnd: secs(trim.startSec + trim.durationSec),
  }
}

/**
 * The render spec of the form's values: what the server would render if they were saved. `speech`:
 * the captions from speech to draw (null: none); left out, the last render's (the server's spec).
 */
export function lookSpec(post: LookSubject, look: PostLook, project: SpecProject, speech?: SpeechSpec | null): RenderSpec {
  const clip = { durationSec: post.clip?.durationSec ?? null, width: post.clip?.width ?? null, height: post.clip?.height ?? null }
  const platforms = post.targets.map((t) => t.platform)
  const start = Number(look.trimStart)
  const end = Number(look.trimEnd)
  const input = postRenderSpec(
    {
      style: post.style as 'minimal',
      language: post.language,
      objective: post.objective as 'awareness',
      hook: look.hook.trim() || null,
      caption: look.caption,
      // Unchanged from the objective's: left to the recipe, as the server leaves it.
      callToAction: post.callToAction === null && look.callToAction === defaultCallToAction(post) ? null : look.callToAction.trim(),
      framing: look.framing || null,
      focusX: look.focusX / 100,
      focusY: look.focusY / 100,
      trimStartSec: Number.isFinite(start) ? start : null,
      trimEndSec: Number.isFinite(end) && end > 0 ? end : null,
    },
    clip,
    project,
    { platforms, maxDurationSec: maxPostSeconds(platforms) },
  )
  // Captions from speech (#15) come with the server's spec (the clip's transcript), or as the form chose them.
  const words = speech === undefined ? (post.spec as { speech?: unknown } | null)?.speech : speech
  return parseRenderSpec(words ? { ...input, speech: words } : input)
}

/** Hidden inputs holding what the post had, so the action sends only what changed. */
export function LookBefore({ look, status }: { look: PostLook; status: string }) {
  return (
    <>
      {(['hook', 'callToAction', 'framing', 'focusX', 'focusY', 'trimStart', 'trimEnd'] as const).map((k) => (
        <input key={k} type="hidden" name={`${k}Before`} value={String(look[k])} />
      ))}
      <input type="hidden" name="statusBefore" value={status} />
    </>
  )
}

/** The hook, call to action, framing, focus point and trim fields (the caption stays with the post's texts). */
export function PostLookFields({
  post,
  look,
  onChange,
  errors,
  project,
  thumbnail,
  fresh = false,
}: {
  post: LookSubject
  look: PostLook
  onChange: (look: PostLook) => void
  errors: Record<string, string>
  project: SpecProject
  thumbnail?: string
  /** A post being composed: an empty hook is written by Reelpilot. */
  fresh?: boolean
}) {
  const set = <K extends keyof PostLook>(k: K, v: PostLook[K]) => onChange({ ...look, [k]: v })
  const clipSec = post.clip?.durationSec ?? null
  const projectFraming = resolveFraming({ framing: null }, project, { width: post.clip?.width ?? null, height: post.clip?.height ?? null })
  const effective = look.framing || projectFraming
  const maxSec = maxPostSeconds(post.targets.map((t) => t.platform))
  // The fields show tenths (the end rounded, as the API allows): a max of the exact length would refuse
  // the form's own value (5.3 for a 5.26 s clip) and the browser would not submit it at all.
  const maxInput = clipSec !== null ? Math.ceil(clipSec * 10) / 10 : undefined
  const id = (k: string) => `${k}-${post.id}`
  const error = (k: string) => errors[k] && (
    <p role="alert" className="mt-1 text-sm text-rose-400">
      {errors[k]}
    </p>
  )
  return (
    <fieldset className="space-y-3" aria-label="On the video">
      <legend className="text-sm font-medium text-slate-200">On the video</legend>
      <div>
        <label htmlFor={id('hook')} className="mb-1 block text-sm text-slate-300">
          Hook <span className="text-slate-500">(the big text of the first seconds)</span>
        </label>
        <input id={id('hook')} name="hook" value={look.hook} maxLength={140} placeholder={fresh ? 'Leave empty and Reelpilot writes one from the clip’s title and topic' : undefined} onChange={(e) => set('hook', e.currentTarget.value)} aria-invalid={errors.hook ? true : undefined} className={`border-slate-700 ${inputClass}`} />
        {error('hook')}
      </div>
      <div>
        <label htmlFor={id('cta')} className="mb-1 block text-sm text-slate-300">
          Call to action <span className="text-slate-500">(the last seconds; empty: none)</span>
        </label>
        <input id={id('cta')} name="callToAction" value={look.callToAction} maxLength={80} onChange={(e) => set('callToAction', e.currentTarget.value)} aria-invalid={errors.callToAction ? true : undefined} className={`border-slate-700 ${inputClass}`} />
        {error('callToAction')}
      </div>
      <div>
        <label htmlFor={id('framing')} className="mb-1 block text-sm text-slate-300">
          Framing
        </label>
        <select id={id('framing')} name="framing" value={look.framing} onChange={(e) => set('framing', e.currentTarget.value as PostLook['framing'])} className={`border-slate-700 ${inputClass}`}>
          <option value="">Project default ({projectFraming})</option>
          {(Object.keys(FRAMING_LABEL) as Framing[]).map((f) => (
            <option key={f} value={f}>
              {FRAMING_LABEL[f]}
            </option>
          ))}
        </select>
        {error('framing')}
      </div>
      {effective === 'crop' && (
        <div className="space-y-2" data-testid="focus-point">
          <p className="text-sm text-slate-300">Focus point: the crop keeps this part of the clip{thumbnail ? ' (click the picture, or use the sliders)' : ''}.</p>
          {thumbnail && (
            <button
              type="button"
              className="relative block w-full overflow-hidden rounded-lg"
              aria-label="Set the focus point on the clip"
              onClick={(e) => {
                const box = e.currentTarget.getBoundingClientRect()
                onChange({ ...look, focusX: Math.round(((e.clientX - box.left) / box.width) * 100), focusY: Math.round(((e.clientY - box.top) / box.height) * 100) })
              }}
            >
              <img src={thumbnail} alt="" className="block w-full" />
              <span aria-hidden="true" className="absolute h-5 w-5 -translate-x-1/2 -translate-y-1/2 rounded-full border-2 border-white bg-violet-500/60 shadow" style={{ left: `${look.focusX}%`, top: `${look.focusY}%` }} />
            </button>
          )}
          <label className="flex items-center gap-2 text-xs text-slate-400">
            <span className="w-24 shrink-0">Across {look.focusX}%</span>
            <input type="range" name="focusX" min={0} max={100} value={look.focusX} onChange={(e) => set('focusX', Number(e.currentTarget.value))} className="min-w-0 flex-1 accent-violet-500" />
          </label>
          <label className="flex items-center gap-2 text-xs text-slate-400">
            <span className="w-24 shrink-0">Down {look.focusY}%</span>
            <input type="range" name="focusY" min={0} max={100} value={look.focusY} onChange={(e) => set('focusY', Number(e.currentTarget.value))} className="min-w-0 flex-1 accent-violet-500" />
          </label>
        </div>
      )}
      <div>
        <p className="mb-1 text-sm text-slate-300">
          Trim <span className="text-slate-500">({clipSec !== null ? `the clip is ${secs(clipSec)} s; ` : ''}the video runs at most {maxSec} s)</span>
        </p>
        <div className="grid grid-cols-2 gap-3">
          <label className="block text-xs text-slate-400">
            Start (s)
            <input name="trimStart" type="number" inputMode="decimal" min={0} step={0.1} max={maxInput} value={look.trimStart} onChange={(e) => set('trimStart', e.currentTarget.value)} aria-invalid={errors.trimStart ? true : undefined} className={`mt-1 border-slate-700 ${inputClass}`} />
          </label>
          <label className="block text-xs text-slate-400">
            End (s)
            <input name="trimEnd" type="number" inputMode="decimal" min={0} step={0.1} max={maxInput} value={look.trimEnd} onChange={(e) => set('trimEnd', e.currentTarget.value)} aria-invalid={errors.trimEnd ? true : undefined} className={`mt-1 border-slate-700 ${inputClass}`} />
          </label>
        </div>
        {error('trimStart')}
        {error('trimEnd')}
      </div>
    </fieldset>
  )
}

/** Renders the form's values in the browser, as the server will once they are saved (`speech`: see lookSpec). */
export function PostPreview({ post, look, project, speech }: { post: LookSubject; look: PostLook; project: SpecProject; speech?: SpeechSpec | null }) {
  const run = usePreviewRun()
  const [problem, setProblem] = useState<string | null>(null)
  const mediaId = post.mediaId
  if (!mediaId || !post.clip) return null
  function preview() {
    setProblem(null)
    let spec: RenderSpec
    try {
      spec = lookSpec(post, look, project, speech)
    } catch {
      setProblem('Some value above cannot be rendered (see the fields); fix it to preview.')
      return
    }
    void run.start(async (signal) => {
      const [file, logo] = await Promise.all([
        fetchLibraryClip(mediaId!, signal),
        post.logoUrl ? fetch(post.logoUrl, { signal }).then((r) => (r.ok ? r.blob() : null)) : Promise.resolve(null),
      ])
      return { file, spec, logo }
    })
  }
  return (
    <section className="space-y-2" aria-label="Preview of the video">
      <Button type="button" variant="secondary" size="sm" onClick={preview} disabled={run.busy}>
        {run.busy ? 'Previewing…' : 'Preview the video'}
      </Button>
      <p className="text-xs text-slate-500">In your browser, smaller, with the same texts at the same times as the render.</p>
      {problem && (
        <p role="alert" className="text-sm text-rose-400">
          {problem}
        </p>
      )}
      <PreviewOutcome run={run} label="A frame of this post’s preview" />
    </section>
  )
}
