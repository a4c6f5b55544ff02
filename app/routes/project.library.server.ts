/** Server side of the library page: the list it shows and the actions it takes, all through the API. */
import type { RouterContextProvider } from 'react-router'
import { callApi, loadApi } from '../lib/api.server'
import type { FormResult } from '../lib/forms'
import { STATUS_FILTERS, TYPE_FILTERS, type Media } from '../lib/media-upload'

type Context = Readonly<RouterContextProvider>

/** One page of a project's library, with the filters of the page's URL. */
export async function loadLibrary(context: Context, request: Request, projectId: string) {
  const url = new URL(request.url)
  const status = (STATUS_FILTERS as readonly string[]).includes(url.searchParams.get('status') ?? '') ? url.searchParams.get('status')! : ''
  const type = (TYPE_FILTERS as readonly string[]).includes(url.searchParams.get('type') ?? '') ? url.searchParams.get('type')! : ''
  const cursor = url.searchParams.get('cursor') ?? ''
  const query = new URLSearchParams({ limit: '48' })
  if (status) query.set('status', status)
  if (type) query.set('type', type)
  if (cursor) query.set('cursor', cursor)
  const page = await loadApi<{ data: Media[]; nextCursor: string | null }>(context, request, `/projects/${encodeURIComponent(projectId)}/media?${query}`)
  return { media: page.data, nextCursor: page.nextCursor, filters: { status, type, cursor } }
}

/** Deletes (409 while in use unless forced) or re-runs the content check of one item. */
export async function libraryAction(context: Context, request: Request): Promise<{ status: number; result: FormResult }> {
  const form = await request.formData()
  const intent = String(form.get('intent'))
  const mediaId = String(form.get('mediaId') ?? '')
  const path = `/media/${encodeURIComponent(mediaId)}`
  switch (intent) {
    case 'delete': {
      const force = form.get('force') === 'true'
      const res = await callApi(context, request, `${path}${force ? '?force=true' : ''}`, { method: 'DELETE' })
      if (!res.ok) return { status: res.status, result: { intent, ok: false, target: mediaId, message: res.problem.detail, values: { inUse: res.status === 409 ? '1' : '' } } }
      return { status: 200, result: { intent, ok: true, target: mediaId, message: 'Deleted.' } }
    }
    case 'check': {
      const res = await callApi<Media>(context, request, `${path}/complete`, { method: 'POST' })
      if (!res.ok) return { status: res.status, result: { intent, ok: false, target: mediaId, message: res.problem.detail } }
      return { status: 200, result: { intent, ok: true, target: mediaId, message: res.data.status === 'ready' ? 'Ready.' : `Rejected: ${res.data.rejectionReason}.` } }
    }
    default:
      return { status: 400, result: { intent, ok: false, message: `Unknown action “${intent}”.` } }
  }
}
