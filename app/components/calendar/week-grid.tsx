/**
 * The week on an hour grid, in the project's time zone: the posting windows as shaded bands,
 * posts at their minute (labelled by hook or caption, with the clip's thumbnail), the autopilot's
 * coming slots as planned entries. An editor clicks an empty time to write a post there and drags
 * a post to another time: with a mouse (HTML drag and drop) or a finger (pointer events: a touch
 * that moves more than a few pixels from a post carries it, the grid scrolls at its edges, and
 * lifting the finger over an hour drops it there). On a phone the grid scrolls sideways inside its
 * frame, never the page.
 */
import { useEffect, useRef, useState, type DragEvent, type MouseEvent, type PointerEvent } from 'react'
import { Link, useNavigate } from 'react-router'
import { parseTimeWindow } from '../../../workers/domain/autopilot-config'
import { WEEKDAYS } from '../../../workers/domain/autopilot-config'
import { EDITABLE_STATUSES, POST_STATUS_LABEL, POST_STATUS_TONE, type PostSummary } from '../../lib/posts'
import { formatClock, formatDay, formatHour, inZone, parseDate, weekdayName } from '../../lib/zoned-time'
import { useLocale } from '../../routes/app-layout'

const HOUR_PX = 44
/** How far a finger moves on a post before it carries the post (shorter is a tap: it opens). */
const TOUCH_DRAG_PX = 8
/** How close to the grid's edge a carried post makes it scroll, and by how much per move. */
const EDGE_PX = 32
const EDGE_STEP = 16
const ENTRY_PX = 40
const pad = (n: number) => String(n).padStart(2, '0')

export interface WeekSchedule {
  timeWindows: string[]
  cadence: 'daily' | 'weekly'
  weekdays: string[]
  keepToWindows: boolean
}

/** What the label of a post on the calendar says: its hook, else its caption, else its clip. */
export function postLabel(post: Pick<PostSummary, 'hook' | 'caption' | 'clip'>): string {
  return post.hook?.trim() || post.caption?.trim().split('\n')[0] || post.clip?.title || 'Post'
}

const DOT = { slate: 'bg-slate-500', violet: 'bg-violet-400', emerald: 'bg-emerald-400', amber: 'bg-amber-400', rose: 'bg-rose-400' } as const

interface Entry {
  kind: 'post' | 'slot'
  minute: number
  post?: PostSummary
  at: string
  lane: number
}

/** Entries of one day with a lane each, so entries close in time sit side by side. */
function laneOut(entries: Omit<Entry, 'lane'>[]): { entries: Entry[]; lanes: number } {
  const sorted = [...entries].sort((a, b) => a.minute - b.minute)
  const laneEnds: number[] = []
  const out = sorted.map((e) => {
    const top = (e.minute / 60) * HOUR_PX
    let lane = laneEnds.findIndex((end) => end <= top)
    if (lane === -1) lane = laneEnds.push(0) - 1
    laneEnds[lane] = top + ENTRY_PX
    return { ...e, lane }
  })
  return { entries: out, lanes: Math.max(1, laneEnds.length) }
}

/** The shaded bands of one day: its own windows, and the tail of yesterday's that cross midnight. */
function bands(schedule: WeekSchedule | null) {
  const out: { start: number; end: number; label: string }[] = []
  for (const text of schedule?.timeWindows ?? []) {
    const w = parseTimeWindow(text)
    if (!w) continue
    out.push({ start: w.start, end: Math.min(w.end, 1440), label: text })
    if (w.end > 1440) out.push({ start: 0, end: w.end - 1440, label: text })
  }
  return out
}

export function WeekGrid({
  days,
  today,
  timeZone,
  posts,
  slots,
  thumbnails,
  schedule,
  openId,
  href,
  canEdit,
  onCreateAt,
  onMove,
  nowIso,
}: {
  days: string[]
  today: string
  timeZone: string
  posts: PostSummary[]
  slots: string[]
  thumbnails: Record<string, string>
  schedule: WeekSchedule | null
  openId: string | null
  href: (changes: Record<string, string | null>) => string
  canEdit: boolean
  /** A click on an empty time: "2026-12-03T14:15" in the project's zone. */
  onCreateAt: (local: string) => void
  /** A post dropped on another time. */
  onMove: (postId: string, local: string) => void
  nowIso: string
}) {
  const locale = useLocale()
  const scroller = useRef<HTMLDivElement>(null)
  const sideways = useRef<HTMLDivElement>(null)
  const [dragging, setDragging] = useState<string | null>(null)
  // A post carried by a finger: where the touch began, whether it moved far enough to be a drag,
  // and the hour under the finger now (data-hour of the cell).
  const touch = useRef<{ id: string; pointerId: number; x: number; y: number; moved: boolean } | null>(null)
  const [touchOver, setTouchOver] = useState<string | null>(null)
  const swallowClick = useRef(false)
  const navigate = useNavigate()
  const dayBands = bands(schedule)
  const postsOn = (day: string) => {
    if (!schedule) return false
    if (schedule.cadence === 'daily') return true
    return schedule.weekdays.includes(WEEKDAYS[parseDate(day)!.dayOfWeek - 1])
  }

  // Opens on the morning (or the first window), not at midnight.
  useEffect(() => {
    const first = Math.min(8 * 60, ...dayBands.map((b) => b.start).filter((m) => m > 0))
    if (scroller.current) scroller.current.scrollTop = Math.max(0, (first / 60 - 1) * HOUR_PX)
    // Once per shown week.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [days[0]])

  const byDay = new Map<string, Omit<Entry, 'lane'>[]>()
  const add = (iso: string, e: Omit<Entry, 'lane' | 'minute' | 'at'>) => {
    const t = inZone(iso, timeZone)
    const day = t.toPlainDate().toString()
    byDay.set(day, [...(byDay.get(day) ?? []), { ...e, at: iso, minute: t.hour * 60 + t.minute }])
  }
  for (const post of posts) add(post.scheduledAt, { kind: 'post', post })
  for (const slot of slots) add(slot, { kind: 'slot' })
  const now = inZone(nowIso, timeZone)
  const nowDay = now.toPlainDate().toString()

  /** The local time at a height of an hour cell, to the quarter hour. */
  const timeIn = (day: string, hour: number, cell: Element, clientY: number) => {
    const rect = cell.getBoundingClientRect()
    const quarter = Math.min(3, Math.max(0, Math.floor(((clientY - rect.top) / rect.height) * 4)))
    return `${day}T${pad(hour)}:${pad(quarter * 15)}`
  }
  const timeAt = (day: string, hour: number, event: MouseEvent | DragEvent) => timeIn(day, hour, event.currentTarget as Element, event.clientY)
  const isPast = (day: string, hour: number) => day < nowDay || (day === nowDay && hour < now.hour)

  /** The hour cell under a point that a post may be dropped on (not in the past), or null. */
  const cellAt = (x: number, y: number) => document.elementsFromPoint(x, y).find((el) => el instanceof HTMLElement && el.dataset.hour !== undefined && el.dataset.past !== 'true') as HTMLElement | undefined
  const touchHandlers = (postId: string) => ({
    onPointerDown: (e: PointerEvent) => {
      // A new touch or press: the click it brings is its own, not the end of an earlier drag.
      swallowClick.current = false
      if (e.pointerType === 'mouse' || !e.isPrimary) return
      touch.current = { id: postId, pointerId: e.pointerId, x: e.clientX, y: e.clientY, moved: false }
    },
    onPointerMove: (e: PointerEvent) => {
      const t = touch.current
      if (!t || t.pointerId !== e.pointerId) return
      if (!t.moved) {
        if (Math.hypot(e.clientX - t.x, e.clientY - t.y) < TOUCH_DRAG_PX) return
        t.moved = true
        setDragging(postId)
        // Moves keep coming to the post while the finger is away from it.
        ;(e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId)
      }
      // Near an edge of the grid, the grid scrolls, so any day and hour can be reached.
      for (const [box, horizontal] of [[sideways.current, true], [scroller.current, false]] as const) {
        if (!box) continue
        const r = box.getBoundingClientRect()
        const at = horizontal ? e.clientX : e.clientY
        const [lo, hi] = horizontal ? [r.left, r.right] : [r.top, r.bottom]
        const step = at < lo + EDGE_PX ? -EDGE_STEP : at > hi - EDGE_PX ? EDGE_STEP : 0
        if (step) box.scrollBy(horizontal ? { left: step } : { top: step })
      }
      setTouchOver(cellAt(e.clientX, e.clientY)?.dataset.hour ?? null)
    },
    onPointerUp: (e: PointerEvent) => {
      const t = touch.current
      touch.current = null
      if (!t || t.pointerId !== e.pointerId) return
      // A click may follow a finger's lift (a browser's choice): the lift has done what it meant.
      swallowClick.current = true
      window.setTimeout(() => (swallowClick.current = false), 400)
      if (!t.moved) {
        // A tap opens the post here rather than by that click, which Chrome does not always send
        // (after a drag of the same post it sent none: seen in e2e/creator-day).
        void navigate(href({ post: t.id }), { preventScrollReset: true })
        return
      }
      setDragging(null)
      setTouchOver(null)
      const cell = cellAt(e.clientX, e.clientY)
      if (!cell) return
      const [day, hour] = cell.dataset.hour!.split('T')
      onMove(t.id, timeIn(day, Number(hour), cell, e.clientY))
    },
    onPointerCancel: () => {
      // Only a finger's drag is ours to undo: a mouse's HTML drag also cancels its pointer as it starts.
      if (!touch.current) return
      touch.current = null
      setDragging(null)
      setTouchOver(null)
    },
    onClick: (e: MouseEvent) => {
      // The click that ends a finger's drag or tap does not open the post (again).
      if (!swallowClick.current) return
      swallowClick.current = false
      e.preventDefault()
    },
  })

  return (
    <section aria-label="Week" className="overflow-hidden rounded-2xl border border-slate-800 bg-slate-950/90">
      <div ref={sideways} className="overflow-x-auto">
        <div className="min-w-[44rem]">
          <div className="grid grid-cols-[3rem_repeat(7,minmax(0,1fr))] border-b border-slate-800 bg-slate-900/80">
            <div />
            {days.map((day) => {
              const date = parseDate(day)!
              const isToday = day === today
              return (
                <div key={day} className={`px-2 py-2 text-center text-xs ${isToday ? 'text-violet-200' : 'text-slate-400'}`}>
                  <span className="font-medium uppercase tracking-wide">{weekdayName(date.dayOfWeek, locale)}</span>{' '}
                  <span className={`text-sm font-semibold ${isToday ? 'rounded-full bg-violet-600 px-1.5 text-white' : 'text-slate-200'}`}>{date.day}</span>
                </div>
              )
            })}
          </div>
          <div ref={scroller} className="max-h-[70vh] overflow-y-auto" data-testid="week-scroller">
            <div className="relative grid grid-cols-[3rem_repeat(7,minmax(0,1fr))]" style={{ height: 24 * HOUR_PX }}>
              <div className="relative">
                {Array.from({ length: 24 }, (_, h) => (
                  <div key={h} className="absolute right-1 -translate-y-1/2 text-[10px] text-slate-500" style={{ top: h * HOUR_PX }}>
                    {h === 0 ? '' : formatHour(h, locale)}
                  </div>
                ))}
              </div>
              {days.map((day) => {
                const { entries, lanes } = laneOut(byDay.get(day) ?? [])
                const strong = postsOn(day)
                return (
                  <div key={day} className="relative border-l border-slate-800" data-day={day} role="group" aria-label={formatDay(parseDate(day)!, locale)}>
                    {dayBands.map((b) => (
                      <div
                        key={`${b.label}-${b.start}`}
                        data-window={b.label}
                        aria-hidden="true"
                        className={`pointer-events-none absolute inset-x-0 border-l-2 ${strong ? 'border-violet-400/60 bg-violet-500/15' : 'border-violet-400/20 bg-violet-500/5'}`}
                        style={{ top: (b.start / 60) * HOUR_PX, height: ((b.end - b.start) / 60) * HOUR_PX }}
                      />
                    ))}
                    {Array.from({ length: 24 }, (_, h) => {
                      const past = isPast(day, h)
                      const label = `${formatDay(parseDate(day)!, locale)}, ${formatHour(h, locale)}`
                      const common = {
                        className: `absolute inset-x-0 border-t border-slate-800/70 ${dragging ? 'hover:bg-violet-400/20' : ''} ${touchOver === `${day}T${pad(h)}` ? 'bg-violet-400/30' : ''}`,
                        style: { top: h * HOUR_PX, height: HOUR_PX },
                        'data-hour': `${day}T${pad(h)}`,
                        'data-past': past ? 'true' : undefined,
                        onDragOver: (e: DragEvent) => {
                          if (!dragging || past) return
                          e.preventDefault()
                          e.dataTransfer.dropEffect = 'move'
                        },
                        onDrop: (e: DragEvent) => {
                          e.preventDefault()
                          const id = e.dataTransfer.getData('text/x-post-id') || dragging
                          setDragging(null)
                          if (id && !past) onMove(id, timeAt(day, h, e))
                        },
                      }
                      return canEdit && !past ? (
                        <button key={h} type="button" aria-label={`New post on ${label}`} onClick={(e) => onCreateAt(timeAt(day, h, e))} {...common} className={`${common.className} hover:bg-slate-800/40`} />
                      ) : (
                        <div key={h} {...common} />
                      )
                    })}
                    {day === nowDay && (
                      <div aria-hidden="true" className="pointer-events-none absolute inset-x-0 z-10 border-t-2 border-rose-400" style={{ top: ((now.hour * 60 + now.minute) / 60) * HOUR_PX }} />
                    )}
                    {entries.map((e) => {
                      const t = inZone(e.at, timeZone)
                      const style = { top: (e.minute / 60) * HOUR_PX, height: ENTRY_PX, left: `${(e.lane / lanes) * 100}%`, width: `${100 / lanes}%` }
                      if (e.kind === 'slot')
                        return (
                          <div
                            key={`slot-${e.at}`}
                            data-slot={e.at}
                            aria-label={`Autopilot post planned at ${formatClock(t, locale)}`}
                            role="note"
                            // Clicks and drops go through to the hour beneath: write or move a post to the slot's time.
                            className="pointer-events-none absolute z-10 overflow-hidden rounded-md border border-dashed border-violet-300/70 bg-slate-950/90 px-1.5 py-0.5 text-[11px] leading-tight"
                            style={style}
                          >
                            <span className="block font-semibold text-violet-200">{formatClock(t, locale)}</span>
                            <span className="block truncate text-violet-300">Autopilot</span>
                          </div>
                        )
                      const post = e.post!
                      const movable = canEdit && EDITABLE_STATUSES.includes(post.status)
                      const thumb = post.clip ? thumbnails[post.clip.id] : undefined
                      return (
                        <Link
                          key={post.id}
                          to={href({ post: post.id })}
                          preventScrollReset
                          draggable={movable}
                          onDragStart={(ev) => {
                            ev.dataTransfer.setData('text/x-post-id', post.id)
                            ev.dataTransfer.effectAllowed = 'move'
                            setDragging(post.id)
                          }}
                          onDragEnd={() => setDragging(null)}
                          {...(movable ? touchHandlers(post.id) : {})}
                          data-post-id={post.id}
                          data-status={post.status}
                          aria-label={`${formatClock(t, locale)} ${postLabel(post)}: ${POST_STATUS_LABEL[post.status]}${post.outsideWindows ? ' (outside the posting windows)' : ''}`}
                          title={post.outsideWindows ?? undefined}
                          className={`absolute z-10 flex gap-1 overflow-hidden rounded-md border bg-slate-900 p-0.5 text-[11px] leading-tight transition hover:border-violet-400 ${openId === post.id ? 'border-violet-400 ring-2 ring-violet-400/40' : post.outsideWindows ? 'border-amber-400/70' : 'border-slate-700'} ${movable ? 'cursor-grab touch-none' : ''} ${dragging === post.id ? 'opacity-50' : ''}`}
                          style={style}
                        >
                          {thumb ? <img src={thumb} alt="" className="h-full w-6 shrink-0 rounded object-cover" draggable={false} /> : <span className="h-full w-6 shrink-0 rounded bg-slate-800" />}
                          <span className="min-w-0">
                            <span className="flex items-center gap-1 font-semibold text-white">
                              <span className={`h-1.5 w-1.5 shrink-0 rounded-full ${DOT[POST_STATUS_TONE[post.status]]}`} aria-hidden="true" />
                              {formatClock(t, locale)}
                            </span>{' '}
                            <span className="block truncate text-slate-300">{postLabel(post)}</span>
                          </span>
                        </Link>
                      )
                    })}
                  </div>
                )
              })}
            </div>
          </div>
        </div>
      </div>
      <p className="flex flex-wrap gap-x-4 gap-y-1 border-t border-slate-800 px-3 py-2 text-xs text-slate-400">
        <span>
          <span className="mr-1 inline-block h-2.5 w-3 border-l-2 border-violet-400/60 bg-violet-500/15 align-middle" aria-hidden="true" />
          Posting windows {schedule ? `(${schedule.timeWindows.join(', ')})` : '(none set)'}
        </span>
        <span>
          <span className="mr-1 inline-block h-2.5 w-3 rounded-sm border border-dashed border-violet-300/70 align-middle" aria-hidden="true" />
          Planned by the autopilot
        </span>
        {canEdit && <span>Click an empty time to write a post there; drag a post (with the mouse or a finger) to move it.</span>}
      </p>
    </section>
  )
}
