/**
 * The Worker's configuration, checked with one zod schema at each entry point: fetch
 * (`configurationGuard` in workers/app.ts), queue (workers/queues/index.ts) and scheduled
 * (workers/index.ts). A deployment that lacks a setting it needs fails closed and says which:
 * every request answers 503 naming it (the same answer as a misconfigured sign-in,
 * lib/auth-mode.ts), queue messages wait and are retried, the cron does nothing and logs it.
 * Past the edge, code may rely on these settings; nothing falls back to a guess.
 */
import { z } from 'zod'
import { authMode } from './auth-mode'
import { HttpError } from './errors'

const secret = (what: string) => z.string({ error: `is not set: ${what}` }).trim().min(1, `is not set: ${what}`)

/** What every deployment needs besides its sign-in (auth-mode.ts), each with what it is for. */
const configSchema = z.object({
  PUBLIC_URL: z.url({
    protocol: /^https?$/,
    error: "is not set (or not an http(s) URL): the Worker's public origin, on which every signed storage URL is made",
  }),
  UPLOAD_SIGNING_KEY: secret('the HMAC key of the signed storage URLs (wrangler secret put UPLOAD_SIGNING_KEY)'),
  RENDER_SHARED_SECRET: secret('the secret the render server requires of the Worker (wrangler secret put RENDER_SHARED_SECRET)'),
  TOKEN_ENCRYPTION_KEY: secret('the key OAuth tokens are encrypted with at rest, v1:<base64 of 32 random bytes>'),
})

/** A setting the deployment lacks or has wrong, and why it matters. */
export interface Misconfiguration {
  setting: string
  problem: string
}

type ConfigEnv = Partial<Pick<Env, 'APP_ENV' | 'CLERK_SECRET_KEY' | 'CLERK_AUTHORIZED_PARTIES' | keyof z.input<typeof configSchema>>>

// The bindings of an isolate do not change: each env object is checked once.
const checked = new WeakMap<object, Misconfiguration[]>()

/** Every setting this deployment lacks or has wrong, sign-in first; empty when it can run. */
/** How long work waits when the deployment lacks a setting: queue batches are retried, the scheduler's alarm rings again. */
export const MISCONFIGURED_RETRY_SEC = 300

export function misconfigurations(env: ConfigEnv): Misconfiguration[] {
  const known = checked.get(env)
  if (known) return known
  const found: Misconfiguration[] = []
  const mode = authMode(env)
  if (mode.kind === 'misconfigured') found.push({ setting: mode.setting, problem: mode.problem })
  const parsed = configSchema.safeParse(env)
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const setting = String(issue.path[0])
      found.push({ setting, problem: `${setting} ${issue.message}.` })
    }
  }
  checked.set(env, found)
  return found
}

/**
 * Why work died in a dead-letter queue when the deployment is misconfigured (its messages were
 * held at the queue entry until their retries ran out), naming every setting; null when it is not.
 */
export function misconfiguredReason(env: ConfigEnv): string | null {
  const problems = misconfigurations(env)
  if (problems.length === 0) return null
  return `the deployment is missing or has wrong settings: ${problems.map((p) => p.problem.replace(/\.$/, '')).join('; ')}`
}

/** Past the entry check this cannot happen; where it does, the same 503 names the key. */
export const TOKEN_KEY_MISSING: Misconfiguration = { setting: 'TOKEN_ENCRYPTION_KEY', problem: 'TOKEN_ENCRYPTION_KEY is not set, so OAuth tokens cannot be stored or read.' }

/**
 * The 503 problem of a misconfigured deployment: `detail` says what is wrong, `setting` names the
 * first setting to fix and `settings` all of them.
 */
export function misconfigured(problems: Misconfiguration | readonly Misconfiguration[]): HttpError {
  const list = Array.isArray(problems) ? problems : [problems as Misconfiguration]
  return new HttpError(503, `This deployment is misconfigured: ${list.map((p) => p.problem).join(' ')}`, { setting: list[0].setting, settings: list.map((p) => p.setting) })
}
