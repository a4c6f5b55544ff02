/**
 * The fonts the styles draw with: one table of every family the recipe names, with the file
 * behind each weight in the npm package that ships it and the name Debian gives the same face.
 *
 * Locally (npm start, npm test) FFmpeg finds these files through a fontconfig file of ours
 * (scripts/tools.mjs writes it from this table); the browser preview fetches them from
 * /vendor/fonts/ (scripts/vendor-assets.mjs copies them there). The production image has
 * Debian's fonts-noto-core and fonts-noto-cjk instead: the Latin, Arabic and Hebrew families
 * carry the same names there, and the CJK ones are aliased to Debian's collections by
 * containers/render/fonts/reelpilot-fonts.conf. Pure data, shared by the server and the preview.
 */

export interface FontFace {
  /** The npm package that ships the family. */
  package: string
  /** Path of the regular (400) and bold (700) files inside the package. */
  regular: string
  bold: string
  /** Debian's family for the same face, when it has another name there. */
  debianFamily?: string
}

function google(pkg: string, stem: string, debianFamily?: string): FontFace {
  return {
    package: `@expo-google-fonts/${pkg}`,
    regular: `400Regular/${stem}_400Regular.ttf`,
    bold: `700Bold/${stem}_700Bold.ttf`,
    ...(debianFamily ? { debianFamily } : {}),
  }
}

/** Every family the recipe asks libass for, by the name written in the ASS document. */
export const FONT_FACES: Record<string, FontFace> = {
  'Noto Sans': google('noto-sans', 'NotoSans'),
  'Noto Sans Display': google('noto-sans-display', 'NotoSansDisplay'),
  'Noto Serif Display': google('noto-serif-display', 'NotoSerifDisplay'),
  'Noto Sans Arabic': google('noto-sans-arabic', 'NotoSansArabic'),
  'Noto Naskh Arabic': google('noto-naskh-arabic', 'NotoNaskhArabic'),
  'Noto Sans Hebrew': google('noto-sans-hebrew', 'NotoSansHebrew'),
  'Noto Serif Hebrew': google('noto-serif-hebrew', 'NotoSerifHebrew'),
  'Noto Sans JP': google('noto-sans-jp', 'NotoSansJP', 'Noto Sans CJK JP'),
  'Noto Sans KR': google('noto-sans-kr', 'NotoSansKR', 'Noto Sans CJK KR'),
  'Noto Sans SC': google('noto-sans-sc', 'NotoSansSC', 'Noto Sans CJK SC'),
  'Noto Sans TC': google('noto-sans-tc', 'NotoSansTC', 'Noto Sans CJK TC'),
  'Noto Serif JP': google('noto-serif-jp', 'NotoSerifJP', 'Noto Serif CJK JP'),
  'Noto Serif KR': google('noto-serif-kr', 'NotoSerifKR', 'Noto Serif CJK KR'),
  'Noto Serif SC': google('noto-serif-sc', 'NotoSerifSC', 'Noto Serif CJK SC'),
  'Noto Serif TC': google('noto-serif-tc', 'NotoSerifTC', 'Noto Serif CJK TC'),
}

/** Every family name the recipe can write. */
export const FONT_FAMILIES = Object.keys(FONT_FACES)

function face(family: string): FontFace {
  const entry = FONT_FACES[family]
  if (!entry) throw new Error(`No font file is known for ${family}`)
  return entry
}

/** The file name of a family's weight: how the preview fetches it from /vendor/fonts/. */
export function fontFile(family: string, bold: boolean): string {
  const f = face(family)
  return (bold ? f.bold : f.regular).split('/').pop() as string
}

/** The path of a family's weight inside node_modules (`package/dir/file.ttf`). */
export function fontPackagePath(family: string, bold: boolean): string {
  const f = face(family)
  return `${f.package}/${bold ? f.bold : f.regular}`
}

/**
 * True when the face libass picked for a family and weight (its PostScript name, as FFmpeg logs
 * it in `fontselect: (family, weight, italic) -> file, index, PostScriptName`) is that family,
 * under its npm name or its Debian one, in that weight: not a fallback to whatever font was at
 * hand, nor the regular face made bold by libass.
 */
export function isFaceOf(family: string, bold: boolean, postscriptName: string): boolean {
  const squash = (s: string) => s.replace(/[\s-]/g, '').toLowerCase()
  const [name, style = ''] = postscriptName.split('-')
  const f = face(family)
  const sameFamily = [family, f.debianFamily].some((n) => n !== undefined && squash(name) === squash(n))
  return sameFamily && /bold/i.test(style) === bold
}
