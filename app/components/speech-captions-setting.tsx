/**
 * The "captions from speech" controls (#15): the autopilot's setting per project, and a post's
 * own on/off (or the autopilot's setting). Read back by app/lib/speech-captions.ts.
 */
import { useEffect } from 'react'
import { useFetcher } from 'react-router'
import type { SpeechSpec } from '../../containers/render/recipe/speech-captions'
import { postSpeechChoice, previewSpeech, speechWanted, type PostSpeechChoice } from '../lib/speech-captions'
import type { TranscriptAnswer } from '../routes/project.library.transcript'
import { inputClass } from './ui'

const WHAT = 'The words said in the clip, burned in word by word with the spoken word highlighted, in place of the caption segments. Only clips whose sound was transcribed (a transcription provider must be configured; the library shows each clip’s words).'

/** The autopilot form's checkbox: on unless the project turned it off. */
export function AutopilotSpeechCaptions({ enabled }: { enabled: boolean | undefined }) {
  return (
    <label className="flex items-start gap-3 text-sm">
      <input type="hidden" name="speechCaptionsShown" value="1" />
      <input type="checkbox" name="speechCaptions" defaultChecked={enabled !== false} className="mt-0.5 accent-violet-500" />
      <span>
        <span className="font-medium text-slate-200">Captions from speech</span>
        <span className="block text-slate-400">{WHAT}</span>
      </span>
    </label>
  )
}

/** The post panel's choice: the autopilot's setting, on or off; `onChoice` hears each change (the preview follows it). */
export function PostSpeechCaptions({ postId, value, error, onChoice }: { postId: string; value: boolean | null; error?: string; onChoice?: (choice: PostSpeechChoice) => void }) {
  const before = postSpeechChoice(value)
  const id = `speech-captions-${postId}`
  return (
    <div>
      <input type="hidden" name="speechCaptionsBefore" value={before} />
      <label htmlFor={id} className="mb-1 block text-sm text-slate-300">
        Captions from speech <span className="text-slate-500">(the clip’s words, as said)</span>
      </label>
      <select id={id} name="speechCaptions" defaultValue={before} onChange={(e) => onChoice?.(e.currentTarget.value as PostSpeechChoice)} className={`border-slate-700 ${inputClass}`} aria-invalid={error ? true : undefined}>
        <option value="">The autopilot’s setting</option>
        <option value="on">On for this post</option>
        <option value="off">Off for this post</option>
      </select>
      {error && (
        <p role="alert" className="mt-1 text-sm text-rose-400">
          {error}
        </p>
      )}
    </div>
  )
}

/**
 * The captions from speech the post panel's preview draws for the form's current choice (#15):
 * none once switched off, the last render's words while on, or the clip's transcript (loaded
 * here) when switched on after a render without them.
 */
export function usePreviewSpeech(projectId: string, post: { mediaId: string | null; spec: unknown; speechCaptions: boolean | null }, choice: PostSpeechChoice, autopilotOn: boolean): SpeechSpec | null {
  const rendered = (post.spec as { speech?: SpeechSpec } | null)?.speech ?? null
  const wanted = speechWanted(choice, autopilotOn)
  const transcript = useFetcher<TranscriptAnswer>()
  // Only a changed choice asks for the transcript: an unchanged one draws what the server rendered.
  const needed = wanted && !rendered && post.mediaId !== null && choice !== postSpeechChoice(post.speechCaptions)
  useEffect(() => {
    if (needed && transcript.state === 'idle' && !transcript.data) transcript.load(`/projects/${encodeURIComponent(projectId)}/library/transcript?mediaId=${encodeURIComponent(post.mediaId!)}`)
  }, [needed, projectId, post.mediaId, transcript])
  const heard = transcript.data?.transcript?.state === 'done' && transcript.data.transcript.words.length ? transcript.data.transcript : null
  return previewSpeech(wanted, rendered, heard ? { words: heard.words, ...(heard.language ? { language: heard.language } : {}) } : null)
}
