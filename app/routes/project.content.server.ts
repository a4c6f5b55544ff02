/**
 * Server side of the content page: the posts of the shown week, month or list page with their
 * clips' thumbnails, the post opened beside it, the clips that can be posted by hand, and the
 * actions on posts — all through the API.
 */
import type { RouterContextProvider } from 'react-router'
import { callApi, loadApi } from '../lib/api.server'
import { problemResult, type FormResult } from '../lib/forms'
import type { Media } from '../lib/media-upload'
import type { Autopilot, Post, PostStatus, PostSummary } from '../lib/posts'
import { POST_STATUS_LABEL } from '../lib/posts'
import { fromLocalInput, monthWeeks, parseDate, startOfDayInstant, startOfWeek, today } from '../lib/zoned-time'

type Context = Readonly<RouterContextProvider>

export const VIEWS = ['week', 'month', 'list'] as const
export type View = (typeof VIEWS)[number]

/** How far back the list starts by default, in days before the chosen date. */
const LIST_DAYS_BACK = 7
const PAGE_SIZE = 200

/** The shown range (week, month grid or list page), its posts and thumbnails, and the open post. */
export async function loadContent(context: Context, request: Request, projectId: string) {
  const url = new URL(request.url)
  const id = encodeURIComponent(projectId)
  const view: View = (VIEWS as readonly string[]).includes(url.searchParams.get('view') ?? '') ? (url.searchParams.get('view') as View) : 'week'
  const statusParam = url.searchParams.get('status') ?? ''
  const status = statusParam in POST_STATUS_LABEL ? (statusParam as PostStatus) : ''
  const cursor = url.searchParams.get('cursor') ?? ''
  const openId = url.searchParams.get('post') ?? ''

  const autopilot = await callApi<Autopilot>(context, request, `/autopilot/${id}`)
  const timeZone = autopilot.ok ? autopilot.data.config.timezone : 'UTC'
  const now = today(timeZone)
  const anchor = parseDate(url.searchParams.get('date')) ?? now

  let from: string
  let to: string | undefined
  let days: string[][]
  if (view === 'week') {
    const start = startOfWeek(anchor)
    days = [Array.from({ length: 7 }, (_, i) => start.add({ days: i }).toString())]
    from = startOfDayInstant(start, timeZone)
    to = startOfDayInstant(start.add({ days: 7 }), timeZone)
  } else if (view === 'month') {
    const weeks = monthWeeks(anchor)
    days = weeks.map((w) => w.map((d) => d.toString()))
    from = startOfDayInstant(weeks[0][0], timeZone)
    to = startOfDayInstant(weeks.at(-1)![6].add({ days: 1 }), timeZone)
  } else {
    days = []
    from = startOfDayInstant(anchor.subtract({ days: LIST_DAYS_BACK }), timeZone)
  }

  const query = new URLSearchParams({ from, limit: String(PAGE_SIZE) })
  if (to) query.set('to', to)
  if (view === 'list' && status) query.set('status', status)
  if (view === 'list' && cursor) query.set('cursor', cursor)
  const [page, open, library] = await Promise.all([
    loadApi<{ data: PostSummary[]; nextCursor: string | null }>(context, request, `/projects/${id}/posts?${query}`),
    openId ? callApi<Post>(context, request, `/posts/${encodeURIComponent(openId)}`) : null,
    callApi<{ data: Media[] }>(context, request, `/projects/${id}/media?status=ready&type=video&limit=48`),
  ])
  const clips = library.ok ? library.data.data : []

  // A post summary names its clip; the thumbnail's signed URL comes with the media item.
  const thumbnails: Record<string, string> = {}
  for (const clip of clips) if (clip.thumbnailUrl) thumbnails[clip.id] = clip.thumbnailUrl
  const missing = new Set<string>()
  for (const post of [...page.data, ...(open?.ok ? [open.data] : [])]) if (post.clip?.thumbnailKey && !thumbnails[post.clip.id]) missing.add(post.clip.id)
  await Promise.all(
    [...missing].map(async (mediaId) => {
      const media = await callApi<Media>(context, request, `/media/${encodeURIComponent(mediaId)}`)
      if (media.ok && media.data.thumbnailUrl) thumbnails[mediaId] = media.data.thumbnailUrl
    }),
  )

  return {
    view,
    timeZone,
    autopilotOn: autopilot.ok ? autopilot.data.enabled : null,
    today: now.toString(),
    date: anchor.toString(),
    days,
    posts: page.data,
    nextCursor: page.nextCursor,
    filters: { status, cursor },
    open: open?.ok ? open.data : null,
    openError: open && !open.ok ? open.problem.detail : null,
    thumbnails,
    clips,
  }
}

/** "#a, b  #c" → ["#a", "#b", "#c"] */
function parseHashtags(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((t) => (t.startsWith('#') ? t : `#${t}`))
}

/** API field → form field: list items land on their list. */
function onFields(problem: Parameters<typeof problemResult>[1]) {
  return { ...problem, errors: problem.errors?.map((e) => ({ ...e, field: e.field.split('.')[0] })) }
}

/** Approve, cancel, retry, edit a post, or post a clip by hand. */
export async function contentAction(context: Context, request: Request, projectId: string): Promise<{ status: number; result: FormResult }> {
  const form = await request.formData()
  const intent = String(form.get('intent'))
  const postId = String(form.get('postId') ?? '')
  const timeZone = String(form.get('timeZone') ?? 'UTC')
  const post = `/posts/${encodeURIComponent(postId)}`
  switch (intent) {
    case 'approve':
    case 'cancel':
    case 'retry': {
      const res = await callApi<Post>(context, request, `${post}/${intent}`, { method: 'POST' })
      if (!res.ok) return { status: res.status, result: problemResult(intent, res.problem, {}, {}, postId) }
      const done = { approve: 'Approved: it goes out at its time.', cancel: 'Canceled.', retry: 'Trying again.' }[intent]
      return { status: 200, result: { intent, ok: true, target: postId, message: done } }
    }
    case 'edit': {
      const values = { caption: String(form.get('caption') ?? ''), hashtags: String(form.get('hashtags') ?? ''), scheduledAt: String(form.get('scheduledAt') ?? '') }
      const body: Record<string, unknown> = { caption: values.caption, hashtags: parseHashtags(values.hashtags) }
      if (values.scheduledAt && values.scheduledAt !== form.get('scheduledAtBefore')) {
        const at = fromLocalInput(values.scheduledAt, timeZone)
        if (!at) return { status: 400, result: { intent, ok: false, target: postId, fieldErrors: { scheduledAt: 'Give a date and a time.' }, values } }
        body.scheduledAt = at
      }
      const res = await callApi<Post>(context, request, post, { method: 'PATCH', body })
      if (!res.ok) return { status: res.status, result: problemResult(intent, onFields(res.problem), values, {}, postId) }
      return { status: 200, result: { intent, ok: true, target: postId, message: 'Saved.' } }
    }
    case 'create': {
      const values = { mediaId: String(form.get('mediaId') ?? ''), scheduledAt: String(form.get('scheduledAt') ?? ''), platforms: '' }
      const body: Record<string, unknown> = { mediaId: values.mediaId, platforms: form.getAll('platforms').map(String) }
      if (!values.mediaId) return { status: 400, result: { intent, ok: false, fieldErrors: { mediaId: 'Choose a clip.' }, values } }
      if (form.get('when') === 'later') {
        const at = fromLocalInput(values.scheduledAt, timeZone)
        if (!at) return { status: 400, result: { intent, ok: false, fieldErrors: { scheduledAt: 'Give a date and a time.' }, values } }
        body.scheduledAt = at
      }
      const res = await callApi<Post>(context, request, `/projects/${encodeURIComponent(projectId)}/posts`, { method: 'POST', body })
      if (!res.ok) return { status: res.status, result: problemResult(intent, onFields(res.problem), values, { byStatus: { 409: 'mediaId' } }) }
      return { status: 200, result: { intent, ok: true, target: res.data.id, message: res.data.scheduledAt, values: { scheduledAt: res.data.scheduledAt } } }
    }
    default:
      return { status: 400, result: { intent, ok: false, message: `Unknown action “${intent}”.` } }
  }
}
