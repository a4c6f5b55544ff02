/**
 * The session cookie. It is named `__session`, as Clerk names it, so the API reads local and
 * Clerk sessions the same way.
 */
export const SESSION_COOKIE = '__session'

/** Local session tokens live 7 days (see workers/lib/local-auth.ts); the cookie lives as long. */
const SESSION_MAX_AGE = 60 * 60 * 24 * 7

function attributes(request: Request) {
  const secure = new URL(request.url).protocol === 'https:'
  return `Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`
}

/** `Set-Cookie` for a new session token. Secure only when the site is served over https. */
export function sessionCookie(request: Request, token: string) {
  return `${SESSION_COOKIE}=${token}; ${attributes(request)}; Max-Age=${SESSION_MAX_AGE}`
}

/** `Set-Cookie` that removes the session. */
export function clearSessionCookie(request: Request) {
  return `${SESSION_COOKIE}=; ${attributes(request)}; Max-Age=0`
}

/** Whether the visitor sent a session cookie at all (it may still be refused by the API). */
export function hasSessionCookie(request: Request) {
  return (request.headers.get('cookie') ?? '').split(/;\s*/).some((c) => c.startsWith(`${SESSION_COOKIE}=`) && c.length > SESSION_COOKIE.length + 1)
}

/**
 * A place on this site to go back to after signing in; anything else becomes `fallback`. The value
 * is resolved the way a browser would (tabs and newlines dropped, `\\` read as `/`) against our
 * origin and must stay on it; what comes back is path, query and fragment, percent-encoded, so it
 * is safe in a Location header.
 */
export function safeRedirectTo(value: FormDataEntryValue | string | null | undefined, request: Request, fallback = '/dashboard') {
  if (typeof value !== 'string' || !value.startsWith('/')) return fallback
  const origin = new URL(request.url).origin
  let target: URL
  try {
    target = new URL(value, origin)
  } catch {
    return fallback
  }
  if (target.origin !== origin) return fallback
  return `${target.pathname}${target.search}${target.hash}`
}
