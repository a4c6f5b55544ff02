// `npm run bench render`: a 30 s 1080p source rendered to 9:16 in each style, through the
// render server (HTTP source, NDJSON progress, uploads) and with the same FFmpeg commands run
// directly, in the same run. Prints the server's overhead and the speed against real time.
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseLoudness, parseRenderSpec, planRender, STYLES } from '../containers/render/recipe/index.ts'
import { makeClip, startRenderServer, startStorage } from '../containers/render/test-support.ts'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30)
// Each way runs this many times, alternating, and the fastest counts: other work on a shared
// machine only ever makes a run slower, so the minimum is the fairest figure.
const REPEAT = Number(process.env.BENCH_REPEAT ?? 2)
const NETWORK_INPUT = ['-rw_timeout', '30000000', '-protocol_whitelist', 'http,https,tcp,tls,crypto']

function ffmpeg(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] })
    let stderr = ''
    child.stderr.on('data', (c) => (stderr = (stderr + c).slice(-20000)))
    child.on('close', (code) => (code === 0 ? resolve(stderr) : reject(new Error(`ffmpeg failed: ${stderr.slice(-500)}`))))
  })
}

const storage = await startStorage()
const server = await startRenderServer({ ffmpegPath: 'ffmpeg' })
const work = await mkdtemp(join(tmpdir(), 'reelpilot-bench-'))
try {
  console.log(`source: ${SECONDS} s 1920×1080 30 fps H.264/AAC; ${availableParallelism()} cores; one render at a time; best of ${REPEAT}`)
  await makeClip(join(storage.dir, 'source.mp4'), { seconds: SECONDS, width: 1920, height: 1080, volume: 0.4 })
  const sourceUrl = storage.url('source.mp4')
  const texts = {
    hook: 'Three tricks nobody tells you',
    captions: Array.from({ length: Math.floor(SECONDS / 3) - 1 }, (_, i) => ({ text: `Caption line number ${i + 1}`, startSec: 3 + i * 3, endSec: 5.5 + i * 3 })),
  }
  const rows: string[][] = [['style', 'direct s', 'server s', 'overhead', 'server × real time']]
  const ratios: number[] = []
  for (const style of STYLES) {
    const spec = parseRenderSpec({ trim: { durationSec: SECONDS }, style, texts })

    // Direct: the very commands the server would run, reading the same URL.
    const files = { input: sourceUrl, inputOptions: NETWORK_INPUT, output: join(work, `${style}.mp4`), subtitles: join(work, `${style}.ass`) }
    const plan = planRender(spec, { durationSec: SECONDS, hasAudio: true }, files, 'final')
    const runDirect = async () => {
      const t0 = performance.now()
      await writeFile(files.subtitles, plan.ass)
      const measure = parseLoudness(await ffmpeg(plan.loudnessArgs!))
      await ffmpeg(['-v', 'error', ...plan.renderArgs(measure)])
      await ffmpeg(['-v', 'error', ...plan.coverArgs(join(work, `${style}.jpg`))])
      return (performance.now() - t0) / 1000
    }

    // Through the server: probe, the same commands, hashing and both uploads.
    const runServer = async () => {
      const t1 = performance.now()
      const res = await fetch(`${server.base}/render`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sourceUrl, outputUrl: storage.uploadUrl(`${style}.mp4`), coverUrl: storage.uploadUrl(`${style}.jpg`), spec }),
      })
      const lines = (await res.text()).trim().split('\n')
      const last = JSON.parse(lines.at(-1)!)
      if (last.type !== 'result') throw new Error(`render failed: ${lines.at(-1)}`)
      return (performance.now() - t1) / 1000
    }
    let direct = Infinity
    let viaServer = Infinity
    for (let i = 0; i < REPEAT; i++) {
      // Alternate which goes first so neither always runs on a warmer machine.
      if (i % 2 === 0) {
        direct = Math.min(direct, await runDirect())
        viaServer = Math.min(viaServer, await runServer())
      } else {
        viaServer = Math.min(viaServer, await runServer())
        direct = Math.min(direct, await runDirect())
      }
    }
    const ratio = viaServer / direct - 1
    ratios.push(ratio)
    rows.push([style, direct.toFixed(2), viaServer.toFixed(2), `${(ratio * 100).toFixed(1)}%`, `${(SECONDS / viaServer).toFixed(2)}×`])
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '))
  const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length
  console.log(`server overhead, mean over styles: ${(mean * 100).toFixed(1)}% (target < 5%)`)
  console.log('browser preview vs native FFmpeg: not measured here (see containers/render/README.md, "Benchmark")')
} finally {
  await server.close()
  await storage.close()
  await rm(work, { recursive: true, force: true })
}
