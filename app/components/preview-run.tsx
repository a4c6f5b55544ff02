/**
 * One browser preview at a time: its progress, a Cancel button while it runs, why it stopped
 * (failed, canceled, or past its time) and the result (a frame and the video). Shared by the
 * style panel (library, autopilot) and a post's panel, which preview through the same engine
 * (app/lib/ffmpeg-preview.client.ts) and the same recipe as the server.
 */
import { useEffect, useRef, useState } from 'react'
import type { RenderSpec } from '../../containers/render/recipe/spec.ts'
import type { PreviewProgress, PreviewResult } from '../lib/ffmpeg-preview.client'
import { buttonClass } from './ui'

const STAGE_LABEL: Record<PreviewProgress['stage'], string> = {
  loading: 'Loading the preview engine…',
  reading: 'Reading your clip…',
  rendering: 'Rendering…',
  finishing: 'Taking a frame…',
  done: 'Done',
}

/** What a preview renders: the clip, the spec, and the project's logo when it has one. */
export interface PreviewJob {
  file: Blob
  spec: RenderSpec
  logo?: Blob | null
}

export interface PreviewRun {
  progress: PreviewProgress | null
  result: PreviewResult | null
  /** Why the last preview did not finish; `stopped` when the creator canceled it. */
  error: { message: string; stopped: boolean } | null
  busy: boolean
  /** Starts a preview; `prepare` fetches what it needs (it gets the run's abort signal). */
  start: (prepare: (signal: AbortSignal) => Promise<PreviewJob>) => Promise<void>
  cancel: () => void
}

/** State and actions of one preview. */
export function usePreviewRun(): PreviewRun {
  const [progress, setProgress] = useState<PreviewProgress | null>(null)
  const [result, setResult] = useState<PreviewResult | null>(null)
  const [error, setError] = useState<PreviewRun['error']>(null)
  const [busy, setBusy] = useState(false)
  const controller = useRef<AbortController | null>(null)
  const urls = useRef<string[]>([])
  useEffect(
    () => () => {
      controller.current?.abort()
      urls.current.forEach((u) => URL.revokeObjectURL(u))
    },
    [],
  )

  async function start(prepare: (signal: AbortSignal) => Promise<PreviewJob>) {
    controller.current?.abort()
    const ctrl = new AbortController()
    controller.current = ctrl
    setError(null)
    setResult(null)
    setBusy(true)
    setProgress({ stage: 'loading', fraction: 0 })
    try {
      // Imported on demand so the 32 MB engine and its wrapper never load with the page.
      const [{ renderPreview }, job] = await Promise.all([import('../lib/ffmpeg-preview.client'), prepare(ctrl.signal)])
      const out = await renderPreview(job.file, job.spec, { signal: ctrl.signal, logo: job.logo, onProgress: (p) => controller.current === ctrl && setProgress(p) })
      if (controller.current !== ctrl) return
      urls.current.push(out.videoUrl, out.frameUrl)
      setResult(out)
    } catch (e) {
      // A newer preview replaced this one (and stopped it): it shows its own state.
      if (controller.current !== ctrl) return
      const canceled = ctrl.signal.aborted
      setProgress(null)
      setError({ message: canceled ? 'Preview canceled.' : (e as Error).message, stopped: canceled })
    } finally {
      if (controller.current === ctrl) setBusy(false)
    }
  }

  return { progress, result, error, busy, start, cancel: () => controller.current?.abort() }
}

/** The progress bar with its Cancel button, the reason a preview stopped, and the result. */
export function PreviewOutcome({ run, label }: { run: PreviewRun; label: string }) {
  const { progress, result, error, busy } = run
  const fraction = progress ? (progress.stage === 'rendering' ? progress.fraction : progress.stage === 'done' || progress.stage === 'finishing' ? 1 : 0) : 0
  return (
    <>
      {progress && (busy || progress.stage === 'done') && (
        <div className="space-y-2">
          <div className="flex items-center justify-between gap-3">
            <span className="text-sm text-slate-300" data-testid="preview-stage">
              {STAGE_LABEL[progress.stage]}
            </span>
            {busy && (
              <button type="button" onClick={run.cancel} className={buttonClass('secondary', 'sm')}>
                Cancel preview
              </button>
            )}
          </div>
          <progress max={1} value={fraction} data-testid="preview-progress" className="h-2 w-full appearance-none overflow-hidden rounded-full [&::-webkit-progress-bar]:bg-slate-800 [&::-webkit-progress-value]:bg-violet-500 [&::-moz-progress-bar]:bg-violet-500" aria-label="Preview progress" />
        </div>
      )}
      {error &&
        (error.stopped ? (
          <p role="status" className="text-sm text-slate-300" data-testid="preview-stopped">
            {error.message}
          </p>
        ) : (
          <p role="alert" className="text-sm text-rose-400">
            {error.message}
          </p>
        ))}
      {result && (
        <div className="flex flex-wrap gap-4" data-testid="preview-result" data-render-seconds={result.renderSeconds.toFixed(3)} data-cover-at={result.coverAtSec.toFixed(3)}>
          <img src={result.frameUrl} alt={label} data-testid="preview-frame" width={result.width} height={result.height} className="max-h-96 w-auto max-w-full rounded" />
          <video src={result.videoUrl} controls loop muted playsInline data-testid="preview-video" className="max-h-96 max-w-full rounded" />
          <p className="text-sm text-slate-400">
            {result.width}×{result.height}, {result.durationSec} s, rendered in {result.renderSeconds.toFixed(1)} s.
            {result.missingFonts.length > 0 && ` Fonts not served: ${result.missingFonts.join(', ')}; their text is missing from this preview.`}
          </p>
        </div>
      )}
    </>
  )
}
