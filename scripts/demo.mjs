// `npm run demo -- --email you@example.com [--url http://localhost:8787] [--days 60]`: a demo
// workspace for that email on a running product (`npm start` first), made through the API as a
// creator would: a workspace and a project, sandbox YouTube, TikTok and Instagram accounts, an
// autopilot, three clips made with FFmpeg and uploaded (checked by the render server), then
// `POST /api/dev/demo-history` (local mode only), which plans 60 days of past posts with the
// planner and gives them the sandbox's metrics at each pull time. Sign in with the same email.
// `npm start -- --demo you@example.com` starts the product and runs this once it answers.
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { ffmpegPath } from './tools.mjs'

const { values } = parseArgs({ options: { email: { type: 'string' }, url: { type: 'string', default: process.env.PUBLIC_URL || `http://localhost:${process.env.PORT || 8787}` }, days: { type: 'string', default: '60' } } })
if (!values.email) {
  console.error('usage: npm run demo -- --email you@example.com [--url http://localhost:8787] [--days 60]')
  process.exit(2)
}
const api = `${values.url.replace(/\/$/, '')}/api`

async function call(method, path, { token, body, raw, contentType } = {}) {
  const headers = {}
  if (token) headers.authorization = `Bearer ${token}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  if (contentType) headers['content-type'] = contentType
  const url = path.startsWith('http') ? path : `${api}${path}`
  const init = { method, headers, body: raw ?? (body === undefined ? undefined : JSON.stringify(body)) }
  let res
  try {
    res = await fetch(url, init)
  } catch (error) {
    // The server closes a kept-alive connection after a few idle seconds; a request sent on it as
    // it closes fails with "other side closed" before the server read it. Send it once more.
    if (error?.cause?.code !== 'UND_ERR_SOCKET') throw error
    res = await fetch(url, init)
  }
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
  return text ? JSON.parse(text) : undefined
}

try {
  await call('GET', '/health')
} catch (error) {
  console.error(`demo: the product does not answer at ${values.url} (start it with npm start first): ${error.message}`)
  process.exit(1)
}

const { token } = await call('POST', '/dev/token', { body: { email: values.email, name: values.email.split('@')[0] } })
const slug = `demo-${Date.now().toString(36)}`
const workspace = await call('POST', '/workspaces', { token, body: { name: 'Demo studio', slug } })
const project = await call('POST', '/projects', { token, body: { workspaceId: workspace.id, name: 'Kitchen shorts (demo)', description: 'A demo project with 60 days of posts and their results.' } })
for (const platform of ['youtube', 'tiktok', 'instagram']) await call('POST', `/projects/${project.id}/connections`, { token, body: { platform, mode: 'sandbox' } })
await call('PUT', `/autopilot/${project.id}`, {
  token,
  body: { cadence: 'daily', language: 'en', style: 'neon', objective: 'awareness', timeWindows: ['08:00-10:00', '12:00-14:00', '18:00-21:00'], timezone: 'Europe/Paris' },
})

// The clips first (FFmpeg takes a few seconds each), then the uploads one after the other.
const dir = mkdtempSync(join(tmpdir(), 'reelpilot-demo-'))
try {
  const clips = [
    ['Knife skills in 30 seconds', 'testsrc2=size=1280x720:rate=30'],
    ['Pasta from scratch', 'smptebars=size=1280x720:rate=30'],
    ['Three sauces, one pan', 'mandelbrot=size=640x360:rate=30'],
  ].map(([title, source], i) => {
    const file = join(dir, `clip-${i}.mp4`)
    execFileSync(ffmpegPath(), ['-v', 'error', '-f', 'lavfi', '-i', source, '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100', '-t', '8', '-c:v', 'libx264', '-preset', 'veryfast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', '-y', file])
    return { title, file, filename: `clip-${i}.mp4` }
  })
  for (const { title, file, filename } of clips) {
    const bytes = readFileSync(file)
    const upload = await call('POST', '/media/upload-url', { token, body: { projectId: project.id, filename, contentType: 'video/mp4', size: bytes.length } })
    await call('PUT', upload.uploadUrl, { raw: bytes, contentType: 'video/mp4' })
    // Ready answers the item; a refused file is a 422 problem naming why (the demo goes on without it).
    const done = await call('POST', `/media/${upload.mediaId}/complete`, { token }).catch((error) => ({ status: `refused: ${error.message}` }))
    if (done.status === 'ready') await call('PATCH', `/media/${upload.mediaId}`, { token, body: { title } })
    console.log(`clip: ${title} (${done.status})`)
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}

const history = await call('POST', '/dev/demo-history', { token, body: { projectId: project.id, days: Number(values.days) } })
console.log(`demo: ${history.posts} past posts and ${history.snapshots} metric snapshots in project "${project.name}"`)
console.log(`Sign in at ${values.url}/sign-in with ${values.email}, then open ${values.url}/projects/${project.id}/analytics`)
