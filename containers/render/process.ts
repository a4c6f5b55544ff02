/**
 * Runs FFmpeg and ffprobe as child processes. Kept in one place so every caller gets the
 * same guarantees: bounded output buffers, and a kill when the caller gives up.
 */
import { spawn } from 'node:child_process'

export interface RunResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  /** The last part of stderr only: FFmpeg can be chatty and only the end explains a failure. */
  stderr: string
}

export interface RunOptions {
  signal?: AbortSignal
  /** Called with each chunk of stdout as it arrives (used for `-progress pipe:1`). */
  onStdout?: (chunk: string) => void
  /** Keep at most this much stdout in the result; 0 keeps none. */
  maxStdout?: number
}

const STDERR_TAIL = 16_384

/** Runs a program to completion; an aborted signal kills it with SIGKILL. Never rejects on a non-zero exit. */
export function runProcess(bin: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const { signal, onStdout, maxStdout = 4 * 1024 * 1024 } = options
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'))
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8')
    child.stderr.setEncoding('utf8')
    child.stdout.on('data', (chunk: string) => {
      onStdout?.(chunk)
      if (stdout.length < maxStdout) stdout += chunk.slice(0, maxStdout - stdout.length)
    })
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL)
    })
    const kill = () => child.kill('SIGKILL')
    signal?.addEventListener('abort', kill, { once: true })
    child.on('error', (error) => {
      signal?.removeEventListener('abort', kill)
      reject(error)
    })
    child.on('close', (code, sig) => {
      signal?.removeEventListener('abort', kill)
      if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'))
      resolve({ code, signal: sig, stdout, stderr })
    })
  })
}

/** The ffprobe that belongs to an ffmpeg binary: same folder, same build. */
export function ffprobeBeside(ffmpegPath: string): string {
  const slash = ffmpegPath.lastIndexOf('/')
  return slash < 0 ? 'ffprobe' : `${ffmpegPath.slice(0, slash + 1)}ffprobe`
}
