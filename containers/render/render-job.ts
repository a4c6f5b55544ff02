/**
 * One render on the server: plan with the recipe, measure loudness, run FFmpeg with
 * `-progress`, grab the cover, hash and upload both through their signed URLs. Work happens
 * in a temp folder that is always removed, and an abort (client gone, timeout) kills FFmpeg.
 */
import { NETWORK_INPUT, networkInput } from './access.ts'
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { UpstreamError } from './errors.ts'
import { probeImageSize, upstreamFromStderr, type ProbeResult, type Tools } from './media.ts'
import { runProcess } from './process.ts'
import { parseLoudness, parseProgress, planRender, type RenderResult, type RenderSpec, type RenderStage } from './recipe/index.ts'
import { putFile } from './transfer.ts'

export interface RenderRequest {
  sourceUrl: string
  outputUrl: string
  coverUrl: string
  logoUrl?: string
  spec: RenderSpec
}

export type { RenderResult, RenderStage }

export interface RenderEvents {
  onStage?: (stage: RenderStage) => void
  /** fraction 0..1 of the render stage, from FFmpeg's -progress. */
  onProgress?: (fraction: number, outTimeSec: number) => void
}

/** Prefix for temp folders, so tests can check none is left behind. */
export const RENDER_TEMP_PREFIX = 'reelpilot-render-'


/** What FFmpeg reads and writes for a render: every URL input (the logo too) with the protocol whitelist and timeouts. */
export function renderFiles(req: Pick<RenderRequest, 'sourceUrl' | 'logoUrl'>, dir: string, fontsDir?: string) {
  const source = networkInput(req.sourceUrl)
  const logo = req.logoUrl ? networkInput(req.logoUrl) : undefined
  return {
    input: source.input,
    inputOptions: source.options,
    logo: logo?.input,
    logoInputOptions: logo?.options ?? NETWORK_INPUT,
    output: join(dir, 'render.mp4'),
    subtitles: join(dir, 'texts.ass'),
    fontsDir,
  }
}

/** Renders a spec from a probed source and uploads the video and its cover. */
export async function runRender(
  tools: Tools,
  req: RenderRequest,
  source: ProbeResult,
  signal: AbortSignal,
  events: RenderEvents = {},
  options: { fontsDir?: string } = {},
): Promise<RenderResult> {
  const dir = await mkdtemp(join(tools.tempDir ?? tmpdir(), RENDER_TEMP_PREFIX))
  try {
    const files = renderFiles(req, dir, options.fontsDir)
    const plan = planRender(req.spec, source, files, 'final')
    await writeFile(files.subtitles, plan.ass)

    let measure = null
    if (plan.loudnessArgs) {
      events.onStage?.('loudness')
      const pass = await runProcess(tools.ffmpeg, plan.loudnessArgs, { signal, maxStdout: 0 })
      if (pass.code !== 0) throw failure('measuring loudness', pass.stderr, req.sourceUrl)
      measure = parseLoudness(pass.stderr)
    }

    events.onStage?.('render')
    let buffered = ''
    const args = ['-v', 'error', '-progress', 'pipe:1', '-nostats', ...plan.renderArgs(measure)]
    const result = await runProcess(tools.ffmpeg, args, {
      signal,
      maxStdout: 0,
      onStdout: (chunk) => {
        buffered += chunk
        // -progress writes key=value blocks, each ending with progress=continue|end.
        let end: number
        while ((end = buffered.search(/progress=(continue|end)\n/)) >= 0) {
          const stop = buffered.indexOf('\n', end) + 1
          const block = buffered.slice(0, stop)
          buffered = buffered.slice(stop)
          const t = parseProgress(block)
          if (t !== null) events.onProgress?.(Math.min(1, Math.max(0, t / plan.durationSec)), t)
        }
      },
    })
    if (result.code !== 0) throw failure('rendering', result.stderr, req.sourceUrl)

    events.onStage?.('cover')
    // The finished render is probed and hashed while the cover is grabbed from it (all three
    // only read it) rather than after: on a machine with cores to spare that hides them.
    const output = Promise.all([probeOutput(tools, files.output, signal), sha256File(files.output), stat(files.output).then((s) => s.size)])
    output.catch(() => {}) // awaited below; a failure of the cover grab must not leave it unhandled
    const cover = join(dir, 'cover.jpg')
    const coverRun = await runProcess(tools.ffmpeg, ['-v', 'error', ...plan.coverArgs(cover)], { signal, maxStdout: 0 })
    if (coverRun.code !== 0) throw failure('grabbing the cover', coverRun.stderr, req.sourceUrl)
    const [[video, sha256, videoSize], coverDims, coverSize] = await Promise.all([
      output,
      probeImageSize(tools, cover, signal),
      stat(cover).then((s) => s.size),
    ])

    events.onStage?.('upload')
    await putFile(req.outputUrl, files.output, 'video/mp4', signal)
    await putFile(req.coverUrl, cover, 'image/jpeg', signal)
    return {
      durationSec: video.durationSec,
      size: videoSize,
      width: video.width,
      height: video.height,
      sha256,
      contentType: 'video/mp4',
      cover: { size: coverSize, ...coverDims, contentType: 'image/jpeg' },
    }
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

function failure(what: string, stderr: string, sourceUrl: string): Error {
  const upstream = upstreamFromStderr(stderr, sourceUrl)
  if (upstream) return upstream
  const reason = stderr.trim().split('\n').slice(-3).join(' ').slice(0, 500)
  return new RenderFailedError(`FFmpeg failed while ${what}: ${reason || 'no reason given'}.`)
}

/** FFmpeg itself failed on media that probed fine. */
export class RenderFailedError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RenderFailedError'
  }
}

async function probeOutput(tools: Tools, path: string, signal: AbortSignal) {
  const result = await runProcess(
    tools.ffprobe,
    ['-v', 'error', '-select_streams', 'v:0', '-show_entries', 'stream=width,height:format=duration', '-of', 'json', path],
    { signal },
  )
  const parsed = JSON.parse(result.stdout || '{}') as { streams?: Array<{ width: number; height: number }>; format?: { duration?: string } }
  return {
    width: parsed.streams?.[0]?.width ?? 0,
    height: parsed.streams?.[0]?.height ?? 0,
    durationSec: Math.round(Number(parsed.format?.duration ?? 0) * 1000) / 1000,
  }
}

/** SHA-256 of a file, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/** Runs at most `slots` jobs at once; the rest wait in order. A waiting job whose signal aborts leaves the queue. */
export class RenderSlots {
  readonly slots: number
  private running = 0
  private waiting: Array<{ start: () => void; signal: AbortSignal; onPosition?: (n: number) => void }> = []

  constructor(slots: number) {
    this.slots = Math.max(1, slots)
  }

  get active() {
    return this.running
  }

  get queued() {
    return this.waiting.length
  }

  /** Runs job when a slot is free; onPosition reports the place in the queue while waiting (1 = next). */
  async run<T>(signal: AbortSignal, job: () => Promise<T>, onPosition?: (n: number) => void): Promise<T> {
    if (this.running < this.slots) this.running++
    else {
      // A finished job hands its slot straight to the next in line (running stays the same),
      // so a newcomer can never slip in between.
      await new Promise<void>((resolve, reject) => {
        const entry = { start: resolve, signal, onPosition }
        this.waiting.push(entry)
        onPosition?.(this.waiting.length)
        signal.addEventListener(
          'abort',
          () => {
            const at = this.waiting.indexOf(entry)
            if (at >= 0) {
              this.waiting.splice(at, 1)
              this.announce()
              reject(signal.reason ?? new Error('aborted'))
            }
          },
          { once: true },
        )
      })
    }
    try {
      return await job()
    } finally {
      const next = this.waiting.shift()
      if (next) {
        this.announce()
        next.start()
      } else this.running--
    }
  }

  private announce() {
    this.waiting.forEach((w, i) => w.onPosition?.(i + 1))
  }
}

export { UpstreamError }
