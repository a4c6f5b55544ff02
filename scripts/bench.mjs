// `npm run bench`: runs every bench/*.bench.ts (or .mjs) in turn on Node 22 (through tsx, so
// benchmarks can import the project's TypeScript as the tests do). Each benchmark measures its
// own baseline in the same run and prints its figures as ratios against it.
import { spawnSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { useTools } from './tools.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const only = process.argv.slice(2)
// The same FFmpeg, ffprobe and fonts as the tests (scripts/tools.mjs), for the benchmarks' native runs.
const tools = useTools()
if (tools.problems.length) {
  console.error(`bench: ${tools.problems.join('; ')}`)
  process.exit(1)
}
const files = readdirSync(join(root, 'bench'))
  .filter((f) => /\.bench\.(ts|mjs)$/.test(f))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort()
if (files.length === 0) {
  console.error('bench: no benchmark matched')
  process.exit(1)
}
let failed = 0
for (const file of files) {
  console.log(`\n=== ${file}`)
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench', file)], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) failed++
}
process.exit(failed ? 1 : 0)
