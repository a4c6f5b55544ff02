/**
 * Turns a render spec into FFmpeg command lines. The render server runs them with native
 * FFmpeg and the browser preview runs them with ffmpeg.wasm; only the quality settings
 * (size and speed) differ between the two.
 */
import { ASPECT_SIZES, type RenderSpec } from './spec.ts'
import { AUDIO_BITRATE, MAX_VIDEO_BITRATE } from './platforms.ts'
import { buildAss, logoBox, timeline } from './styles.ts'
import { safeRect } from './safe-areas.ts'

/**
 * A spec that cannot be rendered from this source (a trim past its end...), with a code the
 * render server answers 422 with. Pure, so the preview can show it too. The server's refusals of
 * bad media (MediaError) and of specs breaking a platform's limits (SpecRefusedError) are kinds of it.
 */
export class RecipeError<Code extends string = string> extends Error {
  readonly code: Code
  constructor(code: Code, message: string) {
    super(message)
    this.name = 'RecipeError'
    this.code = code
  }
}

export interface QualitySettings {
  /** Output size as a fraction of the full-size frame. */
  scale: number
  preset: string
  crf: number
  /** Measure loudness in a first pass and normalise linearly (final), or in one dynamic pass (preview). */
  twoPassLoudness: boolean
}

/** The two qualities: the real render, and the quick low-resolution preview. */
export const QUALITY = {
  final: { scale: 1, preset: 'veryfast', crf: 21, twoPassLoudness: true },
  preview: { scale: 1 / 3, preset: 'ultrafast', crf: 30, twoPassLoudness: false },
} satisfies Record<string, QualitySettings>

export type QualityName = keyof typeof QUALITY

export interface SourceInfo {
  durationSec: number
  hasAudio: boolean
  /** A still image: it is looped for the trim's duration. */
  isImage?: boolean
  /**
   * The picture's size as FFmpeg's filters see it (after rotation), when known (the server probes
   * it): `fit` then stacks the blurred bands around the clip instead of overlaying it (cheaper,
   * the same pixels; see framingGraph).
   */
  width?: number
  height?: number
}

export interface RecipeFiles {
  /** Path or URL of the source clip. */
  input: string
  /** Options placed before the source's `-i` (network timeouts on the server). */
  inputOptions?: string[]
  output: string
  /** Where the caller writes `plan.ass`. */
  subtitles: string
  /** A folder of font files for libass; the server also has fontconfig. */
  fontsDir?: string
  /** Path or URL of the project's logo image, drawn in the top corner of the safe area. */
  logo?: string
  /** Options before the logo's `-i` (the protocol whitelist and timeouts when it is a URL). */
  logoInputOptions?: string[]
}

/** Loudness of the source as measured by loudnorm's first pass. */
export interface LoudnessMeasure {
  input_i: string
  input_tp: string
  input_lra: string
  input_thresh: string
  target_offset: string
}

export interface RenderPlan {
  width: number
  height: number
  /** Duration of the output: the trim, shortened when the source ends first. */
  durationSec: number
  /** The ASS document that draws the texts; write it to files.subtitles. */
  ass: string
  /** First pass that measures loudness (null when there is no audio or the quality skips it). */
  loudnessArgs: string[] | null
  /** The render itself; pass the first pass's measure when there was one. */
  renderArgs: (measure?: LoudnessMeasure | null) => string[]
  /** When the cover is grabbed: the hook fully on screen. */
  coverAtSec: number
  /** Grabs the JPEG cover from the finished render. */
  coverArgs: (cover: string) => string[]
}

const TARGET_I = -14
const TARGET_TP = -1.5
const TARGET_LRA = 11
const TARGET = `I=${TARGET_I}:TP=${TARGET_TP}:LRA=${TARGET_LRA}`
const FPS = 30

const even = (n: number) => Math.max(2, 2 * Math.round(n / 2))
const sec = (n: number) => n.toFixed(3)

/** Quotes a path for a filter option (filtergraph and option escaping both apply). */
function filterPath(path: string): string {
  return `'${path.replace(/\\/g, '\\\\\\\\').replace(/'/g, "'\\\\\\''").replace(/:/g, '\\\\:')}'`
}

/** FFmpeg's av_rescale (a·b/c rounded to the nearest, halves away from zero), for positive integers. */
const rescale = (a: number, b: number, c: number) => Math.floor((a * b + Math.floor(c / 2)) / c)

/**
 * Where `fit` puts the whole clip in a W×H frame: the size FFmpeg's
 * `scale=W:H:force_original_aspect_ratio=decrease` then `trunc(iw/2)*2` gives it, at the place
 * `overlay=x=(W-w)/2:y=(H-h)/2` puts it (rounded down to even, as overlay does for 4:2:0).
 */
export function fittedBox(source: { width: number; height: number }, W: number, H: number): { x: number; y: number; w: number; h: number; scaled: { w: number; h: number } } {
  // The first scale's size, which may be odd; the second scale makes it even (a resize of its own).
  const scaled = { w: Math.min(W, rescale(H, source.width, source.height)), h: Math.min(H, rescale(W, source.height, source.width)) }
  const w = 2 * Math.trunc(scaled.w / 2)
  const h = 2 * Math.trunc(scaled.h / 2)
  return { w, h, x: Math.trunc((W - w) / 2) & ~1, y: Math.trunc((H - h) / 2) & ~1, scaled }
}

/**
 * The source framed to the output size, labelled [framed]. Each way is written to touch as few
 * full-size pixels as it can (measured in bench/render.bench.ts, table in the notes of #18): a crop
 * cuts the source first and scales only what stays; the blurred background of `fit` is blurred,
 * darkened and upscaled at an eighth of the size (it is a blur: a fast upscale looks the same).
 * When the source's size is known, `fit` stacks the background's two bands and the clip
 * (vstack/hstack: plain copies) where it would overlay the clip on the whole background: overlay
 * converts the clip to yuva420p and blends every pixel of it, about a fifth of the graph's time,
 * for the same pixels (the clip is opaque). A clip that fills the frame needs no background.
 */
export function framingGraph(spec: Pick<RenderSpec, 'framing' | 'focus'>, W: number, H: number, source?: { width?: number; height?: number }): string {
  if (spec.framing === 'crop') {
    const { x, y } = spec.focus
    return (
      `[0:v]fps=${FPS},crop=w='min(iw,ih*${W}/${H})':h='min(ih,iw*${H}/${W})':x='(iw-ow)*${x}':y='(ih-oh)*${y}',` +
      `scale=${W}:${H},setsar=1[framed]`
    )
  }
  // Even sizes by a second scale: force_divisible_by is newer than the npm FFmpeg (2018).
  const fit = `scale=${W}:${H}:force_original_aspect_ratio=decrease,scale=trunc(iw/2)*2:trunc(ih/2)*2`
  if (spec.framing === 'pad') return `[0:v]fps=${FPS},${fit},pad=${W}:${H}:(ow-iw)/2:(oh-ih)/2:black,setsar=1[framed]`
  const w8 = even(W / 8)
  const h8 = even(H / 8)
  // The region the background shows is cut first (a crop only moves pointers), so the downscale
  // reads about a third of a 16:9 source's pixels rather than all of them.
  const background = `crop=w='min(iw,ih*${W}/${H})':h='min(ih,iw*${H}/${W})',scale=${w8}:${h8},gblur=sigma=4,eq=brightness=-0.06,scale=${W}:${H}:flags=fast_bilinear`
  const box = source?.width && source.height ? fittedBox({ width: source.width, height: source.height }, W, H) : null
  if (box && box.w === W && box.h === H && box.scaled.w === W && box.scaled.h === H) return `[0:v]fps=${FPS},scale=${W}:${H},setsar=1[framed]`
  if (box && (box.w === W || box.h === H)) {
    // The clip at its fitted size between the background's bands above and below (or left and right).
    const across = box.w === W
    const before = across ? box.y : box.x
    const after = across ? H - box.h - box.y : W - box.w - box.x
    const band = (label: string, at: number, size: number) => (across ? `[${label}]crop=${W}:${size}:0:${at}[${label}c]` : `[${label}]crop=${size}:${H}:${at}:0[${label}c]`)
    const bands = [before > 0 ? 'b0' : null, after > 0 ? 'b1' : null].filter((b): b is string => b !== null)
    const parts = [
      `[0:v]fps=${FPS},split=2[bgsrc][fgsrc]`,
      `[bgsrc]${background}${bands.length > 1 ? `,split=2[b0][b1]` : `[${bands[0]}]`}`,
      ...(before > 0 ? [band('b0', 0, before)] : []),
      ...(after > 0 ? [band('b1', before + (across ? box.h : box.w), after)] : []),
      // The same two resizes as the overlay's way (the second only when the first gave an odd size).
      `[fgsrc]scale=${box.scaled.w}:${box.scaled.h}${box.scaled.w !== box.w || box.scaled.h !== box.h ? `,scale=${box.w}:${box.h}` : ''}[fg]`,
      `${before > 0 ? '[b0c]' : ''}[fg]${after > 0 ? '[b1c]' : ''}${across ? 'vstack' : 'hstack'}=inputs=${bands.length + 1},setsar=1[framed]`,
    ]
    return parts.join(';')
  }
  return (
    `[0:v]fps=${FPS},split=2[bgsrc][fgsrc];` +
    `[bgsrc]${background}[bg];` +
    `[fgsrc]${fit}[fg];` +
    `[bg][fg]overlay=x=(W-w)/2:y=(H-h)/2,setsar=1[framed]`
  )
}

/** Plans every FFmpeg command of one render. Throws RecipeError when the source cannot give what the spec asks. */
export function planRender(spec: RenderSpec, source: SourceInfo, files: RecipeFiles, qualityName: QualityName = 'final'): RenderPlan {
  const quality = QUALITY[qualityName]
  const full = ASPECT_SIZES[spec.aspect]
  const W = even(full.width * quality.scale)
  const H = even(full.height * quality.scale)
  const start = spec.trim.startSec
  let durationSec = spec.trim.durationSec
  if (!source.isImage) {
    if (start >= source.durationSec - 0.1) {
      throw new RecipeError(
        'trim_past_end',
        `The trim starts at ${start} s but the clip is only ${Math.round(source.durationSec * 10) / 10} s long.`,
      )
    }
    durationSec = Math.min(durationSec, Math.floor((source.durationSec - start) * 1000) / 1000)
  }
  const ass = buildAss(spec, full, durationSec, { logo: !!files.logo })

  const sourceInput = source.isImage
    ? ['-loop', '1', '-framerate', String(FPS), '-t', sec(durationSec), ...(files.inputOptions ?? []), '-i', files.input]
    : [...(start > 0 ? ['-ss', sec(start)] : []), '-t', sec(durationSec), ...(files.inputOptions ?? []), '-i', files.input]
  const inputs = [...sourceInput]
  let next = 1
  const logoIndex = files.logo ? next++ : -1
  if (logoIndex > 0) inputs.push(...(files.logoInputOptions ?? []), '-i', files.logo as string)
  const silenceIndex = source.hasAudio && !source.isImage ? -1 : next++
  if (silenceIndex > 0) inputs.push('-f', 'lavfi', '-t', sec(durationSec), '-i', 'anullsrc=r=48000:cl=stereo')

  const v: string[] = [framingGraph(spec, W, H, source)]
  let last = 'framed'
  if (logoIndex > 0) {
    // The logo's box is the one the texts were laid out around (styles.ts), scaled to this size.
    const box = logoBox(full, safeRect(full, spec.aspect, spec.platforms))
    const k = W / full.width
    const logoH = even(box.height * k)
    v.push(`[${logoIndex}:v]scale=-2:${logoH},format=rgba[logo]`, `[${last}][logo]overlay=x=${Math.round(box.x * k)}-w:y=${Math.round(box.y * k)}[logoed]`)
    last = 'logoed'
  }
  const fonts = files.fontsDir ? `:fontsdir=${filterPath(files.fontsDir)}` : ''
  v.push(`[${last}]subtitles=filename=${filterPath(files.subtitles)}${fonts},format=yuv420p[v]`)

  const audioIn = silenceIndex > 0 ? `${silenceIndex}:a` : '0:a'
  const audioFilter = (measure?: LoudnessMeasure | null) => {
    if (silenceIndex > 0) return `[${audioIn}]anull[a]`
    const base = 'aresample=48000,aformat=channel_layouts=stereo'
    let norm = `loudnorm=${TARGET}`
    if (quality.twoPassLoudness && measure) {
      const gain = linearGain(measure)
      // Near-silent sources are left alone: lifting them to -14 LUFS would only amplify hiss.
      if (!(Number(measure.input_i) > -60)) norm = 'anull'
      // A plain gain when it reaches the target without passing the peak limit: what loudnorm's
      // linear mode does, written out because the npm FFmpeg's (2018) loudnorm leaves inputs
      // shorter than 3 s untouched.
      else if (gain !== null) norm = `volume=${gain.toFixed(2)}dB`
      else
        norm =
          // Otherwise loudnorm's dynamic mode, on at least 3 s (the padding is silence, which the
          // loudness gate ignores, and -t cuts it off again): the 2018 loudnorm needs its whole window.
          `apad=whole_len=${48000 * 3},loudnorm=${TARGET}:measured_I=${measure.input_i}:measured_TP=${measure.input_tp}` +
          `:measured_LRA=${measure.input_lra}:measured_thresh=${measure.input_thresh}:offset=${measure.target_offset}:linear=true`
    }
    // loudnorm works at 192 kHz internally; bring it back to 48 kHz stereo for AAC.
    return `[${audioIn}]${base},${norm},aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo[a]`
  }

  const loudnessArgs =
    quality.twoPassLoudness && source.hasAudio && !source.isImage
      ? ['-hide_banner', '-nostdin', ...sourceInput, '-vn', '-sn', '-dn', '-af', `aresample=48000,aformat=channel_layouts=stereo,loudnorm=${TARGET}:print_format=json`, '-f', 'null', '-']
      : null

  const renderArgs = (measure?: LoudnessMeasure | null) => [
    '-hide_banner', '-nostdin', '-y',
    ...inputs,
    '-filter_complex', [...v, audioFilter(measure)].join(';'),
    '-map', '[v]', '-map', '[a]',
    '-t', sec(durationSec),
    '-r', String(FPS),
    '-c:v', 'libx264', '-preset', quality.preset, '-profile:v', 'high', '-pix_fmt', 'yuv420p',
    '-crf', String(quality.crf), '-maxrate', String(Math.round(MAX_VIDEO_BITRATE * quality.scale)), '-bufsize', String(Math.round(MAX_VIDEO_BITRATE * 2 * quality.scale)),
    '-g', String(FPS * 2),
    '-c:a', 'aac', '-b:a', String(AUDIO_BITRATE), '-ar', '48000', '-ac', '2',
    '-movflags', '+faststart',
    files.output,
  ]

  const t = timeline(spec, durationSec)
  // The cover shows the hook once its entrance animation is over, or an early frame.
  const coverAtSec = Math.max(0, Math.min(1, durationSec / 2, t.hook ? Math.max(0.4, t.hook.end - 0.3) : 1))
  const coverArgs = (cover: string) => [
    '-hide_banner', '-nostdin', '-y', '-ss', sec(coverAtSec), '-i', files.output,
    '-frames:v', '1', '-q:v', '2', '-f', 'image2', '-update', '1', cover,
  ]

  return { width: W, height: H, durationSec, ass, loudnessArgs, renderArgs, coverAtSec, coverArgs }
}

/**
 * The gain (dB) that brings a measured source to -14 LUFS with its true peak at or under -1.5 dBTP
 * and its loudness range within 11 LU, or null when no plain gain can (then loudnorm compresses).
 */
export function linearGain(measure: LoudnessMeasure): number | null {
  const i = Number(measure.input_i)
  const tp = Number(measure.input_tp)
  const lra = Number(measure.input_lra)
  if (![i, tp, lra].every(Number.isFinite)) return null
  const gain = TARGET_I - i
  return tp + gain <= TARGET_TP && lra <= TARGET_LRA ? gain : null
}

/** Reads loudnorm's JSON report from the first pass's stderr; null when it is missing. */
export function parseLoudness(stderr: string): LoudnessMeasure | null {
  const at = stderr.lastIndexOf('"input_i"')
  if (at < 0) return null
  const open = stderr.lastIndexOf('{', at)
  const close = stderr.indexOf('}', at)
  try {
    return JSON.parse(stderr.slice(open, close + 1)) as LoudnessMeasure
  } catch {
    return null
  }
}

/** Reads one block of `-progress` output into the output time reached, in seconds (null if none). */
export function parseProgress(block: string): number | null {
  const m = /out_time_(?:us|ms)=(\d+)/.exec(block)
  return m ? Number(m[1]) / 1e6 : null
}
