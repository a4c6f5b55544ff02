/**
 * The browser preview: a few seconds of a creator's clip rendered at low resolution by
 * ffmpeg.wasm with the same recipe as the render server (containers/render/recipe); only the
 * size and speed settings differ. The core (~32 MB) is fetched only when a preview is asked
 * for, from the app's own /vendor/ffmpeg/, where it ships gzipped (see
 * docs/decisions/ for why) and is inflated here with DecompressionStream.
 */
import { FFmpeg } from '@ffmpeg/ffmpeg'
import { fetchFile } from '@ffmpeg/util'
import { familiesIn, fontFile, planRender, type RenderSpec } from '../../containers/render/recipe/index.ts'

const CORE_JS = '/vendor/ffmpeg/ffmpeg-core.js'
const CORE_WASM_GZ = '/vendor/ffmpeg/ffmpeg-core.wasm.gz'
/** Font files served by the app (copied from npm packages by scripts/vendor-assets.mjs), by the names fontFile() gives. */
const FONTS_BASE = '/vendor/fonts/'

/** A font's bytes: served as is, or gzipped (name.gz) for a file over the asset size cap. */
async function fetchFont(name: string): Promise<Uint8Array | null> {
  const plain = await fetch(FONTS_BASE + name).catch(() => null)
  if (plain?.ok) return new Uint8Array(await plain.arrayBuffer())
  const gz = await fetch(`${FONTS_BASE}${name}.gz`).catch(() => null)
  if (!gz?.ok || !gz.body) return null
  return new Uint8Array(await new Response(gz.body.pipeThrough(new DecompressionStream('gzip'))).arrayBuffer())
}

let loading: Promise<FFmpeg> | null = null

async function inflatedWasmUrl(): Promise<string> {
  const res = await fetch(CORE_WASM_GZ)
  if (!res.ok || !res.body) throw new Error(`The preview engine could not be loaded (${res.status} for ${CORE_WASM_GZ}).`)
  const wasm = await new Response(res.body.pipeThrough(new DecompressionStream('gzip'))).blob()
  return URL.createObjectURL(new Blob([wasm], { type: 'application/wasm' }))
}

/** Loads ffmpeg.wasm once per page; later previews reuse it. */
export function loadFFmpeg(): Promise<FFmpeg> {
  loading ??= (async () => {
    const ffmpeg = new FFmpeg()
    const coreURL = new URL(CORE_JS, window.location.href).href
    const wasmURL = await inflatedWasmUrl()
    await ffmpeg.load({ coreURL, wasmURL })
    return ffmpeg
  })().catch((error) => {
    loading = null
    throw error
  })
  return loading
}

export interface PreviewProgress {
  stage: 'loading' | 'reading' | 'rendering' | 'finishing' | 'done'
  /** 0..1 within the rendering stage. */
  fraction: number
}

export interface PreviewResult {
  /** Object URL of the MP4 preview. */
  videoUrl: string
  /** Object URL of a JPEG frame with the hook on screen. */
  frameUrl: string
  width: number
  height: number
  durationSec: number
  /** When the frame was taken, in seconds of the preview. */
  coverAtSec: number
  /** Seconds spent rendering (engine load excluded). */
  renderSeconds: number
  /** Font files that could not be fetched; text in their scripts is not drawn. */
  missingFonts: string[]
}

/** Reads duration and whether there is sound from FFmpeg's own report on the input. */
async function inspect(ffmpeg: FFmpeg, name: string) {
  const lines: string[] = []
  const listen = ({ message }: { message: string }) => lines.push(message)
  ffmpeg.on('log', listen)
  await ffmpeg.exec(['-hide_banner', '-i', name]).catch(() => {})
  ffmpeg.off('log', listen)
  const log = lines.join('\n')
  // A still image reports "Duration: N/A".
  const d = /Duration: (\d+):(\d+):([\d.]+)/.exec(log)
  const durationSec = d ? Number(d[1]) * 3600 + Number(d[2]) * 60 + Number(d[3]) : 0
  if (!/Stream #.*Video:/.test(log)) throw new Error('This file has no picture FFmpeg can read: pick a video or an image.')
  return { durationSec, hasAudio: /Stream #.*Audio:/.test(log), isImage: durationSec === 0 }
}

/** Why a preview stopped before its end: the creator canceled it, or it ran past its time. */
export class PreviewStopped extends Error {
  readonly reason: 'canceled' | 'timeout'
  constructor(reason: 'canceled' | 'timeout', seconds: number) {
    super(
      reason === 'canceled'
        ? 'Preview canceled.'
        : `The preview took longer than ${seconds} s and was stopped. Try again, or preview a shorter part of the clip (the server render does not depend on it).`,
    )
    this.name = 'PreviewStopped'
    this.reason = reason
  }
}

/**
 * How long a preview may take before it is stopped: the engine's start and the clip's copy, then
 * a few seconds per second of video (ffmpeg.wasm renders 360×640 at about real time on a phone).
 */
export function previewTimeoutSec(durationSec: number): number {
  return Math.round(60 + 4 * durationSec)
}

export interface PreviewOptions {
  onProgress?: (p: PreviewProgress) => void
  /** Aborting it stops the engine at once (its worker is terminated; the next preview loads a fresh one). */
  signal?: AbortSignal
  /** The project's logo, drawn where the server draws it. */
  logo?: Blob | null
  /** Overrides previewTimeoutSec (tests). */
  timeoutSec?: number
}

/**
 * Renders a spec in the browser at preview quality: the same planRender as the server, so the
 * same texts at the same times in the same places, only smaller and faster to encode. Stops
 * with a PreviewStopped when canceled or past its time.
 */
export async function renderPreview(file: Blob, spec: RenderSpec, options: PreviewOptions = {}): Promise<PreviewResult> {
  const seconds = options.timeoutSec ?? previewTimeoutSec(spec.trim.durationSec)
  let stop: (e: Error) => void = () => {}
  const stopped = new Promise<never>((_, reject) => (stop = reject))
  const halt = (reason: 'canceled' | 'timeout') => {
    // The engine runs in a worker that cannot be interrupted mid-command: end the worker.
    loading?.then((f) => f.terminate()).catch(() => {})
    loading = null
    stop(new PreviewStopped(reason, seconds))
  }
  if (options.signal?.aborted) throw new PreviewStopped('canceled', seconds)
  const onAbort = () => halt('canceled')
  options.signal?.addEventListener('abort', onAbort, { once: true })
  const timer = setTimeout(() => halt('timeout'), seconds * 1000)
  try {
    return await Promise.race([run(file, spec, options), stopped])
  } finally {
    clearTimeout(timer)
    options.signal?.removeEventListener('abort', onAbort)
  }
}

async function run(file: Blob, spec: RenderSpec, { onProgress = () => {}, logo = null }: PreviewOptions): Promise<PreviewResult> {
  onProgress({ stage: 'loading', fraction: 0 })
  const ffmpeg = await loadFFmpeg()
  onProgress({ stage: 'reading', fraction: 0 })
  const input = `input-${Date.now()}`
  await ffmpeg.writeFile(input, await fetchFile(file))
  const written = [input]
  try {
    const source = await inspect(ffmpeg, input)
    const files: { input: string; output: string; subtitles: string; fontsDir: string; logo?: string } = { input, output: 'preview.mp4', subtitles: 'preview.ass', fontsDir: '/fonts' }
    if (logo) {
      await ffmpeg.writeFile('logo.img', await fetchFile(logo))
      written.push('logo.img')
      files.logo = 'logo.img'
    }
    const plan = planRender(spec, source, files, 'preview')
    await ffmpeg.writeFile(files.subtitles, plan.ass)
    written.push(files.subtitles, files.output, 'frame.png')

    // libass in ffmpeg.wasm has no fontconfig: it sees only the fonts written here.
    await ffmpeg.createDir('/fonts').catch(() => {})
    const missingFonts: string[] = []
    const wanted = new Set(familiesIn(plan.ass).flatMap((f) => [fontFile(f, false), fontFile(f, true)]))
    await Promise.all(
      [...wanted].map(async (path) => {
        const name = path.split('/').pop() as string
        const bytes = await fetchFont(name)
        if (!bytes) return missingFonts.push(name)
        await ffmpeg.writeFile(`/fonts/${name}`, bytes)
      }),
    )

    const onFFmpegProgress = ({ time }: { time: number }) =>
      onProgress({ stage: 'rendering', fraction: Math.max(0, Math.min(1, time / 1e6 / plan.durationSec)) })
    ffmpeg.on('progress', onFFmpegProgress)
    const started = performance.now()
    onProgress({ stage: 'rendering', fraction: 0 })
    let code: number
    try {
      code = await ffmpeg.exec(plan.renderArgs())
    } finally {
      ffmpeg.off('progress', onFFmpegProgress)
    }
    if (code !== 0) throw new Error('The preview could not be rendered from this file.')
    onProgress({ stage: 'finishing', fraction: 1 })
    // PNG, not JPEG: ffmpeg.wasm's MJPEG encoder crashes the renderer of the Chromium the tests
    // drive (@sparticuz/chromium 153: "Page crashed" while writing the frame); PNG is drawn the same.
    await ffmpeg.exec(plan.coverArgs('frame.png'))
    const renderSeconds = (performance.now() - started) / 1000
    const video = (await ffmpeg.readFile(files.output)) as Uint8Array
    const frame = (await ffmpeg.readFile('frame.png')) as Uint8Array
    onProgress({ stage: 'done', fraction: 1 })
    return {
      videoUrl: URL.createObjectURL(new Blob([video as BlobPart], { type: 'video/mp4' })),
      frameUrl: URL.createObjectURL(new Blob([frame as BlobPart], { type: 'image/png' })),
      width: plan.width,
      height: plan.height,
      durationSec: plan.durationSec,
      coverAtSec: plan.coverAtSec,
      renderSeconds,
      missingFonts,
    }
  } finally {
    for (const name of written) await ffmpeg.deleteFile(name).catch(() => {})
  }
}
