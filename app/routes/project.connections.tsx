/** /projects/:id/connections — placeholder until its issue builds it (see app/lib/project-sections.ts). */
import { RouteError } from '../components/route-error'
import { SectionPlaceholder } from '../components/section-placeholder'
import type { Route } from './+types/project.connections'

export const meta: Route.MetaFunction = () => [{ title: 'Connections · Reelpilot' }]

export default function ProjectConnections() {
  return <SectionPlaceholder path="connections" />
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteError error={error} />
}
