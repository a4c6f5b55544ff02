import { describe, expect, it } from 'vitest'
import { TemplateCaptionWriter, toHashtag } from './captions'

const base = { style: 'minimal', objective: 'traffic', title: 'Pasta carbonara', tags: ['Italian food', 'recipe'], projectName: 'Chef Ada', seed: 'prj_1:2026-11-22T12:00' } as const

describe('template captions', () => {
  const writer = new TemplateCaptionWriter()

  it('writes in the project language with the objective’s call to action', async () => {
    const fr = await writer.write({ ...base, language: 'fr' })
    expect(fr.language).toBe('fr')
    expect(fr.callToAction).toBe('Lien en bio')
    expect(fr.caption).toContain('Lien en bio')
    const conv = await writer.write({ ...base, language: 'en', objective: 'conversion' })
    expect(conv.callToAction).toMatch(/Shop now/)
  })

  it('is stable for the same seed and varies across seeds', async () => {
    const a = await writer.write({ ...base, language: 'en' })
    expect(await writer.write({ ...base, language: 'en' })).toEqual(a)
    const hooks = new Set<string>()
    for (let day = 1; day <= 20; day++) hooks.add((await writer.write({ ...base, language: 'en', seed: `prj_1:2026-11-${day}` })).hook)
    expect(hooks.size).toBeGreaterThan(2)
  })

  it('builds hashtags from tags and project, without duplicates, in any script', async () => {
    const out = await writer.write({ ...base, language: 'ja', tags: ['料理', 'recipe', 'Recipe'] })
    expect(out.hashtags).toContain('#料理')
    expect(out.hashtags.filter((t) => t === '#recipe')).toHaveLength(1)
    expect(out.hashtags).toContain('#chefada')
    expect(out.hashtags.every((t) => /^#[\p{L}\p{N}_]+$/u.test(t))).toBe(true)
  })

  it('falls back to English for a language without templates, and says so', async () => {
    const out = await writer.write({ ...base, language: 'sw' })
    expect(out.language).toBe('en')
  })

  it('rejects tags that are only punctuation', () => {
    expect(toHashtag('!!!')).toBeNull()
    expect(toHashtag('Hello world')).toBe('#helloworld')
  })
})
