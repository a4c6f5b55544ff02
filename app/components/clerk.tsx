/**
 * Production sign-in through Clerk's own frontend (clerk-js), loaded from the instance's Frontend
 * API named in the publishable key. Clerk sets the `__session` cookie the API reads. Local mode
 * never renders this.
 */
import { useEffect, useRef, useState } from 'react'
import { clerkFrontendApi } from '../../workers/lib/clerk-frontend'

/** The Frontend API host a publishable key points at (shared with the Worker's CSP). */
export { clerkFrontendApi }

interface ClerkGlobal {
  load(options?: Record<string, unknown>): Promise<void>
  mountSignIn(node: HTMLDivElement, props?: Record<string, unknown>): void
  unmountSignIn(node: HTMLDivElement): void
  signOut(options?: { redirectUrl?: string }): Promise<void>
}

/** Loads clerk-js once and resolves to the ready `window.Clerk`. */
function loadClerk(publishableKey: string, frontendApi: string): Promise<ClerkGlobal> {
  const w = window as unknown as { Clerk?: ClerkGlobal; __reelpilotClerk?: Promise<ClerkGlobal> }
  w.__reelpilotClerk ??= new Promise<ClerkGlobal>((resolve, reject) => {
    const script = document.createElement('script')
    script.src = `https://${frontendApi}/npm/@clerk/clerk-js@5/dist/clerk.browser.js`
    script.async = true
    script.crossOrigin = 'anonymous'
    script.dataset.clerkPublishableKey = publishableKey
    script.onload = () => {
      const clerk = w.Clerk
      if (!clerk) return reject(new Error('clerk-js loaded without window.Clerk'))
      clerk.load().then(() => resolve(clerk), reject)
    }
    script.onerror = () => reject(new Error(`Could not load Clerk from ${frontendApi}`))
    document.head.appendChild(script)
  })
  return w.__reelpilotClerk
}

export function ClerkSignIn({ publishableKey, frontendApi, redirectTo }: { publishableKey: string; frontendApi: string; redirectTo: string }) {
  const node = useRef<HTMLDivElement>(null)
  const [error, setError] = useState<string>()
  useEffect(() => {
    const el = node.current
    if (!el) return
    let mounted: ClerkGlobal | undefined
    loadClerk(publishableKey, frontendApi).then(
      (clerk) => {
        clerk.mountSignIn(el, { forceRedirectUrl: redirectTo, signUpForceRedirectUrl: redirectTo })
        mounted = clerk
      },
      (e: Error) => setError(e.message),
    )
    return () => mounted?.unmountSignIn(el)
  }, [publishableKey, frontendApi, redirectTo])
  return (
    <div>
      <div ref={node} />
      {error ? <p className="text-sm text-rose-400">{error}</p> : <noscript>Signing in with Clerk needs JavaScript.</noscript>}
    </div>
  )
}

/** Ends the Clerk session in the browser too (the server has already dropped the cookie). */
export function ClerkSignOut({ publishableKey, frontendApi }: { publishableKey: string; frontendApi: string }) {
  useEffect(() => {
    loadClerk(publishableKey, frontendApi)
      .then((clerk) => clerk.signOut({ redirectUrl: '/' }))
      .catch(() => window.location.assign('/'))
  }, [publishableKey, frontendApi])
  return <p className="text-sm text-slate-400">Signing you out…</p>
}
