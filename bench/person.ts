// A signed-in person with a workspace and a project, made through the product's API (the local
// sign-in's `/api/dev/token`): the benchmarks that call the API as someone start here.
import { unique } from '../e2e/harness.ts'

export interface BenchPerson {
  token: string
  workspaceId: string
  projectId: string
  /** Calls `path` (below /api) as this person; throws on an answer that is not 2xx. */
  api: (method: string, path: string, body?: unknown) => Promise<any>
}

/** Signs a new person in on the product at `baseUrl` and makes them a workspace and a project. */
export async function benchPerson(baseUrl: string): Promise<BenchPerson> {
  const call = async (method: string, path: string, body: unknown, token?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }
    const res = await fetch(`${baseUrl}/api${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
    const text = await res.text()
    const json = text ? JSON.parse(text) : undefined
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`)
    return json
  }
  const { token } = await call('POST', '/dev/token', { email: `${unique('bench')}@example.com` })
  const api = (method: string, path: string, body?: unknown) => call(method, path, body, token)
  const workspace = await api('POST', '/workspaces', { name: 'Bench', slug: unique('bench').toLowerCase().slice(0, 40) })
  const project = await api('POST', '/projects', { workspaceId: workspace.id, name: 'Bench' })
  return { token, workspaceId: workspace.id, projectId: project.id, api }
}
