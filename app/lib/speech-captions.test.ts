import { describe, expect, it } from 'vitest'
import { configFromForm } from '../routes/project.autopilot.server'
import { lookSpec, initialLook, type LookSubject } from '../components/composer/post-look'
import { autopilotSpeechCaptions, postSpeechCaptionsChange, postSpeechChoice, previewSpeech, speechWanted } from './speech-captions'

const form = (entries: [string, string][]) => {
  const f = new FormData()
  for (const [k, v] of entries) f.append(k, v)
  return f
}

describe('captions from speech in the forms (#15)', () => {
  it('the autopilot form sends the checkbox only when it showed it', () => {
    expect(autopilotSpeechCaptions(form([['speechCaptionsShown', '1'], ['speechCaptions', 'on']]))).toBe(true)
    expect(autopilotSpeechCaptions(form([['speechCaptionsShown', '1']]))).toBe(false)
    expect(autopilotSpeechCaptions(form([]))).toBeUndefined()
    expect(configFromForm(form([['cadence', 'daily'], ['speechCaptionsShown', '1']])).speechCaptions).toBe(false)
    expect('speechCaptions' in configFromForm(form([['cadence', 'daily']]))).toBe(false)
  })

  it('a post sends its choice only when it changed: on, off, or back to the autopilot’s', () => {
    expect(postSpeechCaptionsChange(form([['speechCaptionsBefore', ''], ['speechCaptions', 'off']]))).toBe(false)
    expect(postSpeechCaptionsChange(form([['speechCaptionsBefore', 'off'], ['speechCaptions', 'on']]))).toBe(true)
    expect(postSpeechCaptionsChange(form([['speechCaptionsBefore', 'on'], ['speechCaptions', '']]))).toBeNull()
    expect(postSpeechCaptionsChange(form([['speechCaptionsBefore', 'on'], ['speechCaptions', 'on']]))).toBeUndefined()
    expect(postSpeechCaptionsChange(form([]))).toBeUndefined()
    expect([true, false, null].map(postSpeechChoice)).toEqual(['on', 'off', ''])
  })

  it('the post panel’s preview follows the form’s choice before it is saved', () => {
    const words = { words: [{ word: 'Hello', start: 0.2, end: 0.6 }, { word: 'there', start: 0.7, end: 1.1 }] }
    const heard = { words: [{ word: 'Hi', start: 0.2, end: 0.6 }] }
    // The choice: the post's own, else the autopilot's (on unless turned off).
    expect(['on', 'off', ''].map((c) => [speechWanted(c as '', true), speechWanted(c as '', false)])).toEqual([[true, true], [false, false], [true, false]])
    expect(previewSpeech(false, words, heard)).toBeNull()
    expect(previewSpeech(true, words, heard)).toBe(words)
    // Switched on after a render without: the clip's transcript.
    expect(previewSpeech(true, null, heard)).toBe(heard)
    expect(previewSpeech(true, null, null)).toBeNull()

    // The spec the preview renders: the last render's words unless told otherwise.
    const post: LookSubject = { id: 'p', mediaId: 'm', style: 'minimal', language: 'en', objective: 'awareness', callToAction: null, logoUrl: null, spec: { speech: words }, clip: { durationSec: 4, width: 1920, height: 1080 }, targets: [{ platform: 'tiktok' }] }
    const project = { brandColor: null, font: null, framing: 'auto' as const }
    const look = initialLook(post)
    expect(lookSpec(post, look, project).speech).toEqual(words)
    expect(lookSpec(post, look, project, null).speech).toBeUndefined()
    expect(lookSpec(post, look, project, heard).speech).toEqual(heard)
  })
})
