import { describe, expect, it } from 'vitest'
import { configFromForm } from '../routes/project.autopilot.server'
import { autopilotSpeechCaptions, postSpeechCaptionsChange, postSpeechChoice } from './speech-captions'

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
})
