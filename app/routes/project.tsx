/** A project: its header and the secondary navigation; each section is a nested route. */
import { Link, NavLink, Outlet, useRouteLoaderData } from 'react-router'
import { RouteError } from '../components/route-error'
import { ScrollRow } from '../components/scroll-row'
import { Badge } from '../components/ui'
import { loadApi } from '../lib/api.server'
import { PROJECT_SECTIONS } from '../lib/project-sections'
import type { Project, Workspace } from '../lib/types'
import type { Route } from './+types/project'

export const meta: Route.MetaFunction = ({ loaderData }) => [{ title: loaderData ? `${loaderData.project.name} · Reelpilot` : 'Project · Reelpilot' }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  const project = await loadApi<Project>(context, request, `/projects/${encodeURIComponent(params.id)}`)
  const workspace = await loadApi<Workspace>(context, request, `/workspaces/${encodeURIComponent(project.workspaceId)}`)
  return { project, workspace }
}

/** The project and its workspace, for the nested section routes. */
export function useProject() {
  const data = useRouteLoaderData<typeof loader>('routes/project')
  if (!data) throw new Error('useProject() is for routes nested under /projects/:id')
  return data
}

const tabClass = ({ isActive }: { isActive: boolean }) =>
  `whitespace-nowrap border-b-2 px-1 pb-3 text-sm font-medium transition ${isActive ? 'border-violet-400 text-white' : 'border-transparent text-slate-400 hover:border-slate-600 hover:text-slate-200'}`

export default function ProjectLayout({ loaderData }: Route.ComponentProps) {
  const { project, workspace } = loaderData
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-3 text-sm text-slate-400">
        <Link to="/dashboard" className="hover:text-white">
          Dashboard
        </Link>
        <span className="mx-2 text-slate-400">/</span>
        <Link to={`/settings?workspace=${workspace.id}`} className="hover:text-white">
          {workspace.name}
        </Link>
      </nav>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="break-words text-2xl font-semibold tracking-tight text-white sm:text-3xl">{project.name}</h1>
          <p className="mt-2 max-w-2xl text-sm text-slate-400">{project.description || 'No description yet.'}</p>
        </div>
        {workspace.role && <Badge tone="violet">Your role: {workspace.role}</Badge>}
      </div>
      <ScrollRow aria-label="Project" className="mt-6 flex gap-6 border-b border-slate-800">
        <NavLink to="." end className={tabClass}>
          Overview
        </NavLink>
        {PROJECT_SECTIONS.map((s) => (
          <NavLink key={s.path} to={s.path} className={tabClass}>
            {s.title}
          </NavLink>
        ))}
      </ScrollRow>
      <div className="pt-8">
        <Outlet />
      </div>
    </>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteError error={error} />
}
