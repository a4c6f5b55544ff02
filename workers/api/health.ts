/**
 * `GET /api/health`: a real probe of each service the product depends on, shared for a few seconds
 * (one probe however many ask at once); `GET /api/health/live`: the Worker answers, nothing probed.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { rendererFor } from '../render/renderer'
import { log } from '../lib/log'
import { createRouter, json, Timestamp } from './openapi'

const ServiceStatus = z.enum(['healthy', 'unhealthy'])
const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    timestamp: Timestamp,
    services: z.object({ database: ServiceStatus, storage: ServiceStatus, queues: ServiceStatus, renderer: ServiceStatus }),
    errors: z.record(z.string(), z.string()).optional(),
  })
  .openapi('Health')

const PROBE_TIMEOUT_MS = 3000
/** How long one deep probe answers every caller in this isolate. */
export const HEALTH_CACHE_MS = 5000

type Health = z.infer<typeof HealthSchema>

/** Per isolate, per renderer (tests point RENDER_URL elsewhere): the probe in flight or just done. */
const recent = new Map<string, { at: number; answer: Promise<Health> }>()

async function probe(service: string, run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await Promise.race([run(), new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS))])
    return undefined
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    log.warn('health: service unhealthy', { service, reason })
    return reason
  }
}

/**
 * Probes every service. The reasons are in the answer only locally: anywhere else health is public,
 * so it names the failing services and the logs have why.
 */
async function deepProbe(env: Env): Promise<Health> {
  const [database, storage, queues, renderer] = await Promise.all([
    probe('database', () => env.DB.prepare('select 1 as ok').first()),
    probe('storage', () => env.MEDIA.head('health/probe')),
    probe('queues', async () => Promise.all([env.RENDER_JOBS.metrics(), env.PUBLISH_JOBS.metrics()])),
    probe('renderer', async () => {
      const res = await rendererFor(env).fetch('/health', { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) })
      if (!res.ok) {
        // The render server says why (e.g. "ffprobe not found: /path"): pass its reason on.
        const reason = await res.json<{ error?: unknown }>().then((b) => (typeof b.error === 'string' ? b.error : ''), () => '')
        throw new Error(`render server answered ${res.status}${reason ? `: ${reason}` : ''}`)
      }
    }),
  ])
  const found = { database, storage, queues, renderer }
  const local = env.APP_ENV === 'local'
  const errors = Object.fromEntries(
    Object.entries(found)
      .filter(([, e]) => e !== undefined)
      .map(([service, e]) => [service, local ? e! : `${service} is unavailable (the reason is in the logs)`]),
  ) as Record<string, string>
  const mark = (e: string | undefined) => (e === undefined ? ('healthy' as const) : ('unhealthy' as const))
  const healthy = Object.keys(errors).length === 0
  return {
    status: healthy ? 'ok' : 'degraded',
    timestamp: new Date().toISOString(),
    services: { database: mark(database), storage: mark(storage), queues: mark(queues), renderer: mark(renderer) },
    ...(healthy ? {} : { errors }),
  }
}

/** The deep probe, or the one another caller started less than HEALTH_CACHE_MS ago. */
function sharedProbe(env: Env): Promise<Health> {
  const key = env.RENDER_URL ?? ''
  const now = Date.now()
  const hit = recent.get(key)
  if (hit && now - hit.at < HEALTH_CACHE_MS) return hit.answer
  const answer = deepProbe(env)
  recent.set(key, { at: now, answer })
  return answer
}

const LiveSchema = z.object({ status: z.literal('ok'), timestamp: Timestamp }).openapi('Liveness')


export const healthApi = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/health',
    tags: ['Health'],
    summary: 'Service health, probed live (one probe shared for up to 5 seconds)',
    description: 'Probes D1, R2, the queues and the render server. The answer is shared by every caller for up to 5 s (see `timestamp`). For a check that probes nothing, use `/health/live`.',
    responses: { 200: json(HealthSchema, 'Every service answers'), 503: json(HealthSchema, 'At least one service is down') },
  }),
  async (c) => {
    const body = await sharedProbe(c.env)
    c.header('Cache-Control', 'no-store')
    return body.status === 'ok' ? c.json(body, 200) : c.json(body, 503)
  },
).openapi(
  createRoute({
    method: 'get',
    path: '/health/live',
    tags: ['Health'],
    summary: 'Liveness: the Worker answers (probes nothing)',
    responses: { 200: json(LiveSchema, 'The Worker is up') },
  }),
  (c) => {
    c.header('Cache-Control', 'no-store')
    return c.json({ status: 'ok' as const, timestamp: new Date().toISOString() }, 200)
  },
)
