/** The frame of every signed-in page. Its loader is also the sign-in gate: a 401 goes to /sign-in. */
import { Outlet, useRouteLoaderData } from 'react-router'
import { AppHeader } from '../components/app-header'
import { PageError } from '../components/route-error'
import { loadApi } from '../lib/api.server'
import { useFocusFirstError } from '../lib/use-focus-first-error'
import type { Me } from '../lib/types'
import { localeFrom } from '../lib/when'
import type { Route } from './+types/app-layout'

export async function loader({ context, request }: Route.LoaderArgs) {
  const me = await loadApi<Me>(context, request, '/me')
  if (me.kind !== 'user') throw new Response('Sign in as a person to use the web app.', { status: 403 })
  // The reader's locale for dates in words, from the request, so server and browser agree.
  return { user: { email: me.email, name: me.name }, locale: localeFrom(request.headers.get('Accept-Language')) }
}

/** The signed-in person, for any page inside the frame. */
export function useSignedInUser() {
  return useRouteLoaderData<typeof loader>('routes/app-layout')?.user
}

/** The reader's locale (from Accept-Language) for dates and numbers in words. */
export function useLocale(): string {
  return useRouteLoaderData<typeof loader>('routes/app-layout')?.locale ?? 'en'
}

export default function AppLayout({ loaderData }: Route.ComponentProps) {
  useFocusFirstError()
  return (
    <div className="min-h-screen bg-[radial-gradient(ellipse_at_top,rgba(139,92,246,0.12),transparent_60%)]">
      <a href="#content" className="sr-only z-[60] rounded-lg bg-violet-600 px-4 py-2 text-sm font-medium text-white focus:not-sr-only focus:fixed focus:left-4 focus:top-3">
        Skip to content
      </a>
      <AppHeader email={loaderData.user.email} name={loaderData.user.name} />
      <main id="content" tabIndex={-1} className="mx-auto max-w-6xl px-4 py-8 outline-none sm:px-6">
        <Outlet />
      </main>
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <PageError error={error} className="mx-auto max-w-6xl px-4 py-8 sm:px-6" />
}
