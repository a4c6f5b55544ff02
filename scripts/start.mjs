// `npm start`: the whole product locally, with no Cloudflare account, no Docker and no network.
// 1. makes the local sign-in key (in .dev.vars) if there is none;
// 2. applies D1 migrations to the local database;
// 3. starts the render server natively (native FFmpeg) on RENDER_PORT (default PORT + 1);
// 4. builds the app and serves the Worker under Miniflare (wrangler dev) on PORT (default 8787),
//    with local D1, R2, Queues and Durable Objects.
// `npm start -- --demo you@example.com` then runs `npm run demo` for that email once the product
// answers (a demo workspace with 60 days of posts and their metrics).
import { spawn, execFileSync } from 'node:child_process'
import { ensureDevVars } from './dev-vars.mjs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { useTools } from './tools.mjs'

const { values: flags } = parseArgs({ options: { demo: { type: 'string' } } })
const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const port = Number(process.env.PORT ?? 8787)
const renderPort = Number(process.env.RENDER_PORT ?? port + 1)
const persistTo = process.env.PERSIST_TO ?? join(root, '.wrangler', 'state')
const bin = (name) => join(root, 'node_modules', '.bin', name)
// Children (wrangler, the render server) run on this Node too, even when started as `node scripts/start.mjs`.
process.env.PATH = `${dirname(process.execPath)}:${join(root, 'node_modules', '.bin')}:${process.env.PATH}`
// Miniflare would fetch a sample `Request.cf` from workers.cloudflare.com at every start (a download
// from outside the npm registry, and an error on a machine without that network): its built-in one is used.
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= 'false'

// The assistant's provider given in the environment (an OpenAI-compatible server, or a stub for e2e); none: the built-in.
const AI_VARS = ['AI_PROVIDER', 'AI_BASE_URL', 'AI_MODEL', 'AI_API_KEY', 'AI_TIMEOUT_MS']
// Captions from speech (#15): the transcription provider given in the environment (a real API, or the stub for e2e); none: not transcribed.
const TRANSCRIPTION_VARS = ['TRANSCRIPTION_PROVIDER', 'TRANSCRIPTION_BASE_URL', 'TRANSCRIPTION_MODEL', 'TRANSCRIPTION_API_KEY', 'TRANSCRIPTION_PART_SEC', 'TRANSCRIPTION_TIMEOUT_MS']
const PUBLISHING_VARS = ['PLATFORM_API_BASE', 'YOUTUBE_CLIENT_ID', 'YOUTUBE_CLIENT_SECRET', 'TIKTOK_CLIENT_KEY', 'TIKTOK_CLIENT_SECRET', 'INSTAGRAM_APP_ID', 'INSTAGRAM_APP_SECRET', 'SANDBOX_PROCESSING_SEC']

function run(cmd, args) {
  execFileSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, CI: 'true' } })
}

const children = []
function start(name, cmd, args, env = {}) {
  const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } })
  children.push(child)
  child.on('exit', (code, signal) => {
    console.error(`start: ${name} stopped (${signal ?? code}); stopping everything`)
    shutdown(code ?? 1)
  })
  return child
}

let stopping = false
function shutdown(code = 0) {
  if (stopping) return
  stopping = true
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM')
  setTimeout(() => process.exit(code), 500).unref()
}
process.on('SIGINT', () => shutdown(0))
process.on('SIGTERM', () => shutdown(0))

const devVars = ensureDevVars()
const renderSecret = /^RENDER_SHARED_SECRET=(\S+)$/m.exec(devVars)[1]
// FFmpeg, ffprobe and fonts from the npm packages unless FFMPEG_PATH, FFPROBE_PATH or
// FONTCONFIG_FILE say otherwise; the render server inherits them and says what it found.
const tools = useTools()
if (tools.problems.length) {
  console.error(`start: cannot start the render server:\n- ${tools.problems.join('\n- ')}`)
  process.exit(1)
}
console.log(`start: ffmpeg ${process.env.FFMPEG_PATH}\nstart: ffprobe ${process.env.FFPROBE_PATH}\nstart: fonts through ${process.env.FONTCONFIG_FILE}`)
run(bin('wrangler'), ['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistTo])
if (!process.env.SKIP_BUILD) run(bin('react-router'), ['build'])
// The render server listens on 127.0.0.1, answers only the Worker (the shared secret, which
// wrangler reads from .dev.vars too) and fetches only from the Worker's own origin.
start('render server', process.execPath, [join(root, 'containers', 'render', 'server.ts')], {
  PORT: String(renderPort),
  HOST: '127.0.0.1',
  RENDER_SHARED_SECRET: renderSecret,
  RENDER_ALLOWED_ORIGINS: `http://127.0.0.1:${port},http://localhost:${port}`,
})
start('worker', bin('wrangler'), [
  'dev',
  // Remote bindings off: the AI binding (Workers AI) has no local mode and would need a Cloudflare account.
  '--local',
  // WORKER_CONFIG: another built config beside it (the API bench raises the per-address limits there).
  '-c', process.env.WORKER_CONFIG ?? join(root, 'build', 'server', 'wrangler.json'),
  '--port', String(port),
  '--ip', process.env.HOST ?? '127.0.0.1',
  '--persist-to', persistTo,
  // The secrets as they are now (the build's copy in build/server may predate keys made above).
  '--env-file', join(root, '.dev.vars'),
  // Local sign-in is on only with APP_ENV=local (wrangler.toml says production: deploys fail closed).
  '--var', 'APP_ENV:local',
  // Sandbox accounts and their post page: on locally, off in production (wrangler.toml).
  '--var', 'SANDBOX_ENABLED:true',
  '--var', `RENDER_URL:http://127.0.0.1:${renderPort}`,
  // The origin people open (printed below): storage links are signed on it, so pages load them as their own.
  '--var', `PUBLIC_URL:http://localhost:${port}`,
  // Publishing settings given in the environment (real app credentials, or stub servers for demos and e2e).
  ...[...PUBLISHING_VARS, ...AI_VARS, ...TRANSCRIPTION_VARS].filter((name) => process.env[name]).flatMap((name) => ['--var', `${name}:${process.env[name]}`]),
  '--show-interactive-dev-session=false',
])
console.log(`start: Reelpilot on http://localhost:${port} (render server on :${renderPort})`)

if (flags.demo) {
  const url = `http://127.0.0.1:${port}`
  const ready = async () => fetch(`${url}/api/health`).then((r) => r.ok, () => false)
  const deadline = Date.now() + 300_000
  while (!stopping && !(await ready())) {
    if (Date.now() > deadline) {
      console.error('start: the product did not answer within 5 minutes; no demo made')
      break
    }
    await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  if (!stopping && Date.now() <= deadline) {
    const demo = spawn(process.execPath, [join(root, 'scripts', 'demo.mjs'), '--email', flags.demo, '--url', url], { cwd: root, stdio: 'inherit' })
    demo.on('exit', (code) => console.log(code === 0 ? `start: demo ready for ${flags.demo}; the product keeps running (Ctrl-C stops it)` : `start: the demo failed (exit ${code}); the product keeps running`))
  }
}
