/** API keys for integrators: shown once, stored as a SHA-256 hash, scoped to one workspace and a role. */
import { createRoute, z } from '@hono/zod-openapi'
import { and, desc, eq, isNull, sql } from 'drizzle-orm'
import { apiKeys } from '../db/schema'
import { hasRole, ROLES } from '../domain/roles'
import { fieldProblem, forbidden, notFound } from '../lib/errors'
import { randomSecret, sha256Hex } from '../lib/crypto'
import { newId } from '../lib/ids'
import { requireWorkspace } from './access'
import { API_KEY_PREFIX } from './middleware/auth'
import { commonErrors, createRouter, errorResponses, IdParam, json, jsonBody, security, Timestamp } from './openapi'
import { auditIfChanged, auditInsert } from '../lib/audit'
import { d1Batch, uniqueViolation } from '../db/client'

export const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    prefix: z.string().openapi({ description: 'The first characters of the secret, to recognise it' }),
    createdAt: Timestamp,
    lastUsedAt: Timestamp.nullable(),
    revokedAt: Timestamp.nullable(),
    revokedReason: z.string().nullable().openapi({ description: 'Why Reelpilot revoked it (its creator left the workspace); null when revoked by hand or still active' }),
  })
  .openapi('ApiKey')

export const CreatedKeySchema = ApiKeySchema.extend({ secret: z.string().openapi({ description: 'Shown once; store it now', example: 'rp_…' }) }).openapi('CreatedApiKey')
const wsParams = z.object({ id: IdParam('id', 'ws_0123456789abcdefghjk') })
const tags = ['API keys']
const columns = {
  id: apiKeys.id,
  name: apiKeys.name,
  role: apiKeys.role,
  prefix: apiKeys.prefix,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  revokedAt: apiKeys.revokedAt,
  revokedReason: apiKeys.revokedReason,
}

export const apiKeysApi = createRouter()
  .openapi(
    createRoute({
      method: 'post',
      path: '/workspaces/{id}/api-keys',
      tags,
      security,
      summary: "Create an API key (admin); the secret is returned once. It acts with the lower of its role and its creator's current role",
      request: {
        params: wsParams,
        body: jsonBody(z.object({ name: z.string().trim().min(1, 'must not be empty').max(100), role: z.enum(ROLES) })),
      },
      responses: { 201: json(CreatedKeySchema, 'Created'), ...commonErrors, ...errorResponses(409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const { name, role } = c.req.valid('json')
      const actorRole = await requireWorkspace(c, id, 'apiKeys.manage')
      if (!hasRole(actorRole, role)) throw forbidden(`Your role (${actorRole}) cannot create a key with the ${role} role.`)
      const db = c.get('db')
      const taken = () => fieldProblem(409, 'name', `a working key is already named "${name}" in this workspace: choose another name, or revoke that key first`)
      // A key's name is how the list and the audit log tell keys apart: one working key per name (a revoked key's name is free again).
      const same = await db
        .select({ id: apiKeys.id })
        .from(apiKeys)
        .where(and(eq(apiKeys.workspaceId, id), isNull(apiKeys.revokedAt), sql`lower(${apiKeys.name}) = ${name.toLowerCase()}`))
        .get()
      if (same) throw taken()
      const principal = c.get('principal')
      const secret = `${API_KEY_PREFIX}${randomSecret(32)}`
      const keyId = newId('key')
      const prefix = secret.slice(0, 10)
      const created = await db.batch([
        db
        .insert(apiKeys)
        .values({
          id: keyId,
          workspaceId: id,
          name,
          role,
          prefix,
          hash: await sha256Hex(secret),
          // A key made by a key answers to the person behind that key: it follows them too.
          createdBy: principal.kind === 'user' ? principal.userId : principal.createdBy,
        })
        .returning(columns),
        auditInsert(c, { workspaceId: id, action: 'api_key.created', targetType: 'api_key', targetId: keyId, details: { name, role, prefix } }),
      ]).catch((error: unknown) => {
        // Another create of the same name won between the check above and this batch: the index decided.
        if (uniqueViolation(error, 'api_keys_working_name_unique')) throw taken()
        throw error
      })
      const [[row]] = created
      return c.json({ ...row, secret }, 201)
    },
  )
  .openapi(
    createRoute({
      method: 'get',
      path: '/workspaces/{id}/api-keys',
      tags,
      security,
      summary: 'List API keys with their last use (admin)',
      request: { params: wsParams },
      responses: { 200: json(z.object({ data: z.array(ApiKeySchema) }), 'Keys'), ...commonErrors },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      await requireWorkspace(c, id, 'apiKeys.manage')
      const data = await c.get('db').select(columns).from(apiKeys).where(eq(apiKeys.workspaceId, id)).orderBy(desc(apiKeys.createdAt)).all()
      return c.json({ data }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/workspaces/{id}/api-keys/{keyId}',
      tags,
      security,
      summary: 'Revoke an API key (admin); it stops working at once',
      request: { params: wsParams.extend({ keyId: IdParam('keyId', 'key_0123456789abcdefghjk') }) },
      responses: { 204: { description: 'Revoked' }, ...commonErrors },
    }),
    async (c) => {
      const { id, keyId } = c.req.valid('param')
      await requireWorkspace(c, id, 'apiKeys.manage')
      const db = c.get('db')
      const [revoked] = await d1Batch(db, [
        db
          .update(apiKeys)
          .set({ revokedAt: new Date().toISOString() })
          .where(and(eq(apiKeys.id, keyId), eq(apiKeys.workspaceId, id), isNull(apiKeys.revokedAt))),
        auditIfChanged(c, { workspaceId: id, action: 'api_key.revoked', targetType: 'api_key', targetId: keyId }),
      ])
      if (revoked.meta.changes === 0) throw notFound('API key')
      return c.body(null, 204)
    },
  )
