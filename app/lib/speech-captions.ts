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
