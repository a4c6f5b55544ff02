// `npm run bench render`: a 30 s 1080p source rendered to 9:16 in each style with everything a
// post has on (the full text timeline: hook, the caption in timed segments, call to action; fit
// framing over a blurred copy; the project's logo), through the render server (HTTP source,
// NDJSON progress, uploads) and with the same FFmpeg commands run directly, in the same run.
// Prints the server's overhead, where its time goes (stage by stage, from the NDJSON events as
// they arrive), the speed against real time, and where the FFmpeg time goes: the render command
// alone next to a plain crop, scale and one text layer with the same x264 preset (the baseline),
// and with one part of the recipe left out at a time (texts, blurred background, logo), and the
// fit framing by overlay (as the recipe draws it when the source's size is unknown). With the
// machine's load average: on a busy machine the figures say more about the neighbours.
import { ffmpeg } from './ffmpeg.ts'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fontPackagePath, parseLoudness, parseRenderSpec, planRender, QUALITY, readRenderEvents, STYLES, type RenderEvent, type RenderSpec } from '../containers/render/recipe/index.ts'
import { renderFiles } from '../containers/render/render-job.ts'
import { ffmpeg as makeFile, makeClip, startRenderServer, startStorage, renderAuth } from '../containers/render/test-support.ts'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30)
// Each way runs this many times, alternating, and the fastest counts: other work on a shared
// machine only ever makes a run slower, so the minimum is the fairest figure.
const REPEAT = Number(process.env.BENCH_REPEAT ?? 2)
// The source as the server's probe describes it (its size lets the fit framing stack its bands).
const SOURCE = { durationSec: SECONDS, hasAudio: true, width: 1920, height: 1080 }
const NETWORK_INPUT = ['-rw_timeout', '30000000', '-protocol_whitelist', 'http,https,tcp,tls,crypto']

interface Run {
  total: number
  stages: Array<[string, number]>
}

/** Times consecutive stages of one run. */
class Stopwatch {
  private readonly t0 = performance.now()
  private at = this.t0
  private readonly stages: Array<[string, number]> = []
  lap(name: string) {
    const now = performance.now()
    this.stages.push([name, (now - this.at) / 1000])
    this.at = now
  }
  done(): Run {
    return { total: (performance.now() - this.t0) / 1000, stages: this.stages }
  }
}

const describe = (run: Run) => run.stages.map(([name, s]) => `${name} ${s.toFixed(2)}`).join(', ')
const loadBefore0 = loadavg()[0]

const storage = await startStorage()
const server = await startRenderServer()
const work = await mkdtemp(join(tmpdir(), 'reelpilot-bench-'))
try {
  console.log(`source: ${SECONDS} s 1920×1080 30 fps H.264/AAC; ${availableParallelism()} cores; one render at a time; best of ${REPEAT}`)
  await makeClip(join(storage.dir, 'source.mp4'), { seconds: SECONDS, width: 1920, height: 1080, volume: 0.4 })
  await makeFile(['-v', 'error', '-y', '-f', 'lavfi', '-i', 'color=c=0x0a7d5a:s=480x240', '-frames:v', '1', join(storage.dir, 'logo.png')])
  const sourceUrl = storage.url('source.mp4')
  const logoUrl = storage.url('logo.png')
  // A post's texts: the caption runs through the middle in timed segments (about one every 2.5 s).
  const body = Array.from({ length: Math.ceil(SECONDS / 2.5) }, (_, i) => `Step ${i + 1}: keep the pan hot and the pasta moving.`).join(' ')
  const texts = { hook: 'Three tricks nobody tells you', body, captions: [] }
  const postSpec = (style: (typeof STYLES)[number], over: Partial<RenderSpec> = {}) =>
    parseRenderSpec({ trim: { durationSec: SECONDS }, style, framing: 'fit', objective: 'traffic', brandColor: '#0a7d5a', texts, ...over })
  const rows: string[][] = [['style', 'direct s', 'server s', 'overhead', 'server × real time', 'load (1 min)']]
  const stageLines: string[] = []
  const ratios: number[] = []
  for (const style of STYLES) {
    const spec = postSpec(style)

    // Direct: the very commands the server would run, reading the same URLs the same way.
    const files = { ...renderFiles({ sourceUrl, logoUrl }, work), output: join(work, `${style}.mp4`), subtitles: join(work, `${style}.ass`) }
    const plan = planRender(spec, SOURCE, files, 'final')
    const runDirect = async (): Promise<Run> => {
      const stages = new Stopwatch()
      await writeFile(files.subtitles, plan.ass)
      stages.lap('prepare')
      const measure = parseLoudness(await ffmpeg(plan.loudnessArgs!))
      stages.lap('loudness')
      await ffmpeg(['-v', 'error', ...plan.renderArgs(measure)])
      stages.lap('render')
      await ffmpeg(['-v', 'error', ...plan.coverArgs(join(work, `${style}.jpg`))])
      stages.lap('cover')
      return stages.done()
    }

    // Through the server: probe, the same commands, hashing and both uploads. Each stage is timed
    // from the event that starts it to the next one, as the events arrive.
    const runServer = async (): Promise<Run> => {
      const stages = new Stopwatch()
      const res = await fetch(`${server.base}/render`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...renderAuth },
        body: JSON.stringify({ sourceUrl, logoUrl, outputUrl: storage.uploadUrl(`${style}.mp4`), coverUrl: storage.uploadUrl(`${style}.jpg`), spec }),
      })
      let last: RenderEvent | null = null
      for await (const event of readRenderEvents(res.body!)) {
        // The stage that just ended: before 'accepted' the server probes the source; the
        // 'cover' stage also covers probing the outputs and hashing the video.
        if (event.type === 'accepted') stages.lap('probe')
        else if (event.type === 'stage') stages.lap(last?.type === 'stage' ? last.stage : 'prepare')
        else if (event.type === 'result') stages.lap('upload')
        if (event.type !== 'progress') last = event
      }
      if (last?.type !== 'result') throw new Error(`render failed: ${JSON.stringify(last)}`)
      return stages.done()
    }
    let direct: Run | null = null
    let viaServer: Run | null = null
    const fastest = (a: Run | null, b: Run) => (a && a.total <= b.total ? a : b)
    const loadBefore = loadavg()[0]
    for (let i = 0; i < REPEAT; i++) {
      // Alternate which goes first so neither always runs on a warmer machine.
      if (i % 2 === 0) {
        direct = fastest(direct, await runDirect())
        viaServer = fastest(viaServer, await runServer())
      } else {
        viaServer = fastest(viaServer, await runServer())
        direct = fastest(direct, await runDirect())
      }
    }
    const ratio = viaServer!.total / direct!.total - 1
    ratios.push(ratio)
    rows.push([style, direct!.total.toFixed(2), viaServer!.total.toFixed(2), `${(ratio * 100).toFixed(1)}%`, `${(SECONDS / viaServer!.total).toFixed(2)}×`, `${loadBefore.toFixed(2)}→${loadavg()[0].toFixed(2)}`])
    stageLines.push(`  ${style.padEnd(9)} direct: ${describe(direct!)}`, `  ${''.padEnd(9)} server: ${describe(viaServer!)}`)
  }
  // Where the render command's time goes: the command alone (no loudness pass, no cover), best of
  // REPEAT, next to the plain baseline and with one part of the recipe left out at a time.
  const timeRender = async (args: string[]) => {
    let best = Infinity
    for (let i = 0; i < REPEAT; i++) {
      const t0 = performance.now()
      await ffmpeg(['-v', 'error', ...args])
      best = Math.min(best, (performance.now() - t0) / 1000)
    }
    return best
  }
  const font = join(process.cwd(), 'node_modules', fontPackagePath('Noto Sans', true))
  const plainArgs = [
    '-hide_banner', '-nostdin', '-y', ...NETWORK_INPUT, '-i', sourceUrl,
    '-vf', `crop=ih*9/16:ih,scale=1080:1920,drawtext=fontfile='${font}':text='Three tricks nobody tells you':fontsize=144:fontcolor=white:borderw=6:x=(w-tw)/2:y=h*0.12`,
    '-c:v', 'libx264', '-preset', QUALITY.final.preset, '-crf', String(QUALITY.final.crf), '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-b:a', '128k', join(work, 'plain.mp4'),
  ]
  const plain = await timeRender(plainArgs)
  // The loudness measure the real render gets from its first pass (a plain gain, as a post has).
  const measure = parseLoudness(await ffmpeg(planRender(postSpec('minimal'), { durationSec: SECONDS, hasAudio: true }, { ...renderFiles({ sourceUrl }, work) }, 'final').loudnessArgs!))
  const breakdown: string[][] = [['render command', ...STYLES]]
  const variant = async (label: string, make: (style: (typeof STYLES)[number]) => { spec: RenderSpec; logo: boolean; sizeUnknown?: boolean }) => {
    const row = [label]
    for (const style of STYLES) {
      const { spec, logo, sizeUnknown } = make(style)
      const f = { ...renderFiles({ sourceUrl, logoUrl: logo ? logoUrl : undefined }, work), output: join(work, `v-${style}.mp4`), subtitles: join(work, `v-${style}.ass`) }
      const p = planRender(spec, sizeUnknown ? { durationSec: SECONDS, hasAudio: true } : SOURCE, f, 'final')
      await writeFile(f.subtitles, p.ass)
      const s = await timeRender(p.renderArgs(measure))
      row.push(`${s.toFixed(2)} s (${(SECONDS / s).toFixed(2)}×, ${(s / plain).toFixed(2)}× plain)`)
    }
    breakdown.push(row)
  }
  await variant('full post (fit, texts, logo)', (style) => ({ spec: postSpec(style), logo: true }))
  await variant('fit by overlay (size unknown, as before)', (style) => ({ spec: postSpec(style), logo: true, sizeUnknown: true }))
  await variant('without the texts', (style) => ({ spec: postSpec(style, { texts: { hookSec: 3, captions: [], callToAction: '' } }), logo: true }))
  await variant('crop, not fit (no blurred background)', (style) => ({ spec: postSpec(style, { framing: 'crop' }), logo: true }))
  await variant('without the logo', (style) => ({ spec: postSpec(style), logo: false }))
  await variant('no texts, crop, no logo', (style) => ({ spec: postSpec(style, { framing: 'crop', texts: { hookSec: 3, captions: [], callToAction: '' } }), logo: false }))

  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '))
  const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length
  console.log(`server overhead, mean over styles: ${(mean * 100).toFixed(1)}% (target < 5%)`)
  console.log('stages of the fastest runs, seconds (server: probe = probing the source; its cover includes probing the outputs and hashing):')
  for (const line of stageLines) console.log(line)
  console.log(`\nthe render command alone (best of ${REPEAT}); plain = crop, scale, one drawtext, preset ${QUALITY.final.preset}: ${plain.toFixed(2)} s (${(SECONDS / plain).toFixed(2)}× real time)`)
  const bw = breakdown[0].map((_, i) => Math.max(...breakdown.map((r) => r[i].length)))
  for (const r of breakdown) console.log(r.map((c, i) => c.padEnd(bw[i])).join('  '))
  // The bench itself keeps about every core busy: count others' work on top of that.
  if (loadBefore0 > availableParallelism() * 0.75 || loadavg()[0] > availableParallelism() + 1) {
    console.log(`note: the machine was busy (load ${loadBefore0.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end, ${availableParallelism()} cores): the overhead above is mostly noise`)
  }
} finally {
  await server.close()
  await storage.close()
  await rm(work, { recursive: true, force: true })
}
