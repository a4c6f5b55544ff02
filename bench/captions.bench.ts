// `npm run bench captions`: captions from speech (#15) cost. A 30 s 1080p source rendered to 9:16
// at final quality, each style, with a transcript of ~2.5 words a second burned in word by word
// (recipe/speech-captions.ts: one ASS event per word, neon with a glow layer), against the same
// render without speech captions, in the same run (alternating, best of BENCH_REPEAT). Prints the
// ratio with/without and the events each ASS holds.
import { ffmpeg } from './ffmpeg.ts'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { availableParallelism, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseLoudness, parseRenderSpec, planRender, STYLES } from '../containers/render/recipe/index.ts'
import { makeClip } from '../containers/render/test-support.ts'

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30)
const REPEAT = Number(process.env.BENCH_REPEAT ?? 2)

// A talker's pace: words of 0.3 s with 0.1 s between, a pause every 9 words.
const VOCAB = ['today', 'we', 'make', 'a', 'quick', 'pasta', 'with', 'garlic', 'and', 'lemon', 'it', 'takes', 'ten', 'minutes']
const words: { word: string; start: number; end: number }[] = []
for (let t = 0.4, i = 0; t < SECONDS - 0.5; i++) {
  words.push({ word: VOCAB[i % VOCAB.length], start: Math.round(t * 1000) / 1000, end: Math.round((t + 0.3) * 1000) / 1000 })
  t += i % 9 === 8 ? 1.1 : 0.4
}

const work = await mkdtemp(join(tmpdir(), 'reelpilot-captions-bench-'))
try {
  const load0 = loadavg()[0]
  console.log(`source: ${SECONDS} s 1920×1080 30 fps; ${words.length} words (${(words.length / SECONDS).toFixed(1)} a second); ${availableParallelism()} cores; best of ${REPEAT}`)
  const source = join(work, 'source.mp4')
  await makeClip(source, { seconds: SECONDS, width: 1920, height: 1080, volume: 0.4 })
  const rows: string[][] = [['style', 'without s', 'with s', 'ratio', 'ASS events without → with']]
  for (const style of STYLES) {
    const base = { trim: { durationSec: SECONDS }, style, texts: { hook: 'Ten minute pasta', body: 'Garlic, lemon and a pan of water. That is all it takes tonight.' } }
    const plans = {
      without: planRender(parseRenderSpec(base), { durationSec: SECONDS, hasAudio: true }, { input: source, output: join(work, `${style}-0.mp4`), subtitles: join(work, `${style}-0.ass`) }, 'final'),
      with: planRender(parseRenderSpec({ ...base, speech: { words } }), { durationSec: SECONDS, hasAudio: true }, { input: source, output: join(work, `${style}-1.mp4`), subtitles: join(work, `${style}-1.ass`) }, 'final'),
    }
    const best = { without: Infinity, with: Infinity }
    for (let i = 0; i < REPEAT; i++) {
      for (const which of ['without', 'with'] as const) {
        const plan = plans[which]
        const t0 = performance.now()
        await writeFile(join(work, `${style}-${which === 'with' ? 1 : 0}.ass`), plan.ass)
        const measure = parseLoudness(await ffmpeg(plan.loudnessArgs!))
        await ffmpeg(['-v', 'error', ...plan.renderArgs(measure)])
        best[which] = Math.min(best[which], (performance.now() - t0) / 1000)
      }
    }
    const events = (ass: string) => ass.split('\n').filter((l) => l.startsWith('Dialogue:')).length
    rows.push([style, best.without.toFixed(2), best.with.toFixed(2), `${(best.with / best.without).toFixed(3)}×`, `${events(plans.without.ass)} → ${events(plans.with.ass)}`])
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)))
  for (const r of rows) console.log(r.map((c, i) => c.padEnd(widths[i])).join('  '))
  console.log(`load average (1 min): ${load0.toFixed(2)} before, ${loadavg()[0].toFixed(2)} after`)
} finally {
  await rm(work, { recursive: true, force: true })
}
