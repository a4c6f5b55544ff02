/** Runs native FFmpeg (`FFMPEG_PATH`, else `ffmpeg` on the PATH) with `args`; resolves with the tail of its stderr, rejects when it fails. */
import { spawn } from 'node:child_process'

export function ffmpeg(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.env.FFMPEG_PATH ?? 'ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (c) => (stderr = (stderr + c).slice(-20000)))
    child.on('close', (code) => (code === 0 ? resolve(stderr) : reject(new Error(`ffmpeg failed: ${stderr.slice(-500)}`))))
  })
}
