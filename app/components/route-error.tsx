/** What an ErrorBoundary shows: the API's problem detail when there is one, never a stack trace. */
import { isRouteErrorResponse, Link } from 'react-router'
import { buttonClass } from './ui'

function describe(error: unknown): { status?: number; title: string; detail: string } {
  if (isRouteErrorResponse(error)) {
    const body = error.data as { detail?: unknown } | string | undefined
    // The router's own 404 (no route for the address) says so in its words ("Error: No route
    // matches URL …"); a visitor gets ours.
    const noRoute = error.status === 404 && typeof body === 'string' && body.startsWith('Error: No route matches URL')
    const detail = noRoute ? 'There is no page at this address. Check the link, or start again from the dashboard.' : typeof body === 'string' ? body : typeof body?.detail === 'string' ? body.detail : error.statusText
    const titles: Record<number, string> = { 403: 'Not allowed', 404: 'Not found' }
    return { status: error.status, title: titles[error.status] ?? error.statusText ?? 'Something went wrong', detail: detail || 'The page could not be loaded.' }
  }
  return { title: 'Something went wrong', detail: 'The page could not be shown. Try again in a moment.' }
}

export function RouteError({ error }: { error: unknown }) {
  const { status, title, detail } = describe(error)
  return (
    <div className="mx-auto max-w-xl rounded-2xl border border-slate-800 bg-slate-900/60 p-8 text-center">
      {status && <p className="text-sm font-semibold text-violet-300">{status}</p>}
      <h1 className="mt-2 text-2xl font-semibold text-white">{title}</h1>
      <p className="mt-3 text-sm text-slate-400">{detail}</p>
      <div className="mt-6 flex justify-center gap-3">
        <Link to="/dashboard" className={buttonClass('secondary')}>
          Back to the dashboard
        </Link>
      </div>
    </div>
  )
}

/** A route's whole-page ErrorBoundary: RouteError in the page's `<main>` (by default the padding of the public pages). */
export function PageError({ error, className = 'px-4 py-16' }: { error: unknown; className?: string }) {
  return (
    <main className={className}>
      <RouteError error={error} />
    </main>
  )
}
