/** /projects/:id/content — placeholder until its issue builds it (see app/lib/project-sections.ts). */
import { RouteError } from '../components/route-error'
import { SectionPlaceholder } from '../components/section-placeholder'
import type { Route } from './+types/project.content'

export const meta: Route.MetaFunction = () => [{ title: 'Content · Reelpilot' }]

export default function ProjectContent() {
  return <SectionPlaceholder path="content" />
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteError error={error} />
}
