/** /projects/:id/autopilot — placeholder until its issue builds it (see app/lib/project-sections.ts). */
import { RouteError } from '../components/route-error'
import { SectionPlaceholder } from '../components/section-placeholder'
import type { Route } from './+types/project.autopilot'

export const meta: Route.MetaFunction = () => [{ title: 'Autopilot · Reelpilot' }]

export default function ProjectAutopilot() {
  return <SectionPlaceholder path="autopilot" />
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteError error={error} />
}
