/**
 * Which sign-in the deployment uses, chosen explicitly and failing closed:
 * - local sign-in (password-less tokens signed by a local key, `POST /api/dev/token`) only when
 *   `APP_ENV` is `local` and no Clerk secret is set;
 * - Clerk otherwise, which needs `CLERK_SECRET_KEY` and a non-empty `CLERK_AUTHORIZED_PARTIES`.
 * A deployment that is not local and misses either is misconfigured: every request answers 503
 * naming the setting (see `configurationGuard`), never a token.
 */
type AuthEnv = Partial<Pick<Env, 'APP_ENV' | 'CLERK_SECRET_KEY' | 'CLERK_AUTHORIZED_PARTIES'>>

export type AuthMode = { kind: 'local' } | { kind: 'clerk'; authorizedParties: string[] } | { kind: 'misconfigured'; setting: string; problem: string }

/** The origins allowed as a Clerk token's `azp`. */
export function authorizedParties(env: AuthEnv): string[] {
  return (env.CLERK_AUTHORIZED_PARTIES ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
}

export function authMode(env: AuthEnv): AuthMode {
  const local = env.APP_ENV === 'local'
  if (!env.CLERK_SECRET_KEY) {
    if (local) return { kind: 'local' }
    return {
      kind: 'misconfigured',
      setting: 'CLERK_SECRET_KEY',
      problem: `CLERK_SECRET_KEY is not set, and APP_ENV is ${env.APP_ENV ? `"${env.APP_ENV}"` : 'not set'}: outside APP_ENV=local sign-in is Clerk's, and needs its secret key.`,
    }
  }
  const parties = authorizedParties(env)
  if (parties.length === 0) {
    return { kind: 'misconfigured', setting: 'CLERK_AUTHORIZED_PARTIES', problem: "CLERK_AUTHORIZED_PARTIES is empty: list the origins allowed to use this deployment's sessions (comma-separated)." }
  }
  return { kind: 'clerk', authorizedParties: parties }
}

/** True only for local sign-in (APP_ENV=local, no Clerk secret). */
export function isLocalAuth(env: AuthEnv): boolean {
  return authMode(env).kind === 'local'
}
