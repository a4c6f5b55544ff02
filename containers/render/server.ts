/**
 * The render server: native FFmpeg behind a small HTTP API. The same file runs inside the
 * RenderContainer (production) and natively beside `wrangler dev` (local mode, RENDER_URL).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import { availableParallelism } from 'node:os'

const run = promisify(execFile)

export interface RenderServerOptions {
  /** Path of the ffmpeg binary; ffprobe is looked up beside it. */
  ffmpegPath?: string
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' })
  res.end(JSON.stringify(body))
}

/** Builds the HTTP server without listening, so tests can bind it to a free port. */
export function createRenderServer(options: RenderServerOptions = {}) {
  const ffmpeg = options.ffmpegPath ?? process.env.FFMPEG_PATH ?? 'ffmpeg'
  let ffmpegVersion: string | undefined

  return createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://render')
    if (req.method === 'GET' && url.pathname === '/health') {
      try {
        ffmpegVersion ??= (await run(ffmpeg, ['-hide_banner', '-version'])).stdout.split('\n')[0]
        return json(res, 200, { status: 'ok', ffmpeg: ffmpegVersion, slots: availableParallelism() })
      } catch (error) {
        return json(res, 503, { status: 'degraded', error: `ffmpeg is not runnable: ${(error as Error).message}` })
      }
    }
    return json(res, 404, { error: `No route ${req.method} ${url.pathname}` })
  })
}

if (import.meta.main) {
  const port = Number(process.env.PORT ?? 8080)
  createRenderServer().listen(port, () => console.log(`render server listening on :${port}`))
}
