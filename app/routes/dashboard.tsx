/** The dashboard: the visitor's workspaces with their projects, and the forms to create both. */
import { useRef } from 'react'
import { data, Form, Link, useNavigation } from 'react-router'
import type { ProjectSummary } from '../components/project-glance'
import { RouteError } from '../components/route-error'
import { Badge, Button, Card, FormNotice, Notice, PageHeader, SelectField, TextField } from '../components/ui'
import { callApi, loadApi } from '../lib/api.server'
import { formValues, problemResult, resultFor, type FormResult } from '../lib/forms'
import type { List, Project, Workspace } from '../lib/types'
import { useActionResult } from '../lib/use-action-result'
import { formatDay, formatWhen } from '../lib/when'
import { useLocale } from './app-layout'
import type { Route } from './+types/dashboard'

export const meta: Route.MetaFunction = () => [{ title: 'Dashboard · Reelpilot' }]

export async function loader({ context, request }: Route.LoaderArgs) {
  const { data: workspaces } = await loadApi<List<Workspace>>(context, request, '/workspaces')
  const lists = await Promise.all(
    workspaces.map((w) => loadApi<List<Project>>(context, request, `/projects?workspaceId=${encodeURIComponent(w.id)}`)),
  )
  // Each project's glance (#16): its next step while setting up, else its next post and what waits.
  const projects = lists.flatMap((l) => l.data).slice(0, 24)
  const summaries = await Promise.all(projects.map((p) => callApi<ProjectSummary>(context, request, `/projects/${encodeURIComponent(p.id)}/summary`)))
  const glance = Object.fromEntries(projects.flatMap((p, i) => (summaries[i].ok ? [[p.id, summaries[i].data] as const] : [])))
  return { workspaces: workspaces.map((w, i) => ({ ...w, projects: lists[i].data.map((p) => ({ ...p, summary: glance[p.id] ?? null })) })) }
}

export async function action({ context, request }: Route.ActionArgs) {
  const form = await request.formData()
  const intent = String(form.get('intent'))
  if (intent === 'create-workspace') {
    const values = formValues(form, ['name', 'slug'])
    const res = await callApi<Workspace>(context, request, '/workspaces', { method: 'POST', body: values })
    if (!res.ok) return data(problemResult(intent, res.problem, values, { byStatus: { 409: 'slug' } }), { status: res.status })
    return { intent, ok: true, message: `Workspace “${res.data.name}” created.`, target: res.data.id } satisfies FormResult
  }
  if (intent === 'create-project') {
    const values = formValues(form, ['workspaceId', 'name', 'description'])
    const body = { workspaceId: values.workspaceId, name: values.name, ...(values.description ? { description: values.description } : {}) }
    const res = await callApi<Project>(context, request, '/projects', { method: 'POST', body })
    if (!res.ok) return data(problemResult(intent, res.problem, values, { byStatus: { 404: 'workspaceId' } }), { status: res.status })
    return { intent, ok: true, message: `Project “${res.data.name}” created.`, target: res.data.id, values: { workspaceId: values.workspaceId } } satisfies FormResult
  }
  return data({ intent, ok: false, message: `Unknown action “${intent}”.` } satisfies FormResult, { status: 400 })
}

/** A slug suggestion from a name: lowercase letters, digits and dashes. */
function slugify(name: string) {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
}

export default function Dashboard({ loaderData, actionData }: Route.ComponentProps) {
  const locale = useLocale()
  const { workspaces } = loaderData
  const result = useActionResult(actionData)
  const projectCount = workspaces.reduce((n, w) => n + w.projects.length, 0)
  return (
    <>
      <PageHeader
        eyebrow="Dashboard"
        title="Your workspaces"
        description={
          workspaces.length
            ? `${workspaces.length} workspace${workspaces.length === 1 ? '' : 's'}, ${projectCount} project${projectCount === 1 ? '' : 's'}. A project is one channel or brand, with its own library and autopilot.`
            : 'A workspace holds your team and your projects. Create your first one to begin.'
        }
      />
      <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
        <div className="space-y-6" data-testid="workspaces">
          {workspaces.length === 0 && (
            <Card>
              <div className="py-10 text-center">
                <p className="text-lg font-medium text-white">No workspaces yet</p>
                <p className="mt-2 text-sm text-slate-400">Create one with the “New workspace” form; you become its owner.</p>
              </div>
            </Card>
          )}
          {workspaces.map((w) => (
            <Card
              key={w.id}
              title={
                <span className="flex items-center gap-2">
                  {w.name}
                  {w.role && <Badge tone={w.role === 'owner' ? 'violet' : 'slate'}>{w.role}</Badge>}
                </span>
              }
              description={
                <>
                  <span className="font-mono text-xs">{w.slug}</span> · {w.plan} plan · since {formatDay(w.createdAt, locale)}
                </>
              }
              actions={
                <Link to={`/settings?workspace=${w.id}`} className="text-sm text-violet-300 hover:text-violet-200">
                  Settings
                </Link>
              }
            >
              {w.projects.length === 0 ? (
                <p className="rounded-xl border border-dashed border-slate-700 px-4 py-6 text-center text-sm text-slate-400">No projects in this workspace yet.</p>
              ) : (
                <ul className="grid gap-3 sm:grid-cols-2" aria-label={`Projects in ${w.name}`}>
                  {w.projects.map((p) => (
                    <li key={p.id}>
                      <Link
                        to={`/projects/${p.id}`}
                        className="block h-full rounded-xl border border-slate-800 bg-slate-950/60 p-4 transition hover:border-violet-500/50 hover:bg-slate-900"
                      >
                        <p className="font-medium text-white">{p.name}</p>
                        <p className="mt-1 line-clamp-2 text-sm text-slate-400">{p.description || 'No description'}</p>
                        <ProjectLine summary={p.summary} />
                      </Link>
                    </li>
                  ))}
                </ul>
              )}
            </Card>
          ))}
        </div>

        <aside className="space-y-6">
          <NewWorkspaceForm result={resultFor(result, 'create-workspace')} />
          <NewProjectForm workspaces={workspaces} result={resultFor(result, 'create-project')} />
        </aside>
      </div>
    </>
  )
}

const STEP_WORDS = { connect: 'Next step: connect an account', upload: 'Next step: upload clips', autopilot: 'Next step: set the autopilot' } as const

/** A project's state in a line: its next setup step, else its next post and what waits. */
function ProjectLine({ summary }: { summary: ProjectSummary | null }) {
  const locale = useLocale()
  if (!summary) return null
  if (summary.setup.nextStep) return <p className="mt-3 text-xs font-medium text-violet-300">{STEP_WORDS[summary.setup.nextStep]}</p>
  const parts = [summary.nextPost ? `Next post ${formatWhen(summary.nextPost.scheduledAt, summary.timezone, locale, Date.now(), false)}` : 'Nothing planned']
  if (summary.awaitingApproval.count) parts.push(`${summary.awaitingApproval.count} awaiting approval`)
  if (summary.attention.connections.length) parts.push(`${summary.attention.connections.length} connection${summary.attention.connections.length === 1 ? '' : 's'} to fix`)
  return <p className="mt-3 text-xs text-slate-300">{parts.join(' · ')}</p>
}

function useSubmitting(intent: string) {
  const navigation = useNavigation()
  return navigation.state === 'submitting' && navigation.formData?.get('intent') === intent
}

function NewWorkspaceForm({ result }: { result?: FormResult }) {
  const busy = useSubmitting('create-workspace')
  const failed = result && !result.ok ? result : undefined
  // The slug follows the name until the visitor edits it. Uncontrolled, so typing before hydration is kept.
  const slugInput = useRef<HTMLInputElement>(null)
  const slugEdited = useRef(Boolean(failed?.values?.slug))
  return (
    <Card title="New workspace" description="For a team, a client or a brand. You become its owner.">
      {/* A new key after each success empties the form. */}
      <Form method="post" className="space-y-4" noValidate key={result?.ok ? result.target : 'workspace-form'} aria-label="New workspace">
        <input type="hidden" name="intent" value="create-workspace" />
        <FormNotice result={result} />
        <TextField
          label="Workspace name"
          name="name"
          required
          placeholder="Acme Studio"
          defaultValue={failed?.values?.name}
          error={failed?.fieldErrors?.name}
          onChange={(e) => {
            if (!slugEdited.current && slugInput.current) slugInput.current.value = slugify(e.currentTarget.value)
          }}
        />
        <TextField
          ref={slugInput}
          label="Slug"
          name="slug"
          required
          placeholder="acme-studio"
          defaultValue={failed?.values?.slug}
          onChange={() => {
            slugEdited.current = true
          }}
          error={failed?.fieldErrors?.slug}
          hint="3–48 lowercase letters, digits and dashes; unique across Reelpilot."
        />
        <Button className="w-full" disabled={busy}>
          {busy ? 'Creating…' : 'Create workspace'}
        </Button>
      </Form>
    </Card>
  )
}

function NewProjectForm({ workspaces, result }: { workspaces: Workspace[]; result?: FormResult }) {
  const busy = useSubmitting('create-project')
  const failed = result && !result.ok ? result : undefined
  if (workspaces.length === 0) {
    return (
      <Card title="New project" description="A channel or brand, with its own library, autopilot and connections.">
        <p className="text-sm text-slate-400">Create a workspace first; projects live inside one.</p>
      </Card>
    )
  }
  const writable = workspaces.filter((w) => w.role !== 'viewer')
  return (
    <Card title="New project" description="A channel or brand, with its own library, autopilot and connections.">
      <Form method="post" className="space-y-4" noValidate key={result?.ok ? result.target : 'project-form'} aria-label="New project">
        <input type="hidden" name="intent" value="create-project" />
        {result?.ok && (
          <Notice tone="success">
            {result.message}{' '}
            <Link to={`/projects/${result.target}/connections`} className="font-medium text-white underline" data-testid="first-step">
              Next: connect an account
            </Link>
          </Notice>
        )}
        {failed?.message && <Notice>{failed.message}</Notice>}
        <SelectField
          label="Workspace"
          name="workspaceId"
          defaultValue={result?.values?.workspaceId ?? writable[writable.length - 1]?.id ?? workspaces[0].id}
          error={failed?.fieldErrors?.workspaceId}
        >
          {workspaces.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name}
              {w.role === 'viewer' ? ' (viewer)' : ''}
            </option>
          ))}
        </SelectField>
        <TextField label="Project name" name="name" required placeholder="Weekly recipe Shorts" defaultValue={failed?.values?.name} error={failed?.fieldErrors?.name} />
        <TextField label="Description" name="description" placeholder="Optional" defaultValue={failed?.values?.description} error={failed?.fieldErrors?.description} />
        <Button className="w-full" disabled={busy}>
          {busy ? 'Creating…' : 'Create project'}
        </Button>
      </Form>
    </Card>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteError error={error} />
}
