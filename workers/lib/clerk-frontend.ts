/** The Frontend API host a Clerk publishable key (`pk_live_<base64 "host$">`) points at, or undefined. Pure. */
export function clerkFrontendApi(publishableKey: string): string | undefined {
  const match = publishableKey.match(/^pk_(?:test|live)_(.+)$/)
  if (!match) return undefined
  try {
    const host = atob(match[1]).replace(/\$$/, '')
    return /^[a-z0-9.-]+$/i.test(host) ? host : undefined
  } catch {
    return undefined
  }
}
