/**
 * The week on an hour grid, in the project's time zone: the posting windows as shaded bands,
 * posts at their minute (labelled by hook or caption, with the clip's thumbnail), the autopilot's
 * coming slots as planned entries. An editor clicks an empty time to write a post there and drags
 * a post to another time. On a phone the grid scrolls sideways inside its frame, never the page.
 */
import { useEffect, useRef, useState, type DragEvent, type MouseEvent } from 'react'
import { Link } from 'react-router'
import { parseTimeWindow } from '../../../workers/domain/autopilot-config'
import { WEEKDAYS } from '../../../workers/domain/autopilot-config'
import { EDITABLE_STATUSES, POST_STATUS_LABEL, POST_STATUS_TONE, type PostSummary } from '../../lib/posts'
import { formatClock, formatDay, inZone, parseDate, WEEKDAY_SHORT } from '../../lib/zoned-time'

const HOUR_PX = 44
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
  const scroller = useRef<HTMLDivElement>(null)
  const [dragging, setDragging] = useState<string | null>(null)
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

  /** The local time at a point of an hour cell, to the quarter hour. */
  const timeAt = (day: string, hour: number, event: MouseEvent | DragEvent) => {
    const rect = (event.currentTarget as HTMLElement).getBoundingClientRect()
    const quarter = Math.min(3, Math.max(0, Math.floor(((event.clientY - rect.top) / rect.height) * 4)))
    return `${day}T${pad(hour)}:${pad(quarter * 15)}`
  }
  const isPast = (day: string, hour: number) => day < nowDay || (day === nowDay && hour < now.hour)

  return (
    <section aria-label="Week" className="overflow-hidden rounded-2xl border border-slate-800 bg-slate-950/90">
      <div className="overflow-x-auto">
        <div className="min-w-[44rem]">
          <div className="grid grid-cols-[3rem_repeat(7,minmax(0,1fr))] border-b border-slate-800 bg-slate-900/80">
            <div />
            {days.map((day) => {
              const date = parseDate(day)!
              const isToday = day === today
              return (
                <div key={day} className={`px-2 py-2 text-center text-xs ${isToday ? 'text-violet-200' : 'text-slate-400'}`}>
                  <span className="font-medium uppercase tracking-wide">{WEEKDAY_SHORT[date.dayOfWeek - 1]}</span>{' '}
                  <span className={`text-sm font-semibold ${isToday ? 'rounded-full bg-violet-500 px-1.5 text-white' : 'text-slate-200'}`}>{date.day}</span>
                </div>
              )
            })}
          </div>
          <div ref={scroller} className="max-h-[70vh] overflow-y-auto" data-testid="week-scroller">
            <div className="relative grid grid-cols-[3rem_repeat(7,minmax(0,1fr))]" style={{ height: 24 * HOUR_PX }}>
              <div className="relative">
                {Array.from({ length: 24 }, (_, h) => (
                  <div key={h} className="absolute right-1 -translate-y-1/2 text-[10px] text-slate-500" style={{ top: h * HOUR_PX }}>
                    {h === 0 ? '' : `${pad(h)}:00`}
                  </div>
                ))}
              </div>
              {days.map((day) => {
                const { entries, lanes } = laneOut(byDay.get(day) ?? [])
                const strong = postsOn(day)
                return (
                  <div key={day} className="relative border-l border-slate-800" data-day={day} role="group" aria-label={formatDay(parseDate(day)!)}>
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
                      const label = `${formatDay(parseDate(day)!)}, ${pad(h)}:00`
                      const common = {
                        className: `absolute inset-x-0 border-t border-slate-800/70 ${dragging ? 'hover:bg-violet-400/20' : ''}`,
                        style: { top: h * HOUR_PX, height: HOUR_PX },
                        'data-hour': `${day}T${pad(h)}`,
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
                            aria-label={`Autopilot post planned at ${formatClock(t)}`}
                            role="note"
                            // Clicks and drops go through to the hour beneath: write or move a post to the slot's time.
                            className="pointer-events-none absolute z-10 overflow-hidden rounded-md border border-dashed border-violet-300/70 bg-slate-950/90 px-1.5 py-0.5 text-[11px] leading-tight"
                            style={style}
                          >
                            <span className="block font-semibold text-violet-200">{formatClock(t)}</span>
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
                          data-post-id={post.id}
                          data-status={post.status}
                          aria-label={`${formatClock(t)} ${postLabel(post)}: ${POST_STATUS_LABEL[post.status]}${post.outsideWindows ? ' (outside the posting windows)' : ''}`}
                          title={post.outsideWindows ?? undefined}
                          className={`absolute z-10 flex gap-1 overflow-hidden rounded-md border bg-slate-900 p-0.5 text-[11px] leading-tight transition hover:border-violet-400 ${openId === post.id ? 'border-violet-400 ring-2 ring-violet-400/40' : post.outsideWindows ? 'border-amber-400/70' : 'border-slate-700'} ${movable ? 'cursor-grab' : ''} ${dragging === post.id ? 'opacity-50' : ''}`}
                          style={style}
                        >
                          {thumb ? <img src={thumb} alt="" className="h-full w-6 shrink-0 rounded object-cover" draggable={false} /> : <span className="h-full w-6 shrink-0 rounded bg-slate-800" />}
                          <span className="min-w-0">
                            <span className="flex items-center gap-1 font-semibold text-white">
                              <span className={`h-1.5 w-1.5 shrink-0 rounded-full ${DOT[POST_STATUS_TONE[post.status]]}`} aria-hidden="true" />
                              {formatClock(t)}
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
        {canEdit && <span>Click an empty time to write a post there; drag a post to move it.</span>}
      </p>
    </section>
  )
}
