// Finds FFmpeg: FFMPEG_PATH, else the system's (Debian's apt package, as in the Dockerfile),
// else the binary shipped inside @ffmpeg-installer/ffmpeg. Fails with a clear message.
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'

const require = createRequire(import.meta.url)

function runs(bin) {
  try {
    execFileSync(bin, ['-hide_banner', '-version'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** The ffmpeg binary to use; throws when there is none. */
export function ffmpegPath() {
  if (process.env.FFMPEG_PATH) {
    if (!runs(process.env.FFMPEG_PATH)) throw new Error(`FFMPEG_PATH=${process.env.FFMPEG_PATH} is not a runnable ffmpeg`)
    return process.env.FFMPEG_PATH
  }
  if (runs('ffmpeg')) return 'ffmpeg'
  try {
    const bundled = require('@ffmpeg-installer/ffmpeg').path
    if (runs(bundled)) return bundled
  } catch {}
  throw new Error('FFmpeg is missing: install it (apt-get install -y ffmpeg) or set FFMPEG_PATH.')
}
