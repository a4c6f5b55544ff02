/** The page of a project section that is not built yet: what it will hold, said plainly. */
import { projectSection } from '../lib/project-sections'
import { Badge } from './ui'

export function SectionPlaceholder({ path }: { path: string }) {
  const section = projectSection(path)
  return (
    <section aria-labelledby={`section-${path}`} className="rounded-2xl border border-dashed border-slate-700 bg-slate-900/40 p-6">
      <div className="flex items-center gap-3">
        <h2 id={`section-${path}`} className="text-lg font-semibold text-white">
          {section.title}
        </h2>
        <Badge tone="amber">Not built yet</Badge>
      </div>
      <p className="mt-2 text-sm text-slate-400">{section.summary}</p>
      <p className="mt-5 text-sm font-medium text-slate-300">This page will hold:</p>
      <ul className="mt-2 list-disc space-y-1.5 pl-5 text-sm text-slate-400">
        {section.willHold.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
      <p className="mt-5 text-xs text-slate-400">Nothing here is working yet, so nothing is shown; there is no sample data.</p>
    </section>
  )
}
