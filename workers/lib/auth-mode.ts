/** Which sign-in the deployment uses: Clerk when a secret key is configured, local sign-in otherwise. */
export function isLocalAuth(env: Pick<Env, 'CLERK_SECRET_KEY'>): boolean {
  return !env.CLERK_SECRET_KEY
}
