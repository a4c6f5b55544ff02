// The native tools the product runs locally, all from npm packages unless told otherwise:
// - FFmpeg: FFMPEG_PATH, else the binary inside @ffmpeg-installer/ffmpeg;
// - ffprobe: FFPROBE_PATH, else the one beside FFMPEG_PATH when that is set and has one, else
//   the binary inside @ffprobe-installer/ffprobe;
// - fonts: FONTCONFIG_FILE, else a fontconfig file of ours (written under node_modules/.cache)
//   that lists only the npm font packages of recipe/fonts.ts, so libass finds the styles' fonts
//   there and nowhere else: never a system font by luck.
// `npm start`, `npm test` and vitest's config put the answers in the environment (useTools),
// which the render server and the test helpers read.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FONT_FACES } from '../containers/render/recipe/fonts.ts'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(import.meta.url)

function runs(bin) {
  try {
    execFileSync(bin, ['-hide_banner', '-version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

function packaged(name) {
  try {
    return require(name).path
  } catch {
    return undefined
  }
}

/** The ffmpeg binary to use; throws with what to do when there is none. */
export function ffmpegPath(env = process.env) {
  if (env.FFMPEG_PATH) {
    if (!runs(env.FFMPEG_PATH)) throw new Error(`FFMPEG_PATH=${env.FFMPEG_PATH} is not a runnable ffmpeg`)
    return env.FFMPEG_PATH
  }
  const bundled = packaged('@ffmpeg-installer/ffmpeg')
  if (bundled && runs(bundled)) return bundled
  throw new Error('ffmpeg not found: @ffmpeg-installer/ffmpeg is missing or does not run here (run npm install, or set FFMPEG_PATH).')
}

/** The ffprobe binary to use; throws with what to do when there is none. */
export function ffprobePath(env = process.env) {
  if (env.FFPROBE_PATH) {
    if (!runs(env.FFPROBE_PATH)) throw new Error(`FFPROBE_PATH=${env.FFPROBE_PATH} is not a runnable ffprobe`)
    return env.FFPROBE_PATH
  }
  if (env.FFMPEG_PATH?.includes('/')) {
    const beside = join(dirname(env.FFMPEG_PATH), 'ffprobe')
    if (runs(beside)) return beside
  }
  const bundled = packaged('@ffprobe-installer/ffprobe')
  if (bundled && runs(bundled)) return bundled
  throw new Error('ffprobe not found: @ffprobe-installer/ffprobe is missing or does not run here (run npm install, or set FFPROBE_PATH).')
}

/** The folders of the npm font packages, one per weight the recipe uses. */
export function fontDirs() {
  const dirs = new Set()
  for (const face of Object.values(FONT_FACES)) {
    for (const file of [face.regular, face.bold]) {
      const path = join(root, 'node_modules', face.package, file)
      if (!existsSync(path)) throw new Error(`fonts not found: ${face.package}/${file} is missing (run npm install)`)
      dirs.add(dirname(path))
    }
  }
  return [...dirs]
}

const escapeXml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

/** Writes (when it changed) and answers our fontconfig file: the npm fonts only, its cache beside it. */
export function fontconfigFile(env = process.env) {
  if (env.FONTCONFIG_FILE) {
    if (!existsSync(env.FONTCONFIG_FILE)) throw new Error(`FONTCONFIG_FILE=${env.FONTCONFIG_FILE} does not exist`)
    return env.FONTCONFIG_FILE
  }
  const dir = join(root, 'node_modules', '.cache', 'reelpilot-fonts')
  mkdirSync(dir, { recursive: true })
  const file = join(dir, 'fonts.conf')
  const text = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
    '<!-- Written by scripts/tools.mjs: the fonts of recipe/fonts.ts from their npm packages, and nothing else. -->',
    '<fontconfig>',
    ...fontDirs().map((d) => `  <dir>${escapeXml(d)}</dir>`),
    `  <cachedir>${escapeXml(join(dir, 'cache'))}</cachedir>`,
    '</fontconfig>',
    '',
  ].join('\n')
  if (!existsSync(file) || readFileSync(file, 'utf8') !== text) writeFileSync(file, text)
  return file
}

/** FFMPEG_PATH, FFPROBE_PATH and FONTCONFIG_FILE as resolved above, with every problem met. */
export function checkTools(env = process.env) {
  const found = {}
  const problems = []
  for (const [name, find] of [['FFMPEG_PATH', ffmpegPath], ['FFPROBE_PATH', ffprobePath], ['FONTCONFIG_FILE', fontconfigFile]]) {
    try {
      found[name] = find(env)
    } catch (error) {
      problems.push(error.message)
    }
  }
  return { found, problems }
}

/** Puts the tools in process.env (keeping what was set there); answers what it found. */
export function useTools() {
  const { found, problems } = checkTools()
  for (const [name, value] of Object.entries(found)) process.env[name] ??= value
  return { found, problems }
}
