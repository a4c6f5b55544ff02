/**
 * /projects/:id/assistant — the AI assistant: ideas for the next videos, captions and hashtags for
 * a clip per platform (with each platform's limit), and a sponsorship rate card from the measured
 * results with its arithmetic. Every answer names who wrote it (the built-in templates are never
 * called AI).
 */
import { Form, useNavigation } from 'react-router'
import { ProviderBadge } from '../components/provider-badge'
import { RouteError } from '../components/route-error'
import { Button, Card, Notice, PageHeader, SelectField, TextField } from '../components/ui'
import { useProject } from './project'
import { assistantAction, loadAssistant, type AssistantResult } from './project.assistant.server'
import type { Route } from './+types/project.assistant'

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

function Submit({ intent, children }: { intent: string; children: string }) {
  const busy = useBusy(intent)
  return (
    <Button type="submit" name="intent" value={intent} disabled={busy} aria-busy={busy || undefined}>
      {busy ? 'Writing…' : children}
    </Button>
  )
}

export default function ProjectAssistant({ loaderData, actionData }: Route.ComponentProps) {
  const { workspace } = useProject()
  const canEdit = workspace.role !== 'viewer'
  const result = actionData as AssistantResult | undefined
  const failed = result && !result.ok ? result : undefined
  return (
    <div className="min-w-0 space-y-6">
      <PageHeader title="Assistant" description="Ideas, captions and prices written from this project's clips and results. Nothing is posted from here." />
      {!canEdit && <Notice tone="info">The assistant needs the editor role.</Notice>}

      <Card title="Content ideas" description="From your clips' titles and topics, the project's language, objective and style, and what you say about your audience.">
        <Form method="post" className="space-y-3">
          <TextField label="Audience notes" name="audienceNotes" placeholder="Who watches, what they ask for" maxLength={2000} />
          <TextField label="How many ideas" name="count" type="number" min={1} max={10} defaultValue={5} className="max-w-[10rem]" />
          {failed?.intent === 'ideas' && <Notice>{failed.message}</Notice>}
          {canEdit && <Submit intent="ideas">Suggest ideas</Submit>}
        </Form>
        {result?.ok && result.intent === 'ideas' && (
          <div className="mt-4 space-y-3" aria-live="polite">
            <ProviderBadge provider={result.provider} />
            <ol className="space-y-3" aria-label="Ideas">
              {result.ideas.map((idea, i) => (
                <li key={i} className="rounded-lg border border-slate-800 p-3">
                  <p className="font-medium break-words text-slate-100">{idea.title}</p>
                  <p className="text-sm break-words text-violet-200">“{idea.hook}”</p>
                  <p className="text-xs text-slate-400">
                    {idea.format.replaceAll('_', ' ')} · {idea.why}
                  </p>
                </li>
              ))}
            </ol>
          </div>
        )}
      </Card>

      <Card title="Captions for a clip" description="A hook, a caption and hashtags, with each platform's own text within its limit.">
        {loaderData.clips.length === 0 ? (
          <p className="text-sm text-slate-400">No ready clip yet: upload one to the library.</p>
        ) : (
          <Form method="post" className="space-y-3">
            <SelectField label="Clip" name="mediaId" defaultValue={result?.ok && result.intent === 'captions' ? result.clipId : undefined}>
              {loaderData.clips.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.label}
                </option>
              ))}
            </SelectField>
            {failed?.intent === 'captions' && <Notice>{failed.message}</Notice>}
            {canEdit && <Submit intent="captions">Write captions</Submit>}
          </Form>
        )}
        {result?.ok && result.intent === 'captions' && (
          <div className="mt-4 space-y-3" aria-live="polite">
            <ProviderBadge provider={result.provider} />
            <p className="font-medium break-words">{result.captions.hook}</p>
            <p className="text-sm break-words text-violet-200">{result.captions.hashtags.join(' ')}</p>
            <ul className="space-y-3" aria-label="Per platform">
              {result.captions.limits.map((l) => {
                const texts = result.captions.platformTexts as Record<string, Record<string, string>>
                return (
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
                )
              })}
            </ul>
          </div>
        )}
      </Card>

      <Card title="Sponsorship pricing" description="Median views × CPM × an engagement multiplier, per platform and format. Change the CPM ranges to your market.">
        <Form method="post" className="space-y-3">
          <div className="grid gap-3 sm:grid-cols-3">
            {(['youtube', 'tiktok', 'instagram'] as const).map((p) => (
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
