/** Server side of the inbox page: the comments, and refresh / save / dismiss / send through the API. */
import type { RouterContextProvider } from 'react-router'
import { callApi, loadApi } from '../lib/api.server'
import type { z } from '@hono/zod-openapi'
import type { InboxCommentSchema, InboxRefreshSchema, InboxSchema } from '../../workers/inbox/routes'

type Context = Readonly<RouterContextProvider>

// The answers' shapes are the inbox routes' own schemas (types only: no server code reaches the page).
export type InboxComment = z.infer<typeof InboxCommentSchema>
export type InboxRefresh = z.infer<typeof InboxRefreshSchema>
export type Inbox = z.infer<typeof InboxSchema>
export type InboxResult = { intent: string; ok: boolean; target?: string; message: string }

export async function loadInbox(context: Context, request: Request, projectId: string) {
  return loadApi<Inbox>(context, request, `/projects/${encodeURIComponent(projectId)}/inbox`)
}

export async function inboxAction(context: Context, request: Request, projectId: string): Promise<InboxResult> {
  const form = await request.formData()
  const intent = String(form.get('intent'))
  const id = String(form.get('commentId') ?? '')
  const path = `/inbox/${encodeURIComponent(id)}`
  if (intent === 'refresh') {
    const res = await callApi<Inbox>(context, request, `/projects/${encodeURIComponent(projectId)}/inbox/refresh`, { method: 'POST' })
    // The refresh runs off the request: the page shows its progress from the loader's `refresh`.
    return res.ok ? { intent, ok: true, message: 'Checking for new comments…' } : { intent, ok: false, message: res.problem.detail }
  }
  if (intent === 'send') {
    const res = await callApi(context, request, `${path}/reply`, { method: 'POST', body: { text: String(form.get('text') ?? '') } })
    return res.ok ? { intent, ok: true, target: id, message: 'Reply sent.' } : { intent, ok: false, target: id, message: res.problem.detail }
  }
  if (intent === 'save' || intent === 'dismiss' || intent === 'restore') {
    const body = intent === 'save' ? { suggestedReply: String(form.get('text') ?? '') } : { state: intent === 'dismiss' ? 'dismissed' : 'new' }
    const res = await callApi(context, request, path, { method: 'PATCH', body })
    return res.ok ? { intent, ok: true, target: id, message: intent === 'save' ? 'Saved.' : intent === 'dismiss' ? 'Dismissed.' : 'Back in the list.' } : { intent, ok: false, target: id, message: res.problem.detail }
  }
  return { intent, ok: false, message: `Unknown action “${intent}”.` }
}
