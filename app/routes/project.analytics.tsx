/** /projects/:id/analytics — placeholder until its issue builds it (see app/lib/project-sections.ts). */
import { RouteError } from '../components/route-error'
import { SectionPlaceholder } from '../components/section-placeholder'
import type { Route } from './+types/project.analytics'

export const meta: Route.MetaFunction = () => [{ title: 'Analytics · Reelpilot' }]

export default function ProjectAnalytics() {
  return <SectionPlaceholder path="analytics" />
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteError error={error} />
}
