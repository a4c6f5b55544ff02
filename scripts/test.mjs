// `npm test`: every test of the project, unit, Workers integration and end-to-end in Chromium.
// It checks first that what the tests need is here, and fails with a clear message if not:
// nothing is ever skipped silently.
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { ensureDevVars } from './dev-vars.mjs'
import { useTools } from './tools.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const problems = []

const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 22 || (major === 22 && minor < 12)) {
  problems.push(`Node ${process.versions.node} runs this; the Cloudflare toolchain needs 22.12+. Run through npm (npm test), which uses the node package from devDependencies.`)
}
// FFmpeg, ffprobe and the fonts: the npm packages' unless FFMPEG_PATH, FFPROBE_PATH or
// FONTCONFIG_FILE say otherwise (scripts/tools.mjs).
const tools = useTools()
problems.push(...tools.problems)
if (process.env.CHROMIUM_PATH ? !existsSync(process.env.CHROMIUM_PATH) : !existsSync(join(root, 'node_modules', '@sparticuz', 'chromium'))) {
  problems.push(`Chromium is missing for the end-to-end tests: @sparticuz/chromium is not installed (run npm install) and CHROMIUM_PATH is ${process.env.CHROMIUM_PATH ?? 'not set'}.`)
}
if (!existsSync(join(root, 'public', 'vendor', 'swagger-ui', 'swagger-ui-bundle.js'))) {
  problems.push('public/vendor is empty: run npm install (its postinstall copies the browser assets).')
}
if (problems.length) {
  console.error(`npm test cannot run:\n- ${problems.join('\n- ')}`)
  process.exit(1)
}
console.log(`npm test: ffmpeg ${process.env.FFMPEG_PATH}\nnpm test: ffprobe ${process.env.FFPROBE_PATH}\nnpm test: fonts through ${process.env.FONTCONFIG_FILE}`)

const bin = (name) => join(root, 'node_modules', '.bin', name)
const step = (label, cmd, args) => {
  console.log(`\nnpm test: ${label}`)
  const result = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, CI: 'true' } })
  if (result.status !== 0) {
    console.error(`npm test: ${label} failed`)
    process.exit(result.status ?? 1)
  }
}

// Types first: route types come from React Router's typegen, binding types from wrangler types.
step('type check', 'bash', ['-c', `${bin('react-router')} typegen && ${bin('tsc')} --noEmit`])
// The e2e tests serve the built app: build it once, here, before any test starts (under the
// same lock the e2e harness takes, so nobody else rebuilds it halfway).
mkdirSync(join(root, 'node_modules', '.cache'), { recursive: true })
// The local secrets first: the build copies .dev.vars, and the products started by the e2e tests read it.
ensureDevVars()
step('build', 'flock', [join(root, 'node_modules', '.cache', 'reelpilot-build.lock'), bin('react-router'), 'build'])

const env = { ...process.env, REELPILOT_BUILT: '1' }
const args = process.argv.slice(2)
if (args.length) {
  // Arguments (files, --project, a reporter): one vitest run with them.
  const result = spawnSync(bin('vitest'), ['run', ...args], { cwd: root, stdio: 'inherit', env })
  process.exit(result.status ?? 1)
}

// The whole suite in two lanes at once: e2e (one file at a time, each with the product and
// Chromium of its own) beside unit and workers. One vitest run would not overlap them: on a 2-core
// machine vitest runs one file at a time (maxWorkers is the cores less one), and a project without
// file parallelism (e2e) runs in a group of its own after all the others. An e2e file mostly waits
// on its product and browser, so the other lane uses the second core. Each line says its lane.
const lanes = [
  { name: 'e2e', args: ['--project', 'e2e'] },
  { name: 'unit+workers', args: ['--project', 'unit', '--project', 'workers'] },
]
console.log(`\nnpm test: ${lanes.map((l) => l.name).join(' beside ')} (each line says its lane)`)
const color = process.stdout.isTTY ? { FORCE_COLOR: '1' } : {}
const codes = await Promise.all(
  lanes.map(
    (lane) =>
      new Promise((resolve) => {
        const child = spawn(bin('vitest'), ['run', ...lane.args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, ...color } })
        for (const [from, to] of [[child.stdout, process.stdout], [child.stderr, process.stderr]]) {
          createInterface({ input: from, crlfDelay: Infinity }).on('line', (line) => to.write(`[${lane.name}] ${line}\n`))
        }
        child.on('error', (error) => (console.error(`npm test: the ${lane.name} lane could not start: ${error.message}`), resolve(1)))
        child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)))
      }),
  ),
)
for (const [i, lane] of lanes.entries()) console.log(`npm test: ${lane.name} ${codes[i] === 0 ? 'passed' : `failed (exit ${codes[i]})`}`)
process.exit(codes.some((code) => code !== 0) ? 1 : 0)
