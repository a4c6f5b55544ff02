/** `POST /api/dev/token`: local sign-in. Only mounted when no Clerk secret is configured. */
import { createRoute, z } from '@hono/zod-openapi'
import { signLocalSessionToken } from '../lib/local-auth'
import { misconfigured } from '../lib/config'
import { createRouter, json, jsonBody } from './openapi'

export const devTokenApi = createRouter().openapi(
  createRoute({
    method: 'post',
    path: '/dev/token',
    tags: ['Local sign-in'],
    summary: 'Local mode only: a session token for an email (404 in production)',
    request: { body: jsonBody(z.object({ email: z.email('must be an email address').max(254), name: z.string().trim().max(100).optional() })) },
    responses: { 200: json(z.object({ token: z.string() }), 'A session token, valid for 7 days') },
  }),
  async (c) => {
    if (!c.env.LOCAL_AUTH_PRIVATE_KEY) throw misconfigured({ setting: 'LOCAL_AUTH_PRIVATE_KEY', problem: 'Local sign-in has no key: set LOCAL_AUTH_PRIVATE_KEY (npm start writes one to .dev.vars).' })
    const { email, name } = c.req.valid('json')
    return c.json({ token: await signLocalSessionToken(c.env.LOCAL_AUTH_PRIVATE_KEY, { email, name }) }, 200)
  },
)
