// The recipe on its own: spec parsing, texts, timeline, platform limits and the FFmpeg
// arguments it plans. Pure: no FFmpeg runs here (render.test.ts runs them).
import { describe, expect, it } from 'vitest'
import {
  STYLES,
  buildAss,
  callToAction,
  checkPlatformLimits,
  detectScript,
  escapeAss,
  fittedBox,
  fontFamily,
  linearGain,
  parseLoudness,
  parseProgress,
  parseRenderSpec,
  planRender,
  RecipeError,
  renderSpecSchema,
  timeline,
  gaps,
  safeRect,
} from './index.ts'

const base = { trim: { durationSec: 10 } }

describe('render spec', () => {
  it('fills the defaults: 9:16 crop, minimal, English, awareness', () => {
    const spec = parseRenderSpec(base)
    expect(spec).toMatchObject({ aspect: '9:16', framing: 'crop', style: 'minimal', language: 'en', objective: 'awareness', platforms: [] })
    expect(spec.trim.startSec).toBe(0)
    expect(spec.texts).toEqual({ hookSec: 3, captions: [] })
  })

  it('names the field of bad input', () => {
    const bad = renderSpecSchema.safeParse({ ...base, aspect: '4:3', brandColor: 'blue' })
    expect(bad.success).toBe(false)
    const paths = bad.error!.issues.map((i) => i.path.join('.'))
    expect(paths).toEqual(expect.arrayContaining(['aspect', 'brandColor']))
    const caption = renderSpecSchema.safeParse({ ...base, texts: { captions: [{ text: 'x', startSec: 2, endSec: 1 }] } })
    expect(caption.error!.issues[0].path.join('.')).toBe('texts.captions.0.endSec')
  })
})

describe('texts', () => {
  it('detects the dominant script', () => {
    expect(detectScript('Hello, мир')).toBe('latin')
    expect(detectScript('مرحبا Reelpilot')).toBe('arabic')
    expect(detectScript('שלום world')).toBe('hebrew')
    expect(detectScript('こんにちは Tokyo')).toBe('cjk')
    expect(detectScript('안녕하세요')).toBe('cjk')
  })

  it('picks a font per style and script, with the CJK face of the language', () => {
    expect(fontFamily('minimal', 'display', 'latin', 'en')).toBe('Noto Sans')
    expect(fontFamily('neon', 'display', 'latin', 'en')).toBe('Noto Sans Display')
    expect(fontFamily('corporate', 'display', 'latin', 'en')).toBe('Noto Serif Display')
    expect(fontFamily('minimal', 'text', 'cjk', 'ja')).toBe('Noto Sans JP')
    expect(fontFamily('minimal', 'text', 'cjk', 'zh-TW')).toBe('Noto Sans TC')
    expect(fontFamily('corporate', 'display', 'cjk', 'ko')).toBe('Noto Serif KR')
  })

  it('chooses the call to action by objective and language, and lets the creator override it', () => {
    expect(callToAction('traffic', 'en')).toBe('Link in bio')
    expect(callToAction('conversion', 'ru')).toMatch(/Купить/)
    expect(callToAction('awareness', 'he-IL')).toBe('עקבו לעוד')
    expect(callToAction('awareness', 'xx')).toBe('Follow for more')
    expect(callToAction('traffic', 'en', 'Visit reelpilot.app')).toBe('Visit reelpilot.app')
  })

  it('keeps typed braces and backslashes from becoming ASS commands', () => {
    const escaped = escapeAss('{\\b1}bold\\Nnot a break\nreal break')
    expect(escaped).not.toMatch(/\{|\}/)
    expect(escaped).not.toContain('\\N' + 'not')
    expect(escaped.endsWith('\\Nreal break')).toBe(true)
  })
})

describe('timeline', () => {
  it('shows the hook first, then captions, and the call to action at the end without overlap', () => {
    const spec = parseRenderSpec({
      ...base,
      texts: { hook: 'Watch this', captions: [{ text: 'one', startSec: 3, endSec: 5 }, { text: 'late', startSec: 8, endSec: 12 }, { text: 'gone', startSec: 11, endSec: 13 }] },
    })
    const t = timeline(spec, 10)
    expect(t.hook).toEqual({ text: 'Watch this', start: 0, end: 3 })
    expect(t.cta).toEqual({ text: 'Follow for more', start: 7.8, end: 10 })
    // Captions stop where the call to action starts; one entirely after it is dropped.
    expect(t.captions).toEqual([{ text: 'one', start: 3, end: 5 }])
  })

  it('cuts the caption into segments through the middle, with no stretch longer than 2 s without text', () => {
    const body = 'The batter rests an hour. Brown butter changes everything. A hot pan, never smoking. Flip when the edges turn gold. #crepes https://x.y 🥞'
    for (const d of [4, 8, 12, 30, 60]) {
      const t = timeline(parseRenderSpec({ trim: { durationSec: d }, texts: { hook: 'Three crêpe tricks', body } }), d)
      expect(t.captions.length, `${d} s`).toBeGreaterThan(d >= 8 ? 1 : 0)
      expect(gaps(t), `${d} s`).toEqual([])
      for (const c of t.captions) {
        expect(c.end - c.start).toBeGreaterThanOrEqual(1.2 - 1e-9)
        expect(c.text.split(' ').length).toBeLessThanOrEqual(7)
        expect(c.text).not.toMatch(/#|https|🥞/)
      }
      // Beats in order: the hook, the segments one after another, the call to action last.
      const spans = [t.hook!, ...t.captions, t.cta!]
      for (let i = 1; i < spans.length; i++) expect(spans[i].start).toBeCloseTo(spans[i - 1].end, 6)
      expect(t.cta!.end).toBe(d)
    }
    // A 12 s clip: the hook, then every segment that can be read, then the call to action.
    const t12 = timeline(parseRenderSpec({ trim: { durationSec: 12 }, texts: { hook: 'x', body } }), 12)
    expect(t12.captions.map((c) => c.text)).toEqual(['The batter rests an hour.', 'Brown butter changes everything.', 'A hot pan, never smoking.', 'Flip when the edges turn gold.'])
  })

  it('keeps the hook on screen when there is no caption, so no stretch is empty', () => {
    const t = timeline(parseRenderSpec({ trim: { durationSec: 12 }, texts: { hook: 'Only a hook' } }), 12)
    expect(t.hook).toMatchObject({ start: 0, end: t.cta!.start })
    expect(gaps(timeline(parseRenderSpec({ trim: { durationSec: 12 }, texts: { hook: 'Only a hook', callToAction: '' } }), 12))).toEqual([])
    expect(gaps(timeline(parseRenderSpec({ trim: { durationSec: 12 } }), 12))).toEqual([{ start: 0, end: 12 - 2.5 }])
  })

  it('shows no call to action when the creator sets an empty one', () => {
    expect(timeline(parseRenderSpec({ ...base, texts: { callToAction: '' } }), 10).cta).toBeNull()
  })
})

describe('ASS styles', () => {
  const frame = { width: 1080, height: 1920 }
  it('gives each style its own fonts, colours and layout', () => {
    const texts = { hook: 'Big news', captions: [{ text: 'hello', startSec: 3, endSec: 4 }] }
    const minimal = buildAss(parseRenderSpec({ ...base, texts }), frame, 10)
    const neon = buildAss(parseRenderSpec({ ...base, texts, style: 'neon' }), frame, 10)
    const corporate = buildAss(parseRenderSpec({ ...base, texts, style: 'corporate', brandColor: '#112233' }), frame, 10)
    expect(minimal).toContain('\\fnNoto Sans\\')
    expect(neon).toContain('BIG NEWS')
    expect(neon).toContain('\\blur')
    expect(corporate).toContain('\\fnNoto Serif Display')
    // The lower-third bar is a drawing in the brand colour (ASS is BGR).
    expect(corporate).toMatch(/\\1c&H332211&.*\\p1}m 0 0 l/)
    expect(new Set([minimal, neon, corporate]).size).toBe(3)
  })

  it('lays corporate out from the right for Hebrew and Arabic', () => {
    const he = buildAss(parseRenderSpec({ ...base, style: 'corporate', language: 'he', texts: { hook: 'שלום' } }), frame, 10)
    const en = buildAss(parseRenderSpec({ ...base, style: 'corporate', language: 'en', texts: { hook: 'Hello' } }), frame, 10)
    expect(he).toMatch(/Hook,,0,0,0,,\{\\fnNoto Serif Hebrew\\b1\\fs\d+\\an9/)
    expect(en).toMatch(/Hook,,0,0,0,,\{\\fnNoto Serif Display\\b1\\fs\d+\\an7/)
  })

  it('sizes the hook for a phone: at least 7% of the height a line, at most six words a line', () => {
    const ass = buildAss(parseRenderSpec({ ...base, texts: { hook: 'Seven quick words that you should read now please' } }), frame, 10)
    const hook = ass.split('\n').find((l) => l.includes(',Hook,'))!
    const size = Number(/\\fs(\d+)/.exec(hook)![1])
    expect(size).toBeGreaterThanOrEqual(0.07 * 1920)
    const lines = hook.slice(hook.indexOf('}') + 1).split('\\N')
    expect(lines.length).toBeGreaterThan(1)
    for (const line of lines) expect(line.split(' ').length).toBeLessThanOrEqual(6)
  })

  it('uses the project font for the hook and call to action, and white or dark text on the brand colour', () => {
    const dark = buildAss(parseRenderSpec({ ...base, style: 'corporate', brandColor: '#1e40af', font: 'Noto Sans Display', texts: { hook: 'Hi', body: 'a caption here' } }), frame, 10)
    expect(dark.split('\n').find((l) => l.includes(',Hook,'))).toContain('\\fnNoto Sans Display')
    expect(dark.split('\n').find((l) => l.includes(',Caption,'))).toContain('\\1c&HFFFFFF&')
    const light = buildAss(parseRenderSpec({ ...base, style: 'corporate', brandColor: '#ffe600', texts: { hook: 'Hi', body: 'a caption here' } }), frame, 10)
    expect(light.split('\n').find((l) => l.includes(',Caption,'))).toContain('\\1c&H111111&')
  })

  it('shows the corporate bar only while it carries a caption or the call to action', () => {
    const ass = buildAss(parseRenderSpec({ ...base, style: 'corporate', texts: { hook: 'Hello there', body: 'One line. Another line.' } }), frame, 10)
    const bar = ass.split('\n').find((l) => l.includes(',Bar,'))!
    const firstCaption = ass.split('\n').find((l) => l.includes(',Caption,'))!
    expect(bar.split(',')[1]).toBe(firstCaption.split(',')[1])
    const none = buildAss(parseRenderSpec({ ...base, style: 'corporate', texts: { hook: 'Hello', callToAction: '' } }), frame, 10)
    expect(none).not.toContain(',Bar,')
  })

  it('places every text inside the safe area of the platforms targeted', () => {
    for (const style of STYLES) {
      const ass = buildAss(parseRenderSpec({ ...base, style, texts: { hook: 'Hello there', body: 'One line. Another line.' } }), frame, 10)
      const safe = safeRect(frame, '9:16', [])
      for (const m of ass.matchAll(/\\pos\((\d+),(\d+)\)/g)) {
        const [x, y] = [Number(m[1]), Number(m[2])]
        expect(x).toBeGreaterThanOrEqual(safe.x0)
        expect(x).toBeLessThanOrEqual(safe.x1)
        expect(y, style).toBeGreaterThanOrEqual(safe.y0)
        expect(y, style).toBeLessThanOrEqual(safe.y1)
      }
    }
    // Fewer platforms, less to keep clear of: TikTok's bottom overlay is smaller than Reels'.
    expect(safeRect(frame, '9:16', ['tiktok']).y1).toBeGreaterThan(safeRect(frame, '9:16', ['instagram']).y1)
  })

  it('breaks CJK lines itself, since libass only breaks at spaces', () => {
    const ass = buildAss(parseRenderSpec({ ...base, language: 'ja', texts: { hook: 'これはとても長い日本語のフックで、一行には入りきりません' } }), frame, 10)
    const hook = ass.split('\n').find((l) => l.includes(',Hook,'))!
    expect(hook).toContain('\\N')
    expect(hook).toContain('\\fnNoto Sans JP')
  })
})

describe('platform limits', () => {
  it('refuses what a platform cannot take, with the reason', () => {
    const short = parseRenderSpec({ trim: { durationSec: 2 }, platforms: ['tiktok', 'instagram', 'youtube'] })
    expect(checkPlatformLimits(short, 2).map((p) => `${p.platform}:${p.code}`)).toEqual(['tiktok:too_short', 'instagram:too_short'])
    const wide = parseRenderSpec({ trim: { durationSec: 30 }, aspect: '16:9', platforms: ['youtube'] })
    const [problem] = checkPlatformLimits(wide, 30)
    expect(problem.code).toBe('aspect')
    expect(problem.reason).toMatch(/YouTube Shorts needs a square or vertical video/)
    const long = parseRenderSpec({ trim: { durationSec: 200 }, platforms: ['youtube'] })
    expect(checkPlatformLimits(long, 200)[0].reason).toBe('YouTube Shorts takes at most 180 s; this video is 200 s.')
    const big = parseRenderSpec({ trim: { durationSec: 400 }, platforms: ['instagram'] })
    expect(checkPlatformLimits(big, 400).map((p) => p.code)).toEqual(['too_large'])
    expect(checkPlatformLimits(parseRenderSpec({ trim: { durationSec: 30 }, platforms: ['youtube', 'tiktok', 'instagram'] }), 30)).toEqual([])
  })
})

describe('planRender', () => {
  const files = { input: 'in.mp4', output: 'out.mp4', subtitles: 'texts.ass' }
  it('plans H.264 High yuv420p 30 fps, AAC 48 kHz stereo, faststart, -14 LUFS', () => {
    const plan = planRender(parseRenderSpec({ trim: { startSec: 2, durationSec: 5 } }), { durationSec: 20, hasAudio: true }, files)
    const args = plan.renderArgs({ input_i: '-20', input_tp: '-5', input_lra: '3', input_thresh: '-30', target_offset: '0.2' }).join(' ')
    expect(plan).toMatchObject({ width: 1080, height: 1920, durationSec: 5 })
    expect(args).toContain('-ss 2.000 -t 5.000')
    expect(args).toContain('-c:v libx264')
    expect(args).toContain('-profile:v high -pix_fmt yuv420p')
    expect(args).toContain('-r 30')
    expect(args).toContain('-ar 48000 -ac 2')
    expect(args).toContain('-movflags +faststart')
    expect(args).toContain('loudnorm=I=-14:TP=-1.5:LRA=11:measured_I=-20')
    expect(plan.loudnessArgs!.join(' ')).toContain('print_format=json')
  })

  it('normalises loudness with a plain gain when one reaches -14 LUFS under the peak limit, else with loudnorm', () => {
    const plan = planRender(parseRenderSpec({ trim: { durationSec: 2 } }), { durationSec: 20, hasAudio: true }, files)
    const quiet = { input_i: '-27.85', input_tp: '-27.09', input_lra: '0.00', input_thresh: '-37.85', target_offset: '13.05' }
    expect(linearGain(quiet)).toBeCloseTo(13.85, 5)
    expect(plan.renderArgs(quiet).join(' ')).toContain(',volume=13.85dB,')
    expect(plan.renderArgs(quiet).join(' ')).not.toContain('loudnorm')
    // Peaky: +6 dB would put the peak at +1 dBTP, so loudnorm compresses (on at least 3 s).
    const peaky = { input_i: '-20', input_tp: '-5', input_lra: '3', input_thresh: '-30', target_offset: '0.2' }
    expect(linearGain(peaky)).toBeNull()
    expect(plan.renderArgs(peaky).join(' ')).toContain('apad=whole_len=144000,loudnorm=I=-14:TP=-1.5:LRA=11:measured_I=-20')
    expect(linearGain({ ...quiet, input_lra: '12' })).toBeNull()
    expect(linearGain({ ...quiet, input_i: '-inf' })).toBeNull()
  })

  it('differs for the preview only in size and speed', () => {
    const spec = parseRenderSpec({ ...base, texts: { hook: 'x' } })
    const final = planRender(spec, { durationSec: 20, hasAudio: true }, files, 'final')
    const preview = planRender(spec, { durationSec: 20, hasAudio: true }, files, 'preview')
    expect(preview).toMatchObject({ width: 360, height: 640 })
    expect(preview.ass).toBe(final.ass)
    const strip = (a: string[]) => a.join(' ').replace(/\d+/g, 'N').replace(/veryfast|ultrafast/, 'P')
    expect(strip(preview.renderArgs())).toBe(strip(final.renderArgs()).replace(/:measured_I=.*?linear=true/, ''))
  })

  it('adds a silent stereo track when the source has no sound', () => {
    const plan = planRender(parseRenderSpec(base), { durationSec: 20, hasAudio: false }, files)
    expect(plan.loudnessArgs).toBeNull()
    expect(plan.renderArgs().join(' ')).toContain('anullsrc=r=48000:cl=stereo')
  })

  it('fits the whole frame over a blurred copy, and overlays the logo in any style', () => {
    const plan = planRender(parseRenderSpec({ ...base, framing: 'fit', style: 'neon' }), { durationSec: 20, hasAudio: true }, { ...files, logo: 'logo.png' })
    const graph = plan.renderArgs().join(' ')
    expect(graph).toContain('gblur')
    expect(graph).toContain('force_original_aspect_ratio=decrease')
    expect(graph).toMatch(/\[1:v\]scale=-2:108,format=rgba\[logo\]/)
  })

  it('stacks the blurred bands around a clip of known size instead of overlaying it (the server probes the size)', () => {
    const spec = parseRenderSpec({ ...base, framing: 'fit' })
    const graph = (width?: number, height?: number) => planRender(spec, { durationSec: 20, hasAudio: true, width, height }, files).renderArgs().join(' ')
    // A 16:9 clip in 9:16: 1080×608 between two bands of 656 rows.
    expect(fittedBox({ width: 1280, height: 720 }, 1080, 1920)).toEqual({ w: 1080, h: 608, x: 0, y: 656, scaled: { w: 1080, h: 608 } })
    const landscape = graph(1280, 720)
    expect(landscape).toContain('crop=1080:656:0:0[b0c]')
    expect(landscape).toContain('crop=1080:656:0:1264[b1c]')
    expect(landscape).toContain('[fgsrc]scale=1080:608[fg];[b0c][fg][b1c]vstack=inputs=3')
    expect(landscape).not.toContain('overlay=x=(W-w)/2')
    // Narrower than the frame: bands left and right; an odd first size is resized to even as before,
    // placed on an even column as overlay places it.
    expect(fittedBox({ width: 642, height: 478 }, 1920, 1080)).toEqual({ w: 1450, h: 1080, x: 234, y: 0, scaled: { w: 1451, h: 1080 } })
    expect(graph(1080, 2400)).toContain('hstack=inputs=3')
    // A clip that fills the frame needs no background at all.
    expect(graph(1080, 1920)).not.toContain('gblur')
    // Without the size (the browser preview): the overlay, which gives the same pixels.
    expect(graph()).toContain('[bg][fg]overlay=x=(W-w)/2:y=(H-h)/2')
  })

  it('crops around the focus point, and pads', () => {
    const crop = planRender(parseRenderSpec({ ...base, focus: { x: 0.2, y: 0.5 } }), { durationSec: 20, hasAudio: true }, files).renderArgs().join(' ')
    expect(crop).toContain("x='(iw-ow)*0.2'")
    const pad = planRender(parseRenderSpec({ ...base, framing: 'pad' }), { durationSec: 20, hasAudio: true }, files).renderArgs().join(' ')
    expect(pad).toContain('pad=1080:1920')
  })

  it('refuses a trim that starts past the end, and shortens one that runs past it', () => {
    expect(() => planRender(parseRenderSpec({ trim: { startSec: 30, durationSec: 5 } }), { durationSec: 12.3, hasAudio: true }, files)).toThrow(
      new RecipeError('trim_past_end', 'The trim starts at 30 s but the clip is only 12.3 s long.'),
    )
    expect(planRender(parseRenderSpec({ trim: { startSec: 10, durationSec: 5 } }), { durationSec: 12.5, hasAudio: true }, files).durationSec).toBe(2.5)
  })

  it('loops a still image for the whole duration', () => {
    const plan = planRender(parseRenderSpec(base), { durationSec: 0, hasAudio: false, isImage: true }, files)
    expect(plan.durationSec).toBe(10)
    expect(plan.renderArgs().join(' ')).toContain('-loop 1 -framerate 30 -t 10.000')
  })
})

describe('parsers', () => {
  it('reads loudnorm reports and -progress blocks', () => {
    const stderr = 'noise\n[Parsed_loudnorm_2 @ 0x1]\n{\n\t"input_i" : "-23.05",\n\t"input_tp" : "-4.1",\n\t"input_lra" : "1.2",\n\t"input_thresh" : "-33.1",\n\t"target_offset" : "0.3"\n}\n'
    expect(parseLoudness(stderr)).toMatchObject({ input_i: '-23.05', target_offset: '0.3' })
    expect(parseLoudness('nothing')).toBeNull()
    expect(parseProgress('frame=10\nout_time_us=1500000\nprogress=continue\n')).toBe(1.5)
  })
})
