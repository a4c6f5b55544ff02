/**
 * The render server: native FFmpeg behind a small HTTP API. The same file runs inside the
 * RenderContainer (production) and natively beside `wrangler dev` (local mode, RENDER_URL).
 * The contract of each route is in README.md beside this file.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { availableParallelism } from 'node:os'
import { z } from 'zod'
import { BadRequestError, SpecRefusedError } from './errors.ts'
import { listenHost, loopbackByAddress, onAllowedOrigin, secretMatches } from './access.ts'
import { renderServerSettings } from './config.ts'
import { checkTools, type ToolsReport } from './health.ts'
import { errorAnswer, logServerError, readJson, sendJson } from './http.ts'
import { probe, thumbnail, type Tools } from './media.ts'
import { extractAudio } from './audio.ts'
import { ffprobeBeside } from './process.ts'
import { checkPlatformLimits, planRender, renderSpecSchema, type RenderEvent } from './recipe/index.ts'
import { RenderSlots, runRender, type RenderStage } from './render-job.ts'
import { isWebUrl } from './transfer.ts'

export interface RenderServerOptions {
  /** Path of the ffmpeg binary; ffprobe is looked up beside it. */
  ffmpegPath?: string
  /** Path of ffprobe, when it does not sit beside ffmpeg. */
  ffprobePath?: string
  /** Renders at once; the rest queue. Default: the machine's cores. */
  concurrency?: number
  /**
   * Media checks (probe, thumbnail) at once, in a pool of their own so a burst of uploads neither
   * takes the render slots nor runs unbounded; the rest queue. Default CHECK_CONCURRENCY, else 2.
   */
  checkConcurrency?: number
  /** A render (queue wait excluded) is killed after this long. Default 20 minutes. */
  renderTimeoutMs?: number
  /** Extra fonts for libass, besides those fontconfig finds (FONTCONFIG_FILE, else the system's). */
  fontsDir?: string
  /**
   * The secret the Worker sends as `Authorization: Bearer …` (default RENDER_SHARED_SECRET).
   * Required: without one the server does not start.
   */
  secret?: string
  /**
   * Origins whose URLs the server fetches from and uploads to: the Worker's public origin
   * (default RENDER_ALLOWED_ORIGINS, comma-separated, else PUBLIC_URL). Required. Kept by
   * reference, so a test can add an origin once it is known.
   */
  allowedOrigins?: string[]
  /** Where temp folders go (default the OS temp folder); tests give each server its own. */
  tempDir?: string
}

const webUrl = z.string().refine(isWebUrl, 'must be an http(s) URL')

const probeBody = z.object({ sourceUrl: webUrl })
const thumbnailBody = z.object({
  sourceUrl: webUrl,
  uploadUrl: webUrl,
  atSec: z.number().min(0).max(86_400).optional(),
  width: z.number().int().min(16).max(3840).optional(),
})
const audioBody = z.object({
  sourceUrl: webUrl,
  parts: z
    .array(z.object({ startSec: z.number().min(0).max(86_400), durationSec: z.number().positive().max(3600), uploadUrl: webUrl }))
    .min(1)
    .max(50),
  snapSec: z.number().min(0).max(10).optional(),
})
const renderBody = z.object({
  sourceUrl: webUrl,
  outputUrl: webUrl,
  coverUrl: webUrl,
  logoUrl: webUrl.optional(),
  spec: renderSpecSchema,
})

/** Builds the HTTP server without listening, so tests can bind it to a free port. */
export function createRenderServer(options: RenderServerOptions = {}) {
  const { secret, allowedOrigins, ffmpeg, ffprobe, tempDir, fontsDir, checkConcurrency } = renderServerSettings(options)
  /** Refuses any URL in a body that is not on an allowed origin, naming the field. */
  const checkUrls = <T extends Record<string, unknown>>(body: T, fields: (keyof T & string)[]): T => {
    for (const field of fields) {
      const value = body[field]
      if (value === undefined) continue
      if (!onAllowedOrigin(String(value), allowedOrigins)) throw new BadRequestError(`Invalid ${field}: only URLs on the Worker's own origin are fetched or written.`)
      ;(body as Record<string, unknown>)[field] = loopbackByAddress(String(value))
    }
    return body
  }
  const tools: Tools = { ffmpeg, ffprobe: ffprobe ?? ffprobeBeside(ffmpeg), tempDir }
  const slots = new RenderSlots(options.concurrency ?? availableParallelism())
  const checks = new RenderSlots(checkConcurrency)
  const renderTimeoutMs = options.renderTimeoutMs ?? 20 * 60_000
  // Health: checked once now; a failed check is tried again, at most every 30 s, when asked.
  let report: Promise<ToolsReport> = checkTools(tools, { fontsDir })
  let reportAt = Date.now()
  const toolsReport = async () => {
    const current = await report
    if (!current.ok && Date.now() - reportAt > 30_000) {
      reportAt = Date.now()
      report = checkTools(tools, { fontsDir })
      return report
    }
    return current
  }

  async function route(req: IncomingMessage, res: ServerResponse, signal: AbortSignal) {
    const url = new URL(req.url ?? '/', 'http://render')
    const key = `${req.method} ${url.pathname}`
    if (!secretMatches(req.headers.authorization, secret)) {
      req.resume()
      return sendJson(res, 401, { error: 'This render server serves only its Worker: send the shared secret.', code: 'unauthorized' })
    }
    switch (key) {
      case 'GET /health': {
        const { ok, problems, ffmpeg, ffprobe, fontconfig, checkedAt } = await toolsReport()
        const tools = { ffmpeg: ffmpeg.version ?? null, ffprobe: ffprobe.version ?? null, fontconfig, checkedAt }
        if (!ok) return sendJson(res, 503, { status: 'degraded', error: problems.join('; '), problems, ...tools })
        return sendJson(res, 200, {
          status: 'ok',
          ...tools,
          slots: slots.slots,
          active: slots.active,
          queued: slots.queued,
          checks: { slots: checks.slots, active: checks.active, queued: checks.queued },
        })
      }
      case 'POST /probe': {
        const body = checkUrls(await readJson(req, probeBody), ['sourceUrl'])
        const { isImage: _isImage, ...info } = await checks.run(signal, () => probe(tools, body.sourceUrl, signal))
        return sendJson(res, 200, info)
      }
      case 'POST /thumbnail': {
        const body = checkUrls(await readJson(req, thumbnailBody), ['sourceUrl', 'uploadUrl'])
        return sendJson(res, 200, await checks.run(signal, () => thumbnail(tools, body, signal)))
      }
      case 'POST /audio': {
        const body = await readJson(req, audioBody)
        checkUrls(body, ['sourceUrl'])
        body.parts.forEach((part, i) => {
          if (!onAllowedOrigin(part.uploadUrl, allowedOrigins)) throw new BadRequestError(`Invalid parts.${i}.uploadUrl: only URLs on the Worker's own origin are fetched or written.`)
          part.uploadUrl = loopbackByAddress(part.uploadUrl)
        })
        return sendJson(res, 200, await checks.run(signal, () => extractAudio(tools, body.sourceUrl, body.parts, { snapSec: body.snapSec, signal })))
      }
      case 'POST /render':
        return render(req, res, signal)
      default:
        return sendJson(res, 404, { error: `There is no route ${req.method} ${url.pathname}.`, code: 'not_found' })
    }
  }

  // POST /render: everything that can be refused is checked before answering 200, so bad
  // input gets a plain 4xx; after that the answer is NDJSON, one event per line.
  async function render(req: IncomingMessage, res: ServerResponse, clientSignal: AbortSignal) {
    const body = checkUrls(await readJson(req, renderBody), ['sourceUrl', 'outputUrl', 'coverUrl', 'logoUrl'])
    const source = await checks.run(clientSignal, () => probe(tools, body.sourceUrl, clientSignal))
    // Planning with a dummy output checks the trim against the source before anything runs.
    const plan = planRender(body.spec, source, { input: body.sourceUrl, output: 'out.mp4', subtitles: 'texts.ass' })
    const problems = checkPlatformLimits(body.spec, plan.durationSec)
    if (problems.length) {
      throw new SpecRefusedError('platform_limits', problems.map((p) => p.reason).join(' '), { problems })
    }

    res.writeHead(200, { 'content-type': 'application/x-ndjson', 'cache-control': 'no-store' })
    const send = (event: RenderEvent) => {
      if (!res.writableEnded && !res.destroyed) res.write(`${JSON.stringify(event)}\n`)
    }
    send({ type: 'accepted', durationSec: plan.durationSec, width: plan.width, height: plan.height })
    const timeout = new AbortController()
    const signal = AbortSignal.any([clientSignal, timeout.signal])
    let lastFraction = -1
    let lastAt = 0
    try {
      const result = await slots.run(
        signal,
        async () => {
          const timer = setTimeout(() => timeout.abort(new Error('timeout')), renderTimeoutMs)
          try {
            return await runRender(tools, body, source, signal, {
              onStage: (stage: RenderStage) => send({ type: 'stage', stage }),
              onProgress: (fraction, outTimeSec) => {
                const now = Date.now()
                // At most one line per percent or per quarter second: enough for a progress bar.
                if (fraction - lastFraction < 0.01 && now - lastAt < 250 && fraction < 1) return
                lastFraction = fraction
                lastAt = now
                send({ type: 'progress', fraction: Math.round(fraction * 1000) / 1000, outTimeSec: Math.round(outTimeSec * 100) / 100 })
              },
            }, { fontsDir })
          } finally {
            clearTimeout(timer)
          }
        },
        (position) => send({ type: 'queued', position }),
      )
      send({ type: 'result', ...result })
    } catch (error) {
      if (clientSignal.aborted) return
      if (timeout.signal.aborted) {
        send({ type: 'error', status: 504, code: 'timeout', error: `The render took longer than ${Math.round(renderTimeoutMs / 1000)} s and was stopped.` })
      } else {
        const { status, body: answer } = errorAnswer(error)
        if (status >= 500 && status !== 502) logServerError(error)
        send({ type: 'error', status, ...answer })
      }
    } finally {
      res.end()
    }
  }

  const server = createServer((req, res) => {
    // A client that goes away aborts its work: FFmpeg is killed and temp files removed.
    const controller = new AbortController()
    res.on('close', () => {
      if (!res.writableFinished) controller.abort(new Error('client went away'))
    })
    route(req, res, controller.signal).catch((error: unknown) => {
      if (controller.signal.aborted) return
      const { status, body } = errorAnswer(error)
      if (status >= 500 && status !== 502) logServerError(error)
      sendJson(res, status, body)
    })
  })
  return Object.assign(server, { toolsReport })
}

/** The tools a report found, in a few lines for a terminal. */
export function describeTools(report: ToolsReport): string {
  const families = Object.keys(report.fonts)
  return [
    `ffmpeg: ${report.ffmpeg.path} (${report.ffmpeg.version ?? 'not runnable'})`,
    `ffprobe: ${report.ffprobe.path} (${report.ffprobe.version ?? 'not runnable'})`,
    `fonts: ${families.length} families through ${report.fontconfig}${families.length ? `, e.g. ${report.fonts[families[0]].regular}` : ''}`,
    ...report.problems.map((p) => `problem: ${p}`),
  ].join('\n')
}

if (import.meta.main) {
  const port = Number(process.env.PORT ?? 8080)
  const server = createRenderServer()
  const host = listenHost()
  server.listen(port, host, () => console.log(`render server listening on ${host}:${port}`))
  server.toolsReport().then((report) => {
    const text = describeTools(report).replace(/^/gm, 'render server: ')
    if (report.ok) console.log(text)
    else console.error(`${text}\nrender server: unhealthy until these are fixed`)
  })
}
