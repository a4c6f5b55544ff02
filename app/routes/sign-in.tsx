/**
 * Sign-in. Local mode (no CLERK_SECRET_KEY): type an email, get a local session token from the
 * API, keep it in the `__session` cookie. Production mode: Clerk's own sign-in, which sets the
 * same cookie.
 */
import { data, Form, Link, redirect, useNavigation } from 'react-router'
import { isLocalAuth } from '../../workers/lib/auth-mode'
import { ClerkSignIn, clerkFrontendApi } from '../components/clerk'
import { PageError } from '../components/route-error'
import { Button, Logo, Notice, TextField } from '../components/ui'
import { callApi } from '../lib/api.server'
import { formValues, problemResult, type FormResult } from '../lib/forms'
import { hasSessionCookie, safeRedirectTo, sessionCookie } from '../lib/session.server'
import { cloudflareContext } from '../context'
import type { Me } from '../lib/types'
import type { Route } from './+types/sign-in'

export const meta: Route.MetaFunction = () => [{ title: 'Sign in · Reelpilot' }]

export async function loader({ context, request }: Route.LoaderArgs) {
  const { env } = context.get(cloudflareContext)
  const redirectTo = safeRedirectTo(new URL(request.url).searchParams.get('redirectTo'), request)
  if (hasSessionCookie(request)) {
    // Already signed in: straight on. A refused cookie falls through to the form (callApi clears it).
    const me = await callApi<Me>(context, request, '/me').catch(() => undefined)
    if (me?.ok) throw redirect(redirectTo)
  }
  if (isLocalAuth(env)) return { mode: 'local' as const, redirectTo }
  const publishableKey = env.CLERK_PUBLISHABLE_KEY ?? ''
  return { mode: 'clerk' as const, redirectTo, publishableKey, frontendApi: clerkFrontendApi(publishableKey) }
}

export async function action({ context, request }: Route.ActionArgs) {
  const { env } = context.get(cloudflareContext)
  if (!isLocalAuth(env)) throw data('Local sign-in is off: this deployment signs in with Clerk.', { status: 404 })
  const form = await request.formData()
  const values = formValues(form, ['email', 'name'])
  const body = { email: values.email ?? '', ...(values.name ? { name: values.name } : {}) }
  const res = await context.get(cloudflareContext).api('/dev/token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  const answer = (await res.json().catch(() => ({}))) as { token?: string; detail?: string; errors?: { field: string; message: string }[] }
  if (!res.ok || !answer.token) {
    return data(problemResult('sign-in', { status: res.status, detail: answer.detail ?? 'Sign-in failed.', errors: answer.errors }, values), { status: res.ok ? 500 : res.status })
  }
  return redirect(safeRedirectTo(form.get('redirectTo'), request), { headers: { 'set-cookie': sessionCookie(request, answer.token) } })
}

export default function SignIn({ loaderData, actionData }: Route.ComponentProps) {
  const result = actionData as FormResult | undefined
  const busy = useNavigation().state === 'submitting'
  return (
    <main className="flex min-h-screen flex-col items-center justify-center bg-[radial-gradient(ellipse_at_top,rgba(139,92,246,0.18),transparent_60%)] px-4 py-12">
      <Link to="/" className="mb-8">
        <Logo className="text-lg" />
      </Link>
      <div className="w-full max-w-sm rounded-2xl border border-slate-800 bg-slate-900/70 p-6 shadow-2xl shadow-black/40">
        <h1 className="text-xl font-semibold text-white">Sign in to Reelpilot</h1>
        {loaderData.mode === 'local' ? (
          <>
            <p className="mt-1 text-sm text-slate-400">
              Local mode: no password. Type any email; a session for it is signed with this machine's local key.
            </p>
            <Form method="post" className="mt-6 space-y-4" noValidate>
              <input type="hidden" name="redirectTo" value={loaderData.redirectTo} />
              {result?.message && <Notice>{result.message}</Notice>}
              <TextField
                label="Email"
                name="email"
                type="email"
                autoComplete="email"
                required
                placeholder="you@example.com"
                defaultValue={result?.values?.email}
                error={result?.fieldErrors?.email}
              />
              <TextField
                label="Name"
                name="name"
                autoComplete="name"
                placeholder="Optional"
                defaultValue={result?.values?.name}
                error={result?.fieldErrors?.name}
              />
              <Button className="w-full" disabled={busy}>
                {busy ? 'Signing in…' : 'Sign in'}
              </Button>
            </Form>
          </>
        ) : (
          <div className="mt-6">
            {loaderData.frontendApi ? (
              <ClerkSignIn publishableKey={loaderData.publishableKey} frontendApi={loaderData.frontendApi} redirectTo={loaderData.redirectTo} />
            ) : (
              <Notice>Clerk is on (CLERK_SECRET_KEY is set) but CLERK_PUBLISHABLE_KEY is missing or not a Clerk publishable key.</Notice>
            )}
          </div>
        )}
      </div>
    </main>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <PageError error={error} />
}
