/**
 * Captions from speech (#15) in the forms: the autopilot's per-project setting and a post's own
 * choice, read from a submitted form in the API's shape.
 */

/** The autopilot form's `speechCaptions` (a checkbox), when the form showed it; else left out. */
export function autopilotSpeechCaptions(form: FormData | URLSearchParams): boolean | undefined {
  return form.has('speechCaptionsShown') ? form.get('speechCaptions') === 'on' : undefined
}

/** A post's choice: `on`, `off` or `` (the autopilot's setting). */
export type PostSpeechChoice = '' | 'on' | 'off'

export const postSpeechChoice = (value: boolean | null | undefined): PostSpeechChoice => (value === true ? 'on' : value === false ? 'off' : '')

/** The post panel's `speechCaptions` for a PATCH when it changed (true, false or null), else undefined. */
export function postSpeechCaptionsChange(form: FormData): boolean | null | undefined {
  if (!form.has('speechCaptions')) return undefined
  const value = String(form.get('speechCaptions'))
  if (value === String(form.get('speechCaptionsBefore') ?? '')) return undefined
  return value === 'on' ? true : value === 'off' ? false : null
}

/** Whether a post's render burns in captions from speech for a choice: its own, else the autopilot's (on unless turned off). */
export const speechWanted = (choice: PostSpeechChoice, autopilotOn: boolean): boolean => choice === 'on' || (choice === '' && autopilotOn)

/**
 * The words the post panel's preview draws for the form's current choice (before it is saved):
 * none when the choice turns them off; else the rendered spec's words, or the clip's transcript
 * when the last render had none (it was off then). Null: none to draw.
 */
export function previewSpeech<S>(wanted: boolean, rendered: S | null | undefined, transcript: S | null | undefined): S | null {
  if (!wanted) return null
  return rendered ?? transcript ?? null
}
