/** /projects/:id — the overview: the project's facts and a way into each section. */
import { Link } from 'react-router'
import { RouteError } from '../components/route-error'
import { Card, formatDate } from '../components/ui'
import { PROJECT_SECTIONS } from '../lib/project-sections'
import { useProject } from './project'
import type { Route } from './+types/project.overview'

export default function ProjectOverview() {
  const { project, workspace } = useProject()
  return (
    <div className="grid gap-6 lg:grid-cols-[1fr_18rem]">
      <div className="grid gap-4 sm:grid-cols-2">
        {PROJECT_SECTIONS.map((s) => (
          <Link key={s.path} to={s.path} className="group rounded-2xl border border-slate-800 bg-slate-900/60 p-5 transition hover:border-violet-500/50">
            <h2 className="font-semibold text-white group-hover:text-violet-200">{s.title}</h2>
            <p className="mt-2 text-sm text-slate-400">{s.summary}</p>
          </Link>
        ))}
      </div>
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
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteError error={error} />
}
