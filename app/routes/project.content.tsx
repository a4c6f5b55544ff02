/**
 * /projects/:id/content — the content timeline: posts on a week or month calendar (in the
 * project's time zone) or as a list, each with its clip's thumbnail, status and per-platform
 * state. Opening a post shows its render, targets and history, and lets an editor approve,
 * cancel, retry, or change its caption, hashtags and time. A clip can be posted now or scheduled
 * by hand. While posts are on the move the page keeps itself up to date.
 */
import { PostMetricsSection } from '../components/post-metrics'
import type { PostMetrics } from '../lib/analytics'
import { useEffect, useRef, useState } from 'react'
import { data, Link, useFetcher, useNavigate, useRevalidator, useSearchParams } from 'react-router'
import { postLabel, WeekGrid } from '../components/calendar/week-grid'
import { Composer } from '../components/composer/composer'
import { PostSpeechCaptions, usePreviewSpeech } from '../components/speech-captions-setting'
import { postSpeechChoice } from '../lib/speech-captions'
import { initialLook, LookBefore, PostLookFields, PostPreview, type PostLook } from '../components/composer/post-look'
import { RouteError } from '../components/route-error'
import { Badge, Button, buttonClass, Card, Notice, SelectField, TextField } from '../components/ui'
import type { FormResult } from '../lib/forms'
import { useEscape } from '../lib/use-escape'
import {
  APPROVABLE_STATUSES,
  CANCELLABLE_STATUSES,
  EDITABLE_STATUSES,
  MOVING_STATUSES,
  PLATFORM_LABEL,
  RETRYABLE_STATUSES,
  POST_STATUS_LABEL,
  statusText,
  POST_STATUS_TONE,
  TARGET_STATUS_TONE,
  type Draft,
  type Post,
  type PostSummary,
} from '../lib/posts'
import { formatClock, formatDateTime, formatDay, formatDayRange, formatMonth, inZone, parseDate, toLocalInput, viewerTimeZone, weekdayName } from '../lib/zoned-time'
import { linkLineFor } from '../../workers/domain/tracked-links'
import { instantsInWords } from '../lib/when'
import { useLocale } from './app-layout'
import { useProject } from './project'
import { contentAction, loadContent, type View } from './project.content.server'
import type { Route } from './+types/project.content'

export const meta: Route.MetaFunction = () => [{ title: 'Content · Reelpilot' }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  return loadContent(context, request, params.id)
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const { status, result } = await contentAction(context, request, params.id)
  return status === 200 ? result : data(result, { status })
}

type LoaderData = Route.ComponentProps['loaderData']

/** How often the page refreshes while a post is on the move (rendering, publishing…). */
const REFRESH_MS = 4_000

export default function ProjectContent({ loaderData }: Route.ComponentProps) {
  const { workspace, project } = useProject()
  const brand = { brandColor: project.brandColor, font: project.font, framing: project.framing }
  const { view, timeZone, posts, open, openError, openMetrics, thumbnails } = loaderData
  const canEdit = workspace.role !== 'viewer'
  // null: closed; '': open with no time chosen; else the time clicked on the calendar.
  const [composeAt, setComposeAt] = useState<string | null>(null)
  const [note, setNote] = useState<FormResult | null>(null)
  const navigate = useNavigate()
  const href = useHref()
  const mover = useFetcher<FormResult>()
  useLiveRefresh([...posts, ...(open ? [open] : [])])
  useEffect(() => {
    if (mover.data) setNote(mover.data)
  }, [mover.data])
  useEscape(() => {
    if (composeAt === null) return false
    setComposeAt(null)
  }, composeAt !== null)

  const composed = (result: FormResult) => {
    setComposeAt(null)
    setNote(result.message ? result : null)
    if (result.values?.draft) return
    if (!result.target || !result.values?.scheduledAt) return
    const day = inZone(result.values.scheduledAt, timeZone).toPlainDate().toString()
    navigate(`?view=${view}&date=${day}&post=${result.target}`, { preventScrollReset: true })
  }

  return (
    <div className="space-y-6">
      <Toolbar data={loaderData} onCreate={canEdit ? () => setComposeAt((c) => (c === null ? '' : null)) : undefined} creating={composeAt !== null} />
      {loaderData.autopilotOn === null && (
        <Notice tone="info">
          The autopilot is not set up, so only posts you schedule by hand appear here. <Link to="../autopilot" className="underline">Set it up</Link>.
        </Notice>
      )}
      {loaderData.autopilotOn === false && <Notice tone="info">The autopilot is paused: it plans nothing new until you resume it, so no planned entries are shown.</Notice>}
      {composeAt !== null && (
        <Composer clips={loaderData.clips} connections={loaderData.connections} timeZone={timeZone} schedule={loaderData.schedule} initialAt={composeAt || null} postDefaults={loaderData.postDefaults} brand={brand} linkLine={loaderData.linkOrigin ? linkLineFor(loaderData.linkOrigin, project.linkUrl) : null} onDone={composed} />
      )}
      {note?.message && (
        <div data-testid="calendar-note">
          <Notice tone={note.ok ? (note.message.startsWith('Saved, but') ? 'info' : 'success') : 'error'}>{note.message}</Notice>
        </div>
      )}
      {openError && <Notice>{openError}</Notice>}
      <div className={open ? 'grid gap-6 xl:grid-cols-[minmax(0,1fr)_24rem]' : undefined}>
        <div className="min-w-0 space-y-6">
          {view === 'week' && (
            <WeekGrid
              days={loaderData.days[0]}
              today={loaderData.today}
              timeZone={timeZone}
              posts={posts}
              slots={loaderData.slots}
              thumbnails={thumbnails}
              schedule={loaderData.schedule}
              openId={open?.id ?? null}
              href={href}
              canEdit={canEdit}
              nowIso={loaderData.now}
              onCreateAt={(local) => {
                setComposeAt(local)
                window.scrollTo({ top: 0, behavior: 'smooth' })
              }}
              onMove={(postId, local) => mover.submit({ intent: 'move', postId, scheduledAt: local, timeZone }, { method: 'post' })}
            />
          )}
          {view === 'month' && <MonthGrid data={loaderData} />}
          {view === 'list' && <PostList data={loaderData} />}
          <Drafts drafts={loaderData.drafts} thumbnails={thumbnails} timeZone={timeZone} canEdit={canEdit} />
        </div>
        {open && <PostPanel key={open.id} post={open} timeZone={timeZone} thumbnail={open.clip ? thumbnails[open.clip.id] : undefined} canEdit={canEdit} metrics={openMetrics} autopilotSpeech={loaderData.autopilotSpeechCaptions} />}
      </div>
    </div>
  )
}

/** Posts without a time: each can be given one (it becomes a post) or deleted. */
function Drafts({ drafts, thumbnails, timeZone, canEdit }: { drafts: Draft[]; thumbnails: Record<string, string>; timeZone: string; canEdit: boolean }) {
  if (drafts.length === 0) return null
  return (
    <Card title={`Drafts (${drafts.length})`} description="Posts without a time: nothing is rendered or posted until you give one a time.">
      <ul className="divide-y divide-slate-800" aria-label="Drafts">
        {drafts.map((d) => (
          <DraftRow key={d.id} draft={d} thumbnail={d.clip ? thumbnails[d.clip.id] : undefined} timeZone={timeZone} canEdit={canEdit} />
        ))}
      </ul>
    </Card>
  )
}

function DraftRow({ draft, thumbnail, timeZone, canEdit }: { draft: Draft; thumbnail?: string; timeZone: string; canEdit: boolean }) {
  const fetcher = useFetcher<FormResult>()
  const result = fetcher.data?.target === draft.id ? fetcher.data : undefined
  const label = draft.hook?.trim() || draft.caption?.trim() || draft.platformTexts?.tiktok?.caption || draft.platformTexts?.youtube?.title || draft.clip?.title || 'Draft'
  return (
    <li className="flex flex-wrap items-center gap-3 py-3" data-draft={draft.id}>
      <Thumb url={thumbnail} title={draft.clip?.title} className="aspect-video w-20 shrink-0 overflow-hidden rounded" />
      <div className="min-w-0 flex-1">
        <p className="truncate text-sm font-medium text-white">{label}</p>
        <p className="text-xs text-slate-400">
          {draft.clip?.title ?? 'Its clip was deleted'} · {draft.platforms ? draft.platforms.map((p) => PLATFORM_LABEL[p]).join(', ') : 'every connected platform'}
        </p>
      </div>
      {canEdit && (
        <fetcher.Form method="post" className="flex flex-wrap items-end gap-2" aria-label={`Schedule the draft ${label}`} noValidate>
          <input type="hidden" name="draftId" value={draft.id} />
          <input type="hidden" name="timeZone" value={timeZone} />
          <TextField label={`Time (${timeZone})`} name="scheduledAt" type="datetime-local" error={result?.fieldErrors?.scheduledAt} className="[color-scheme:dark]" />
          <Button name="intent" value="draft-schedule" size="sm" disabled={fetcher.state !== 'idle'}>
            Schedule
          </Button>
          <Button name="intent" value="draft-delete" variant="ghost" size="sm" disabled={fetcher.state !== 'idle'}>
            Delete
          </Button>
        </fetcher.Form>
      )}
      {result?.message && <div className="w-full"><Notice tone={result.ok ? 'success' : 'error'}>{result.message}</Notice></div>}
    </li>
  )
}

/** Revalidates every few seconds while any shown post is in a state that moves by itself. */
function useLiveRefresh(posts: PostSummary[]) {
  const revalidator = useRevalidator()
  const moving = posts.some((p) => MOVING_STATUSES.includes(p.status))
  useEffect(() => {
    if (!moving) return
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible' && revalidator.state === 'idle') void revalidator.revalidate()
    }, REFRESH_MS)
    return () => clearInterval(timer)
  }, [moving, revalidator])
}

/** The current search with some parameters changed (null removes one). */
function useHref() {
  const [search] = useSearchParams()
  return (changes: Record<string, string | null>) => {
    const next = new URLSearchParams(search)
    for (const [k, v] of Object.entries(changes)) {
      if (v === null) next.delete(k)
      else next.set(k, v)
    }
    return `?${next}`
  }
}

function Toolbar({ data, onCreate, creating }: { data: LoaderData; onCreate?: () => void; creating: boolean }) {
  const href = useHref()
  const locale = useLocale()
  const date = parseDate(data.date)!
  const step = data.view === 'month' ? { months: 1 } : { weeks: 1 }
  const title =
    data.view === 'month'
      ? formatMonth(date, locale)
      : data.view === 'week'
        ? formatDayRange(parseDate(data.days[0][0])!, parseDate(data.days[0][6])!, locale)
        : `From ${formatDay(date.subtract({ days: 7 }), locale)}`
  const tab = (v: View, label: string) => (
    <Link
      to={href({ view: v, cursor: null })}
      aria-current={data.view === v ? 'page' : undefined}
      className={`rounded-md px-3 py-1.5 text-sm ${data.view === v ? 'bg-slate-700 text-white' : 'text-slate-400 hover:text-white'}`}
    >
      {label}
    </Link>
  )
  return (
    <div className="flex flex-wrap items-center justify-between gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <nav aria-label="Calendar view" className="inline-flex rounded-lg border border-slate-700 p-0.5">
          {tab('week', 'Week')}
          {tab('month', 'Month')}
          {tab('list', 'List')}
        </nav>
        <div className="flex items-center gap-1">
          <Link to={href({ date: date.subtract(step).toString(), cursor: null })} className={buttonClass('ghost', 'sm')} aria-label={data.view === 'month' ? 'Previous month' : 'Previous week'}>
            ←
          </Link>
          <Link to={href({ date: null, cursor: null })} className={buttonClass('secondary', 'sm')}>
            Today
          </Link>
          <Link to={href({ date: date.add(step).toString(), cursor: null })} className={buttonClass('ghost', 'sm')} aria-label={data.view === 'month' ? 'Next month' : 'Next week'}>
            →
          </Link>
        </div>
        <h2 className="text-lg font-semibold text-white" data-testid="calendar-title">
          {title}
        </h2>
        <span className="text-xs text-slate-400">Times in {data.timeZone}</span>
      </div>
      {onCreate && (
        <Button type="button" variant={creating ? 'secondary' : 'primary'} onClick={onCreate} aria-expanded={creating}>
          {creating ? 'Close' : 'Post a clip'}
        </Button>
      )}
    </div>
  )
}

/** The posts of each local day, in time order. */
function byDay(posts: PostSummary[], timeZone: string) {
  const map = new Map<string, PostSummary[]>()
  for (const post of posts) {
    const day = inZone(post.scheduledAt, timeZone).toPlainDate().toString()
    map.set(day, [...(map.get(day) ?? []), post])
  }
  return map
}

function Thumb({ url, title, className }: { url?: string; title?: string; className?: string }) {
  return (
    <div className={`bg-slate-800 ${className ?? ''}`}>
      {url ? <img src={url} alt={title ? `Thumbnail of ${title}` : 'Thumbnail'} className="h-full w-full object-cover" loading="lazy" /> : <div className="flex h-full items-center justify-center text-[10px] text-slate-400">No picture</div>}
    </div>
  )
}

const PLATFORM_SHORT = { youtube: 'YT', tiktok: 'TT', instagram: 'IG' } as const
const TARGET_DOT = { slate: 'bg-slate-500', violet: 'bg-violet-400', emerald: 'bg-emerald-400', amber: 'bg-amber-400', rose: 'bg-rose-400' } as const

function TargetDots({ post }: { post: PostSummary }) {
  return (
    <span className="flex flex-wrap items-center gap-1">
      {post.targets.map((t) => (
        <span key={t.platform} title={`${PLATFORM_LABEL[t.platform]}: ${t.status}`} className="flex items-center gap-0.5 text-[10px] text-slate-400">
          <span className={`h-1.5 w-1.5 rounded-full ${TARGET_DOT[TARGET_STATUS_TONE[t.status]]}`} aria-hidden="true" />
          {PLATFORM_SHORT[t.platform]}
        </span>
      ))}
    </span>
  )
}

const MONTH_CHIPS = 3

function MonthGrid({ data }: { data: LoaderData }) {
  const days = byDay(data.posts, data.timeZone)
  const slotDays = new Map<string, string[]>()
  for (const slot of data.slots) {
    const day = inZone(slot, data.timeZone).toPlainDate().toString()
    slotDays.set(day, [...(slotDays.get(day) ?? []), slot])
  }
  const href = useHref()
  const locale = useLocale()
  const month = parseDate(data.date)!.month
  return (
    <section aria-label="Month" className="overflow-hidden rounded-2xl border border-slate-800">
      <div className="grid grid-cols-7 bg-slate-900 text-center text-xs font-medium uppercase tracking-wide text-slate-400">
        {[1, 2, 3, 4, 5, 6, 7].map((d) => (
          <div key={d} className="py-2">
            {weekdayName(d, locale)}
          </div>
        ))}
      </div>
      <div className="grid grid-cols-7 gap-px bg-slate-800">
        {data.days.flat().map((day) => {
          const date = parseDate(day)!
          const posts = days.get(day) ?? []
          const isToday = day === data.today
          return (
            <div key={day} className={`min-h-28 p-1.5 ${date.month === month ? 'bg-slate-950/90' : 'bg-slate-950/60'}`} data-day={day} role="group" aria-label={formatDay(date, locale)}>
              <Link to={href({ view: 'week', date: day, post: null })} className={`mb-1 inline-block rounded-full px-1.5 text-xs ${isToday ? 'bg-violet-600 text-white' : date.month === month ? 'text-slate-200' : 'text-slate-400'}`}>
                {date.day}
              </Link>
              <ul className="space-y-1">
                {posts.slice(0, MONTH_CHIPS).map((post) => (
                  <li key={post.id}>
                    <Link
                      to={href({ post: post.id })}
                      preventScrollReset
                      data-post-id={post.id}
                      data-status={post.status}
                      className={`flex items-center gap-1.5 truncate rounded px-1 py-0.5 text-[11px] hover:bg-slate-800 ${data.open?.id === post.id ? 'bg-slate-800 ring-1 ring-violet-400' : ''}`}
                      title={`${postLabel(post)}: ${POST_STATUS_LABEL[post.status]}`}
                    >
                      <span className={`h-1.5 w-1.5 shrink-0 rounded-full ${TARGET_DOT[POST_STATUS_TONE[post.status]]}`} aria-hidden="true" />
                      <span className="text-slate-400">{formatClock(inZone(post.scheduledAt, data.timeZone), locale)}</span>
                      <span className="truncate text-slate-200">{postLabel(post)}</span>
                      <span className="sr-only">{POST_STATUS_LABEL[post.status]}</span>
                    </Link>
                  </li>
                ))}
                {(slotDays.get(day) ?? []).map((slot) => (
                  <li key={slot} data-slot={slot} className="flex items-center gap-1.5 truncate rounded border border-dashed border-violet-300/60 px-1 py-0.5 text-[11px]">
                    <span className="text-violet-200">{formatClock(inZone(slot, data.timeZone), locale)}</span>
                    <span className="truncate text-violet-300">Autopilot</span>
                  </li>
                ))}
                {posts.length > MONTH_CHIPS && (
                  <li>
                    <Link to={href({ view: 'week', date: day, post: null })} className="px-1 text-[11px] text-violet-300 hover:underline">
                      +{posts.length - MONTH_CHIPS} more
                    </Link>
                  </li>
                )}
              </ul>
            </div>
          )
        })}
      </div>
    </section>
  )
}

function PostList({ data }: { data: LoaderData }) {
  const href = useHref()
  const locale = useLocale()
  return (
    <Card
      actions={
        <form method="get" className="flex items-end gap-2" aria-label="Filter posts">
          <input type="hidden" name="view" value="list" />
          <input type="hidden" name="date" value={data.date} />
          <SelectField label="Status" name="status" defaultValue={data.filters.status} key={data.filters.status}>
            <option value="">All</option>
            {Object.entries(POST_STATUS_LABEL).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </SelectField>
          <Button variant="secondary" size="sm">
            Filter
          </Button>
        </form>
      }
      title="Posts"
      description={`From a week before ${formatDay(parseDate(data.date)!, locale)}, in time order.`}
    >
      {data.posts.length === 0 ? (
        <p className="py-10 text-center text-sm text-slate-400">No posts here yet.</p>
      ) : (
        <ul className="divide-y divide-slate-800" aria-label="Posts">
          {data.posts.map((post) => (
            <li key={post.id}>
              <Link to={href({ post: post.id })} preventScrollReset data-post-id={post.id} data-status={post.status} className={`flex items-center gap-4 py-3 hover:bg-slate-900/60 ${data.open?.id === post.id ? 'bg-slate-900' : ''}`}>
                <Thumb url={post.clip ? data.thumbnails[post.clip.id] : undefined} title={post.clip?.title} className="aspect-video w-24 shrink-0 overflow-hidden rounded" />
                <div className="min-w-0 flex-1">
                  <p className="text-sm font-medium text-white">{formatDateTime(post.scheduledAt, data.timeZone, locale)}</p>
                  <p className="truncate text-sm text-slate-400">{postLabel(post)}{post.skipReason ? ` · ${instantsInWords(post.skipReason, data.timeZone, locale)}` : ''}</p>
                </div>
                <div className="flex shrink-0 flex-col items-end gap-1">
                  <Badge tone={POST_STATUS_TONE[post.status]}>{statusText(post)}</Badge>
                  <TargetDots post={post} />
                </div>
              </Link>
            </li>
          ))}
        </ul>
      )}
      {data.nextCursor && (
        <div className="mt-4 flex justify-end">
          <Link to={href({ cursor: data.nextCursor, post: null })} className={buttonClass('secondary', 'sm')}>
            Later posts
          </Link>
        </div>
      )}
    </Card>
  )
}

const TARGET_STATUS_WORDS: Record<string, string> = { pending: 'Waiting', publishing: 'Publishing', processing: 'Processing on the platform', unconfirmed: 'Not confirmed yet', published: 'Published', failed: 'Failed', canceled: 'Canceled' }

/** A state's name for people: a post's or a platform target's. */
function stateWords(state: string) {
  return (POST_STATUS_LABEL as Record<string, string>)[state] ?? TARGET_STATUS_WORDS[state] ?? state
}

/** One line of a post's history in words. */
function eventText(e: Post['events'][number]) {
  if (e.from && e.to) return `${stateWords(e.from)} → ${stateWords(e.to)}`
  if (e.to) return stateWords(e.to)
  return e.type
}

function PostPanel({ post, timeZone, thumbnail, canEdit, metrics, autopilotSpeech }: { post: Post; timeZone: string; thumbnail?: string; canEdit: boolean; metrics: PostMetrics | null; autopilotSpeech: boolean }) {
  const href = useHref()
  const locale = useLocale()
  const fetcher = useFetcher<FormResult>()
  const result = fetcher.data?.target === post.id ? fetcher.data : undefined
  const busy = fetcher.state !== 'idle'
  const pending = busy ? String(fetcher.formData?.get('intent')) : null
  // An action's note ("Approved: it goes out at its time.") speaks of the post as the action left
  // it: once the post moves on (published, failed), the note is old news and goes.
  const [statusAtResult, setStatusAtResult] = useState<{ data: unknown; status: string } | null>(null)
  // Taken once the page's data is read again after the action (the fetcher idle): the answer comes
  // while the page still shows the post as it was, and the note would go as soon as the post it
  // speaks of arrived (approved, then shown scheduled: the note gone at once).
  useEffect(() => {
    if (fetcher.state === 'idle') setStatusAtResult(fetcher.data ? { data: fetcher.data, status: post.status } : null)
  }, [fetcher.data, fetcher.state])
  const actionNoteStale = statusAtResult?.data === fetcher.data && statusAtResult?.status !== post.status
  const [viewerZone, setViewerZone] = useState<string | null>(null)
  useEffect(() => setViewerZone(viewerTimeZone()), [])
  const editable = EDITABLE_STATUSES.includes(post.status)
  const errors = result?.intent === 'edit' ? (result.fieldErrors ?? {}) : {}
  const { project } = useProject()
  const brand = { brandColor: project.brandColor, font: project.font, framing: project.framing }
  const before = initialLook(post)
  const [look, setLook] = useState<PostLook>(before)
  // New texts from the server (the assistant wrote them, or a save): the fields show them.
  useEffect(() => setLook(initialLook(post)), [post.updatedAt])
  // The preview draws captions from speech as the form's choice says, saved or not (#15).
  const [speechChoice, setSpeechChoice] = useState(postSpeechChoice(post.speechCaptions))
  const speech = usePreviewSpeech(project.id, post, canEdit && editable ? speechChoice : postSpeechChoice(post.speechCaptions), autopilotSpeech)
  const navigate = useNavigate()
  const panel = useRef<HTMLElement>(null)
  const close = () => void navigate(href({ post: null }), { preventScrollReset: true })
  useEscape(() => {
    close()
  })
  // Opened: focus moves into it (on a phone it covers the calendar as a sheet).
  useEffect(() => panel.current?.focus({ preventScroll: true }), [])

  const act = (intent: string, label: string, variant: 'primary' | 'secondary' | 'danger' = 'secondary') => (
    <fetcher.Form method="post">
      <input type="hidden" name="postId" value={post.id} />
      <Button name="intent" value={intent} variant={variant} size="sm" disabled={busy}>
        {pending === intent ? `${label}…` : label}
      </Button>
    </fetcher.Form>
  )

  return (
    <>
    <div aria-hidden="true" onClick={close} className="fixed inset-0 z-30 bg-black/60 xl:hidden" />
    <aside
      ref={panel}
      tabIndex={-1}
      aria-label="Post"
      className="fixed inset-x-0 bottom-0 z-40 max-h-[85vh] space-y-4 overflow-y-auto rounded-t-2xl border border-slate-800 bg-slate-900 p-5 shadow-2xl outline-none xl:sticky xl:inset-auto xl:top-20 xl:z-auto xl:h-fit xl:max-h-[calc(100vh-6rem)] xl:rounded-2xl xl:bg-slate-900/80 xl:shadow-none"
      data-open-post={post.id}
    >
      <header className="flex items-start justify-between gap-3">
        <div>
          <p className="text-xs uppercase tracking-wide text-slate-400">{post.origin === 'manual' ? 'Posted by hand' : 'Autopilot'}</p>
          <h3 className="text-base font-semibold text-white">{postLabel(post)}</h3>
          {post.clip && <p className="text-xs text-slate-400">Clip: {post.clip.title}</p>}
          <p className="text-sm text-slate-300">
            {formatDateTime(post.scheduledAt, timeZone, locale)} <span className="text-slate-400">({timeZone})</span>
          </p>
          {viewerZone && viewerZone !== timeZone && <p className="text-xs text-slate-400">Your time: {formatDateTime(post.scheduledAt, viewerZone, locale)}</p>}
        </div>
        <Link to={href({ post: null })} preventScrollReset className={buttonClass('ghost', 'sm')} aria-label="Close the post (Esc)">
          ✕
        </Link>
      </header>

      <div className="flex items-center gap-2">
        <span data-testid="post-status" data-status={post.status}>
          <Badge tone={POST_STATUS_TONE[post.status]}>{statusText(post)}</Badge>
        </span>
        <span className="text-xs text-slate-400">
          {post.style} · {post.objective} · {post.language}
        </span>
      </div>

      {post.render ? (
        <video src={post.render.videoUrl} poster={post.render.coverUrl} controls playsInline preload="none" className="max-h-80 w-full rounded-lg bg-black object-contain" aria-label="The rendered video" />
      ) : (
        <Thumb url={thumbnail} title={post.clip?.title} className="aspect-video overflow-hidden rounded-lg" />
      )}

      {post.error && <Notice>{instantsInWords(post.error, timeZone, locale)}</Notice>}
      {post.skipReason && <Notice tone="info">Skipped: {instantsInWords(post.skipReason, timeZone, locale)}</Notice>}
      {post.choiceReason && (
        <p className="text-sm text-slate-300" data-testid="choice-reason">
          <span className="text-slate-400">Why this time and style:</span> {instantsInWords(post.choiceReason, timeZone, locale)}
        </p>
      )}
      {post.hook && <p className="text-sm text-slate-300"><span className="text-slate-400">Hook:</span> {post.hook}</p>}

      {metrics && <PostMetricsSection metrics={metrics} timeZone={timeZone} />}

      <section aria-label="Platforms">
        <h4 className="mb-2 text-sm font-medium text-slate-200">Platforms</h4>
        {post.targets.length === 0 ? (
          <p className="text-sm text-slate-400">No platform.</p>
        ) : (
          <ul className="space-y-2">
            {post.targets.map((t) => (
              <li key={t.platform} className="rounded-lg border border-slate-800 px-3 py-2 text-sm" data-target={t.platform} data-status={t.status}>
                <div className="flex items-center justify-between gap-2">
                  <span className="font-medium text-slate-100">{PLATFORM_LABEL[t.platform]}</span>
                  <Badge tone={TARGET_STATUS_TONE[t.status]}>{stateWords(t.status)}</Badge>
                </div>
                {t.remoteUrl && (
                  <a href={t.remoteUrl} target="_blank" rel="noreferrer" className="mt-1 block truncate text-xs text-violet-300 hover:underline">
                    See it on {PLATFORM_LABEL[t.platform]}
                  </a>
                )}
                {t.error && <p className="mt-1 text-xs text-rose-300">{instantsInWords(t.error, timeZone, locale)}{t.attempt > 1 ? ` (attempt ${t.attempt})` : ''}</p>}
              </li>
            ))}
          </ul>
        )}
      </section>

      {canEdit && (
        <div className="flex flex-wrap gap-2" aria-label="Actions" role="group">
          {APPROVABLE_STATUSES.includes(post.status) && act('approve', 'Approve', 'primary')}
          {RETRYABLE_STATUSES.includes(post.status) && act('retry', 'Retry', 'primary')}
          {CANCELLABLE_STATUSES.includes(post.status) && act('cancel', 'Cancel post', 'danger')}
        </div>
      )}
      {result?.message && result.intent !== 'edit' && result.intent !== 'write-texts' && !actionNoteStale && <Notice tone={result.ok ? 'success' : 'error'}>{result.message}</Notice>}

      <p className="text-xs text-slate-400" data-testid="texts-provider" data-provider={post.textsProvider ?? 'creator'}>
        Texts written by {textsAuthor(post.textsProvider)}
      </p>
      {canEdit && editable && post.mediaId && post.status !== 'rendering' && (
        <fetcher.Form method="post" aria-label="Rewrite the texts with the assistant">
          <input type="hidden" name="postId" value={post.id} />
          <Button name="intent" value="write-texts" variant="secondary" size="sm" disabled={busy}>
            {pending === 'write-texts' ? 'Writing texts…' : 'Rewrite texts with the assistant'}
          </Button>
          <p className="mt-1 text-xs text-slate-400">For {post.targets.map((t) => PLATFORM_LABEL[t.platform]).join(', ') || 'its platforms'}, within their limits, in {post.language}. Replaces the hook, caption, hashtags and per-platform texts.</p>
        </fetcher.Form>
      )}
      {result?.intent === 'write-texts' && result.message && <Notice tone={result.ok ? 'success' : 'error'}>{result.message}</Notice>}

      {canEdit && editable ? (
        <fetcher.Form key={post.updatedAt} method="post" className="space-y-3" aria-label="Edit the post">
          <input type="hidden" name="postId" value={post.id} />
          <input type="hidden" name="timeZone" value={timeZone} />
          <input type="hidden" name="scheduledAtBefore" value={toLocalInput(post.scheduledAt, timeZone)} />
          <LookBefore look={before} status={post.status} />
          <div>
            <label htmlFor={`caption-${post.id}`} className="mb-1 block text-sm font-medium text-slate-200">
              Caption <span className="font-normal text-slate-400">(posted with the video, and drawn on it in timed segments)</span>
            </label>
            <textarea
              id={`caption-${post.id}`}
              name="caption"
              rows={4}
              maxLength={2200}
              value={look.caption}
              onChange={(e) => setLook({ ...look, caption: e.currentTarget.value })}
              aria-invalid={errors.caption ? true : undefined}
              className="block w-full rounded-lg border border-slate-700 bg-slate-900/80 px-3 py-2 text-sm text-slate-100 outline-none focus:border-violet-400"
            />
            {errors.caption && <p role="alert" className="mt-1 text-sm text-rose-400">{errors.caption}</p>}
          </div>
          <TextField label="Hashtags" name="hashtags" defaultValue={post.hashtags.join(' ')} error={errors.hashtags} hint="Separated by spaces." />
          <TextField label={`Time (${timeZone})`} name="scheduledAt" type="datetime-local" defaultValue={toLocalInput(post.scheduledAt, timeZone)} error={errors.scheduledAt} className="[color-scheme:dark]" />
          {post.mediaId && <PostLookFields post={post} look={look} onChange={setLook} errors={errors} project={brand} thumbnail={thumbnail} />}
          {post.mediaId && <PostSpeechCaptions postId={post.id} value={post.speechCaptions} error={errors.speechCaptions} onChoice={setSpeechChoice} />}
          <div className="flex flex-wrap items-center gap-3">
            <Button name="intent" value="edit" variant="secondary" size="sm" disabled={busy}>
              {pending === 'edit' ? 'Saving…' : 'Save changes'}
            </Button>
            {result?.intent === 'edit' && result.message && <span className={`text-sm ${result.ok ? 'text-emerald-300' : 'text-rose-300'}`} role={result.ok ? 'status' : 'alert'}>{result.message}</span>}
          </div>
        </fetcher.Form>
      ) : (
        <div className="space-y-1 text-sm">
          {post.callToAction && <p className="text-slate-300"><span className="text-slate-400">Call to action:</span> {post.callToAction}</p>}
          <p className="text-slate-200">{post.caption}</p>
          <p className="text-violet-300">{post.hashtags.join(' ')}</p>
        </div>
      )}

      {post.mediaId && <PostPreview post={post} look={canEdit && editable ? look : before} project={brand} speech={speech} />}

      <details className="text-sm">
        <summary className="cursor-pointer text-slate-400 hover:text-white">History ({post.events.length})</summary>
        <ol className="mt-2 space-y-1 text-xs text-slate-400">
          {post.events.map((e, i) => (
            <li key={i}>
              <span className="text-slate-400">{formatDateTime(e.at, timeZone, locale)}</span> {e.platform ? `${PLATFORM_LABEL[e.platform as keyof typeof PLATFORM_LABEL] ?? e.platform}: ` : ''}
              {eventText(e)}
              {e.message ? ` — ${instantsInWords(e.message, timeZone, locale)}` : ''}
            </li>
          ))}
        </ol>
      </details>
    </aside>
    </>
  )
}

/** Who wrote a post's texts, as `textsProvider` says (the built-in templates are never called AI). */
function textsAuthor(provider: string | null) {
  if (provider === 'openai') return 'the AI assistant (OpenAI-compatible API)'
  if (provider === 'workers-ai') return 'the AI assistant (Workers AI)'
  if (provider === 'builtin') return 'the built-in templates'
  return 'you'
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteError error={error} />
}
