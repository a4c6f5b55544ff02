/**
 * GET /api/metrics: the Prometheus scrape, behind `Authorization: Bearer <METRICS_TOKEN>`. With no
 * METRICS_TOKEN configured the route does not exist (404); a missing or wrong token is a 401.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { problemResponse, unauthorized } from '../lib/errors'
import { commonErrors, createRouter } from '../api/openapi'
import { scrape } from './exposition'

/** Compares two strings in time that does not depend on where they differ. */
async function sameSecret(a: string, b: string): Promise<boolean> {
  const enc = new TextEncoder()
  const [x, y] = (await Promise.all([crypto.subtle.digest('SHA-256', enc.encode(a)), crypto.subtle.digest('SHA-256', enc.encode(b))])).map((d) => new Uint8Array(d))
  let diff = 0
  for (let i = 0; i < x.length; i++) diff |= x[i] ^ y[i]
  return diff === 0
}

export const metricsApi = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/metrics',
    tags: ['Operations'],
    security: [{ metricsToken: [] }],
    summary: 'Prometheus metrics (text format), for a scraper holding METRICS_TOKEN',
    responses: {
      200: { description: 'The Prometheus text exposition format, version 0.0.4', content: { 'text/plain': { schema: z.string() } } },
      401: commonErrors[401],
      404: commonErrors[404],
    },
  }),
  async (c) => {
    const expected = c.env.METRICS_TOKEN
    if (!expected) return problemResponse(404, `No route ${c.req.method} ${c.req.path}`) as never
    const given = c.req.header('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1]
    if (!given || !(await sameSecret(given, expected))) throw unauthorized('Send the metrics token: Authorization: Bearer <METRICS_TOKEN>.')
    const { contentType, body } = await scrape(c.env)
    return c.body(body, 200, { 'content-type': contentType, 'cache-control': 'no-store' }) as never
  },
)
