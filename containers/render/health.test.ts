// GET /health on the render server: healthy only when its FFmpeg and ffprobe run and libass finds
// the fonts of every style; otherwise 503 with the reason. Checked once at start, not per call.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkTools, fontProbeAss, parseFontSelections } from './health.ts'
import { FONT_FAMILIES } from './recipe/index.ts'
import { FFMPEG, FFPROBE, startRenderServer, renderAuth } from './test-support.ts'

let work: string
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'reelpilot-health-'))
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

async function health(options: Parameters<typeof startRenderServer>[0] = {}) {
  const server = await startRenderServer({ tempDir: work, ...options })
  try {
    const res = await fetch(`${server.base}/health`, { headers: renderAuth })
    return { status: res.status, body: (await res.json()) as Record<string, any> }
  } finally {
    await server.close()
  }
}

describe('GET /health', () => {
  it('is ok with the versions of its ffmpeg and ffprobe and the fontconfig it reads', async () => {
    const { status, body } = await health()
    expect(status).toBe(200)
    expect(body).toMatchObject({ status: 'ok', fontconfig: process.env.FONTCONFIG_FILE })
    expect(body.ffmpeg).toMatch(/^ffmpeg version /)
    expect(body.ffprobe).toMatch(/^ffprobe version /)
  })

  it('is 503 degraded, saying so, when ffprobe is missing', async () => {
    const { status, body } = await health({ ffprobePath: join(work, 'no-ffprobe') })
    expect(status).toBe(503)
    expect(body).toMatchObject({ status: 'degraded', error: `ffprobe not found: ${join(work, 'no-ffprobe')}` })
  })

  it('is 503 degraded when ffmpeg is missing', async () => {
    const { status, body } = await health({ ffmpegPath: join(work, 'no-ffmpeg'), ffprobePath: FFPROBE })
    expect(status).toBe(503)
    expect(body.error).toBe(`ffmpeg not found: ${join(work, 'no-ffmpeg')}`)
  })

  it('is 503 degraded when a binary is there but does not run', async () => {
    const fake = join(work, 'fake-ffprobe')
    await writeFile(fake, '#!/bin/sh\necho broken >&2\nexit 3\n', { mode: 0o755 })
    const { status, body } = await health({ ffprobePath: fake })
    expect(status).toBe(503)
    expect(body.error).toMatch(/^ffprobe does not run: .* exited 3: broken$/)
  })

  it('checks the tools once, not on every call', async () => {
    const server = await startRenderServer({ tempDir: work })
    try {
      const first = await server.server.toolsReport()
      for (let i = 0; i < 3; i++) expect((await fetch(`${server.base}/health`, { headers: renderAuth })).status).toBe(200)
      expect((await server.server.toolsReport()).checkedAt).toBe(first.checkedAt)
    } finally {
      await server.close()
    }
  })
})

describe('the font check', () => {
  it('finds every family of the styles, regular and bold, in their own files', async () => {
    const report = await checkTools({ ffmpeg: FFMPEG, ffprobe: FFPROBE, tempDir: work })
    expect(report.problems).toEqual([])
    expect(Object.keys(report.fonts).sort()).toEqual([...FONT_FAMILIES].sort())
    for (const family of FONT_FAMILIES) {
      expect(report.fonts[family].regular, family).toBeTruthy()
      expect(report.fonts[family].bold, family).not.toBe(report.fonts[family].regular)
    }
  })

  it('reports the families fontconfig cannot find, with what libass took instead', async () => {
    // A fontconfig with no font folder at all: libass falls back to nothing of ours.
    const conf = join(work, 'empty-fonts.conf')
    await writeFile(conf, `<?xml version="1.0"?>\n<fontconfig><cachedir>${join(work, 'fc-cache')}</cachedir></fontconfig>\n`)
    const saved = process.env.FONTCONFIG_FILE
    process.env.FONTCONFIG_FILE = conf
    try {
      const report = await checkTools({ ffmpeg: FFMPEG, ffprobe: FFPROBE, tempDir: work }, { families: ['Noto Sans', 'Noto Sans JP'] })
      expect(report.ok).toBe(false)
      expect(report.problems).toHaveLength(1)
      expect(report.problems[0]).toMatch(/^fonts not found: Noto Sans \(regular.*, bold.*\); Noto Sans JP \(regular.*, bold.*\)$/)
    } finally {
      process.env.FONTCONFIG_FILE = saved
    }
  })

  it('reads the face libass picked for each family and weight from its log', () => {
    const log = [
      '[Parsed_subtitles_0 @ 0x1] fontselect: (Noto Sans, 400, 0) -> /f/NotoSans_400Regular.ttf, 0, NotoSans-Regular',
      '[Parsed_subtitles_0 @ 0x1] fontselect: (Noto Sans, 700, 0) -> /f/NotoSans_700Bold.ttf, 0, NotoSans-Bold',
      '[Parsed_subtitles_0 @ 0x1] fontselect: (Noto Sans JP, 400, 0) -> /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc, 0, NotoSansCJKjp-Regular',
      '[Parsed_subtitles_0 @ 0x1] fontselect: (Noto Sans JP, 400, 0) -> /f/other.ttf, 0, Other-Regular',
    ].join('\n')
    const picks = parseFontSelections(log)
    expect(picks.get('Noto Sans|bold')).toEqual({ file: '/f/NotoSans_700Bold.ttf', postscript: 'NotoSans-Bold' })
    expect(picks.get('Noto Sans JP|regular')).toEqual({ file: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', postscript: 'NotoSansCJKjp-Regular' })
    expect(picks.size).toBe(3)
    expect(fontProbeAss(['Noto Sans JP'])).toContain('{\\fnNoto Sans JP\\b1}日')
  })
})
