/** /projects/:id — the overview: a way into each section, and the project's own details. */
import { data, Form, Link, redirect, useNavigation } from 'react-router'
import { RouteError } from '../components/route-error'
import { Button, Card, formatDate, Notice, TextField } from '../components/ui'
import { callApi } from '../lib/api.server'
import { formValues, problemResult, resultFor, type FormResult } from '../lib/forms'
import { PROJECT_SECTIONS } from '../lib/project-sections'
import type { Project } from '../lib/types'
import { useProject } from './project'
import { useActionResult } from '../lib/use-action-result'
import type { Route } from './+types/project.overview'

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
  if (intent === 'delete-project') {
    const res = await callApi(context, request, path, { method: 'DELETE' })
    if (!res.ok) return data(problemResult(intent, res.problem), { status: res.status })
    throw redirect('/dashboard')
  }
  return data({ intent, ok: false, message: `Unknown action “${intent}”.` } satisfies FormResult, { status: 400 })
}

export default function ProjectOverview({ actionData }: Route.ComponentProps) {
  const { project, workspace } = useProject()
  const result = useActionResult(actionData)
  const update = resultFor(result, 'update-project')
  const updateFailed = update && !update.ok ? update : undefined
  const removal = resultFor(result, 'delete-project')
  const navigation = useNavigation()
  const busy = (intent: string) => navigation.state === 'submitting' && navigation.formData?.get('intent') === intent
  const canEdit = workspace.role !== 'viewer'
  const canDelete = workspace.role === 'owner' || workspace.role === 'admin'
  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
      <div className="space-y-6">
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
      </div>
      <div className="space-y-6">
        <Card title="About this project">
          <dl className="space-y-3 text-sm">
            <div>
              <dt className="text-slate-500">Workspace</dt>
              <dd className="text-slate-200">{workspace.name}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Created</dt>
              <dd className="text-slate-200">{formatDate(project.createdAt)}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Last updated</dt>
              <dd className="text-slate-200">{formatDate(project.updatedAt)}</dd>
            </div>
            <div>
              <dt className="text-slate-500">Project id</dt>
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

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteError error={error} />
}
