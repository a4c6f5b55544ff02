/**
 * Server side of the content page: the posts of the shown week, month or list page with their
 * clips' thumbnails, the post opened beside it, the clips that can be posted by hand, and the
 * actions on posts — all through the API.
 */
import type { RouterContextProvider } from 'react-router'
import { callApi, loadApi } from '../lib/api.server'
import { problemResult, type FormResult } from '../lib/forms'
import type { PostMetrics } from '../lib/analytics'
import type { Media } from '../lib/media-upload'
import type { Connection } from '../lib/connections'
import type { Autopilot, Draft, Post, PostStatus, PostSummary } from '../lib/posts'
import { POST_STATUS_LABEL } from '../lib/posts'
import { fromLocalInput, monthWeeks, parseDate, startOfDayInstant, startOfWeek, today } from '../lib/zoned-time'
import { postSpeechCaptionsChange } from '../lib/speech-captions'
import { parseHashtags } from '../../workers/domain/platform-texts'
import { publicOrigin } from '../../workers/lib/public-url'
import { cloudflareContext } from '../context'

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
  // The autopilot's coming slots that no post holds yet: the calendar shows them as planned entries.
  const autopilotOn = autopilot.ok && autopilot.data.enabled
  const slotQuery = new URLSearchParams({ count: '200', from, free: 'true' })
  if (to) slotQuery.set('to', to)
  const [page, open, library, slots, connections, drafts] = await Promise.all([
    loadApi<{ data: PostSummary[]; nextCursor: string | null }>(context, request, `/projects/${id}/posts?${query}`),
    openId ? callApi<Post>(context, request, `/posts/${encodeURIComponent(openId)}`) : null,
    callApi<{ data: Media[] }>(context, request, `/projects/${id}/media?status=ready&type=video&limit=48`),
    autopilotOn && view !== 'list' ? callApi<{ slots: string[] }>(context, request, `/autopilot/${id}/slots?${slotQuery}`) : null,
    callApi<{ data: Connection[] }>(context, request, `/projects/${id}/connections`),
    callApi<{ data: Draft[] }>(context, request, `/projects/${id}/drafts`),
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

  // The open post's own results (analytics), when it went out somewhere.
  const openMetrics = open?.ok && open.data.targets.some((t) => t.status === 'published') ? await callApi<PostMetrics>(context, request, `/posts/${encodeURIComponent(open.data.id)}/metrics`) : null

  return {
    view,
    timeZone,
    autopilotOn: autopilot.ok ? autopilot.data.enabled : null,
    /** The autopilot's captions from speech (#15): what a post left to its setting renders with (on unless turned off). */
    autopilotSpeechCaptions: autopilot.ok ? autopilot.data.config.speechCaptions !== false : true,
    /** The posting windows ("12:00-14:00") and what the autopilot does with them; null before it is set up. */
    schedule: autopilot.ok
      ? { timeWindows: autopilot.data.config.timeWindows, cadence: autopilot.data.config.cadence, weekdays: autopilot.data.config.weekdays, keepToWindows: autopilot.data.config.keepToWindows ?? false }
      : null,
    /** What a new post renders with (the composer's preview): the autopilot's settings, else the API's defaults. */
    postDefaults: {
      style: autopilot.ok ? autopilot.data.config.style : 'minimal',
      language: autopilot.ok ? autopilot.data.config.language : 'en',
      objective: autopilot.ok ? autopilot.data.config.objective : 'awareness',
    },
    slots: slots?.ok ? slots.data.slots : [],
    connections: connections.ok ? connections.data.data : [],
    drafts: drafts.ok ? drafts.data.data : [],
    today: now.toString(),
    /** The moment of this answer: the calendar marks it, and times before it take no new post. */
    now: new Date().toISOString(),
    date: anchor.toString(),
    days,
    posts: page.data,
    nextCursor: page.nextCursor,
    filters: { status, cursor },
    open: open?.ok ? open.data : null,
    openError: open && !open.ok ? open.problem.detail : null,
    openMetrics: openMetrics?.ok ? openMetrics.data : null,
    thumbnails,
    clips,
    /** The origin the tracked link is published on: the composer's counters count its line (`linkLineFor`). */
    linkOrigin: linkOrigin(context),
  }
}

/** `PUBLIC_URL`'s origin, or null when it is not set (the API then makes no link line either). */
function linkOrigin(context: Context): string | null {
  try {
    return publicOrigin(context.get(cloudflareContext).env)
  } catch {
    return null
  }
}

/** The form fields of what is drawn on the video (the post panel's and the composer's). */
const LOOK_FIELDS = ['hook', 'callToAction', 'framing', 'focusX', 'focusY', 'trimStart', 'trimEnd', 'speechCaptions']

/** The post form's field of each API field (the trim's two ends and the focus have inputs of their own). */
function editFields(problem: Parameters<typeof problemResult>[1]) {
  const names: Record<string, string> = { 'trim.startSec': 'trimStart', 'trim.endSec': 'trimEnd', trim: 'trimEnd', 'focus.x': 'focusX', 'focus.y': 'focusY', focus: 'focusX' }
  return { ...problem, errors: problem.errors?.map((e) => ({ ...e, field: names[e.field] ?? e.field.split('.')[0] })) }
}

function capitalize(text: string) {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** The API's warnings as one sentence for the creator, or undefined when there is none. */
function warningText(warnings: { message: string }[] | undefined): string | undefined {
  return warnings?.length ? `Saved, but note: ${warnings.map((w) => w.message).join('; ')}.` : undefined
}

/** The composer's form field of each API field: per-platform texts keep their path (`platformTexts.tiktok.caption`). */
function composerFields(problem: Parameters<typeof problemResult>[1]) {
  const look = editFields(problem)
  return { ...problem, errors: problem.errors?.map((e, i) => (e.field.startsWith('platformTexts.') ? e : look.errors![i])) }
}

/**
 * The API body the composer's form describes. Per-platform texts are sent only for the fields
 * the creator wrote (the form names them `platformTexts.<platform>.<field>` once edited); the
 * others follow the shared text.
 */
export function composerBody(form: FormData) {
  const body: Record<string, unknown> = { mediaId: String(form.get('mediaId') ?? ''), platforms: form.getAll('platforms').map(String) }
  const caption = String(form.get('caption') ?? '').trim()
  if (caption) body.caption = caption
  const hashtags = parseHashtags(String(form.get('hashtags') ?? ''))
  if (hashtags.length) body.hashtags = hashtags
  const platformTexts: Record<string, Record<string, string>> = {}
  const fieldNames: Record<string, string> = {}
  for (const [name, value] of form.entries()) {
    const m = /^platformTexts\.(youtube|tiktok|instagram)\.(title|description|caption)$/.exec(name)
    if (!m || typeof value !== 'string') continue
    ;(platformTexts[m[1]] ??= {})[m[2]] = value
    fieldNames[name] = ''
  }
  if (Object.keys(platformTexts).length) body.platformTexts = platformTexts
  return { mediaId: body.mediaId as string, body, fieldNames }
}

/**
 * The look fields (hook, call to action, framing, focus, trim, captions from speech) a post form changed from the
 * values it started with (its `<name>Before` inputs), as the API takes them; or the field errors
 * of a trim that is not a number. The post panel and the composer send the same fields this way.
 */
export function changedLook(form: FormData): { body: Record<string, unknown>; fieldErrors?: Record<string, string> } {
  const value = (name: string) => String(form.get(name) ?? '')
  const changed = (name: string) => form.has(name) && form.get(name) !== form.get(`${name}Before`)
  const body: Record<string, unknown> = {}
  if (changed('hook')) body.hook = value('hook').trim()
  if (changed('callToAction')) body.callToAction = value('callToAction').trim()
  if (changed('framing')) body.framing = value('framing') || null
  if (changed('focusX') || changed('focusY')) body.focus = { x: Number(value('focusX')) / 100, y: Number(value('focusY')) / 100 }
  if (changed('trimStart') || changed('trimEnd')) {
    const startSec = Number(value('trimStart'))
    const endSec = Number(value('trimEnd'))
    const fieldErrors: Record<string, string> = {}
    if (!value('trimStart').trim() || !Number.isFinite(startSec) || startSec < 0) fieldErrors.trimStart = 'Give the start in seconds (0 or more).'
    if (!value('trimEnd').trim() || !Number.isFinite(endSec) || endSec <= 0) fieldErrors.trimEnd = 'Give the end in seconds.'
    if (Object.keys(fieldErrors).length) return { body, fieldErrors }
    body.trim = { startSec, endSec }
  }
  const speechCaptions = postSpeechCaptionsChange(form)
  if (speechCaptions !== undefined) body.speechCaptions = speechCaptions
  return { body }
}

/** Approve, cancel, retry, edit, rewrite with the assistant or move a post, post a clip by hand or save it as a draft, schedule or delete a draft. */
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
      const names = ['caption', 'hashtags', 'scheduledAt', ...LOOK_FIELDS]
      const values = Object.fromEntries(names.map((n) => [n, String(form.get(n) ?? '')]))
      const body: Record<string, unknown> = { caption: values.caption, hashtags: parseHashtags(values.hashtags) }
      if (values.scheduledAt && values.scheduledAt !== form.get('scheduledAtBefore')) {
        const at = fromLocalInput(values.scheduledAt, timeZone)
        if (!at) return { status: 400, result: { intent, ok: false, target: postId, fieldErrors: { scheduledAt: 'Give a date and a time.' }, values } }
        body.scheduledAt = at
      }
      // What is on the video goes only when it changed: the API renders the post again for it.
      const look = changedLook(form)
      if (look.fieldErrors) return { status: 400, result: { intent, ok: false, target: postId, fieldErrors: look.fieldErrors, values } }
      Object.assign(body, look.body)
      const res = await callApi<Post>(context, request, post, { method: 'PATCH', body })
      if (!res.ok) return { status: res.status, result: problemResult(intent, editFields(res.problem), values, {}, postId) }
      // Changing what is drawn (the caption too) sends the post back to be rendered.
      const rerenders = res.data.status === 'planned' && form.get('statusBefore') !== 'planned'
      return { status: 200, result: { intent, ok: true, target: postId, message: rerenders ? 'Saved. The video renders again with your changes.' : 'Saved.' } }
    }
    case 'write-texts': {
      // The assistant writes the post's texts for its platforms and they become the post's (it renders again).
      const res = await callApi<{ provider: { label: string; fallback: boolean; reason?: string } }>(context, request, '/ai-assistant/tools/post-captions', { method: 'POST', body: { postId, apply: true } })
      if (!res.ok) return { status: res.status, result: problemResult(intent, res.problem, {}, {}, postId) }
      const by = res.data.provider
      const message = `Rewritten by ${by.label}${by.fallback && by.reason ? ` (standing in: ${by.reason})` : ''}. The video renders again with them; edit them below if you like.`
      return { status: 200, result: { intent, ok: true, target: postId, message } }
    }
    case 'create': {
      // The composer: a post now, at a time, or a draft (no time).
      const composed = composerBody(form)
      // The look's fields too: an API error on them lands beside the field, not in a notice above the form.
      const values = { mediaId: composed.mediaId, scheduledAt: String(form.get('scheduledAt') ?? ''), platforms: '', caption: '', hashtags: '', ...Object.fromEntries(LOOK_FIELDS.map((n) => [n, String(form.get(n) ?? '')])), ...composed.fieldNames }
      if (!composed.mediaId) return { status: 400, result: { intent, ok: false, fieldErrors: { mediaId: 'Choose a clip.' }, values } }
      const when = String(form.get('when') ?? 'now')
      const body: Record<string, unknown> = { ...composed.body }
      // What is drawn on the video, as in the post panel: only the fields set away from their defaults (a draft keeps them too).
      const look = changedLook(form)
      if (look.fieldErrors) return { status: 400, result: { intent, ok: false, fieldErrors: look.fieldErrors, values } }
      Object.assign(body, look.body)
      if (when === 'draft') {
        const res = await callApi<Draft>(context, request, `/projects/${encodeURIComponent(projectId)}/drafts`, { method: 'POST', body })
        if (!res.ok) return { status: res.status, result: problemResult(intent, composerFields(res.problem), values) }
        return { status: 200, result: { intent, ok: true, target: res.data.id, message: 'Saved as a draft: it has no time yet, and nothing is posted until you schedule it.', values: { draft: 'true' } } }
      }
      if (when === 'later') {
        const at = fromLocalInput(values.scheduledAt, timeZone)
        if (!at) return { status: 400, result: { intent, ok: false, fieldErrors: { scheduledAt: 'Give a date and a time.' }, values } }
        body.scheduledAt = at
      }
      const res = await callApi<Post>(context, request, `/projects/${encodeURIComponent(projectId)}/posts`, { method: 'POST', body })
      if (!res.ok) return { status: res.status, result: problemResult(intent, composerFields(res.problem), values, { byStatus: { 409: 'mediaId' } }) }
      return { status: 200, result: { intent, ok: true, target: res.data.id, message: warningText(res.data.warnings), values: { scheduledAt: res.data.scheduledAt } } }
    }
    case 'move': {
      // A post dragged to another time on the calendar.
      const at = fromLocalInput(String(form.get('scheduledAt') ?? ''), timeZone)
      if (!at) return { status: 400, result: { intent, ok: false, target: postId, message: 'That is not a time.' } }
      const res = await callApi<Post>(context, request, post, { method: 'PATCH', body: { scheduledAt: at } })
      if (!res.ok) return { status: res.status, result: { intent, ok: false, target: postId, message: res.problem.errors?.[0]?.message ? capitalize(res.problem.errors[0].message) : res.problem.detail } }
      return { status: 200, result: { intent, ok: true, target: postId, message: warningText(res.data.warnings) ?? 'Moved.', values: { scheduledAt: res.data.scheduledAt } } }
    }
    case 'draft-schedule': {
      const draftId = String(form.get('draftId') ?? '')
      const values = { scheduledAt: String(form.get('scheduledAt') ?? '') }
      const at = fromLocalInput(values.scheduledAt, timeZone)
      if (!at) return { status: 400, result: { intent, ok: false, target: draftId, fieldErrors: { scheduledAt: 'Give a date and a time.' }, values } }
      const res = await callApi<{ postId: string; warnings: { field: string; message: string }[] }>(context, request, `/drafts/${encodeURIComponent(draftId)}/schedule`, { method: 'POST', body: { scheduledAt: at } })
      if (!res.ok) return { status: res.status, result: problemResult(intent, res.problem, values, {}, draftId) }
      return { status: 200, result: { intent, ok: true, target: draftId, message: warningText(res.data.warnings) ?? 'Scheduled.', values: { postId: res.data.postId, scheduledAt: at } } }
    }
    case 'draft-delete': {
      const draftId = String(form.get('draftId') ?? '')
      const res = await callApi(context, request, `/drafts/${encodeURIComponent(draftId)}`, { method: 'DELETE' })
      if (!res.ok) return { status: res.status, result: problemResult(intent, res.problem, {}, {}, draftId) }
      return { status: 200, result: { intent, ok: true, target: draftId, message: 'Draft deleted.' } }
    }
    default:
      return { status: 400, result: { intent, ok: false, message: `Unknown action “${intent}”.` } }
  }
}
