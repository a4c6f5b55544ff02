/** /projects/:id/library — placeholder until its issue builds it (see app/lib/project-sections.ts). */
import { RouteError } from '../components/route-error'
import { SectionPlaceholder } from '../components/section-placeholder'
import type { Route } from './+types/project.library'

export const meta: Route.MetaFunction = () => [{ title: 'Library · Reelpilot' }]

export default function ProjectLibrary() {
  return <SectionPlaceholder path="library" />
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteError error={error} />
}
