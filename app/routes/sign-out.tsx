/**
 * Sign-out: drops the `__session` cookie. With Clerk, the browser's Clerk session is ended too
 * (GET /sign-out runs clerk-js's signOut), or Clerk would hand out a new cookie.
 */
import { data, redirect } from 'react-router'
import { isLocalAuth } from '../../workers/lib/auth-mode'
import { ClerkSignOut, clerkFrontendApi } from '../components/clerk'
import { PageError } from '../components/route-error'
import { cloudflareContext } from '../context'
import { clearSessionCookie } from '../lib/session.server'
import type { Route } from './+types/sign-out'

export const meta: Route.MetaFunction = () => [{ title: 'Signing out · Reelpilot' }]

export async function loader({ context, request }: Route.LoaderArgs) {
  const { env } = context.get(cloudflareContext)
  const headers = { 'set-cookie': clearSessionCookie(request) }
  const publishableKey = env.CLERK_PUBLISHABLE_KEY ?? ''
  const frontendApi = clerkFrontendApi(publishableKey)
  if (isLocalAuth(env) || !frontendApi) throw redirect('/', { headers })
  return data({ publishableKey, frontendApi }, { headers })
}

export async function action({ context, request }: Route.ActionArgs) {
  const { env } = context.get(cloudflareContext)
  const to = isLocalAuth(env) ? '/' : '/sign-out'
  return redirect(to, { headers: { 'set-cookie': clearSessionCookie(request) } })
}

export default function SignOut({ loaderData }: Route.ComponentProps) {
  return (
    <main className="flex min-h-screen items-center justify-center">
      <ClerkSignOut publishableKey={loaderData.publishableKey} frontendApi={loaderData.frontendApi} />
    </main>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <PageError error={error} />
}
