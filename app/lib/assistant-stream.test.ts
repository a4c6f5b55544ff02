/** The draft read from a streamed answer cut anywhere. */
import { describe, expect, it } from 'vitest'
import { partialJson } from './assistant-stream'

const full = JSON.stringify({ ideas: [{ title: 'Three knife cuts', hook: 'You hold it "wrong"', format: 'tutorial' }, { title: 'Onion, no tears', hook: 'No crying' }] })

describe('partialJson', () => {
  it('reads every prefix of an answer as a value that grows toward the answer', () => {
    let titles = 0
    for (let i = 1; i <= full.length; i++) {
      const value = partialJson(full.slice(0, i)) as any
      if (value === undefined) continue
      expect(typeof value).toBe('object')
      const seen = (value.ideas ?? []).filter((idea: any) => typeof idea?.title === 'string').length
      expect(seen).toBeGreaterThanOrEqual(titles)
      titles = seen
    }
    expect(partialJson(full)).toEqual(JSON.parse(full))
  })

  it('shows a string as far as it has come, escapes included', () => {
    expect(partialJson('{"ideas":[{"title":"Three kn')).toEqual({ ideas: [{ title: 'Three kn' }] })
    expect(partialJson('{"hook":"You hold it \\"wro')).toEqual({ hook: 'You hold it "wro' })
    expect(partialJson('{"hook":"a\\')).toEqual({ hook: 'a' })
    expect(partialJson('{"ideas":[{"title":"A"},{"ti')).toEqual({ ideas: [{ title: 'A' }, {}] })
    expect(partialJson('{"title":')).toEqual({ title: null })
    expect(partialJson('')).toBeUndefined()
  })
})
