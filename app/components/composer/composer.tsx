/**
 * The composer: a clip from the library, when it goes (now, at a time, or no time yet: a draft),
 * the platforms it goes to (only connected ones; the others say why they are not offered), and
 * its texts per platform with their limits and previews, and what is drawn on the video (hook,
 * call to action, framing, trim) through the post panel's own `PostLookFields` and `PostPreview`,
 * sent as the same API fields. `PlatformTexts` holds the texts, `PreviewFrame` the platform frame.
 */
import { useEffect, useState } from 'react'
import { Link, useFetcher } from 'react-router'
import { outsideWindowsMessage } from '../../../workers/domain/slots'
import type { Connection } from '../../lib/connections'
import type { FormResult } from '../../lib/forms'
import type { Media } from '../../lib/media-upload'
import { PLATFORM_LABEL, type Platform } from '../../lib/posts'
import { fromLocalInput } from '../../lib/zoned-time'
import type { WeekSchedule } from '../calendar/week-grid'
import { Button, Card, Notice, TextField } from '../ui'
import type { SpecProject } from '../../../workers/domain/post-spec'
import { PlatformTexts, type ComposerTexts } from './platform-texts'
import { PLATFORMS } from '../../../workers/domain/post-state'
import { initialLook, LookBefore, PostLookFields, PostPreview, type LookSubject, type PostLook } from './post-look'

/** Why a platform is not offered, in words, or null when it can be posted to. */
export function notOfferedReason(platform: Platform, connections: Connection[]): string | null {
  const c = connections.find((x) => x.platform === platform && x.status !== 'disconnected') ?? connections.find((x) => x.platform === platform)
  if (!c || c.status === 'disconnected') return 'not connected'
  if (c.status === 'needs_reconnect') return `needs reconnecting${c.statusReason ? `: ${c.statusReason}` : ''}`
  return null
}

export type When = 'now' | 'later' | 'draft'

export function Composer({
  clips,
  connections,
  timeZone,
  schedule,
  initialAt,
  postDefaults,
  brand,
  linkLine = null,
  onDone,
}: {
  clips: Media[]
  connections: Connection[]
  timeZone: string
  schedule: (WeekSchedule & { timezone?: string }) | null
  /** A time chosen on the calendar ("2026-12-03T14:15", project zone). */
  initialAt: string | null
  /** The style, language and objective a new post renders with. */
  postDefaults: Pick<LookSubject, 'style' | 'language' | 'objective'>
  /** The project's brand and default framing (the look fields and the preview). */
  brand: SpecProject
  /** The project's tracked-link line (`linkLineFor`): the counters count it as the API does. */
  linkLine?: string | null
  onDone: (result: FormResult) => void
}) {
  const fetcher = useFetcher<FormResult>()
  const [clipId, setClipId] = useState('')
  const [when, setWhen] = useState<When>(initialAt ? 'later' : 'now')
  const [at, setAt] = useState(initialAt ?? '')
  const [texts, setTexts] = useState<ComposerTexts>({ caption: '', hashtags: '', own: {} })
  const offered = PLATFORMS.filter((p) => notOfferedReason(p, connections) === null)
  const [chosen, setChosen] = useState<Platform[]>(offered)
  const result = fetcher.data?.intent === 'create' ? fetcher.data : undefined
  const errors = result?.fieldErrors ?? {}
  const clip = clips.find((c) => c.id === clipId)
  // The post being composed, as the look fields and the preview see a post (the panel's component).
  const subject: LookSubject | null = clip
    ? { id: 'new', mediaId: clip.id, clip, targets: chosen.map((platform) => ({ platform })), ...postDefaults, callToAction: null, spec: null, logoUrl: null }
    : null
  const lookStart = subject ? initialLook(subject) : null
  const [look, setLook] = useState<PostLook | null>(null)
  // Another clip (its length) or other platforms (their longest video): the look starts again.
  const lookKey = `${clipId}:${chosen.join()}`
  const [lookFor, setLookFor] = useState(lookKey)
  if (lookFor !== lookKey) {
    setLookFor(lookKey)
    setLook(null)
  }
  const shownLook = look ?? lookStart

  useEffect(() => {
    if (initialAt) {
      setAt(initialAt)
      setWhen('later')
    }
  }, [initialAt])
  useEffect(() => {
    if (result?.ok) onDone(result)
    // Once per answer.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [result])

  // The time is checked against the posting windows as it is typed, with the slot computation's own rule.
  const instant = when === 'later' && at ? fromLocalInput(at, timeZone) : null
  const outside = instant && schedule ? outsideWindowsMessage({ ...schedule, timezone: timeZone, weekdays: schedule.weekdays as never }, new Date(instant)) : null
  const busy = fetcher.state !== 'idle'

  return (
    <Card title="Write a post" description="A clip from the library, rendered in the project’s style, with a text for each platform.">
      {clips.length === 0 ? (
        <p className="text-sm text-slate-400">
          No ready clips yet. <Link to="../library" className="text-violet-300 underline">Upload some to the library</Link>.
        </p>
      ) : (
        <fetcher.Form method="post" className="space-y-5" aria-label="Write a post" noValidate>
          <input type="hidden" name="timeZone" value={timeZone} />
          <fieldset>
            <legend className="mb-2 text-sm font-medium text-slate-200">Clip</legend>
            <div className="grid max-h-64 grid-cols-2 gap-3 overflow-y-auto sm:grid-cols-4 lg:grid-cols-6">
              {clips.map((c) => (
                <label key={c.id} className={`cursor-pointer overflow-hidden rounded-lg border ${clipId === c.id ? 'border-violet-400 ring-2 ring-violet-400/40' : 'border-slate-800 hover:border-slate-600'}`}>
                  <input type="radio" name="mediaId" value={c.id} checked={clipId === c.id} onChange={() => setClipId(c.id)} className="sr-only" aria-label={c.title || c.filename} aria-invalid={errors.mediaId ? true : undefined} />
                  <div className="aspect-video bg-slate-800">{c.thumbnailUrl ? <img src={c.thumbnailUrl} alt="" className="h-full w-full object-cover" /> : null}</div>
                  <span className="block truncate px-2 py-1 text-xs text-slate-300">{c.title || c.filename}</span>
                </label>
              ))}
            </div>
            {errors.mediaId && <p role="alert" className="mt-1 text-sm text-rose-400">{errors.mediaId}</p>}
          </fieldset>

          <div className="flex flex-wrap items-start gap-6">
            <fieldset>
              <legend className="mb-2 text-sm font-medium text-slate-200">When</legend>
              <div className="flex flex-wrap items-center gap-4 text-sm text-slate-200">
                {(
                  [
                    ['now', 'Now'],
                    ['later', 'At a time'],
                    ['draft', 'No time yet (draft)'],
                  ] as const
                ).map(([value, label]) => (
                  <label key={value} className="flex items-center gap-2">
                    <input type="radio" name="when" value={value} checked={when === value} onChange={() => setWhen(value)} className="accent-violet-500" /> {label}
                  </label>
                ))}
              </div>
            </fieldset>
            {when === 'later' && (
              <div className="min-w-0">
                <TextField label={`Date and time (${timeZone})`} name="scheduledAt" type="datetime-local" value={at} onChange={(e) => setAt(e.currentTarget.value)} error={errors.scheduledAt} className="[color-scheme:dark]" />
                {outside && (
                  <p className="mt-1 text-sm text-amber-200" data-testid="outside-windows">
                    {outside}.{schedule?.keepToWindows ? ' This project keeps posts inside its windows, so it will be refused.' : ' It will still be posted then.'}
                  </p>
                )}
              </div>
            )}
          </div>

          <fieldset>
            <legend className="mb-2 text-sm font-medium text-slate-200">Platforms</legend>
            {offered.length === 0 ? (
              <Notice tone="info">
                No platform is connected, so there is nowhere to post yet. <Link to="../connections" className="underline">Connect one</Link>.
              </Notice>
            ) : (
              <div className="flex flex-wrap gap-4 text-sm text-slate-200">
                {offered.map((p) => (
                  <label key={p} className="flex items-center gap-2">
                    <input type="checkbox" name="platforms" value={p} checked={chosen.includes(p)} onChange={(e) => setChosen(e.currentTarget.checked ? PLATFORMS.filter((q) => q === p || chosen.includes(q)) : chosen.filter((q) => q !== p))} className="accent-violet-500" />
                    {PLATFORM_LABEL[p]}
                  </label>
                ))}
              </div>
            )}
            {PLATFORMS.filter((p) => !offered.includes(p)).length > 0 && (
              <p className="mt-2 text-xs text-slate-400" data-testid="not-offered">
                Not offered:{' '}
                {PLATFORMS.filter((p) => !offered.includes(p))
                  .map((p) => `${PLATFORM_LABEL[p]} (${notOfferedReason(p, connections)})`)
                  .join(', ')}
                . <Link to="../connections" className="text-violet-300 underline">Connections</Link>
              </p>
            )}
            {errors.platforms && <p role="alert" className="mt-1 text-sm text-rose-400">{errors.platforms}</p>}
          </fieldset>

          <PlatformTexts platforms={chosen} texts={texts} onChange={setTexts} errors={errors} pictureUrl={clip?.thumbnailUrl ?? undefined} linkLine={linkLine} />

          {subject && shownLook && lookStart ? (
            <div className="space-y-3">
              <LookBefore look={lookStart} status="new" />
              <PostLookFields post={subject} look={shownLook} onChange={setLook} errors={errors} project={brand} thumbnail={clip?.thumbnailUrl ?? undefined} fresh />
              <PostPreview post={subject} look={{ ...shownLook, caption: texts.caption }} project={brand} />
            </div>
          ) : null}

          <div className="flex flex-wrap items-center gap-3">
            <Button name="intent" value="create" disabled={busy || (when !== 'draft' && offered.length === 0)}>
              {busy ? 'Saving…' : when === 'now' ? 'Post now' : when === 'later' ? 'Schedule' : 'Save draft'}
            </Button>
            {result && !result.ok && result.message && <Notice>{result.message}</Notice>}
          </div>
        </fetcher.Form>
      )}
    </Card>
  )
}
