/**
 * /projects/:id/library — a project's clips. Drop or pick files (several at once): each goes
 * straight to storage through a signed URL with a real progress bar, in parts with resume when
 * it is large; then the server checks its content. The grid shows thumbnails, durations, sizes,
 * statuses and why a file was refused; deleting asks first. Any ready clip opens the style
 * preview on itself ("Preview a style"), rendered in the browser, and its captions from speech
 * ("Captions from speech": the transcript, word by word, editable; components/transcript-panel.tsx).
 */
import { useCallback, useEffect, useRef, useState, type DragEvent } from 'react'
import { data, Form, Link, useFetcher, useRevalidator } from 'react-router'
import { RouteError } from '../components/route-error'
import { StylePreview } from '../components/style-preview'
import { TranscriptPanel } from '../components/transcript-panel'
import type { TranscriptAnswer } from './project.library.transcript'
import { Badge, Button, buttonClass, Card, Notice, SelectField, TextField } from '../components/ui'
import type { FormResult } from '../lib/forms'
import { fetchLibraryClip } from '../lib/library-clip'
import { abortUpload, ACCEPT, formatBytes, formatDuration, formatEta, STATUS_FILTERS, TYPE_FILTERS, uploadFile, type Media, type Phase, type Progress } from '../lib/media-upload'
import { useProject } from './project'
import { libraryAction, loadLibrary, type BulkResult } from './project.library.server'
import { formatDateTime } from '../lib/zoned-time'
import { useLocale } from './app-layout'
import type { Route } from './+types/project.library'

export const meta: Route.MetaFunction = () => [{ title: 'Library · Reelpilot' }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  return loadLibrary(context, request, params.id)
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const { status, result } = await libraryAction(context, request, params.id)
  return status === 200 ? result : data(result, { status })
}

interface UploadRow {
  id: string
  file: File
  phase: Phase
  progress: Progress
  message?: string
  mediaId?: string
  media?: Media
  controller: AbortController
}

const STATUS_TONE = { ready: 'emerald', processing: 'violet', uploading: 'amber', rejected: 'rose' } as const
const STATUS_LABEL = { ready: 'Ready', processing: 'Checking', uploading: 'Uploading', rejected: 'Rejected' } as const

export default function ProjectLibrary({ loaderData }: Route.ComponentProps) {
  const { project, workspace } = useProject()
  const { media, nextCursor, filters, timeZone } = loaderData
  const canEdit = workspace.role !== 'viewer'
  const [selected, setSelected] = useState<string[]>([])
  const [bulkNote, setBulkNote] = useState<string | null>(null)
  const toggle = (id: string, on: boolean) => setSelected((s) => (on ? [...s.filter((x) => x !== id), id] : s.filter((x) => x !== id)))
  const [uploads, setUploads] = useState<UploadRow[]>([])
  const [previewing, setPreviewing] = useState<Media | null>(null)
  const [transcribing, setTranscribing] = useState<Media | null>(null)
  const revalidator = useRevalidator()

  const update = useCallback((id: string, patch: Partial<UploadRow>) => setUploads((rows) => rows.map((r) => (r.id === id ? { ...r, ...patch } : r))), [])

  const start = useCallback(
    (files: File[]) => {
      const rows: UploadRow[] = files.map((file) => ({
        id: crypto.randomUUID(),
        file,
        phase: 'starting',
        progress: { loaded: 0, total: file.size, rate: 0, secondsLeft: null },
        controller: new AbortController(),
      }))
      setUploads((current) => [...rows, ...current])
      for (const row of rows) {
        uploadFile(project.id, row.file, (u) => update(row.id, u), row.controller.signal)
          .then(() => revalidator.revalidate())
          .catch((error: Error) => {
            if (row.controller.signal.aborted) return update(row.id, { phase: 'cancelled', message: 'Cancelled.' })
            update(row.id, { phase: 'failed', message: error.message })
            revalidator.revalidate()
          })
      }
    },
    [project.id, update, revalidator],
  )

  const cancel = (row: UploadRow) => {
    row.controller.abort()
    if (row.mediaId) void abortUpload(row.mediaId, project.id, row.file).then(() => revalidator.revalidate())
  }

  return (
    <div className="space-y-6">
      {canEdit ? <DropZone onFiles={start} /> : <Notice tone="info">You can look at this library; uploading needs the editor role.</Notice>}

      {uploads.length > 0 && (
        <Card title="Uploads" actions={<Button variant="ghost" size="sm" type="button" onClick={() => setUploads((rows) => rows.filter((r) => !['done', 'failed', 'cancelled'].includes(r.phase)))}>Clear finished</Button>}>
          <ul className="space-y-4" aria-label="Uploads">
            {uploads.map((row) => (
              <UploadItem key={row.id} row={row} onCancel={() => cancel(row)} />
            ))}
          </ul>
        </Card>
      )}

      {previewing && <ClipPreview key={previewing.id} clip={previewing} onClose={() => setPreviewing(null)} />}
      {transcribing && (
        <TranscriptPanel key={transcribing.id} projectId={project.id} mediaId={transcribing.id} title={transcribing.title || transcribing.filename} canEdit={canEdit} onClose={() => setTranscribing(null)} />
      )}

      {canEdit && selected.length > 0 && (
        <BulkSchedule
          selected={selected}
          media={media}
          timeZone={timeZone}
          onDone={(message) => {
            setSelected([])
            setBulkNote(message)
          }}
          onClear={() => setSelected([])}
        />
      )}
      {bulkNote && selected.length === 0 && (
        <Notice tone="success">
          {bulkNote} <Link to="../content" className="underline">See them on the calendar</Link>.
        </Notice>
      )}

      <Card
        title="Library"
        description="Clips and pictures the autopilot cuts from. Files are checked by their content: anything unreadable is refused with the reason."
        actions={<Filters status={filters.status} type={filters.type} />}
      >
        {media.length === 0 ? (
          <p className="py-10 text-center text-sm text-slate-400">{filters.status || filters.type ? 'Nothing matches these filters.' : 'No clips yet. Drop some above to start the library.'}</p>
        ) : (
          <ul className="grid grid-cols-2 gap-4 sm:grid-cols-3 lg:grid-cols-4" aria-label="Media">
            {media.map((item) => (
              <MediaCard key={item.id} item={item} canEdit={canEdit} onPreview={() => setPreviewing(item)} onTranscript={() => setTranscribing(item)} selected={selected.includes(item.id)} onSelect={(on) => toggle(item.id, on)} />
            ))}
          </ul>
        )}
        <div className="mt-6 flex justify-between">
          {filters.cursor ? (
            <Link to={`?${new URLSearchParams({ ...(filters.status ? { status: filters.status } : {}), ...(filters.type ? { type: filters.type } : {}) })}`} className={buttonClass('secondary', 'sm')}>
              Back to the newest
            </Link>
          ) : (
            <span />
          )}
          {nextCursor && (
            <Link to={`?${new URLSearchParams({ ...(filters.status ? { status: filters.status } : {}), ...(filters.type ? { type: filters.type } : {}), cursor: nextCursor })}`} className={buttonClass('secondary', 'sm')}>
              Older clips
            </Link>
          )}
        </div>
      </Card>
    </div>
  )
}

function DropZone({ onFiles }: { onFiles: (files: File[]) => void }) {
  const input = useRef<HTMLInputElement>(null)
  const [over, setOver] = useState(false)
  const drop = (e: DragEvent) => {
    e.preventDefault()
    setOver(false)
    const files = [...e.dataTransfer.files]
    if (files.length) onFiles(files)
  }
  return (
    <section
      aria-label="Upload clips"
      onDragOver={(e) => {
        e.preventDefault()
        setOver(true)
      }}
      onDragLeave={() => setOver(false)}
      onDrop={drop}
      className={`rounded-2xl border-2 border-dashed p-8 text-center transition ${over ? 'border-violet-400 bg-violet-500/10' : 'border-slate-700 bg-slate-900/40'}`}
    >
      <p className="text-base font-medium text-white">Drop clips here</p>
      <p className="mt-1 text-sm text-slate-400">MP4, MOV, WebM, JPEG or PNG · up to 10 minutes · several at once. Large files go up in parts and resume after a dropped connection.</p>
      <label className={`${buttonClass('primary')} mt-4 cursor-pointer`}>
        Choose files
        <input
          ref={input}
          type="file"
          multiple
          accept={ACCEPT}
          className="sr-only"
          aria-label="Choose files to upload"
          onChange={(e) => {
            const files = [...(e.currentTarget.files ?? [])]
            e.currentTarget.value = ''
            if (files.length) onFiles(files)
          }}
        />
      </label>
    </section>
  )
}

const PHASE_LABEL: Record<Phase, string> = {
  starting: 'Starting…',
  uploading: 'Uploading',
  reconnecting: 'Connection lost',
  checking: 'Checking the content…',
  done: 'Done',
  failed: 'Failed',
  cancelled: 'Cancelled',
}

function UploadItem({ row, onCancel }: { row: UploadRow; onCancel: () => void }) {
  const { loaded, total, rate, secondsLeft } = row.progress
  const percent = total ? Math.floor((loaded / total) * 100) : 0
  const active = ['starting', 'uploading', 'reconnecting'].includes(row.phase)
  const outcome = row.media?.status === 'rejected' ? `Rejected: ${row.media.rejectionReason}` : row.media?.status === 'ready' ? 'Ready' : undefined
  return (
    <li className="space-y-1.5" data-upload={row.file.name}>
      <div className="flex items-center justify-between gap-3 text-sm">
        <span className="truncate font-medium text-slate-100">{row.file.name}</span>
        <span className="flex shrink-0 items-center gap-2 text-slate-400">
          <span data-phase={row.phase}>{outcome ?? PHASE_LABEL[row.phase]}</span>
          {(active || row.phase === 'checking') && (
            <Button variant="ghost" size="sm" type="button" onClick={onCancel} aria-label={`Cancel the upload of ${row.file.name}`}>
              Cancel
            </Button>
          )}
        </span>
      </div>
      <div
        role="progressbar"
        aria-label={`Upload of ${row.file.name}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        className="h-2 overflow-hidden rounded-full bg-slate-800"
      >
        <div
          className={`h-full rounded-full transition-[width] ${row.phase === 'failed' || row.media?.status === 'rejected' ? 'bg-rose-500' : row.phase === 'reconnecting' ? 'bg-amber-400' : 'bg-violet-500'}`}
          style={{ width: `${percent}%` }}
        />
      </div>
      <p className="text-xs text-slate-400" data-testid="upload-stats">
        {formatBytes(loaded)} of {formatBytes(total)} · {percent}%{active && rate > 0 ? ` · ${formatBytes(rate)}/s · ${formatEta(secondsLeft)}` : ''}
        {row.message ? ` · ${row.message}` : ''}
      </p>
    </li>
  )
}

/**
 * Bulk scheduling: the selected clips go into the autopilot's next free slots. First the plan
 * (which clip at which time, in the project's zone), then one confirmation makes the posts.
 */
function BulkSchedule({ selected, media, timeZone, onDone, onClear }: { selected: string[]; media: Media[]; timeZone: string | null; onDone: (message: string) => void; onClear: () => void }) {
  const fetcher = useFetcher<BulkResult>()
  const locale = useLocale()
  const result = fetcher.data
  const busy = fetcher.state !== 'idle'
  const planned = result?.ok && result.intent === 'bulk-plan' && result.plan && result.plan.map((p) => p.mediaId).join() === selected.join() ? result.plan : null
  const done = result?.ok && result.intent === 'bulk-confirm'
  useEffect(() => {
    if (done) onDone(result.message ?? 'Scheduled.')
    // Once per confirmation.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [done])
  const ids = selected.map((id) => <input key={id} type="hidden" name="mediaIds" value={id} />)
  return (
    <Card title={`${selected.length} ${selected.length === 1 ? 'clip' : 'clips'} selected`} description="Put them into the autopilot’s next free slots, one post each." className="sticky top-16 z-10 border-violet-500/40">
      {!timeZone ? (
        <Notice tone="info">
          Bulk scheduling fills the autopilot’s posting windows: <Link to="../autopilot" className="underline">set up the autopilot</Link> first.
        </Notice>
      ) : planned ? (
        <fetcher.Form method="post" className="space-y-3" aria-label="Confirm the bulk schedule">
          {ids}
          <p className="text-sm text-slate-300">These posts will be made (times in {timeZone}):</p>
          <ol className="space-y-1 text-sm" aria-label="Bulk plan" data-testid="bulk-plan">
            {planned.map((p) => (
              <li key={p.mediaId} className="flex flex-wrap justify-between gap-2 rounded-lg border border-slate-800 px-3 py-1.5" data-plan={p.mediaId} data-at={p.scheduledAt}>
                <span className="truncate text-slate-100">{media.find((m) => m.id === p.mediaId)?.title ?? p.title}</span>
                <span className="text-slate-300">{formatDateTime(p.scheduledAt, timeZone, locale)}</span>
              </li>
            ))}
          </ol>
          <div className="flex flex-wrap gap-2">
            <Button name="intent" value="bulk-confirm" disabled={busy}>
              {busy ? 'Scheduling…' : `Confirm ${planned.length} ${planned.length === 1 ? 'post' : 'posts'}`}
            </Button>
            <Button type="button" variant="ghost" onClick={onClear}>
              Cancel
            </Button>
          </div>
        </fetcher.Form>
      ) : (
        <fetcher.Form method="post" className="flex flex-wrap items-center gap-2" aria-label="Bulk schedule">
          {ids}
          <Button name="intent" value="bulk-plan" disabled={busy}>
            {busy ? 'Finding slots…' : 'Put in the next free slots'}
          </Button>
          <Button type="button" variant="ghost" onClick={onClear}>
            Clear the selection
          </Button>
        </fetcher.Form>
      )}
      {result && !result.ok && <div className="mt-3"><Notice>{result.message}</Notice></div>}
    </Card>
  )
}

function Filters({ status, type }: { status: string; type: string }) {
  return (
    <Form method="get" className="flex flex-wrap items-end gap-2" aria-label="Filter the library">
      <SelectField label="Status" name="status" defaultValue={status} key={`s-${status}`} className="min-w-[8rem]">
        <option value="">All</option>
        {STATUS_FILTERS.map((s) => (
          <option key={s} value={s}>
            {STATUS_LABEL[s]}
          </option>
        ))}
      </SelectField>
      <SelectField label="Type" name="type" defaultValue={type} key={`t-${type}`} className="min-w-[8rem]">
        <option value="">All</option>
        {TYPE_FILTERS.map((t) => (
          <option key={t} value={t}>
            {t === 'video' ? 'Videos' : 'Pictures'}
          </option>
        ))}
      </SelectField>
      <Button variant="secondary" size="sm">
        Filter
      </Button>
    </Form>
  )
}

/** The style preview on one library clip, fetched into the browser through its download URL. */
function ClipPreview({ clip, onClose }: { clip: Media; onClose: () => void }) {
  const { project } = useProject()
  const [file, setFile] = useState<File | null>(null)
  // Its transcript, when it has one: the preview draws the captions from speech too.
  const transcript = useFetcher<TranscriptAnswer>()
  useEffect(() => {
    if (clip.kind === 'video' && transcript.state === 'idle' && !transcript.data) transcript.load(`/projects/${encodeURIComponent(project.id)}/library/transcript?mediaId=${encodeURIComponent(clip.id)}`)
  }, [clip, project.id, transcript])
  const heard = transcript.data?.transcript?.state === 'done' ? transcript.data.transcript : null
  const [status, setStatus] = useState<string | null>('Fetching the clip…')
  const panel = useRef<HTMLDivElement>(null)
  useEffect(() => {
    panel.current?.scrollIntoView({ behavior: 'smooth', block: 'start' })
    const controller = new AbortController()
    fetchLibraryClip(clip.id, controller.signal)
      .then((f) => {
        setFile(f)
        setStatus(null)
      })
      .catch((e: Error) => !controller.signal.aborted && setStatus(e.message))
    return () => controller.abort()
  }, [clip.id])
  return (
    <div ref={panel} data-testid="clip-preview" data-media-id={clip.id}>
      <Card
        title={`Preview a style on “${clip.title || clip.filename}”`}
        description="A few seconds at low resolution, rendered in your browser with the same recipe as the published video."
        actions={
          <Button variant="ghost" size="sm" type="button" onClick={onClose}>
            Close
          </Button>
        }
      >
        <StylePreview file={file} fileStatus={status} speech={heard ? { words: heard.words, ...(heard.language ? { language: heard.language } : {}) } : null} />
      </Card>
    </div>
  )
}

function MediaCard({ item, canEdit, onPreview, onTranscript, selected, onSelect }: { item: Media; canEdit: boolean; onPreview: () => void; onTranscript: () => void; selected: boolean; onSelect: (on: boolean) => void }) {
  const fetcher = useFetcher<FormResult>()
  const [confirming, setConfirming] = useState(false)
  const result = fetcher.data
  const busy = fetcher.state !== 'idle'
  const inUse = result && !result.ok && result.values?.inUse === '1'
  // An unnamed clip is called by its file name on the page (never in the video).
  const label = item.title || item.filename
  useEffect(() => {
    if (result?.ok) setConfirming(false)
  }, [result])
  return (
    <li className="overflow-hidden rounded-xl border border-slate-800 bg-slate-950/60" aria-label={label} data-media-id={item.id} data-status={item.status}>
      <div className="relative aspect-video bg-slate-900">
        {item.thumbnailUrl ? (
          <img src={item.thumbnailUrl} alt={`Thumbnail of ${label}`} className="h-full w-full object-cover" loading="lazy" />
        ) : (
          <div className="flex h-full items-center justify-center px-3 text-center text-xs text-slate-400">
            {item.status === 'rejected' ? 'Refused' : item.status === 'uploading' ? 'Waiting for the upload' : 'Checking…'}
          </div>
        )}
        {item.kind === 'video' && item.durationSec !== null && (
          <span className="absolute bottom-1.5 right-1.5 rounded bg-black/70 px-1.5 py-0.5 text-xs font-medium text-white">{formatDuration(item.durationSec)}</span>
        )}
      </div>
      <div className="space-y-2 p-3">
        <div className="flex items-start gap-2">
          {canEdit && item.status === 'ready' && item.kind === 'video' && (
            <input type="checkbox" checked={selected} onChange={(e) => onSelect(e.currentTarget.checked)} aria-label={`Select ${label}`} className="mt-0.5 h-4 w-4 shrink-0 accent-violet-500" />
          )}
          <p className="min-w-0 truncate text-sm font-medium text-slate-100" title={item.filename}>
            {item.title || <span className="text-slate-400">Untitled ({item.filename})</span>}
          </p>
        </div>
        {item.topic && <p className="truncate text-xs text-slate-400">{item.topic}</p>}
        <div className="flex flex-wrap items-center gap-2 text-xs text-slate-400">
          <Badge tone={STATUS_TONE[item.status]}>{STATUS_LABEL[item.status]}</Badge>
          <span>{formatBytes(item.size)}</span>
          {item.width && item.height ? <span>{item.width}×{item.height}</span> : null}
        </div>
        {item.status === 'rejected' && (
          <p className="text-xs text-rose-300" data-testid="rejection-reason">
            Refused: {item.rejectionReason}
          </p>
        )}
        {result && !result.ok && <p className="text-xs text-rose-300" role="alert">{result.message}</p>}
        {item.status === 'ready' && (
          <Button variant="secondary" size="sm" type="button" onClick={onPreview} aria-label={`Preview a style on ${label}`}>
            Preview a style
          </Button>
        )}
        {item.status === 'ready' && item.kind === 'video' && (
          <Button variant="secondary" size="sm" type="button" onClick={onTranscript} aria-label={`Captions from speech of ${label}`}>
            Captions from speech
          </Button>
        )}
        {canEdit && item.status === 'ready' && <DescribeClip item={item} />}
        {item.status === 'processing' && (
          <p className="text-xs text-slate-400">If our checker is busy, we check again by ourselves every 10 minutes.</p>
        )}
        {canEdit && (
          <div className="flex flex-wrap gap-2 pt-1">
            {item.status === 'processing' && (
              <fetcher.Form method="post">
                <input type="hidden" name="intent" value="check" />
                <input type="hidden" name="mediaId" value={item.id} />
                <Button variant="secondary" size="sm" disabled={busy}>
                  Check again
                </Button>
              </fetcher.Form>
            )}
            {!confirming ? (
              <Button variant="ghost" size="sm" type="button" onClick={() => setConfirming(true)} aria-label={`Delete ${label}`}>
                Delete
              </Button>
            ) : (
              <fetcher.Form method="post" className="flex flex-wrap items-center gap-2" aria-label={`Confirm deleting ${label}`}>
                <input type="hidden" name="intent" value="delete" />
                <input type="hidden" name="mediaId" value={item.id} />
                {inUse && <input type="hidden" name="force" value="true" />}
                <span className="text-xs text-slate-300">{inUse ? 'Delete anyway?' : 'Delete for good?'}</span>
                <Button variant="danger" size="sm" disabled={busy}>
                  {busy ? 'Deleting…' : inUse ? 'Delete anyway' : 'Yes, delete'}
                </Button>
                <Button variant="ghost" size="sm" type="button" onClick={() => setConfirming(false)}>
                  Keep
                </Button>
              </fetcher.Form>
            )}
          </div>
        )}
      </div>
    </li>
  )
}

/**
 * The clip's title and topic: hooks and captions are written from them (never from the file
 * name), so an untitled clip opens with the fields shown.
 */
function DescribeClip({ item }: { item: Media }) {
  const fetcher = useFetcher<FormResult>()
  const result = fetcher.data?.intent === 'describe' ? fetcher.data : undefined
  const errors = result?.fieldErrors ?? {}
  return (
    <details className="text-sm" open={!item.title && !item.topic}>
      <summary className="cursor-pointer text-xs text-slate-300 hover:text-white">{item.title ? 'Title and topic' : 'Name this clip: captions are written from it'}</summary>
      <fetcher.Form method="post" className="mt-2 space-y-2" aria-label={`Title and topic of ${item.title || item.filename}`}>
        <input type="hidden" name="intent" value="describe" />
        <input type="hidden" name="mediaId" value={item.id} />
        <TextField label="Title" name="title" defaultValue={item.title} maxLength={200} placeholder="Crêpes in 3 steps" error={errors.title} />
        <TextField label="Topic" name="topic" defaultValue={item.topic} maxLength={200} placeholder="What the clip shows, in a few words" error={errors.topic} />
        <div className="flex items-center gap-2">
          <Button variant="secondary" size="sm" disabled={fetcher.state !== 'idle'}>
            {fetcher.state !== 'idle' ? 'Saving…' : 'Save'}
          </Button>
          {result?.message && <span className={`text-xs ${result.ok ? 'text-emerald-300' : 'text-rose-300'}`} role={result.ok ? 'status' : 'alert'}>{result.message}</span>}
        </div>
      </fetcher.Form>
    </details>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteError error={error} />
}
