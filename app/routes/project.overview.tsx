/**
 * /projects/:id — the overview: the project's day at a glance (#16: the setup guide, the next
 * post, posts awaiting approval, the last published, what needs attention, this week), a way
 * into each section, the project's own details, and its
 * brand: the colour (the corporate style's bar and hook box), the typeface of hooks and calls
 * to action (one of the bundled families), a logo from the library drawn on every video, and
 * how clips fill the frame by default.
 */
import { useState } from 'react'
import { data, Form, Link, redirect, useNavigation } from 'react-router'
import { BRAND_FONTS, PROJECT_FRAMINGS } from '../../workers/domain/post-spec'
import { NextStepGuide, ProjectGlance, type ProjectSummary } from '../components/project-glance'
import { RouteError } from '../components/route-error'
import { Button, Card, FormNotice, inputClass, Notice, SelectField, TextField } from '../components/ui'
import { formatDay } from '../lib/when'
import { useLocale } from './app-layout'
import { callApi } from '../lib/api.server'
import type { Media } from '../lib/media-upload'
import { formValues, problemResult, resultFor, type FormResult } from '../lib/forms'
import { PROJECT_SECTIONS } from '../lib/project-sections'
import type { Project } from '../lib/types'
import { useProject } from './project'
import { useActionResult } from '../lib/use-action-result'
import { TRACKED_LINK_INTENT, TrackedLinkSetting } from '../components/tracked-link-setting'
import type { Route } from './+types/project.overview'

export async function loader({ context, request, params }: Route.LoaderArgs) {
  // The images a logo can be chosen from: the library's ready ones.
  const id = encodeURIComponent(params.id)
  const [res, summary] = await Promise.all([
    callApi<{ data: Media[] }>(context, request, `/projects/${id}/media?status=ready&type=image&limit=100`),
    callApi<ProjectSummary>(context, request, `/projects/${id}/summary`),
  ])
  return {
    images: res.ok ? res.data.data.map((m) => ({ id: m.id, title: m.title || m.filename, thumbnailUrl: m.thumbnailUrl })) : [],
    summary: summary.ok ? summary.data : null,
  }
}

/** How each default framing is named on the page. */
const FRAMING_WORDS: Record<(typeof PROJECT_FRAMINGS)[number], string> = {
  auto: 'Automatic: crop vertical clips, fit the others over a blurred copy',
  fit: 'Fit: the whole clip over a blurred copy of itself',
  crop: 'Crop to fill the frame (centre)',
  pad: 'Pad: the whole clip on black',
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const form = await request.formData()
  const intent = String(form.get('intent'))
  const path = `/projects/${encodeURIComponent(params.id)}`
  if (intent === 'update-project') {
    const values = formValues(form, ['name', 'description'])
    const res = await callApi<Project>(context, request, path, { method: 'PATCH', body: { name: values.name, description: values.description || null } })
    if (!res.ok) return data(problemResult(intent, res.problem, values), { status: res.status })
    return { intent, ok: true, message: 'Saved.' } satisfies FormResult
  }
  if (intent === 'update-brand') {
    const values = formValues(form, ['brandColor', 'font', 'logoMediaId', 'framing'])
    const body = {
      brandColor: values.brandColor || null,
      font: values.font || null,
      logoMediaId: values.logoMediaId || null,
      framing: values.framing || 'auto',
    }
    const res = await callApi<Project>(context, request, path, { method: 'PATCH', body })
    if (!res.ok) return data(problemResult(intent, res.problem, values), { status: res.status })
    return { intent, ok: true, message: 'Saved: new videos use it; posts already rendered keep their look until edited.' } satisfies FormResult
  }
  if (intent === TRACKED_LINK_INTENT) {
    const values = formValues(form, ['linkUrl'])
    const res = await callApi<Project>(context, request, path, { method: 'PATCH', body: { linkUrl: values.linkUrl || null } })
    if (!res.ok) return data(problemResult(intent, res.problem, values), { status: res.status })
    return { intent, ok: true, message: values.linkUrl ? 'Saved: posts published from now on carry the link.' : 'Saved: no link in the captions.' } satisfies FormResult
  }
  if (intent === 'delete-project') {
    const res = await callApi(context, request, path, { method: 'DELETE' })
    if (!res.ok) return data(problemResult(intent, res.problem), { status: res.status })
    throw redirect('/dashboard')
  }
  return data({ intent, ok: false, message: `Unknown action “${intent}”.` } satisfies FormResult, { status: 400 })
}

export default function ProjectOverview({ actionData, loaderData }: Route.ComponentProps) {
  const locale = useLocale()
  const { project, workspace } = useProject()
  const result = useActionResult(actionData)
  const update = resultFor(result, 'update-project')
  const updateFailed = update && !update.ok ? update : undefined
  const removal = resultFor(result, 'delete-project')
  const navigation = useNavigation()
  const busy = (intent: string) => navigation.state === 'submitting' && navigation.formData?.get('intent') === intent
  const canEdit = workspace.role !== 'viewer'
  const canDelete = workspace.role === 'owner' || workspace.role === 'admin'
  const brand = resultFor(result, 'update-brand')
  const base = `/projects/${project.id}`
  const { summary } = loaderData
  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
      <div className="min-w-0 space-y-6">
        {summary && <NextStepGuide summary={summary} base={base} />}
        {summary ? <ProjectGlance summary={summary} base={base} /> : <p className="text-sm text-slate-400">The project’s summary could not be loaded; the sections below still work.</p>}
        <div className="grid gap-4 sm:grid-cols-2">
          {PROJECT_SECTIONS.map((s) => (
            <Link key={s.path} to={s.path} className="group rounded-2xl border border-slate-800 bg-slate-900/60 p-5 transition hover:border-violet-500/50">
              <h2 className="font-semibold text-white group-hover:text-violet-200">{s.title}</h2>
              <p className="mt-2 text-sm text-slate-400">{s.summary}</p>
            </Link>
          ))}
        </div>
        {canEdit && (
          <Card title="Project details">
            <Form method="post" className="space-y-4" noValidate aria-label="Project details" key={`${project.name}\n${project.description ?? ''}`}>
              <input type="hidden" name="intent" value="update-project" />
              {update?.ok && <Notice tone="success">{update.message}</Notice>}
              {updateFailed?.message && <Notice>{updateFailed.message}</Notice>}
              <TextField label="Project name" name="name" defaultValue={updateFailed?.values?.name ?? project.name} error={updateFailed?.fieldErrors?.name} />
              <TextField
                label="Description"
                name="description"
                placeholder="What this channel or brand posts"
                defaultValue={updateFailed?.values?.description ?? project.description ?? ''}
                error={updateFailed?.fieldErrors?.description}
              />
              <Button disabled={busy('update-project')}>{busy('update-project') ? 'Saving…' : 'Save'}</Button>
            </Form>
          </Card>
        )}
        {canEdit && <BrandCard project={project} images={loaderData.images} result={brand} busy={busy('update-brand')} />}
        {canEdit && <TrackedLinkSetting linkUrl={project.linkUrl} result={resultFor(result, TRACKED_LINK_INTENT)} busy={busy(TRACKED_LINK_INTENT)} />}
      </div>
      <div className="min-w-0 space-y-6">
        <Card title="About this project">
          <dl className="space-y-3 text-sm">
            <div>
              <dt className="text-slate-400">Workspace</dt>
              <dd className="text-slate-200">{workspace.name}</dd>
            </div>
            <div>
              <dt className="text-slate-400">Created</dt>
              <dd className="text-slate-200">{formatDay(project.createdAt, locale)}</dd>
            </div>
            <div>
              <dt className="text-slate-400">Last updated</dt>
              <dd className="text-slate-200">{formatDay(project.updatedAt, locale)}</dd>
            </div>
            <div>
              <dt className="text-slate-400">Project id</dt>
              <dd className="font-mono text-xs text-slate-300">{project.id}</dd>
            </div>
          </dl>
        </Card>
        {canDelete && (
          <Card title="Delete project" description="Deletes its library, posts and connections. This cannot be undone." className="border-rose-500/30">
            <Form
              method="post"
              aria-label="Delete project"
              onSubmit={(e) => {
                if (!confirm(`Delete “${project.name}” and everything in it?`)) e.preventDefault()
              }}
            >
              <input type="hidden" name="intent" value="delete-project" />
              {removal && !removal.ok && (
                <div className="mb-3">
                  <Notice>{removal.message}</Notice>
                </div>
              )}
              <Button variant="danger" disabled={busy('delete-project')}>
                {busy('delete-project') ? 'Deleting…' : 'Delete project'}
              </Button>
            </Form>
          </Card>
        )}
      </div>
    </div>
  )
}

/** The project's brand and default framing. */
function BrandCard({ project, images, result, busy }: { project: Project; images: Route.ComponentProps['loaderData']['images']; result: FormResult | undefined; busy: boolean }) {
  const failed = result && !result.ok ? result : undefined
  const [color, setColor] = useState(failed?.values?.brandColor ?? project.brandColor ?? '')
  const [logo, setLogo] = useState(failed?.values?.logoMediaId ?? project.logoMediaId ?? '')
  const chosen = images.find((i) => i.id === logo)
  return (
    <Card title="Brand and framing" description="Used by every video this project renders: the corporate style’s bar and hook box are in the brand colour; any style shows the logo in its top corner.">
      <Form method="post" className="space-y-4" noValidate aria-label="Brand and framing">
        <input type="hidden" name="intent" value="update-brand" />
        <FormNotice result={result} />
        <div>
          <label htmlFor="brandColor" className="mb-1 block text-sm font-medium text-slate-200">
            Brand colour
          </label>
          <div className="flex items-center gap-3">
            <input type="color" aria-label="Pick the brand colour" value={/^#[0-9a-f]{6}$/i.test(color) ? color : '#1e40af'} onChange={(e) => setColor(e.currentTarget.value)} className="h-10 w-14 shrink-0 cursor-pointer rounded border border-slate-700 bg-slate-900" />
            <input id="brandColor" name="brandColor" value={color} placeholder="#1e40af (the default blue)" onChange={(e) => setColor(e.currentTarget.value)} aria-invalid={failed?.fieldErrors?.brandColor ? true : undefined} className={`min-w-0 border-slate-700 ${inputClass}`} />
          </div>
          {failed?.fieldErrors?.brandColor ? <p role="alert" className="mt-1 text-sm text-rose-400">{failed.fieldErrors.brandColor}</p> : <p className="mt-1 text-xs text-slate-400">Empty: the default blue. Texts on it are white or dark, whichever reads better.</p>}
        </div>
        <SelectField label="Typeface of hooks and calls to action" name="font" defaultValue={failed?.values?.font ?? project.font ?? ''} error={failed?.fieldErrors?.font} hint="Latin script; other scripts keep the style’s own face.">
          <option value="">Each style’s own</option>
          {BRAND_FONTS.map((f) => (
            <option key={f} value={f}>
              {f}
            </option>
          ))}
        </SelectField>
        <div>
          <SelectField label="Logo" name="logoMediaId" value={logo} onChange={(e) => setLogo(e.currentTarget.value)} error={failed?.fieldErrors?.logoMediaId} hint={images.length ? 'An image from the library (PNG with transparency looks best).' : 'Upload a PNG or JPEG to the library to use it as the logo.'}>
            <option value="">No logo</option>
            {images.map((i) => (
              <option key={i.id} value={i.id}>
                {i.title}
              </option>
            ))}
          </SelectField>
          {chosen?.thumbnailUrl && <img src={chosen.thumbnailUrl} alt={`The logo: ${chosen.title}`} className="mt-2 h-12 w-auto rounded bg-slate-800" />}
        </div>
        <SelectField label="Default framing" name="framing" defaultValue={failed?.values?.framing ?? project.framing} error={failed?.fieldErrors?.framing} hint="How a clip fills the 9:16 frame; each post can change it.">
          {PROJECT_FRAMINGS.map((f) => (
            <option key={f} value={f}>
              {FRAMING_WORDS[f]}
            </option>
          ))}
        </SelectField>
        <Button disabled={busy}>{busy ? 'Saving…' : 'Save brand'}</Button>
      </Form>
    </Card>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteError error={error} />
}
