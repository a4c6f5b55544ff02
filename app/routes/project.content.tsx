/**
 * /projects/:id/content — the content timeline: posts on a week or month calendar (in the
 * project's time zone) or as a list, each with its clip's thumbnail, status and per-platform
 * state. Opening a post shows its render, targets and history, and lets an editor approve,
 * cancel, retry, or change its caption, hashtags and time. A clip can be posted now or scheduled
 * by hand. While posts are on the move the page keeps itself up to date.
 */
import { useEffect, useState } from 'react'
import { data, Link, useFetcher, useNavigate, useRevalidator, useSearchParams } from 'react-router'
import { PLATFORMS } from '../../workers/domain/post-state'
import { RouteError } from '../components/route-error'
import { Badge, Button, buttonClass, Card, Notice, SelectField, TextField } from '../components/ui'
import type { FormResult } from '../lib/forms'
import type { Media } from '../lib/media-upload'
import {
  CANCELLABLE_STATUSES,
  EDITABLE_STATUSES,
  MOVING_STATUSES,
  PLATFORM_LABEL,
  POST_STATUS_LABEL,
  statusText,
  POST_STATUS_TONE,
  TARGET_STATUS_TONE,
  type Post,
  type PostSummary,
} from '../lib/posts'
import { formatClock, formatDateTime, formatDay, inZone, MONTH_LONG, MONTH_SHORT, parseDate, toLocalInput, viewerTimeZone, WEEKDAY_SHORT } from '../lib/zoned-time'
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
  const { workspace } = useProject()
  const { view, timeZone, posts, open, openError, thumbnails } = loaderData
  const canEdit = workspace.role !== 'viewer'
  const [creating, setCreating] = useState(false)
  useLiveRefresh([...posts, ...(open ? [open] : [])])

  return (
    <div className="space-y-6">
      <Toolbar data={loaderData} onCreate={canEdit ? () => setCreating((c) => !c) : undefined} creating={creating} />
      {loaderData.autopilotOn === null && (
        <Notice tone="info">
          The autopilot is not set up, so only posts you schedule by hand appear here. <Link to="../autopilot" className="underline">Set it up</Link>.
        </Notice>
      )}
      {creating && <CreatePost clips={loaderData.clips} timeZone={timeZone} view={view} onDone={() => setCreating(false)} />}
      {openError && <Notice>{openError}</Notice>}
      <div className={open ? 'grid gap-6 xl:grid-cols-[minmax(0,1fr)_24rem]' : undefined}>
        <div className="min-w-0">
          {view === 'week' && <WeekGrid data={loaderData} />}
          {view === 'month' && <MonthGrid data={loaderData} />}
          {view === 'list' && <PostList data={loaderData} />}
        </div>
        {open && <PostPanel key={open.id} post={open} timeZone={timeZone} thumbnail={open.clip ? thumbnails[open.clip.id] : undefined} canEdit={canEdit} />}
      </div>
    </div>
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
  const date = parseDate(data.date)!
  const step = data.view === 'month' ? { months: 1 } : { weeks: 1 }
  const title =
    data.view === 'month'
      ? `${MONTH_LONG[date.month - 1]} ${date.year}`
      : data.view === 'week'
        ? weekTitle(data.days[0])
        : `From ${formatDay(date.subtract({ days: 7 }))}`
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
        <span className="text-xs text-slate-500">Times in {data.timeZone}</span>
      </div>
      {onCreate && (
        <Button type="button" variant={creating ? 'secondary' : 'primary'} onClick={onCreate} aria-expanded={creating}>
          {creating ? 'Close' : 'Post a clip'}
        </Button>
      )}
    </div>
  )
}

function weekTitle(days: string[]) {
  const first = parseDate(days[0])!
  const last = parseDate(days[6])!
  return first.month === last.month
    ? `${first.day} – ${last.day} ${MONTH_SHORT[last.month - 1]} ${last.year}`
    : `${first.day} ${MONTH_SHORT[first.month - 1]} – ${last.day} ${MONTH_SHORT[last.month - 1]} ${last.year}`
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

function WeekGrid({ data }: { data: LoaderData }) {
  const days = byDay(data.posts, data.timeZone)
  const href = useHref()
  return (
    <section aria-label="Week" className="grid grid-cols-1 gap-px overflow-hidden rounded-2xl border border-slate-800 bg-slate-800 sm:grid-cols-7">
      {data.days[0].map((day) => {
        const date = parseDate(day)!
        const isToday = day === data.today
        const posts = days.get(day) ?? []
        return (
          <div key={day} className="min-h-64 bg-slate-950/90 p-2" data-day={day} aria-label={formatDay(date)} role="group">
            <div className={`mb-2 flex items-baseline justify-between px-1 text-xs ${isToday ? 'text-violet-300' : 'text-slate-400'}`}>
              <span className="font-medium uppercase tracking-wide">{WEEKDAY_SHORT[date.dayOfWeek - 1]}</span>
              <span className={`text-base font-semibold ${isToday ? 'rounded-full bg-violet-500 px-2 text-white' : 'text-slate-200'}`}>{date.day}</span>
            </div>
            <ul className="space-y-2">
              {posts.map((post) => (
                <li key={post.id}>
                  <PostCard post={post} timeZone={data.timeZone} thumbnail={post.clip ? data.thumbnails[post.clip.id] : undefined} href={href({ post: post.id })} selected={data.open?.id === post.id} />
                </li>
              ))}
            </ul>
          </div>
        )
      })}
    </section>
  )
}

function PostCard({ post, timeZone, thumbnail, href, selected }: { post: PostSummary; timeZone: string; thumbnail?: string; href: string; selected: boolean }) {
  const at = inZone(post.scheduledAt, timeZone)
  return (
    <Link
      to={href}
      preventScrollReset
      data-post-id={post.id}
      data-status={post.status}
      aria-label={`${formatClock(at)} ${post.clip?.title ?? 'post'}: ${POST_STATUS_LABEL[post.status]}`}
      className={`block overflow-hidden rounded-lg border bg-slate-900 transition hover:border-violet-400/70 ${selected ? 'border-violet-400 ring-2 ring-violet-400/30' : 'border-slate-800'}`}
    >
      <Thumb url={thumbnail} title={post.clip?.title} className="aspect-video" />
      <div className="space-y-1 p-2">
        <p className="text-xs font-semibold text-white">{formatClock(at)}</p>
        <p className="truncate text-xs text-slate-300">{post.clip?.title ?? 'No clip'}</p>
        <Badge tone={POST_STATUS_TONE[post.status]}>{statusText(post)}</Badge>
        <TargetDots post={post} />
      </div>
    </Link>
  )
}

function Thumb({ url, title, className }: { url?: string; title?: string; className?: string }) {
  return (
    <div className={`bg-slate-800 ${className ?? ''}`}>
      {url ? <img src={url} alt={title ? `Thumbnail of ${title}` : 'Thumbnail'} className="h-full w-full object-cover" loading="lazy" /> : <div className="flex h-full items-center justify-center text-[10px] text-slate-500">No picture</div>}
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
  const href = useHref()
  const month = parseDate(data.date)!.month
  return (
    <section aria-label="Month" className="overflow-hidden rounded-2xl border border-slate-800">
      <div className="grid grid-cols-7 bg-slate-900 text-center text-xs font-medium uppercase tracking-wide text-slate-500">
        {WEEKDAY_SHORT.map((d) => (
          <div key={d} className="py-2">
            {d}
          </div>
        ))}
      </div>
      <div className="grid grid-cols-7 gap-px bg-slate-800">
        {data.days.flat().map((day) => {
          const date = parseDate(day)!
          const posts = days.get(day) ?? []
          const isToday = day === data.today
          return (
            <div key={day} className={`min-h-28 p-1.5 ${date.month === month ? 'bg-slate-950/90' : 'bg-slate-950/60'}`} data-day={day} role="group" aria-label={formatDay(date)}>
              <Link to={href({ view: 'week', date: day, post: null })} className={`mb-1 inline-block rounded-full px-1.5 text-xs ${isToday ? 'bg-violet-500 text-white' : date.month === month ? 'text-slate-300' : 'text-slate-600'}`}>
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
                      title={`${post.clip?.title ?? 'Post'}: ${POST_STATUS_LABEL[post.status]}`}
                    >
                      <span className={`h-1.5 w-1.5 shrink-0 rounded-full ${TARGET_DOT[POST_STATUS_TONE[post.status]]}`} aria-hidden="true" />
                      <span className="text-slate-400">{formatClock(inZone(post.scheduledAt, data.timeZone))}</span>
                      <span className="truncate text-slate-200">{post.clip?.title ?? 'Post'}</span>
                      <span className="sr-only">{POST_STATUS_LABEL[post.status]}</span>
                    </Link>
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
      description={`From a week before ${formatDay(parseDate(data.date)!)}, in time order.`}
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
                  <p className="text-sm font-medium text-white">{formatDateTime(post.scheduledAt, data.timeZone, true)}</p>
                  <p className="truncate text-sm text-slate-400">{post.clip?.title ?? 'No clip'} · {post.caption ?? post.skipReason ?? ''}</p>
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

function PostPanel({ post, timeZone, thumbnail, canEdit }: { post: Post; timeZone: string; thumbnail?: string; canEdit: boolean }) {
  const href = useHref()
  const fetcher = useFetcher<FormResult>()
  const result = fetcher.data?.target === post.id ? fetcher.data : undefined
  const busy = fetcher.state !== 'idle'
  const pending = busy ? String(fetcher.formData?.get('intent')) : null
  const [viewerZone, setViewerZone] = useState<string | null>(null)
  useEffect(() => setViewerZone(viewerTimeZone()), [])
  const editable = EDITABLE_STATUSES.includes(post.status)
  const errors = result?.intent === 'edit' ? (result.fieldErrors ?? {}) : {}

  const act = (intent: string, label: string, variant: 'primary' | 'secondary' | 'danger' = 'secondary') => (
    <fetcher.Form method="post">
      <input type="hidden" name="postId" value={post.id} />
      <Button name="intent" value={intent} variant={variant} size="sm" disabled={busy}>
        {pending === intent ? `${label}…` : label}
      </Button>
    </fetcher.Form>
  )

  return (
    <aside aria-label="Post" className="h-fit space-y-4 rounded-2xl border border-slate-800 bg-slate-900/80 p-5 xl:sticky xl:top-4" data-open-post={post.id}>
      <header className="flex items-start justify-between gap-3">
        <div>
          <p className="text-xs uppercase tracking-wide text-slate-500">{post.origin === 'manual' ? 'Posted by hand' : 'Autopilot'}</p>
          <h3 className="text-base font-semibold text-white">{post.clip?.title ?? 'Post'}</h3>
          <p className="text-sm text-slate-300">
            {formatDateTime(post.scheduledAt, timeZone, true)} <span className="text-slate-500">({timeZone})</span>
          </p>
          {viewerZone && viewerZone !== timeZone && <p className="text-xs text-slate-500">Your time: {formatDateTime(post.scheduledAt, viewerZone, true)}</p>}
        </div>
        <Link to={href({ post: null })} preventScrollReset className={buttonClass('ghost', 'sm')} aria-label="Close the post">
          ✕
        </Link>
      </header>

      <div className="flex items-center gap-2">
        <span data-testid="post-status" data-status={post.status}>
          <Badge tone={POST_STATUS_TONE[post.status]}>{statusText(post)}</Badge>
        </span>
        <span className="text-xs text-slate-500">
          {post.style} · {post.objective} · {post.language}
        </span>
      </div>

      {post.render ? (
        <video src={post.render.videoUrl} poster={post.render.coverUrl} controls playsInline preload="none" className="max-h-80 w-full rounded-lg bg-black object-contain" aria-label="The rendered video" />
      ) : (
        <Thumb url={thumbnail} title={post.clip?.title} className="aspect-video overflow-hidden rounded-lg" />
      )}

      {post.error && <Notice>{post.error}</Notice>}
      {post.skipReason && <Notice tone="info">Skipped: {post.skipReason}</Notice>}
      {post.hook && <p className="text-sm text-slate-300"><span className="text-slate-500">Hook:</span> {post.hook}</p>}

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
                  <Badge tone={TARGET_STATUS_TONE[t.status]}>{t.status}</Badge>
                </div>
                {t.remoteUrl && (
                  <a href={t.remoteUrl} target="_blank" rel="noreferrer" className="mt-1 block truncate text-xs text-violet-300 hover:underline">
                    {t.remoteUrl}
                  </a>
                )}
                {t.error && <p className="mt-1 text-xs text-rose-300">{t.error}{t.attempt > 1 ? ` (attempt ${t.attempt})` : ''}</p>}
              </li>
            ))}
          </ul>
        )}
      </section>

      {canEdit && (
        <div className="flex flex-wrap gap-2" aria-label="Actions" role="group">
          {post.status === 'awaiting_approval' && act('approve', 'Approve', 'primary')}
          {post.status === 'failed' && act('retry', 'Retry', 'primary')}
          {CANCELLABLE_STATUSES.includes(post.status) && act('cancel', 'Cancel post', 'danger')}
        </div>
      )}
      {result?.message && result.intent !== 'edit' && <Notice tone={result.ok ? 'success' : 'error'}>{result.message}</Notice>}

      {canEdit && editable ? (
        <fetcher.Form method="post" className="space-y-3" aria-label="Edit the post">
          <input type="hidden" name="postId" value={post.id} />
          <input type="hidden" name="timeZone" value={timeZone} />
          <input type="hidden" name="scheduledAtBefore" value={toLocalInput(post.scheduledAt, timeZone)} />
          <div>
            <label htmlFor={`caption-${post.id}`} className="mb-1 block text-sm font-medium text-slate-200">
              Caption
            </label>
            <textarea
              id={`caption-${post.id}`}
              name="caption"
              rows={4}
              maxLength={2200}
              defaultValue={post.caption ?? ''}
              aria-invalid={errors.caption ? true : undefined}
              className="block w-full rounded-lg border border-slate-700 bg-slate-900/80 px-3 py-2 text-sm text-slate-100 outline-none focus:border-violet-400"
            />
            {errors.caption && <p role="alert" className="mt-1 text-sm text-rose-400">{errors.caption}</p>}
          </div>
          <TextField label="Hashtags" name="hashtags" defaultValue={post.hashtags.join(' ')} error={errors.hashtags} hint="Separated by spaces." />
          <TextField label={`Time (${timeZone})`} name="scheduledAt" type="datetime-local" defaultValue={toLocalInput(post.scheduledAt, timeZone)} error={errors.scheduledAt} className="[color-scheme:dark]" />
          <div className="flex items-center gap-3">
            <Button name="intent" value="edit" variant="secondary" size="sm" disabled={busy}>
              {pending === 'edit' ? 'Saving…' : 'Save changes'}
            </Button>
            {result?.intent === 'edit' && result.message && <span className={`text-sm ${result.ok ? 'text-emerald-300' : 'text-rose-300'}`} role={result.ok ? 'status' : 'alert'}>{result.message}</span>}
          </div>
        </fetcher.Form>
      ) : (
        <div className="space-y-1 text-sm">
          <p className="text-slate-200">{post.caption}</p>
          <p className="text-violet-300">{post.hashtags.join(' ')}</p>
        </div>
      )}

      <details className="text-sm">
        <summary className="cursor-pointer text-slate-400 hover:text-white">History ({post.events.length})</summary>
        <ol className="mt-2 space-y-1 text-xs text-slate-400">
          {post.events.map((e, i) => (
            <li key={i}>
              <span className="text-slate-500">{formatDateTime(e.at, timeZone)}</span> {e.platform ? `${PLATFORM_LABEL[e.platform as keyof typeof PLATFORM_LABEL] ?? e.platform}: ` : ''}
              {e.from && e.to ? `${e.from} → ${e.to}` : (e.to ?? e.type)}
              {e.message ? ` — ${e.message}` : ''}
            </li>
          ))}
        </ol>
      </details>
    </aside>
  )
}

/** Post a chosen clip now, or at a chosen time, to some platforms. */
function CreatePost({ clips, timeZone, view, onDone }: { clips: Media[]; timeZone: string; view: View; onDone: () => void }) {
  const fetcher = useFetcher<FormResult>()
  const navigate = useNavigate()
  const [clipId, setClipId] = useState('')
  const [when, setWhen] = useState<'now' | 'later'>('now')
  const result = fetcher.data?.intent === 'create' ? fetcher.data : undefined
  const errors = result?.fieldErrors ?? {}
  useEffect(() => {
    if (!result?.ok || !result.target || !result.values?.scheduledAt) return
    onDone()
    const day = inZone(result.values.scheduledAt, timeZone).toPlainDate().toString()
    navigate(`?view=${view}&date=${day}&post=${result.target}`, { preventScrollReset: true })
    // Runs once per answer of the server.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [result])

  return (
    <Card title="Post a clip" description="Choose a clip from the library; it is rendered in the project’s style and goes out now or at the time you pick.">
      {clips.length === 0 ? (
        <p className="text-sm text-slate-400">
          No ready clips yet. <Link to="../library" className="text-violet-300 underline">Upload some to the library</Link>.
        </p>
      ) : (
        <fetcher.Form method="post" className="space-y-4" aria-label="Post a clip">
          <input type="hidden" name="timeZone" value={timeZone} />
          <fieldset>
            <legend className="mb-2 text-sm font-medium text-slate-200">Clip</legend>
            <div className="grid max-h-72 grid-cols-2 gap-3 overflow-y-auto sm:grid-cols-4 lg:grid-cols-6" role="radiogroup">
              {clips.map((clip) => (
                <label key={clip.id} className={`cursor-pointer overflow-hidden rounded-lg border ${clipId === clip.id ? 'border-violet-400 ring-2 ring-violet-400/40' : 'border-slate-800 hover:border-slate-600'}`}>
                  <input type="radio" name="mediaId" value={clip.id} checked={clipId === clip.id} onChange={() => setClipId(clip.id)} className="sr-only" aria-label={clip.title} />
                  <Thumb url={clip.thumbnailUrl ?? undefined} title={clip.title} className="aspect-video" />
                  <span className="block truncate px-2 py-1 text-xs text-slate-300">{clip.title}</span>
                </label>
              ))}
            </div>
            {errors.mediaId && <p role="alert" className="mt-1 text-sm text-rose-400">{errors.mediaId}</p>}
          </fieldset>
          <div className="flex flex-wrap items-end gap-6">
            <fieldset>
              <legend className="mb-2 text-sm font-medium text-slate-200">When</legend>
              <div className="flex items-center gap-4 text-sm text-slate-200">
                <label className="flex items-center gap-2">
                  <input type="radio" name="when" value="now" checked={when === 'now'} onChange={() => setWhen('now')} className="accent-violet-500" /> Now
                </label>
                <label className="flex items-center gap-2">
                  <input type="radio" name="when" value="later" checked={when === 'later'} onChange={() => setWhen('later')} className="accent-violet-500" /> At
                </label>
              </div>
            </fieldset>
            {when === 'later' && <TextField label={`Date and time (${timeZone})`} name="scheduledAt" type="datetime-local" required error={errors.scheduledAt} className="[color-scheme:dark]" />}
            <fieldset>
              <legend className="mb-2 text-sm font-medium text-slate-200">Platforms</legend>
              <div className="flex gap-4 text-sm text-slate-200">
                {PLATFORMS.map((p) => (
                  <label key={p} className="flex items-center gap-2">
                    <input type="checkbox" name="platforms" value={p} defaultChecked className="accent-violet-500" /> {PLATFORM_LABEL[p]}
                  </label>
                ))}
              </div>
              {errors.platforms && <p role="alert" className="mt-1 text-sm text-rose-400">{errors.platforms}</p>}
            </fieldset>
          </div>
          <div className="flex items-center gap-3">
            <Button name="intent" value="create" disabled={fetcher.state !== 'idle'}>
              {fetcher.state !== 'idle' ? 'Scheduling…' : when === 'now' ? 'Post now' : 'Schedule'}
            </Button>
            {result && !result.ok && result.message && <Notice>{result.message}</Notice>}
          </div>
        </fetcher.Form>
      )}
    </Card>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteError error={error} />
}
