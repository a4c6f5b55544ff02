/** Server side of the autopilot page: its configuration, the clips to preview on, save, pause and resume — all through the API. */
import { data, type RouterContextProvider } from 'react-router'
import type { AutopilotConfigInput } from '../../workers/domain/autopilot-config'
import { callApi } from '../lib/api.server'
import { problemResult, type FormResult } from '../lib/forms'
import { autopilotSpeechCaptions } from '../lib/speech-captions'
import type { Media } from '../lib/media-upload'
import type { Autopilot, Platform } from '../lib/posts'
import type { LearningSchema } from '../../workers/api/autopilot'
import type { z } from 'zod'

export type Learning = z.infer<typeof LearningSchema>

type Context = Readonly<RouterContextProvider>

/** The form's field names; API error fields map onto them (list items onto their list). */
const FIELDS = ['cadence', 'language', 'style', 'objective', 'timezone', 'weekdays', 'platforms', 'requireApproval', 'keepToWindows', 'enabled', 'timeWindows', 'stylesAllowed', 'learning', 'speechCaptions']

/** The project's autopilot (null before it is set up), its ready video clips, and the platforms it can post to now. */
export async function loadAutopilot(context: Context, request: Request, projectId: string) {
  const id = encodeURIComponent(projectId)
  const [autopilot, clips, connections, learning] = await Promise.all([
    callApi<Autopilot>(context, request, `/autopilot/${id}`),
    callApi<{ data: Media[] }>(context, request, `/projects/${id}/media?status=ready&type=video&limit=48`),
    callApi<{ data: { platform: Platform; status: string }[] }>(context, request, `/projects/${id}/connections`),
    callApi<Learning>(context, request, `/autopilot/${id}/learning`),
  ])
  if (!autopilot.ok && autopilot.status !== 404) throw data(autopilot.problem, { status: autopilot.status })
  return {
    autopilot: autopilot.ok ? autopilot.data : null,
    clips: clips.ok ? clips.data.data : [],
    connected: connections.ok ? connections.data.data.filter((c) => c.status === 'active').map((c) => c.platform) : null,
    learning: learning.ok ? learning.data : null,
  }
}

/**
 * The configuration a submitted form (or the same form as a query string) describes, in the
 * API's shape. Nothing is validated here: the API (or its schema) does that and names the field.
 */
export function configFromForm(form: FormData | URLSearchParams): AutopilotConfigInput {
  const text = (name: string) => String(form.get(name) ?? '').trim()
  const config: AutopilotConfigInput = {
    cadence: text('cadence') as AutopilotConfigInput['cadence'],
    language: text('language'),
    style: text('style') as AutopilotConfigInput['style'],
    objective: text('objective') as AutopilotConfigInput['objective'],
    timeWindows: form.getAll('timeWindows').map(String),
    timezone: text('timezone'),
    requireApproval: form.get('requireApproval') === 'on',
    keepToWindows: form.get('keepToWindows') === 'on',
    // "Save" keeps the autopilot as it is (off when it is new); only "Save and turn on" turns it on.
    enabled: form.get('intent') === 'save-on' || form.get('enabled') === 'true',
  }
  if (config.cadence === 'weekly') config.weekdays = form.getAll('weekdays').map(String) as AutopilotConfigInput['weekdays']
  // Learning: the styles it may try always include the main style (its checkbox is fixed on).
  // Left out: locked (today's fixed choice).
  if (form.get('learning') === 'on') config.learning = 'learn'
  const allowed = form.getAll('stylesAllowed').map(String)
  if (config.learning === 'learn' && allowed.length) config.stylesAllowed = [...new Set([config.style, ...allowed])] as AutopilotConfigInput['stylesAllowed']
  const speechCaptions = autopilotSpeechCaptions(form)
  if (speechCaptions !== undefined) config.speechCaptions = speechCaptions
  if (form.get('platformsMode') === 'chosen') config.platforms = form.getAll('platforms').map(String) as AutopilotConfigInput['platforms']
  return config
}

/** The form field an API error field belongs to: `timeWindows.1` stays (its row), `weekdays.0` is the weekdays. */
export function formField(apiField: string): string {
  const [head, index] = apiField.split('.')
  if (head === 'timeWindows' && index !== undefined) return `timeWindows.${index}`
  return head
}

/** Saves the configuration, or pauses or resumes; API field errors land on the form's fields. */
export async function autopilotAction(context: Context, request: Request, projectId: string): Promise<{ status: number; result: FormResult }> {
  const form = await request.formData()
  const intent = String(form.get('intent'))
  const base = `/autopilot/${encodeURIComponent(projectId)}`
  switch (intent) {
    case 'save':
    case 'save-on': {
      const config = configFromForm(form)
      const res = await callApi<Autopilot>(context, request, base, { method: 'PUT', body: config })
      if (!res.ok) {
        const values: Record<string, string> = Object.fromEntries(FIELDS.map((f) => [f, '']))
        config.timeWindows.forEach((_, i) => (values[`timeWindows.${i}`] = ''))
        const problem = { ...res.problem, errors: res.problem.errors?.map((e) => ({ ...e, field: formField(e.field) })) }
        return { status: res.status, result: problemResult(intent, problem, values) }
      }
      return {
        status: 200,
        result: {
          intent,
          ok: true,
          message: !res.data.scheduler.applied
            ? (res.data.scheduler.note ?? 'Saved, but not in effect yet.')
            : res.data.enabled
              ? 'Saved. The autopilot follows these settings from now on.'
              : 'Saved. The autopilot is off: turn it on when you are ready.',
        },
      }
    }
    case 'pause':
    case 'resume': {
      const res = await callApi<Autopilot>(context, request, `${base}/${intent}`, { method: 'POST' })
      if (!res.ok) return { status: res.status, result: problemResult(intent, res.problem) }
      const done = intent === 'pause' ? 'Paused: nothing new is planned until you resume.' : 'Resumed.'
      return { status: 200, result: { intent, ok: true, message: res.data.scheduler.applied ? done : (res.data.scheduler.note ?? done) } }
    }
    default:
      return { status: 400, result: { intent, ok: false, message: `Unknown action “${intent}”.` } }
  }
}
