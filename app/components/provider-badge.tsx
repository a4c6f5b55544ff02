/** Who wrote an answer: the AI provider and model, or the built-in templates (never called AI), and why when it stood in. */
import { Badge } from './ui'

export function ProviderBadge({ provider }: { provider: { name: string; label: string; fallback: boolean; reason?: string } }) {
  return (
    <p className="flex flex-wrap items-center gap-2 text-xs text-slate-400" data-testid="provider">
      <span>Written by</span>
      <Badge tone={provider.name === 'builtin' ? 'slate' : 'violet'}>{provider.label}</Badge>
      {provider.fallback && provider.reason && <span className="text-amber-300">Stood in: {provider.reason}</span>}
    </p>
  )
}
