/**
 * The render server: native FFmpeg behind a small HTTP API. The same file runs inside the
 * RenderContainer (production) and natively beside `wrangler dev` (local mode, RENDER_URL).
 * The contract of each route is in README.md beside this file.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { availableParallelism } from 'node:os'
import { z } from 'zod'
import { errorAnswer, readJson, sendJson } from './http.ts'
import { probe, thumbnail, type Tools } from './media.ts'
import { ffprobeBeside, runProcess } from './process.ts'
import { isWebUrl } from './transfer.ts'

export interface RenderServerOptions {
  /** Path of the ffmpeg binary; ffprobe is looked up beside it. */
  ffmpegPath?: string
  /** Path of ffprobe, when it does not sit beside ffmpeg. */
  ffprobePath?: string
}

const webUrl = z.string().refine(isWebUrl, 'must be an http(s) URL')

const probeBody = z.object({ sourceUrl: webUrl })
const thumbnailBody = z.object({
  sourceUrl: webUrl,
  uploadUrl: webUrl,
  atSec: z.number().min(0).max(86_400).optional(),
  width: z.number().int().min(16).max(3840).optional(),
})

/** Builds the HTTP server without listening, so tests can bind it to a free port. */
export function createRenderServer(options: RenderServerOptions = {}) {
  const ffmpeg = options.ffmpegPath ?? process.env.FFMPEG_PATH ?? 'ffmpeg'
  const tools: Tools = { ffmpeg, ffprobe: options.ffprobePath ?? process.env.FFPROBE_PATH ?? ffprobeBeside(ffmpeg) }
  let ffmpegVersion: string | undefined

  async function route(req: IncomingMessage, res: ServerResponse, signal: AbortSignal) {
    const url = new URL(req.url ?? '/', 'http://render')
    const key = `${req.method} ${url.pathname}`
    switch (key) {
      case 'GET /health': {
        const result = await runProcess(ffmpeg, ['-hide_banner', '-version']).catch((error: Error) => ({ code: -1, stdout: '', stderr: error.message }))
        if (result.code !== 0) return sendJson(res, 503, { status: 'degraded', error: `ffmpeg is not runnable: ${result.stderr.trim()}` })
        ffmpegVersion ??= result.stdout.split('\n')[0]
        return sendJson(res, 200, { status: 'ok', ffmpeg: ffmpegVersion, slots: availableParallelism() })
      }
      case 'POST /probe': {
        const body = await readJson(req, probeBody)
        const { isImage: _isImage, ...info } = await probe(tools, body.sourceUrl, signal)
        return sendJson(res, 200, info)
      }
      case 'POST /thumbnail': {
        const body = await readJson(req, thumbnailBody)
        return sendJson(res, 200, await thumbnail(tools, body, signal))
      }
      default:
        return sendJson(res, 404, { error: `There is no route ${req.method} ${url.pathname}.`, code: 'not_found' })
    }
  }

  return createServer((req, res) => {
    // A client that goes away aborts its work: FFmpeg is killed and temp files removed.
    const controller = new AbortController()
    res.on('close', () => {
      if (!res.writableFinished) controller.abort(new Error('client went away'))
    })
    route(req, res, controller.signal).catch((error: unknown) => {
      if (controller.signal.aborted) return
      const { status, body } = errorAnswer(error)
      if (status >= 500 && status !== 502) console.error('render server:', error)
      sendJson(res, status, body)
    })
  })
}

if (import.meta.main) {
  const port = Number(process.env.PORT ?? 8080)
  createRenderServer().listen(port, () => console.log(`render server listening on :${port}`))
}
