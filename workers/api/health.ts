/** `GET /api/health`: a real probe of each service the product depends on. */
import { createRoute, z } from '@hono/zod-openapi'
import { rendererFor } from '../render/renderer'
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

async function probe(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await Promise.race([run(), new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS))])
    return undefined
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  }
}

export const healthApi = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/health',
    tags: ['Health'],
    summary: 'Service health, probed live',
    responses: { 200: json(HealthSchema, 'Every service answers'), 503: json(HealthSchema, 'At least one service is down') },
  }),
  async (c) => {
    const env = c.env
    const [database, storage, queues, renderer] = await Promise.all([
      probe(() => env.DB.prepare('select 1 as ok').first()),
      probe(() => env.MEDIA.head('health/probe')),
      probe(async () => Promise.all([env.RENDER_JOBS.metrics(), env.PUBLISH_JOBS.metrics()])),
      probe(async () => {
        const res = await rendererFor(env).fetch('/health', { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) })
        if (!res.ok) {
          // The render server says why (e.g. "ffprobe not found: /path"): pass its reason on.
          const reason = await res.json<{ error?: unknown }>().then((b) => (typeof b.error === 'string' ? b.error : ''), () => '')
          throw new Error(`render server answered ${res.status}${reason ? `: ${reason}` : ''}`)
        }
      }),
    ])
    const errors = Object.fromEntries(Object.entries({ database, storage, queues, renderer }).filter(([, e]) => e !== undefined)) as Record<string, string>
    const mark = (e: string | undefined) => (e === undefined ? ('healthy' as const) : ('unhealthy' as const))
    const healthy = Object.keys(errors).length === 0
    const body = {
      status: healthy ? ('ok' as const) : ('degraded' as const),
      timestamp: new Date().toISOString(),
      services: { database: mark(database), storage: mark(storage), queues: mark(queues), renderer: mark(renderer) },
      ...(healthy ? {} : { errors }),
    }
    return healthy ? c.json(body, 200) : c.json(body, 503)
  },
)
