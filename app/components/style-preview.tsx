/**
 * Lets a creator see a style on one of their clips before the autopilot uses it: a clip handed
 * in by the page (one from the library) or a file picked here, a style, a hook and a caption,
 * and a few seconds render in the browser (ffmpeg.wasm, same recipe and timeline as the server:
 * hook, caption segments, call to action) with a progress bar and a Cancel button. The engine
 * loads only when Preview is pressed.
 */
import { buttonClass, inputClass } from './ui'
import { useEffect, useRef, useState } from 'react'
import { ASPECTS, OBJECTIVES, STYLES, type Aspect, type Objective, type StyleName } from '../../containers/render/recipe/spec.ts'
import { previewSpec, previewTexts, SAMPLE_CAPTION } from '../lib/preview-spec'
import { PreviewOutcome, usePreviewRun } from './preview-run'

export interface StylePreviewProps {
  /**
   * The clip to preview, when the page has one (a library clip). A file picked here takes its
   * place until the page hands in another clip.
   */
  file?: File | null
  /** Said under the clip's label: the page's clip is loading, or why it could not be loaded. */
  fileStatus?: string | null
  /** Preset texts (e.g. the project's next hook); the creator can edit them. */
  defaultHook?: string
  defaultStyle?: StyleName
  language?: string
  brandColor?: string
  /** The clip's transcript (#15): the preview draws its captions from speech, as the render does. */
  speech?: { words: { word: string; start: number; end: number }[]; language?: string } | null
}

/** The preview panel: file picker, style choice, progress bar, and the rendered result. */
export function StylePreview({
  file: given = null,
  fileStatus = null,
  defaultHook = 'Three tricks nobody tells you',
  defaultStyle = 'minimal',
  language = 'en',
  brandColor = '#1e40af',
  speech = null,
}: StylePreviewProps) {
  const [picked, setPicked] = useState<File | null>(null)
  const picker = useRef<HTMLInputElement>(null)
  // A new clip from the page replaces whatever was picked here.
  useEffect(() => {
    setPicked(null)
    if (picker.current) picker.current.value = ''
  }, [given])
  const file = picked ?? given
  const [style, setStyle] = useState<StyleName>(defaultStyle)
  const [aspect, setAspect] = useState<Aspect>('9:16')
  const [objective, setObjective] = useState<Objective>('awareness')
  const [hook, setHook] = useState(defaultHook)
  const [caption, setCaption] = useState(SAMPLE_CAPTION)
  const run = usePreviewRun()

  function preview() {
    if (!file) return
    const spec = previewSpec({ style, aspect, objective, language, brandColor, texts: previewTexts(hook, caption), ...(speech?.words.length ? { speech } : {}) })
    void run.start(async () => ({ file, spec }))
  }

  return (
    <section className="space-y-4" aria-label="Style preview">
      <div className="grid gap-3 sm:grid-cols-2">
        <label className="block text-sm">
          <span className="text-slate-300">Clip</span>
          {given && !picked && (
            <span className="mt-1 block truncate text-slate-100" data-testid="preview-clip">
              {given.name}
            </span>
          )}
          {fileStatus && <span className="mt-1 block text-slate-400" data-testid="preview-clip-status">{fileStatus}</span>}
          <input
            ref={picker}
            type="file"
            accept="video/mp4,video/quicktime,video/webm,image/jpeg,image/png"
            data-testid="preview-file"
            aria-label={given ? 'Or pick another file' : 'Pick a clip'}
            className="mt-1 block w-full text-sm text-slate-300 file:mr-3 file:rounded-lg file:border-0 file:bg-slate-800 file:px-3 file:py-1.5 file:text-slate-100 hover:file:bg-slate-700"
            onChange={(e) => setPicked(e.currentTarget.files?.[0] ?? null)}
          />
        </label>
        <label className="block text-sm">
          <span className="text-slate-300">Hook</span>
          <input value={hook} maxLength={140} onChange={(e) => setHook(e.currentTarget.value)} className={`mt-1 border-slate-700 ${inputClass}`} />
        </label>
        <label className="block text-sm sm:col-span-2">
          <span className="text-slate-300">Caption (drawn in timed segments through the middle of the video)</span>
          <textarea value={caption} maxLength={2200} rows={2} onChange={(e) => setCaption(e.currentTarget.value)} className={`mt-1 border-slate-700 ${inputClass}`} />
        </label>
        <label className="block text-sm">
          <span className="text-slate-300">Style</span>
          <select value={style} data-testid="preview-style" onChange={(e) => setStyle(e.currentTarget.value as StyleName)} className={`mt-1 border-slate-700 ${inputClass}`}>
            {STYLES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className="block text-sm">
          <span className="text-slate-300">Aspect</span>
          <select value={aspect} onChange={(e) => setAspect(e.currentTarget.value as Aspect)} className={`mt-1 border-slate-700 ${inputClass}`}>
            {ASPECTS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label className="block text-sm">
          <span className="text-slate-300">Objective</span>
          <select value={objective} onChange={(e) => setObjective(e.currentTarget.value as Objective)} className={`mt-1 border-slate-700 ${inputClass}`}>
            {OBJECTIVES.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
        </label>
      </div>
      <button type="button" disabled={!file || run.busy} onClick={preview} className={buttonClass('primary')}>
        {run.busy ? 'Previewing…' : 'Preview'}
      </button>
      <PreviewOutcome run={run} label={`A frame of the ${style} preview`} />
    </section>
  )
}
