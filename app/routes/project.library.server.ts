/** Server side of the library page: the list it shows and the actions it takes, all through the API. */
import type { RouterContextProvider } from 'react-router'
import { callApi, loadApi } from '../lib/api.server'
import { problemResult, type FormResult } from '../lib/forms'
import { STATUS_FILTERS, TYPE_FILTERS, type Media } from '../lib/media-upload'
import type { Autopilot, BulkPlan } from '../lib/posts'

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
  const [page, autopilot] = await Promise.all([
    loadApi<{ data: Media[]; nextCursor: string | null }>(context, request, `/projects/${encodeURIComponent(projectId)}/media?${query}`),
    callApi<Autopilot>(context, request, `/autopilot/${encodeURIComponent(projectId)}`),
  ])
  // Bulk scheduling fills the autopilot's slots: it needs the autopilot's windows and zone.
  return { media: page.data, nextCursor: page.nextCursor, filters: { status, type, cursor }, timeZone: autopilot.ok ? autopilot.data.config.timezone : null }
}

/** The answer of a bulk plan or confirm: which clip goes when. */
export interface BulkResult extends FormResult {
  plan?: BulkPlan['plan']
}

/** Names a clip (title, topic), deletes it (409 while in use unless forced), re-runs the content check of one item, or puts selected clips into the next free slots. */
export async function libraryAction(context: Context, request: Request, projectId: string): Promise<{ status: number; result: BulkResult }> {
  const form = await request.formData()
  const intent = String(form.get('intent'))
  const mediaId = String(form.get('mediaId') ?? '')
  const path = `/media/${encodeURIComponent(mediaId)}`
  switch (intent) {
    case 'bulk-plan':
    case 'bulk-confirm': {
      const mediaIds = form.getAll('mediaIds').map(String)
      const confirm = intent === 'bulk-confirm'
      const res = await callApi<{ plan: NonNullable<BulkResult['plan']>; posts: unknown[] }>(context, request, `/projects/${encodeURIComponent(projectId)}/posts/bulk`, { method: 'POST', body: { mediaIds, confirm } })
      if (!res.ok) {
        const named = res.problem.errors?.map((e) => e.message).join('; ')
        return { status: res.status, result: { intent, ok: false, message: named ? `${res.problem.detail}` : res.problem.detail } }
      }
      return {
        status: 200,
        result: { intent, ok: true, plan: res.data.plan, message: confirm ? `${res.data.plan.length} ${res.data.plan.length === 1 ? 'post' : 'posts'} scheduled in the next free slots.` : undefined },
      }
    }
    case 'delete': {
      const force = form.get('force') === 'true'
      const res = await callApi(context, request, `${path}${force ? '?force=true' : ''}`, { method: 'DELETE' })
      if (!res.ok) return { status: res.status, result: { intent, ok: false, target: mediaId, message: res.problem.detail, values: { inUse: res.status === 409 ? '1' : '' } } }
      return { status: 200, result: { intent, ok: true, target: mediaId, message: 'Deleted.' } }
    }
    case 'describe': {
      // What the clip is called and about: hooks and captions are written from these, never the file name.
      const values = { title: String(form.get('title') ?? ''), topic: String(form.get('topic') ?? '') }
      const res = await callApi<Media>(context, request, path, { method: 'PATCH', body: values })
      if (!res.ok) return { status: res.status, result: problemResult(intent, res.problem, values, {}, mediaId) }
      return { status: 200, result: { intent, ok: true, target: mediaId, message: 'Saved.' } }
    }
    case 'check': {
      const res = await callApi<Media>(context, request, `${path}/complete`, { method: 'POST' })
      // A refused file (422) is an answer, not a failure of the check: the item says why.
      const refused = !res.ok && res.status === 422 ? (res.problem as { media?: Media }).media : undefined
      if (refused) return { status: 200, result: { intent, ok: true, target: mediaId, message: `Rejected: ${refused.rejectionReason}.` } }
      if (!res.ok) return { status: res.status, result: { intent, ok: false, target: mediaId, message: res.problem.detail } }
      return { status: 200, result: { intent, ok: true, target: mediaId, message: 'Ready.' } }
    }
    default:
      return { status: 400, result: { intent, ok: false, message: `Unknown action “${intent}”.` } }
  }
}
