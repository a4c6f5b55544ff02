/**
 * /projects/:id/assistant — the AI assistant: ideas for the next videos, captions and hashtags for
 * a clip per platform (with each platform's limit), and a sponsorship rate card from the measured
 * results with its arithmetic. Every answer names who wrote it (the built-in templates are never
 * called AI). Ideas and captions stream while the provider writes (POST /api/ai-assistant/stream:
 * a draft grows, Stop cancels); without JavaScript the forms post to the action as before.
 */
import type { FormEvent, ReactNode } from 'react'
import { Form, useNavigation } from 'react-router'
import { partialJson, useToolStream, type StreamState } from '../lib/assistant-stream'
import { ProviderBadge } from '../components/provider-badge'
import { RouteError } from '../components/route-error'
import { Button, Card, Notice, PageHeader, SelectField, TextField } from '../components/ui'
import { useProject } from './project'
import { assistantAction, loadAssistant, type AssistantResult, type Captions, type Ideas, type Idea } from './project.assistant.server'
import type { Route } from './+types/project.assistant'
import { PLATFORMS } from '../../workers/domain/post-state'

export const meta: Route.MetaFunction = () => [{ title: 'Assistant · Reelpilot' }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  return loadAssistant(context, request, params.id)
}

export async function action({ context, request, params }: Route.ActionArgs) {
  return assistantAction(context, request, params.id)
}

const NAMES = { youtube: 'YouTube', tiktok: 'TikTok', instagram: 'Instagram' } as const
const FIELD = { title: 'title', description: 'description', caption: 'caption' } as Record<string, string>

function useBusy(intent: string) {
  const navigation = useNavigation()
  return navigation.state !== 'idle' && navigation.formData?.get('intent') === intent
}

function Submit({ intent, children, streaming = false, onStop }: { intent: string; children: string; streaming?: boolean; onStop?: () => void }) {
  const busy = useBusy(intent) || streaming
  return (
    <div className="flex flex-wrap gap-2">
      <Button type="submit" name="intent" value={intent} disabled={busy} aria-busy={busy || undefined}>
        {busy ? 'Writing…' : children}
      </Button>
      {streaming && onStop && (
        <Button type="button" variant="secondary" onClick={onStop}>
          Stop
        </Button>
      )}
    </div>
  )
}

function IdeasList({ ideas, label = 'Ideas' }: { ideas: Partial<Idea>[]; label?: string }) {
  return (
    <ol className="space-y-3" aria-label={label}>
      {ideas.map((idea, i) => (
        <li key={i} className="rounded-lg border border-slate-800 p-3">
          <p className="font-medium break-words text-slate-100">{idea.title}</p>
          {idea.hook !== undefined && <p className="text-sm break-words text-violet-200">“{idea.hook}”</p>}
          {idea.format !== undefined && (
            <p className="text-xs text-slate-400">
              {idea.format.replaceAll('_', ' ')}
              {idea.why !== undefined && ` · ${idea.why}`}
            </p>
          )}
        </li>
      ))}
    </ol>
  )
}

function CaptionsView({ captions }: { captions: Captions }) {
  const texts = captions.platformTexts as Record<string, Record<string, string>>
  return (
    <>
      <p className="font-medium break-words">{captions.hook}</p>
      <p className="text-sm break-words text-violet-200">{captions.hashtags.join(' ')}</p>
      <ul className="space-y-3" aria-label="Per platform">
        {captions.limits.map((l) => (
          <li key={`${l.platform}.${l.field}`} className="rounded-lg border border-slate-800 p-3">
            <p className="flex flex-wrap justify-between gap-2 text-xs text-slate-400">
              <span>
                {NAMES[l.platform as keyof typeof NAMES]} {FIELD[l.field]}
              </span>
              <span>
                {l.length} / {l.max} {l.unit}
              </span>
            </p>
            <p className="text-sm break-words whitespace-pre-wrap text-slate-200">{texts[l.platform]?.[l.field]}</p>
          </li>
        ))}
      </ul>
    </>
  )
}

/** While a streamed answer arrives: the draft so far (`draft` renders it), then stopped or failed. */
function StreamProgress({ state, draft, testId }: { state: StreamState<unknown>; draft: (value: any) => ReactNode; testId: string }) {
  if (state.status === 'idle' || state.status === 'done') return null
  const value = partialJson(state.text)
  return (
    <div className="mt-4 space-y-2" aria-live="polite" data-testid={testId}>
      {state.status === 'streaming' && <p className="text-xs text-slate-400">{state.text ? 'Writing… (a draft: the answer is checked when it ends)' : 'Writing…'}</p>}
      {state.status === 'stopped' && <Notice tone="info">Stopped. Nothing was kept; ask again when you like.</Notice>}
      {state.status === 'failed' && <Notice>{state.message}</Notice>}
      {state.status !== 'failed' && value !== undefined && <div className="opacity-70">{draft(value)}</div>}
    </div>
  )
}

/** The form's fields as the tool's body, when JavaScript runs (else the form posts to the action). */
function streamed(event: FormEvent<HTMLFormElement>, run: (form: FormData) => void) {
  event.preventDefault()
  run(new FormData(event.currentTarget))
}

export default function ProjectAssistant({ loaderData, actionData }: Route.ComponentProps) {
  const { workspace, project } = useProject()
  const canEdit = workspace.role !== 'viewer'
  const result = actionData as AssistantResult | undefined
  const failed = result && !result.ok ? result : undefined
  const ideas = useToolStream<Ideas>()
  const captions = useToolStream<Captions>()
  // A streamed answer, once there is one, is what the card shows; the action's answer otherwise.
  const ideasAnswer = ideas.state.answer ?? (ideas.state.status === 'idle' && result?.ok && result.intent === 'ideas' ? { provider: result.provider, result: { ideas: result.ideas } } : undefined)
  const captionsAnswer = captions.state.answer ?? (captions.state.status === 'idle' && result?.ok && result.intent === 'captions' ? { provider: result.provider, result: result.captions } : undefined)
  const shown = <A,>(state: StreamState<unknown>, answer: A | undefined) => (state.status === 'idle' || state.status === 'done' ? answer : undefined)
  return (
    <div className="min-w-0 space-y-6">
      <PageHeader title="Assistant" description="Ideas, captions and prices written from this project's clips and results. Nothing is posted from here." />
      {!canEdit && <Notice tone="info">The assistant needs the editor role.</Notice>}

      <Card title="Content ideas" description="From your clips' titles and topics, the project's language, objective and style, and what you say about your audience.">
        <Form
          method="post"
          className="space-y-3"
          onSubmit={(e) =>
            streamed(e, (form) =>
              ideas.start('content-ideas', { projectId: project.id, count: Math.min(10, Math.max(1, Number(form.get('count')) || 5)), ...(String(form.get('audienceNotes') ?? '').trim() ? { audienceNotes: String(form.get('audienceNotes')).trim() } : {}) }),
            )
          }
        >
          <TextField label="Audience notes" name="audienceNotes" placeholder="Who watches, what they ask for" maxLength={2000} />
          <TextField label="How many ideas" name="count" type="number" min={1} max={10} defaultValue={5} className="max-w-[10rem]" />
          {failed?.intent === 'ideas' && <Notice>{failed.message}</Notice>}
          {canEdit && (
            <Submit intent="ideas" streaming={ideas.state.status === 'streaming'} onStop={ideas.stop}>
              Suggest ideas
            </Submit>
          )}
        </Form>
        <StreamProgress state={ideas.state} testId="ideas-draft" draft={(v) => (Array.isArray(v?.ideas) ? <IdeasList ideas={v.ideas.filter((i: unknown) => i && typeof i === 'object')} label="Ideas so far" /> : null)} />
        {shown(ideas.state, ideasAnswer) && (
          <div className="mt-4 space-y-3" aria-live="polite">
            <ProviderBadge provider={ideasAnswer!.provider} />
            <IdeasList ideas={ideasAnswer!.result.ideas} />
          </div>
        )}
      </Card>

      <Card title="Captions for a clip" description="A hook, a caption and hashtags, with each platform's own text within its limit.">
        {loaderData.clips.length === 0 ? (
          <p className="text-sm text-slate-400">No ready clip yet: upload one to the library.</p>
        ) : (
          <Form method="post" className="space-y-3" onSubmit={(e) => streamed(e, (form) => captions.start('captions', { projectId: project.id, mediaId: String(form.get('mediaId')) }))}>
            <SelectField label="Clip" name="mediaId" defaultValue={result?.ok && result.intent === 'captions' ? result.clipId : undefined}>
              {loaderData.clips.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </SelectField>
            {failed?.intent === 'captions' && <Notice>{failed.message}</Notice>}
            {canEdit && (
              <Submit intent="captions" streaming={captions.state.status === 'streaming'} onStop={captions.stop}>
                Write captions
              </Submit>
            )}
          </Form>
        )}
        <StreamProgress
          state={captions.state}
          testId="captions-draft"
          draft={(v) => (
            <div className="space-y-1 text-sm break-words">
              {typeof v?.hook === 'string' && <p className="font-medium">{v.hook}</p>}
              {typeof v?.caption === 'string' && <p className="whitespace-pre-wrap">{v.caption}</p>}
            </div>
          )}
        />
        {shown(captions.state, captionsAnswer) && (
          <div className="mt-4 space-y-3" aria-live="polite">
            <ProviderBadge provider={captionsAnswer!.provider} />
            <CaptionsView captions={captionsAnswer!.result} />
          </div>
        )}
      </Card>

      <Card title="Sponsorship pricing" description="Median views × CPM × an engagement multiplier, per platform and format. Change the CPM ranges to your market.">
        <Form method="post" className="space-y-3">
          <div className="grid gap-3 sm:grid-cols-3">
            {PLATFORMS.map((p) => (
              <fieldset key={p} className="min-w-0 rounded-lg border border-slate-800 p-2">
                <legend className="px-1 text-xs text-slate-400">{NAMES[p]} CPM</legend>
                <div className="grid grid-cols-2 gap-2">
                  <TextField label="Low" name={`${p}.low`} type="number" step="0.5" min={0} placeholder="default" />
                  <TextField label="High" name={`${p}.high`} type="number" step="0.5" min={0} placeholder="default" />
                </div>
              </fieldset>
            ))}
          </div>
          <SelectField label="Currency" name="currency" defaultValue="USD" className="max-w-[10rem]">
            <option>USD</option>
            <option>EUR</option>
            <option>GBP</option>
          </SelectField>
          {failed?.intent === 'pricing' && (
            <Notice>
              {failed.message}
            </Notice>
          )}
          {canEdit && <Submit intent="pricing">Price my posts</Submit>}
        </Form>
        {result?.ok && result.intent === 'pricing' && (
          <div className="mt-4 space-y-3" aria-live="polite">
            <ProviderBadge provider={result.provider} />
            <p className="text-sm">{result.summary}</p>
            {result.card.platforms.map((p) => (
              <div key={p.platform} className="rounded-lg border border-slate-800 p-3" data-testid={`rates-${p.platform}`}>
                <p className="font-medium">{NAMES[p.platform]}</p>
                {p.needs ? (
                  <p className="text-sm text-amber-300">Needs {p.needs}.</p>
                ) : (
                  <ul className="space-y-2">
                    {p.rates.map((r) => (
                      <li key={r.format} className="text-sm">
                        <span className="font-medium">
                          {r.label}: {r.low.toLocaleString()}–{r.high.toLocaleString()} {result.card.currency}
                        </span>
                        <span className="block text-xs break-words text-slate-400">{r.arithmetic}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            ))}
            <ul className="list-disc space-y-1 pl-5 text-xs text-slate-400">
              {result.card.assumptions.map((a) => (
                <li key={a}>{a}</li>
              ))}
            </ul>
          </div>
        )}
      </Card>
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteError error={error} />
}
