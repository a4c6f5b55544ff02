/**
 * What the render server's health stands on: its FFmpeg and ffprobe run, and libass inside that
 * FFmpeg finds the font of every family and weight the styles use. Checked once when the server
 * starts (one `-version` each and one tiny subtitles render), not on every /health call.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Tools } from './media.ts'
import { runProcess } from './process.ts'
import { FONT_FAMILIES, isFaceOf } from './recipe/index.ts'

export interface ToolsReport {
  ok: boolean
  /** First line of `ffmpeg -version` and of `ffprobe -version`. */
  ffmpeg: { path: string; version?: string }
  ffprobe: { path: string; version?: string }
  /** Where libass found each family's regular and bold face (file paths). */
  fonts: Record<string, { regular?: string; bold?: string }>
  /** The fontconfig file FFmpeg reads (FONTCONFIG_FILE), or the system's. */
  fontconfig: string
  /** Plain sentences, e.g. "ffprobe not found: /x/ffprobe". Empty when ok. */
  problems: string[]
  checkedAt: string
}

async function version(name: string, bin: string): Promise<{ version?: string; problem?: string }> {
  try {
    const result = await runProcess(bin, ['-hide_banner', '-version'], { maxStdout: 4096 })
    if (result.code === 0) return { version: result.stdout.split('\n')[0].trim() }
    return { problem: `${name} does not run: ${bin} exited ${result.code ?? result.signal}: ${result.stderr.trim().slice(-300)}` }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (code === 'ENOENT') return { problem: `${name} not found: ${bin}` }
    return { problem: `${name} does not run: ${bin}: ${(error as Error).message}` }
  }
}

/** A letter each family draws, so libass selects it for real. */
function sample(family: string): string {
  if (family.includes('Arabic')) return 'ب'
  if (family.includes('Hebrew')) return 'א'
  if (/ KR$/.test(family)) return '한'
  if (/ (JP|SC|TC)$/.test(family)) return '日'
  return 'Aa'
}

/** The ASS document that asks for every family in both weights at once. */
export function fontProbeAss(families: string[] = FONT_FAMILIES): string {
  const events = families.flatMap((family) =>
    [0, 1].map((bold) => `Dialogue: 0,0:00:00.00,0:00:01.00,Default,,0,0,0,,{\\fn${family}\\b${bold}}${sample(family)}`),
  )
  return [
    '[Script Info]', 'ScriptType: v4.00+', 'PlayResX: 64', 'PlayResY: 64', '',
    '[V4+ Styles]',
    'Format: Name, Fontname, Fontsize, PrimaryColour, SecondaryColour, OutlineColour, BackColour, Bold, Italic, Underline, StrikeOut, ScaleX, ScaleY, Spacing, Angle, BorderStyle, Outline, Shadow, Alignment, MarginL, MarginR, MarginV, Encoding',
    'Style: Default,Noto Sans,8,&H00FFFFFF,&H00FFFFFF,&H00000000,&H00000000,0,0,0,0,100,100,0,0,1,0,0,5,0,0,0,-1',
    '', '[Events]', 'Format: Layer, Start, End, Style, Name, MarginL, MarginR, MarginV, Effect, Text',
    ...events, '',
  ].join('\n')
}

/**
 * Reads FFmpeg's verbose log of a subtitles render: for each family and weight, the first face
 * libass selected (`fontselect: (Noto Sans, 700, 0) -> /path/NotoSans-Bold.ttf, 0, NotoSans-Bold`).
 */
export function parseFontSelections(stderr: string): Map<string, { file: string; postscript: string }> {
  const picks = new Map<string, { file: string; postscript: string }>()
  for (const m of stderr.matchAll(/fontselect: \((.+?), (\d+), \d+\) -> (.+?), \d+, (\S+)/g)) {
    const key = `${m[1]}|${Number(m[2]) >= 600 ? 'bold' : 'regular'}`
    if (!picks.has(key)) picks.set(key, { file: m[3], postscript: m[4] })
  }
  return picks
}

/** Checks the tools once; never throws. */
export async function checkTools(tools: Tools, options: { fontsDir?: string; families?: string[] } = {}): Promise<ToolsReport> {
  const families = options.families ?? FONT_FAMILIES
  const [ffmpeg, ffprobe] = await Promise.all([version('ffmpeg', tools.ffmpeg), version('ffprobe', tools.ffprobe)])
  const problems = [ffmpeg.problem, ffprobe.problem].filter((p): p is string => p !== undefined)
  const fonts: ToolsReport['fonts'] = {}
  if (!ffmpeg.problem) {
    const dir = await mkdtemp(join(tools.tempDir ?? tmpdir(), 'reelpilot-fontcheck-'))
    try {
      const ass = join(dir, 'fonts.ass')
      await writeFile(ass, fontProbeAss(families))
      const fontsDir = options.fontsDir ? `:fontsdir=${options.fontsDir}` : ''
      const run = await runProcess(tools.ffmpeg, [
        '-hide_banner', '-nostdin', '-v', 'verbose', '-f', 'lavfi', '-i', 'color=size=64x64:duration=0.1',
        '-vf', `subtitles=filename=${ass}${fontsDir}`, '-frames:v', '1', '-f', 'null', '-',
      ], { maxStdout: 0 })
      if (run.code !== 0) problems.push(`fonts could not be checked: ffmpeg exited ${run.code}: ${run.stderr.trim().slice(-300)}`)
      else {
        const picks = parseFontSelections(run.stderr)
        const missing: string[] = []
        for (const family of families) {
          const lacking: string[] = []
          for (const weight of ['regular', 'bold'] as const) {
            const pick = picks.get(`${family}|${weight}`)
            if (pick && isFaceOf(family, weight === 'bold', pick.postscript)) (fonts[family] ??= {})[weight] = pick.file
            else lacking.push(pick ? `${weight}: got ${pick.postscript}` : weight)
          }
          if (lacking.length) missing.push(`${family} (${lacking.join(', ')})`)
        }
        if (missing.length) problems.push(`fonts not found: ${missing.join('; ')}`)
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }
  return {
    ok: problems.length === 0,
    ffmpeg: { path: tools.ffmpeg, ...(ffmpeg.version ? { version: ffmpeg.version } : {}) },
    ffprobe: { path: tools.ffprobe, ...(ffprobe.version ? { version: ffprobe.version } : {}) },
    fonts,
    fontconfig: process.env.FONTCONFIG_FILE ?? 'the system fontconfig',
    problems,
    checkedAt: new Date().toISOString(),
  }
}
