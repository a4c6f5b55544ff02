/**
 * /projects/:id/autopilot — how the autopilot posts: cadence and weekdays, the time windows (a
 * window may cross midnight), the time zone, language, style, objective, platforms and approval.
 * The next seven publish times follow the form as it changes (computed by the server from the
 * unsaved form), shown in the project's zone and the viewer's. Pause and resume; the style is
 * previewed in the browser on one of the project's own clips.
 */
import { useEffect, useMemo, useRef, useState } from 'react'
import { data, Form, useActionData, useFetcher, useNavigation } from 'react-router'
import { CADENCES, OBJECTIVES, STYLES, WEEKDAYS, type AutopilotConfig } from '../../workers/domain/autopilot-config'
import { PLATFORMS } from '../../workers/domain/post-state'
import { RouteError } from '../components/route-error'
import { AutopilotSpeechCaptions } from '../components/speech-captions-setting'
import { StylePreview } from '../components/style-preview'
import { Badge, Button, Card, Notice, SelectField, TextField } from '../components/ui'
import { fieldLabel, type FieldError, type FormResult } from '../lib/forms'
import { fetchLibraryClip } from '../lib/library-clip'
import type { Media } from '../lib/media-upload'
import { PLATFORM_LABEL } from '../lib/posts'
import { formatDateTime, formatOffset, isTimeZone, timeZoneNames, viewerTimeZone, weekdayName } from '../lib/zoned-time'
import { useLocale } from './app-layout'
import { useProject } from './project'
import { autopilotAction, loadAutopilot } from './project.autopilot.server'
import type { loader as slotsLoader } from './project.autopilot.slots'
import type { Route } from './+types/project.autopilot'

export const meta: Route.MetaFunction = () => [{ title: 'Autopilot · Reelpilot' }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  return loadAutopilot(context, request, params.id)
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const { status, result } = await autopilotAction(context, request, params.id)
  return status === 200 ? result : data(result, { status })
}

const STYLE_HELP: Record<(typeof STYLES)[number], string> = {
  minimal: 'Clean white type, a thin bar; lets the clip speak.',
  neon: 'Glowing, high-contrast captions for energetic clips.',
  corporate: 'Your brand colour, lower thirds, calm pacing.',
}
const OBJECTIVE_HELP: Record<(typeof OBJECTIVES)[number], string> = {
  traffic: 'Send viewers to your link.',
  awareness: 'Be seen and remembered.',
  conversion: 'Ask for the sign-up or the sale.',
}
/** Languages offered first; any ISO 639-1 code may be typed. */
const COMMON_LANGUAGES: [string, string][] = [
  ['en', 'English'], ['es', 'Spanish'], ['fr', 'French'], ['de', 'German'], ['it', 'Italian'], ['pt', 'Portuguese'], ['nl', 'Dutch'],
  ['pl', 'Polish'], ['uk', 'Ukrainian'], ['ru', 'Russian'], ['tr', 'Turkish'], ['ar', 'Arabic'], ['he', 'Hebrew'], ['hi', 'Hindi'],
  ['ja', 'Japanese'], ['ko', 'Korean'], ['zh', 'Chinese'], ['id', 'Indonesian'], ['vi', 'Vietnamese'], ['sv', 'Swedish'],
]

interface TimeWindowRow {
  key: number
  start: string
  end: string
}

interface Draft {
  cadence: AutopilotConfig['cadence']
  language: string
  style: AutopilotConfig['style']
  objective: AutopilotConfig['objective']
  timezone: string
  windows: TimeWindowRow[]
  weekdays: string[]
  /** null: every connected platform. */
  platforms: string[] | null
  requireApproval: boolean
  keepToWindows: boolean
  /** Learn the window part and style from results (issue 13); off: the fixed choice. */
  learning: boolean
  /** Styles the learner may try besides `style`. */
  stylesAllowed: string[]
}

let windowKeys = 0
function toRows(windows: string[]): TimeWindowRow[] {
  return windows.map((w) => {
    const [start = '', end = ''] = w.split('-')
    return { key: ++windowKeys, start, end }
  })
}

function draftFrom(config: AutopilotConfig | undefined): Draft {
  return {
    cadence: config?.cadence ?? 'daily',
    language: config?.language ?? 'en',
    style: config?.style ?? 'minimal',
    objective: config?.objective ?? 'awareness',
    timezone: config?.timezone ?? 'UTC',
    // One window to start with: a creator who wants a second adds it (nothing saved they did not ask for).
    windows: toRows(config?.timeWindows ?? ['12:00-14:00']),
    // A new weekly cadence starts with no day chosen: the creator picks, nothing is guessed.
    weekdays: config?.cadence === 'weekly' ? config.weekdays : [],
    platforms: config?.platforms ?? null,
    requireApproval: config?.requireApproval ?? false,
    keepToWindows: config?.keepToWindows ?? false,
    learning: config?.learning === 'learn',
    // The own style is always allowed (its box fixed on): a style left as the former own one after
    // the Style radios change is not a choice the creator made, so it goes with the change.
    stylesAllowed: config?.stylesAllowed ?? [config?.style ?? 'minimal'],
  }
}

/** A window after the last one: an hour later, two hours long. */
function nextWindow(rows: TimeWindowRow[]): TimeWindowRow {
  const last = rows.at(-1)
  const startMin = last && /^\d\d:\d\d$/.test(last.end) ? (Number(last.end.slice(0, 2)) * 60 + Number(last.end.slice(3)) + 60) % 1440 : 9 * 60
  const hhmm = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
  return { key: ++windowKeys, start: hhmm(startMin), end: hhmm((startMin + 120) % 1440) }
}

/** The viewer's zone, known only once the page runs in their browser. */
function useViewerZone() {
  const [zone, setZone] = useState<string | null>(null)
  useEffect(() => setZone(viewerTimeZone()), [])
  return zone
}

export default function ProjectAutopilot({ loaderData, params }: Route.ComponentProps) {
  const { workspace } = useProject()
  const locale = useLocale()
  const { autopilot, clips, connected } = loaderData
  const canEdit = workspace.role !== 'viewer'
  const [draft, setDraft] = useState<Draft>(() => draftFrom(autopilot?.config))
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }))
  const actionData = useActionData<typeof action>() as FormResult | undefined
  const saveResult = actionData?.intent === 'save' || actionData?.intent === 'save-on' ? actionData : undefined
  const errors = saveResult?.fieldErrors ?? {}
  const navigation = useNavigation()
  const savingIntent = navigation.state !== 'idle' ? String(navigation.formData?.get('intent') ?? '') : ''
  const saving = savingIntent === 'save' || savingIntent === 'save-on'
  const viewerZone = useViewerZone()

  // The next slots follow the form: each change asks the server for the slots of the unsaved form.
  const formRef = useRef<HTMLFormElement>(null)
  const slots = useFetcher<typeof slotsLoader>()
  const projectId = params.id
  const query = useMemo(() => JSON.stringify(draft), [draft])
  useEffect(() => {
    const timer = setTimeout(() => {
      if (!formRef.current) return
      const search = new URLSearchParams(new FormData(formRef.current) as unknown as Record<string, string>)
      void slots.load(`/projects/${encodeURIComponent(projectId)}/autopilot/slots?${search}`)
    }, 250)
    return () => clearTimeout(timer)
    // `slots` changes identity as it loads; the form's content is what matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [query, projectId])

  const shownSlots = slots.data ? slots.data.slots : (autopilot?.nextSlots ?? [])
  const slotErrors = slots.data?.errors ?? []
  const movedSlots = slots.data?.moved ?? []

  return (
    <div className="space-y-6">
      <StatusBar autopilot={autopilot} canEdit={canEdit} learnedNext={loaderData.learning?.mode === 'learn' ? loaderData.learning.nextSlots[0]?.at : undefined} />
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_22rem]">
        <Form method="post" ref={formRef} className="space-y-6" aria-label="Autopilot settings" noValidate>
          <input type="hidden" name="enabled" value={String(autopilot?.enabled ?? false)} />
          <Card title="When" description="One post a day, or one on each chosen weekday, at a time that varies within your windows.">
            <div className="space-y-5">
              <fieldset>
                <legend className="mb-2 text-sm font-medium text-slate-200">Cadence</legend>
                <div className="inline-flex rounded-lg border border-slate-700 p-0.5">
                  {CADENCES.map((c) => (
                    <label key={c} className={`cursor-pointer rounded-md px-4 py-1.5 text-sm ${draft.cadence === c ? 'bg-violet-600 text-white' : 'text-slate-300 hover:text-white'}`}>
                      <input type="radio" name="cadence" value={c} checked={draft.cadence === c} onChange={() => set('cadence', c)} className="sr-only" />
                      {c === 'daily' ? 'Daily' : 'Weekly'}
                    </label>
                  ))}
                </div>
                <FieldErrorText error={errors.cadence} />
              </fieldset>

              {draft.cadence === 'weekly' && (
                <fieldset aria-describedby={errors.weekdays ? 'weekdays-help weekdays-error' : 'weekdays-help'} aria-invalid={errors.weekdays ? true : undefined}>
                  <legend className="mb-2 text-sm font-medium text-slate-200">Weekdays</legend>
                  <div className="flex flex-wrap gap-2">
                    {WEEKDAYS.map((day) => {
                      const on = draft.weekdays.includes(day)
                      return (
                        <label key={day} className={`cursor-pointer rounded-full border px-3 py-1 text-sm ${on ? 'border-violet-400 bg-violet-500/20 text-white' : 'border-slate-700 text-slate-400 hover:text-white'}`}>
                          <input
                            type="checkbox"
                            name="weekdays"
                            value={day}
                            checked={on}
                            onChange={(e) => set('weekdays', e.currentTarget.checked ? WEEKDAYS.filter((d) => d === day || draft.weekdays.includes(d)) : draft.weekdays.filter((d) => d !== day))}
                            className="sr-only"
                          />
                          {weekdayName(WEEKDAYS.indexOf(day) + 1, locale)}
                        </label>
                      )
                    })}
                  </div>
                  <p id="weekdays-help" className="mt-1 text-xs text-slate-400">One post on each chosen day.</p>
                  <FieldErrorText id="weekdays-error" error={errors.weekdays ?? slotErrors.find((e) => e.field === 'weekdays')?.message} />
                </fieldset>
              )}

              <WindowEditor rows={draft.windows} onChange={(rows) => set('windows', rows)} errors={errors} slotErrors={slotErrors} />
              <TimeZonePicker value={draft.timezone} onChange={(tz) => set('timezone', tz)} error={errors.timezone} viewerZone={viewerZone} />
            </div>
          </Card>

          <Card title="What" description="The language of captions and hashtags, how renders look, and what the posts aim for.">
            <div className="space-y-5">
              <TextField
                label="Language"
                name="language"
                value={draft.language}
                onChange={(e) => set('language', e.currentTarget.value)}
                list="language-codes"
                maxLength={2}
                className="max-w-xs"
                error={errors.language}
                hint={COMMON_LANGUAGES.find(([c]) => c === draft.language.toLowerCase())?.[1] ?? 'Two letters: en for English, fr for French, ja for Japanese…'}
              />
              <datalist id="language-codes">
                {COMMON_LANGUAGES.map(([code, name]) => (
                  <option key={code} value={code}>
                    {name}
                  </option>
                ))}
              </datalist>
              <Choice legend="Style" name="style" options={STYLES} help={STYLE_HELP} value={draft.style} onChange={(v) => setDraft((d) => ({ ...d, style: v, stylesAllowed: d.stylesAllowed.filter((x) => x !== d.style) }))} error={errors.style} />
              <Choice legend="Objective" name="objective" options={OBJECTIVES} help={OBJECTIVE_HELP} value={draft.objective} onChange={(v) => set('objective', v)} error={errors.objective} />
              <fieldset>
                <legend className="mb-2 text-sm font-medium text-slate-200">Learning</legend>
                <label className="flex items-start gap-3 text-sm">
                  <input type="checkbox" name="learning" checked={draft.learning} onChange={(e) => set('learning', e.currentTarget.checked)} className="mt-0.5 accent-violet-500" />
                  <span>
                    <span className="font-medium text-slate-200">Learn from results</span>
                    <span className="block text-slate-400">Each post goes to the hour of your windows and the style that did best for your objective, with an occasional try of another. Left off, it keeps your style and windows as they are.</span>
                  </span>
                </label>
                {/* Checkboxes (a multiple select needs Ctrl or ⌘, which a phone has not): each named "Try <style>", apart from the Style radios above. */}
                <fieldset className="ml-7 mt-2 text-sm text-slate-300" disabled={!draft.learning}>
                  <legend>
                    Styles it may try <span className="text-slate-500">(your style always)</span>
                  </legend>
                  <div className="mt-1 flex flex-wrap gap-x-5 gap-y-2">
                    {STYLES.map((st) => {
                      const own = st === draft.style
                      const on = own || draft.stylesAllowed.includes(st)
                      return (
                        <label key={st} className="inline-flex min-h-[44px] items-center gap-2 has-[:disabled]:opacity-60">
                          <input
                            type="checkbox"
                            name="stylesAllowed"
                            value={st}
                            aria-label={`Try ${st}`}
                            checked={on}
                            disabled={own || !draft.learning}
                            onChange={(e) => {
                              const checked = e.currentTarget.checked
                              set('stylesAllowed', STYLES.filter((x) => x === draft.style || (x === st ? checked : draft.stylesAllowed.includes(x))))
                            }}
                            className="accent-violet-500"
                          />
                          {st}
                        </label>
                      )
                    })}
                  </div>
                </fieldset>
                <FieldErrorText error={errors.stylesAllowed ?? errors.learning} />
              </fieldset>
            </div>
          </Card>

          <Card title="Where and how" description="Which platforms get each post, and whether you approve each one first.">
            <div className="space-y-5">
              <fieldset>
                <legend className="mb-2 text-sm font-medium text-slate-200">Platforms</legend>
                <label className="flex items-center gap-2 text-sm text-slate-200">
                  <input type="radio" name="platformsMode" value="all" checked={draft.platforms === null} onChange={() => set('platforms', null)} className="accent-violet-500" />
                  Every connected platform
                </label>
                <label className="mt-1 flex items-center gap-2 text-sm text-slate-200">
                  <input type="radio" name="platformsMode" value="chosen" checked={draft.platforms !== null} onChange={() => set('platforms', draft.platforms ?? [...PLATFORMS])} className="accent-violet-500" />
                  Only these:
                </label>
                <div className="ml-6 mt-2 flex flex-wrap gap-4">
                  {PLATFORMS.map((p) => (
                    <label key={p} className={`flex items-center gap-2 text-sm ${draft.platforms === null ? 'text-slate-500' : 'text-slate-200'}`}>
                      <input
                        type="checkbox"
                        name="platforms"
                        value={p}
                        disabled={draft.platforms === null}
                        checked={draft.platforms === null || draft.platforms.includes(p)}
                        onChange={(e) => set('platforms', e.currentTarget.checked ? PLATFORMS.filter((q) => q === p || draft.platforms?.includes(q)) : (draft.platforms ?? []).filter((q) => q !== p))}
                        className="accent-violet-500"
                      />
                      {PLATFORM_LABEL[p]}
                    </label>
                  ))}
                </div>
                <FieldErrorText error={errors.platforms} />
                {connected && (
                  <p className="mt-2 text-xs text-slate-400" data-testid="connected-platforms">
                    {connected.length === 0 ? (
                      <span className="text-amber-200">No platform is connected yet: posts are skipped until you connect one on the Connections page.</span>
                    ) : (
                      <>Connected now: {connected.map((p) => PLATFORM_LABEL[p]).join(', ')}. Posts go only to connected platforms.</>
                    )}
                  </p>
                )}
              </fieldset>
              <label className="flex items-start gap-3 text-sm">
                <input type="checkbox" name="requireApproval" checked={draft.requireApproval} onChange={(e) => set('requireApproval', e.currentTarget.checked)} className="mt-0.5 accent-violet-500" />
                <span>
                  <span className="font-medium text-slate-200">Require my approval</span>
                  <span className="block text-slate-400">Each rendered post waits on the Content page until you approve it; nothing goes out without you.</span>
                </span>
              </label>
              <FieldErrorText error={errors.requireApproval} />
              <label className="flex items-start gap-3 text-sm">
                <input type="checkbox" name="keepToWindows" checked={draft.keepToWindows} onChange={(e) => set('keepToWindows', e.currentTarget.checked)} className="mt-0.5 accent-violet-500" />
                <span>
                  <span className="font-medium text-slate-200">Keep posts inside my time windows</span>
                  <span className="block text-slate-400">Refuse a post moved or scheduled by hand outside the windows. Left off, it is allowed with a warning.</span>
                </span>
              </label>
              <AutopilotSpeechCaptions enabled={autopilot?.config.speechCaptions} />
            </div>
          </Card>

          <div className="flex flex-wrap items-center gap-3">
            {canEdit ? (
              <>
                <Button name="intent" value="save" variant={autopilot?.enabled ? 'primary' : 'secondary'} disabled={saving}>
                  {savingIntent === 'save' ? 'Saving…' : 'Save'}
                </Button>
                {!autopilot?.enabled && (
                  <Button name="intent" value="save-on" disabled={saving}>
                    {savingIntent === 'save-on' ? 'Turning on…' : 'Save and turn on'}
                  </Button>
                )}
              </>
            ) : (
              <Notice tone="info">You can look at these settings; changing them needs the editor role.</Notice>
            )}
            {saveResult?.message && <Notice tone={saveResult.ok ? 'success' : 'error'}>{saveResult.message}</Notice>}
          </div>
        </Form>

        <aside className="space-y-6">
          <NextSlots slots={shownSlots} moved={movedSlots} loading={slots.state !== 'idle'} errors={slotErrors} timeZone={isTimeZone(draft.timezone) ? draft.timezone : null} viewerZone={viewerZone} paused={autopilot?.enabled === false} learning={draft.learning} />
        </aside>
      </div>

      {loaderData.learning && <LearningEvidence learning={loaderData.learning} />}

      <Card title="Preview the style" description="Pick one of your clips: a few seconds render right here in your browser, with the same recipe as the published video.">
        <LibraryStylePreview clips={clips} style={draft.style} language={draft.language} />
      </Card>
    </div>
  )
}

const ratioText = (r: number) => `${r.toFixed(2)}×`

/** What the learning autopilot knows: each arm per platform, the next slots with their reasons. */
function LearningEvidence({ learning }: { learning: NonNullable<Route.ComponentProps['loaderData']['learning']> }) {
  return (
    <Card
      title={learning.mode === 'learn' ? 'What the autopilot has learnt' : 'What your posts earned, by hour and style'}
      description={`Results at ${learning.rewardAgeHours / 24} days old for your objective (${learning.objective}), as a multiple of your account's median; the range is where the truth lies, 9 times in 10. Posts too young to judge are pending, not zero.`}
    >
      <div className="space-y-5" data-testid="learning-evidence">
        <div>
          <h3 className="mb-2 text-sm font-medium text-slate-200">Next slots</h3>
          <ul className="space-y-1 text-sm text-slate-300">
            {learning.nextSlots.map((s) => (
              <li key={s.at} data-testid="learning-reason">
                {s.reason}
              </li>
            ))}
            {learning.nextSlots.length === 0 && <li className="text-slate-400">The autopilot is off: no slot to plan.</li>}
          </ul>
        </div>
        {learning.platforms.map((p) => (
          <div key={p.platform}>
            <h3 className="mb-2 text-sm font-medium text-slate-200">
              {PLATFORM_LABEL[p.platform as keyof typeof PLATFORM_LABEL] ?? p.platform}{' '}
              <span className="font-normal text-slate-400">· {Math.round(p.unknown * 100)} % of choices still unknown (fewer than 3 results)</span>
            </h3>
            <div className="overflow-x-auto">
              <table className="w-full min-w-[20rem] text-left text-sm" data-platform-evidence={p.platform}>
                <thead className="text-xs text-slate-400">
                  <tr>
                    <th className="py-1 pr-3 font-normal">Hour · style</th>
                    <th className="py-1 pr-3 font-normal">Posts</th>
                    <th className="py-1 font-normal">Result (range)</th>
                  </tr>
                </thead>
                <tbody>
                  {p.arms.map((a) => (
                    <tr key={a.key} className="border-t border-slate-800" data-arm={a.key}>
                      <td className="py-1 pr-3 text-slate-200">
                        {a.part} · {a.style}
                      </td>
                      <td className="py-1 pr-3 text-slate-300">
                        {a.posts - a.pending}
                        {a.pending ? <span className="text-slate-500"> +{a.pending} pending</span> : null}
                      </td>
                      <td className="py-1 text-slate-300">
                        {a.posts - a.pending ? `${ratioText(a.ratio)} (${ratioText(a.low)}–${ratioText(a.high)})` : 'no result yet'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </div>
        ))}
      </div>
    </Card>
  )
}

function FieldErrorText({ error, id }: { error?: string; id?: string }) {
  if (!error) return null
  return (
    <p id={id} role="alert" className="mt-1 text-sm text-rose-400">
      {error.charAt(0).toUpperCase() + error.slice(1)}
    </p>
  )
}

/**
 * `learnedNext`: in learning mode, the next post's time as the learner chose it (the hour inside
 * the window that it will really post at), instead of the window's plain slot.
 */
function StatusBar({ autopilot, canEdit, learnedNext }: { autopilot: Route.ComponentProps['loaderData']['autopilot']; canEdit: boolean; learnedNext?: string }) {
  const locale = useLocale()
  const fetcher = useFetcher<FormResult>()
  const busy = fetcher.state !== 'idle'
  const state = !autopilot ? 'off' : autopilot.enabled ? 'on' : 'paused'
  const next = learnedNext ?? autopilot?.nextSlots[0]
  return (
    <section aria-label="Autopilot status" className="flex flex-wrap items-center justify-between gap-4 rounded-2xl border border-slate-800 bg-slate-900/60 px-5 py-4">
      <div className="flex items-center gap-3">
        <span className={`h-2.5 w-2.5 rounded-full ${state === 'on' ? 'bg-emerald-400 shadow-[0_0_12px] shadow-emerald-400/60' : state === 'paused' ? 'bg-amber-400' : 'bg-slate-600'}`} aria-hidden="true" />
        <div>
          <p className="text-sm font-semibold text-white" data-testid="autopilot-state" data-state={state}>
            {state === 'on' ? 'Autopilot is on' : state === 'paused' ? 'Autopilot is paused' : 'Autopilot is not set up'}
          </p>
          <p className="text-xs text-slate-400" data-testid="autopilot-next">
            {state === 'off' ? 'Choose your settings below, save them, and turn it on when you are ready.' : state === 'paused' ? 'Nothing new is planned until you resume. Posts already planned keep their course.' : next && autopilot ? `Next post: ${formatDateTime(next, autopilot.config.timezone, locale)} (${autopilot.config.timezone})${learnedNext ? ', at the hour the autopilot chose from what it has learnt' : ''}.` : 'Waiting for the next slot.'}
          </p>
        </div>
      </div>
      <div className="flex items-center gap-3">
        {fetcher.data && !fetcher.data.ok && <span role="alert" className="text-sm text-rose-300">{fetcher.data.message}</span>}
        {canEdit && autopilot && (
          <fetcher.Form method="post">
            <Button name="intent" value={autopilot.enabled ? 'pause' : 'resume'} variant={autopilot.enabled ? 'secondary' : 'primary'} disabled={busy}>
              {autopilot.enabled ? (busy ? 'Pausing…' : 'Pause') : busy ? 'Resuming…' : 'Resume'}
            </Button>
          </fetcher.Form>
        )}
      </div>
    </section>
  )
}

function WindowEditor({ rows, onChange, errors, slotErrors }: { rows: TimeWindowRow[]; onChange: (rows: TimeWindowRow[]) => void; errors: Record<string, string>; slotErrors: FieldError[] }) {
  const update = (key: number, patch: Partial<TimeWindowRow>) => onChange(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)))
  return (
    <fieldset>
      <legend className="mb-2 text-sm font-medium text-slate-200">Time windows</legend>
      <ul className="space-y-2" aria-label="Time windows">
        {rows.map((row, i) => {
          const crosses = CLOCK.test(row.start) && CLOCK.test(row.end) && row.end < row.start
          const typo = [row.start, row.end].find((t) => !CLOCK.test(t))
          const error =
            errors[`timeWindows.${i}`] ??
            slotErrors.find((e) => e.field === `timeWindows.${i}`)?.message ??
            (typo !== undefined ? `${typo ? `“${typo}” is not a time` : 'A time is missing'}: write it as HH:MM on a 24-hour clock, from 00:00 to 23:59` : undefined)
          return (
            <li key={row.key} data-window={i}>
              <div className="flex flex-wrap items-center gap-2">
                <input type="hidden" name="timeWindows" value={`${row.start}-${row.end}`} />
                <ClockInput label={`Window ${i + 1} starts`} value={row.start} invalid={!!error} onChange={(v) => update(row.key, { start: v })} />
                <span className="text-slate-500">to</span>
                <ClockInput label={`Window ${i + 1} ends`} value={row.end} invalid={!!error} onChange={(v) => update(row.key, { end: v })} />
                {crosses && <Badge tone="violet">ends the next day</Badge>}
                <Button type="button" variant="ghost" size="sm" aria-label={`Remove window ${i + 1}`} disabled={rows.length === 1} onClick={() => onChange(rows.filter((r) => r.key !== row.key))}>
                  Remove
                </Button>
              </div>
              {error && (
                <p role="alert" className="mt-1 text-sm text-rose-400">
                  {error.charAt(0).toUpperCase() + error.slice(1)}
                </p>
              )}
            </li>
          )
        })}
      </ul>
      <Button type="button" variant="secondary" size="sm" className="mt-3" disabled={rows.length >= 24} onClick={() => onChange([...rows, nextWindow(rows)])}>
        Add a window
      </Button>
      <p className="mt-1 text-xs text-slate-400">In the project’s time zone. A window that ends before it starts runs past midnight (22:00 to 01:00).</p>
      <FieldErrorText error={errors.timeWindows} />
    </fieldset>
  )
}

/** "HH:MM" on a 24-hour clock, 00:00 to 23:59. */
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/

/**
 * A time of day typed as HH:MM. A plain text field: what is typed stays as typed, so "25:00" is
 * shown as wrong instead of silently becoming another time.
 */
function ClockInput({ label, value, invalid, onChange }: { label: string; value: string; invalid: boolean; onChange: (value: string) => void }) {
  return (
    <input
      type="text"
      inputMode="numeric"
      placeholder="HH:MM"
      maxLength={5}
      aria-label={label}
      aria-invalid={invalid ? true : undefined}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value.trim())}
      className={`w-20 rounded-lg border bg-slate-900/80 px-3 py-1.5 text-sm tabular-nums text-slate-100 ${invalid ? 'border-rose-500/80' : 'border-slate-700'}`}
    />
  )
}

function TimeZonePicker({ value, onChange, error, viewerZone }: { value: string; onChange: (tz: string) => void; error?: string; viewerZone: string | null }) {
  // The list comes from the browser's own time-zone database once the page runs there.
  const [zones, setZones] = useState<string[]>([])
  useEffect(() => setZones(timeZoneNames()), [])
  const known = isTimeZone(value)
  return (
    <div>
      <TextField
        label="Time zone"
        name="timezone"
        value={value}
        list="time-zones"
        autoComplete="off"
        spellCheck={false}
        placeholder="Search: Paris, New_York, Kolkata…"
        onChange={(e) => onChange(e.currentTarget.value)}
        className="max-w-md"
        error={error}
        hint={
          <>
            {known ? `${formatOffset(value)} now. ` : value ? 'Not a time zone yet: keep typing, or pick one from the list. ' : 'Type to search the zones. '}
            {viewerZone && viewerZone !== value && (
              <button type="button" className="text-violet-300 underline-offset-2 hover:underline" onClick={() => onChange(viewerZone)}>
                Use mine ({viewerZone})
              </button>
            )}
          </>
        }
      />
      <datalist id="time-zones">
        {zones.map((z) => (
          <option key={z} value={z} />
        ))}
      </datalist>
    </div>
  )
}

function Choice<T extends string>({ legend, name, options, help, value, onChange, error }: { legend: string; name: string; options: readonly T[]; help: Record<T, string>; value: T; onChange: (v: T) => void; error?: string }) {
  return (
    <fieldset>
      <legend className="mb-2 text-sm font-medium text-slate-200">{legend}</legend>
      <div className="grid gap-2 sm:grid-cols-3">
        {options.map((o) => (
          <label key={o} className={`cursor-pointer rounded-xl border p-3 text-sm transition ${value === o ? 'border-violet-400 bg-violet-500/10' : 'border-slate-700 hover:border-slate-500'}`}>
            <span className="flex items-center gap-2 font-medium capitalize text-white">
              <input type="radio" name={name} value={o} checked={value === o} onChange={() => onChange(o)} className="accent-violet-500" />
              {o}
            </span>
            <span className="mt-1 block text-xs text-slate-400">{help[o]}</span>
          </label>
        ))}
      </div>
      <FieldErrorText error={error} />
    </fieldset>
  )
}

function NextSlots({ slots, moved, loading, errors, timeZone, viewerZone, paused, learning }: { slots: string[]; moved: string[]; loading: boolean; errors: FieldError[]; timeZone: string | null; viewerZone: string | null; paused: boolean; learning: boolean }) {
  const locale = useLocale()
  const showViewer = viewerZone && timeZone && viewerZone !== timeZone
  const description = [
    paused ? 'Paused: these are the times it would post once resumed.' : 'These follow the form as you change it; saving makes them real.',
    // The slots below are the windows' plain times; a learning autopilot moves each one inside its window.
    learning ? 'Learning from results: each post goes out on these days, at the hour inside its window that the autopilot chooses from what it has learnt (its next choices are under "What the autopilot has learnt").' : '',
  ]
    .filter(Boolean)
    .join(' ')
  return (
    <Card title="Next seven posts" description={description}>
      <div aria-busy={loading} aria-live="polite">
        {errors.length > 0 ? (
          <div className="space-y-1 text-sm text-amber-200" data-testid="slot-problems">
            <p>No times until the settings are fixed:</p>
            <ul className="list-disc pl-5 text-amber-200/80">
              {errors.map((e) => (
                <li key={`${e.field}-${e.message}`}>
                  {fieldLabel(e.field)}: {e.message}
                </li>
              ))}
            </ul>
          </div>
        ) : slots.length === 0 || !timeZone ? (
          <p className="text-sm text-slate-400">{loading ? 'Working out the times…' : 'No times yet.'}</p>
        ) : (
          <table className="w-full text-left text-sm" aria-label="Next slots">
            <thead className="text-xs uppercase tracking-wide text-slate-500">
              <tr>
                <th className="pb-2 font-medium">{timeZone}</th>
                {showViewer && <th className="pb-2 font-medium">You ({viewerZone})</th>}
              </tr>
            </thead>
            <tbody className={loading ? 'opacity-60' : undefined}>
              {slots.map((slot) => (
                <tr key={slot} className="border-t border-slate-800" data-slot={slot}>
                  <td className="py-1.5 text-slate-100">
                    {formatDateTime(slot, timeZone, locale)}
                    {moved.includes(slot) && (
                      <span className="block text-xs text-amber-200/80" data-testid="slot-moved">
                        Moved: the clocks skip this window that day, so it posts when they jump.
                      </span>
                    )}
                  </td>
                  {showViewer && <td className="py-1.5 text-slate-400">{formatDateTime(slot, viewerZone, locale)}</td>}
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </Card>
  )
}

/** The shared style preview, fed one of the project's clips (or a file from the computer). */
function LibraryStylePreview({ clips, style, language }: { clips: Media[]; style: AutopilotConfig['style']; language: string }) {
  const [clipId, setClipId] = useState('')
  const [file, setFile] = useState<File | null>(null)
  const [status, setStatus] = useState<string | null>(null)
  const latest = useRef('')

  async function choose(id: string) {
    latest.current = id
    setClipId(id)
    setFile(null)
    if (!id) return setStatus(null)
    setStatus('Fetching the clip…')
    try {
      const clip = await fetchLibraryClip(id)
      // A clip chosen meanwhile wins over this one.
      if (latest.current !== id) return
      setFile(clip)
      setStatus(null)
    } catch (e) {
      if (latest.current === id) setStatus((e as Error).message)
    }
  }

  return (
    <div className="space-y-4">
      {clips.length > 0 ? (
        <SelectField label="One of your clips" name="previewClip" value={clipId} onChange={(e) => void choose(e.currentTarget.value)} className="max-w-md" hint={status ?? 'Or pick a file from your computer below.'}>
          <option value="">Choose a clip…</option>
          {clips.map((c) => (
            <option key={c.id} value={c.id}>
              {c.title || c.filename}
            </option>
          ))}
        </SelectField>
      ) : (
        <p className="text-sm text-slate-400">No ready clips in the library yet: upload some on the Library page, or pick a file from your computer below.</p>
      )}
      <StylePreview key={`${style}:${language}`} file={file} defaultStyle={style} language={language} />
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteError error={error} />
}
