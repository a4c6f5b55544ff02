/** Helpers for Workers integration tests: sign in as someone, call the API through the real Worker. */
import { env, SELF } from 'cloudflare:test'
import { signLocalSessionToken } from '../workers/lib/local-auth'
import { parseJsonOrUndefined } from '../workers/lib/json'

let counter = 0
/** A unique suffix, so tests that share storage never collide. */
export const unique = (label = 'x') => `${label}-${Date.now().toString(36)}-${(counter++).toString(36)}-${Math.random().toString(36).slice(2, 6)}`

export async function tokenFor(email: string, name?: string) {
  return signLocalSessionToken(env.LOCAL_AUTH_PRIVATE_KEY, { email, name })
}

export interface CallOptions {
  token?: string
  body?: unknown
  headers?: Record<string, string>
}

/** Calls the API through the Worker's fetch handler, as a client would. */
export async function call(method: string, path: string, options: CallOptions = {}) {
  const headers: Record<string, string> = { ...options.headers }
  if (options.token) headers.authorization = `Bearer ${options.token}`
  let body: string | undefined
  if (options.body !== undefined) {
    headers['content-type'] ??= 'application/json'
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
  }
  const res = await SELF.fetch(`https://reelpilot.test/api${path}`, { method, headers, body })
  const text = await res.text()
  const json: any = parseJsonOrUndefined(text)
  return { status: res.status, headers: res.headers, json, text }
}

/** A signed-in user with a fresh workspace they own. */
export async function ownerWithWorkspace(label = 'owner') {
  const email = `${unique(label)}@example.com`
  const token = await tokenFor(email, label)
  const slug = unique('ws').toLowerCase().slice(0, 48)
  const ws = await call('POST', '/workspaces', { token, body: { name: `${label}'s workspace`, slug } })
  if (ws.status !== 201) throw new Error(`workspace creation failed: ${ws.status} ${ws.text}`)
  return { email, token, workspace: ws.json as { id: string; slug: string; name: string } }
}

/** Adds a member with `role` to a workspace; returns their token. */
export async function memberWithRole(ownerToken: string, workspaceId: string, role: string) {
  const email = `${unique(role)}@example.com`
  const res = await call('POST', `/workspaces/${workspaceId}/members`, { token: ownerToken, body: { email, role } })
  if (res.status !== 201) throw new Error(`invite failed: ${res.status} ${res.text}`)
  return { email, token: await tokenFor(email), userId: res.json.userId as string }
}

export function expectProblem(res: { status: number; headers: Headers; json: any }, status: number) {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${JSON.stringify(res.json)}`)
  const type = res.headers.get('content-type') ?? ''
  if (!type.startsWith('application/problem+json')) throw new Error(`expected problem+json, got ${type}`)
  if (typeof res.json?.detail !== 'string' || res.json.status !== status) throw new Error(`not a problem body: ${JSON.stringify(res.json)}`)
  return res.json as { detail: string; errors?: { field: string; message: string }[] } & Record<string, unknown>
}

/**
 * A ready clip in a project's library, as the media pipeline leaves it after a successful upload
 * and probe (that pipeline has its own tests); the bytes are put in R2 too.
 */
export async function readyClip(workspaceId: string, projectId: string, title = 'Clip', kind: 'video' | 'image' = 'video') {
  const id = `med_${unique('clip').replace(/[^a-z0-9]/g, '')}`
  const key = `media/${workspaceId}/${projectId}/${id}/clip.mp4`
  await env.MEDIA.put(key, new Uint8Array(1024))
  await env.DB.prepare(
    `insert into media (id, workspace_id, project_id, key, filename, title, tags, content_type, size, status, kind, duration_sec, width, height, fps, video_codec, has_audio)
     values (?, ?, ?, ?, 'clip.mp4', ?, '["cooking"]', 'video/mp4', 1024, 'ready', ?, 12.5, 1920, 1080, 30, 'h264', 1)`,
  )
    .bind(id, workspaceId, projectId, key, title, kind)
    .run()
  return id
}

/** Connects sandbox accounts of `platforms` to a project (what local mode and demos use). */
export async function connectSandbox(token: string, projectId: string, platforms: readonly string[] = ['youtube', 'tiktok', 'instagram']) {
  for (const platform of platforms) {
    const res = await call('POST', `/projects/${projectId}/connections`, { token, body: { platform, mode: 'sandbox' } })
    if (res.status >= 300) throw new Error(`sandbox connection failed: ${res.status} ${res.text}`)
  }
}

/** A workspace, a project in it with sandbox accounts connected (unless `platforms` is empty), and its owner's token. */
export async function ownerWithProject(label = 'owner', platforms: readonly string[] = ['youtube', 'tiktok', 'instagram']) {
  const owner = await ownerWithWorkspace(label)
  const project = await call('POST', '/projects', { token: owner.token, body: { workspaceId: owner.workspace.id, name: `${label} project` } })
  if (project.status !== 201) throw new Error(`project creation failed: ${project.status} ${project.text}`)
  await connectSandbox(owner.token, project.json.id, platforms)
  return { ...owner, project: project.json as { id: string; workspaceId: string; name: string } }
}

/** A post (made through the API) with its three sandbox targets, rendered and scheduled `inMs` from now. */
export async function scheduledPost(inMs = 86_400_000) {
  const { token, project } = await ownerWithProject()
  const clip = await readyClip(project.workspaceId, project.id)
  const scheduledAt = new Date(Date.now() + inMs).toISOString()
  const post = (await call('POST', `/projects/${project.id}/posts`, { token, body: { mediaId: clip, scheduledAt } })).json
  // As if rendered (the render message POST /posts sends finds it scheduled and skips it).
  await env.DB.prepare(`update posts set status = 'scheduled', lease_until = null, render_key = 'r', cover_key = 'c' where id = ?`).bind(post.id).run()
  return { postId: post.id as string, scheduledAt: Date.parse(scheduledAt) }
}
