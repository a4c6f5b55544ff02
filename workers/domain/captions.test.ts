import { describe, expect, it } from 'vitest'
import { callToAction } from '../../containers/render/recipe/text'
import { OBJECTIVES } from '../../containers/render/recipe/vocabulary'
import { maxHookWords, RECENT_HOOKS, TemplateCaptionWriter, titleFromFilename, toHashtag, usableTitle } from './captions'

const base = { style: 'minimal', objective: 'traffic', title: 'Pasta carbonara', topic: 'Roman pasta', tags: ['Italian food', 'recipe'], projectName: 'Chef Ada', seed: 'prj_1:2026-11-22T12:00', durationSec: 30 } as const

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

  it('says the same call to action the render draws, in the language of the caption', async () => {
    for (const language of ['en', 'fr', 'es', 'de', 'pt', 'ru', 'ar', 'he', 'ja', 'zh', 'ko', 'pt-BR', 'it', 'uk']) {
      for (const objective of OBJECTIVES) {
        const out = await writer.write({ ...base, language, objective })
        expect(out.callToAction, `${language} ${objective}`).toBe(callToAction(objective, out.language))
        expect(out.caption, `${language} ${objective}`).toContain(out.callToAction)
      }
    }
    // A language without caption templates is written in English, its call to action too.
    const it = await writer.write({ ...base, language: 'it', objective: 'awareness' })
    expect(it.language).toBe('en')
    expect(it.callToAction).toBe('Follow for more')
  })

  it('writes from the title, topic and project description', async () => {
    const out = await writer.write({ ...base, language: 'en', projectDescription: 'Weeknight Italian cooking in ten minutes. New every Tuesday.' })
    expect(out.caption).toContain('Pasta carbonara: Roman pasta.')
    expect(out.caption).toContain('Weeknight Italian cooking in ten minutes.')
    expect(out.caption).not.toContain('New every Tuesday')
    expect(out.hashtags).toContain('#romanpasta')
  })

  it('never speaks a file name: a clip called landscape.mp4 gets texts from its project', async () => {
    for (const name of ['landscape.mp4', 'portrait.mp4', 'IMG_1234.MOV', 'final_v2.mp4', 'VID_20240101_123456.mp4', 'video.mp4']) {
      expect(titleFromFilename(name), name).toBe('')
    }
    for (let i = 0; i < 30; i++) {
      // Older rows kept the file name as the title: it is ignored too.
      const out = await writer.write({ ...base, title: 'landscape', topic: '', language: 'fr', projectName: 'Kitchen hacks', seed: `s${i}` })
      expect(`${out.hook} ${out.caption} ${out.hashtags.join(' ')}`.toLowerCase()).not.toContain('landscape')
    }
    expect(usableTitle('portrait')).toBe('')
    expect(usableTitle('IMG_1234')).toBe('')
    expect(usableTitle('Sunset over Lisbon')).toBe('Sunset over Lisbon')
  })

  it('hooks speak of the clip (its title or topic) before the project, while those are fresh', async () => {
    for (let i = 0; i < 30; i++) {
      const out = await writer.write({ ...base, language: 'en', seed: `prj_1:first${i}` })
      expect(out.hook, `seed ${i}`).toMatch(/Pasta carbonara|Roman pasta/)
      expect(out.hook).not.toContain('Chef Ada')
    }
    // A clip the library says nothing of: the project speaks.
    const bare = await writer.write({ ...base, title: '', topic: '', language: 'en' })
    expect(bare.hook).toMatch(/Chef Ada|^[^:]+$/)
  })

  it('pre-fills a title from a file name only when it reads like one', () => {
    expect(titleFromFilename('sunset-over-lisbon.mp4')).toBe('Sunset over lisbon')
    expect(titleFromFilename('Crêpes_au_beurre_final.mov')).toBe('Crêpes au beurre')
    expect(titleFromFilename('PancakeRecipe.mp4')).toBe('Pancake Recipe')
    expect(titleFromFilename('2024-01-05 12.30.11.mp4')).toBe('')
    // A count in the name is part of the title (it was dropped: 'Crispy onions in minutes', seen from a fresh clone); takes and counters are not.
    expect(titleFromFilename('Crispy onions in 10 minutes.mp4')).toBe('Crispy onions in 10 minutes')
    expect(titleFromFilename('3_tricks_for_crispy_onions.mp4')).toBe('3 tricks for crispy onions')
    expect(titleFromFilename('sunset_0012_over_lisbon_2024.mp4')).toBe('Sunset over lisbon')
    expect(titleFromFilename('final_v2_export.mp4')).toBe('')
  })

  it('does not repeat a hook within the project’s last 20 posts', async () => {
    for (const language of ['en', 'fr']) {
      const recent: string[] = []
      // One clip every time, the hardest case: only its title and topic vary the hooks.
      for (let i = 0; i < 60; i++) {
        const out = await writer.write({ ...base, language, seed: `prj_1:slot${i}`, recentHooks: recent })
        expect(recent.slice(0, RECENT_HOOKS), `${language} post ${i}`).not.toContain(out.hook)
        recent.unshift(out.hook)
      }
    }
  })

  it('fits the clip: the hook is readable in its seconds and names the real length', async () => {
    for (const durationSec of [5, 8, 12.5, 30, 60]) {
      for (let i = 0; i < 20; i++) {
        const out = await writer.write({ ...base, language: 'en', durationSec, seed: `x${i}` })
        expect(out.hook.split(' ').length, out.hook).toBeLessThanOrEqual(maxHookWords(durationSec))
        const claimed = /(\d+) seconds/.exec(out.hook)
        if (claimed) expect(Number(claimed[1])).toBe(Math.floor(durationSec))
      }
    }
    expect(maxHookWords(5)).toBeLessThan(maxHookWords(30))
  })

  it('is stable for the same seed and varies across seeds', async () => {
    const a = await writer.write({ ...base, language: 'en' })
    expect(await writer.write({ ...base, language: 'en' })).toEqual(a)
    const hooks = new Set<string>()
    for (let day = 1; day <= 20; day++) hooks.add((await writer.write({ ...base, language: 'en', seed: `prj_1:2026-11-${day}` })).hook)
    expect(hooks.size).toBeGreaterThan(2)
  })

  it('makes hashtags of a topic or a project name only when they read like a tag', async () => {
    const out = await writer.write({ ...base, tags: [], topic: 'a quick trick to fry onions without burning them', projectName: 'Kitchen hacks', language: 'en' })
    expect(out.hashtags).toContain('#kitchenhacks')
    expect(out.hashtags.filter((t) => t.length > 25)).toEqual([])
    expect(out.caption).toContain('a quick trick to fry onions without burning them')
    expect((await writer.write({ ...base, tags: [], language: 'en' })).hashtags).toContain('#romanpasta')
  })

  it('builds hashtags from tags and project, without duplicates, in any script', async () => {
    const out = await writer.write({ ...base, language: 'ja', tags: ['料理', 'recipe', 'Recipe'] })
    expect(out.hashtags).toContain('#料理')
    expect(out.hashtags.filter((t) => t === '#recipe')).toHaveLength(1)
    expect(out.hashtags).toContain('#chefada')
    expect(out.hashtags.length).toBeGreaterThan(0)
    for (const t of out.hashtags) expect(t).toMatch(/^#[\p{L}\p{N}_]+$/u)
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
