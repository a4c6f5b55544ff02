/** Server side of the connections page: the project's connections, and connect / disconnect through the API. */
import { redirect, type RouterContextProvider } from 'react-router'
import { callApi, loadApi } from '../lib/api.server'
import type { Availability, Connection } from '../lib/connections'
import type { FormResult } from '../lib/forms'

type Context = Readonly<RouterContextProvider>

export async function loadConnections(context: Context, request: Request, projectId: string) {
  const url = new URL(request.url)
  const page = await loadApi<{ data: Connection[]; platforms: Availability[] }>(context, request, `/projects/${encodeURIComponent(projectId)}/connections`)
  return {
    connections: page.data,
    platforms: page.platforms,
    // Where the OAuth callback sent the creator back: which platform connected, or why not.
    returned: { connected: url.searchParams.get('connected'), platform: url.searchParams.get('platform'), error: url.searchParams.get('error') },
  }
}

/** connect (OAuth: off to the platform's consent page; sandbox: at once) or disconnect. */
export async function connectionsAction(context: Context, request: Request, projectId: string): Promise<Response | { status: number; result: FormResult }> {
  const form = await request.formData()
  const intent = String(form.get('intent'))
  const base = `/projects/${encodeURIComponent(projectId)}/connections`
  if (intent === 'connect') {
    const platform = String(form.get('platform'))
    const mode = form.get('mode') === 'sandbox' ? 'sandbox' : 'oauth'
    const res = await callApi<{ authorizeUrl?: string }>(context, request, base, { method: 'POST', body: { platform, mode } })
    if (!res.ok) return { status: res.status, result: { intent, ok: false, target: platform, message: res.problem.detail } }
    if (res.data.authorizeUrl) {
      // The API binds the flow to this browser with a nonce cookie: hand it on with the redirect.
      const headers = new Headers()
      for (const cookie of res.headers.getSetCookie()) headers.append('set-cookie', cookie)
      return redirect(res.data.authorizeUrl, { headers })
    }
    return { status: 200, result: { intent, ok: true, target: platform, message: 'Sandbox account connected.' } }
  }
  if (intent === 'disconnect') {
    const connectionId = String(form.get('connectionId') ?? '')
    const platform = String(form.get('platform') ?? '')
    const res = await callApi<{ revoked: boolean }>(context, request, `${base}/${encodeURIComponent(connectionId)}`, { method: 'DELETE' })
    if (!res.ok) return { status: res.status, result: { intent, ok: false, target: platform, message: res.problem.detail } }
    return { status: 200, result: { intent, ok: true, target: platform, message: res.data.revoked ? 'Disconnected; access revoked at the platform.' : 'Disconnected.' } }
  }
  return { status: 400, result: { intent, ok: false, message: `Unknown action “${intent}”.` } }
}
