/**
 * The web app's only way to data: the REST API, called in-process as the visitor (their
 * `__session` cookie is forwarded by the load context). A 401 sends the visitor to sign in.
 */
import { data, redirect, type RouterContextProvider } from 'react-router'
import { parseJsonOrUndefined } from '../../workers/lib/json'
import { cloudflareContext } from '../context'
import type { Problem } from './forms'
import { clearSessionCookie } from './session.server'

type Context = Readonly<RouterContextProvider>

export type ApiResult<T> = { ok: true; status: number; data: T; headers: Headers } | { ok: false; status: number; problem: Problem }

export interface ApiCall {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'
  /** Sent as JSON. */
  body?: unknown
}

/**
 * Calls `path` (below /api) as the visitor. Answers the parsed body, or the problem+json the API
 * gave. A 401 throws a redirect to /sign-in that comes back to this page afterwards.
 */
export async function callApi<T>(context: Context, request: Request, path: string, call: ApiCall = {}): Promise<ApiResult<T>> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (call.body !== undefined) headers['content-type'] = 'application/json'
  const res = await context.get(cloudflareContext).api(path, {
    method: call.method ?? 'GET',
    headers,
    body: call.body === undefined ? undefined : JSON.stringify(call.body),
  })
  if (res.status === 401) throw signInRedirect(request)
  const text = await res.text()
  const body = parseJsonOrUndefined(text)
  if (res.ok) return { ok: true, status: res.status, data: body as T, headers: res.headers }
  return { ok: false, status: res.status, problem: asProblem(res.status, body) }
}

/** Like `callApi`, for data a page cannot show without: any failure becomes the route's error. */
export async function loadApi<T>(context: Context, request: Request, path: string): Promise<T> {
  const result = await callApi<T>(context, request, path)
  if (!result.ok) throw data(result.problem, { status: result.status })
  return result.data
}

/** A redirect to the sign-in page that returns to `request`'s page, dropping a session the API refused. */
export function signInRedirect(request: Request) {
  const url = new URL(request.url)
  const back = request.method === 'GET' ? `${url.pathname}${url.search}` : url.pathname
  const headers = new Headers()
  if (request.headers.get('cookie')?.includes('__session=')) headers.append('set-cookie', clearSessionCookie(request))
  return redirect(`/sign-in?redirectTo=${encodeURIComponent(back)}`, { headers })
}

function asProblem(status: number, body: unknown): Problem {
  const b = (body ?? {}) as Partial<Problem>
  return {
    status,
    title: typeof b.title === 'string' ? b.title : undefined,
    detail: typeof b.detail === 'string' ? b.detail : `The API answered ${status}.`,
    errors: Array.isArray(b.errors) ? b.errors : undefined,
  }
}
