// The font table: every family the styles can name is in it, its npm files exist and hold that
// family in that weight, and the image's aliases for Debian's CJK collections match it.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { FONT_FACES, FONT_FAMILIES, fontFamily, fontFile, fontPackagePath, isFaceOf, STYLES } from './index.ts'

const ROOT = join(import.meta.dirname, '..', '..', '..')
// fontkit ships no types; only openSync and the names are used.
const fontkit = createRequire(import.meta.url)('fontkit')

describe('the font table', () => {
  it('has every family a style can ask for, in every script and CJK region', () => {
    const asked = new Set<string>()
    for (const style of STYLES)
      for (const role of ['display', 'text'] as const)
        for (const script of ['latin', 'arabic', 'hebrew', 'cjk'] as const)
          for (const language of ['en', 'ar', 'he', 'ja', 'ko', 'zh', 'zh-TW']) asked.add(fontFamily(style, role, script, language))
    expect([...asked].filter((f) => !FONT_FAMILIES.includes(f))).toEqual([])
    expect(asked.size).toBeGreaterThanOrEqual(15)
  })

  it.each(FONT_FAMILIES)('%s: the npm files hold that family, regular and bold', (family) => {
    for (const bold of [false, true]) {
      const font = fontkit.openSync(join(ROOT, 'node_modules', fontPackagePath(family, bold)))
      expect(font.familyName).toBe(family)
      expect(isFaceOf(family, bold, font.postscriptName), font.postscriptName).toBe(true)
      expect(fontPackagePath(family, bold).endsWith(fontFile(family, bold))).toBe(true)
    }
  })

  it("tells the family's own face from a fallback and from the other weight", () => {
    expect(isFaceOf('Noto Sans', false, 'NotoSans-Regular')).toBe(true)
    expect(isFaceOf('Noto Sans', true, 'NotoSans-Bold')).toBe(true)
    expect(isFaceOf('Noto Sans', true, 'NotoSans-Regular')).toBe(false)
    expect(isFaceOf('Noto Sans', false, 'NotoSansHebrew-Regular')).toBe(false)
    expect(isFaceOf('Noto Sans', false, 'DejaVuSans')).toBe(false)
    // Debian's collections, under the recipe's name.
    expect(isFaceOf('Noto Sans JP', true, 'NotoSansCJKjp-Bold')).toBe(true)
    expect(isFaceOf('Noto Serif KR', false, 'NotoSerifCJKkr-Regular')).toBe(true)
    expect(isFaceOf('Noto Sans JP', false, 'NotoSansCJKkr-Regular')).toBe(false)
  })

  it("the image's fontconfig aliases are exactly the table's Debian names", () => {
    const conf = readFileSync(join(ROOT, 'containers', 'render', 'fonts', 'reelpilot-fonts.conf'), 'utf8')
    const aliases = [...conf.matchAll(/<alias binding="same"><family>([^<]+)<\/family><prefer><family>([^<]+)<\/family><\/prefer><\/alias>/g)].map((m) => [m[1], m[2]])
    const expected = Object.entries(FONT_FACES).filter(([, f]) => f.debianFamily).map(([family, f]) => [family, f.debianFamily])
    expect(expected.length).toBe(8)
    expect(aliases).toEqual(expected)
  })
})
