/** `GET /api/me`: who the caller is. */
import { createRoute, z } from '@hono/zod-openapi'
import { eq } from 'drizzle-orm'
import { users } from '../db/schema'
import { ROLES } from '../domain/roles'
import { commonErrors, createRouter, json, security } from './openapi'

export const MeSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('user'), id: z.string(), email: z.string(), name: z.string().nullable() }),
    z.object({ kind: z.literal('apiKey'), id: z.string(), workspaceId: z.string(), role: z.enum(ROLES) }),
  ])
  .openapi('Me')

export const meApi = createRouter().openapi(
  createRoute({ method: 'get', path: '/me', tags: ['Me'], security, summary: 'The signed-in user or API key', responses: { 200: json(MeSchema, 'The caller'), ...commonErrors } }),
  async (c) => {
    const p = c.get('principal')
    if (p.kind === 'apiKey') return c.json({ kind: 'apiKey' as const, id: p.keyId, workspaceId: p.workspaceId, role: p.role }, 200)
    const user = await c.get('db').select().from(users).where(eq(users.id, p.userId)).get()
    return c.json({ kind: 'user' as const, id: p.userId, email: p.email, name: user?.name ?? null }, 200)
  },
)
