/**
 * A project's platform connections: list them, connect (OAuth: an authorization URL; sandbox: at
 * once), queue sandbox faults for demos and tests, and disconnect (revoking where the platform allows).
 * Tokens never leave the server.
 */
import { createRoute, z } from '@hono/zod-openapi'
import { and, asc, eq, sql } from 'drizzle-orm'
import type { Context } from 'hono'
import { connections } from '../db/schema'
import type { AppEnv } from '../env'
import { conflict, forbidden, HttpError, notFound } from '../lib/errors'
import { randomSecret, sha256Hex } from '../lib/crypto'
import { isConfigured } from '../platforms'
import { sandboxEnabled } from '../platforms/config'
import { openToken, saveSandboxConnection, type Connection } from '../platforms/connections'
import { authorizeUrl, callbackUrl, revokeTokens, setOAuthNonceCookie, signState } from '../platforms/oauth'
import { SANDBOX_FAULTS } from '../platforms/sandbox'
import { PLATFORMS } from '../platforms/types'
import { requireProject } from './access'
import { commonErrors, createRouter, errorResponses, IdParam, json, jsonBody, security, Timestamp } from './openapi'
import { sqlNow } from '../db/time'
import { audit, auditInsert } from '../lib/audit'

export const ConnectionSchema = z
  .object({
    id: z.string(),
    projectId: z.string(),
    platform: z.enum(PLATFORMS),
    mode: z.enum(['oauth', 'sandbox']),
    status: z.enum(['active', 'needs_reconnect', 'disconnected']),
    statusReason: z.string().nullable().openapi({ description: 'Why the connection needs attention, in words for the creator.' }),
    accountId: z.string().nullable(),
    accountName: z.string().nullable(),
    avatarUrl: z.string().nullable(),
    sandboxFaults: z.array(z.string()),
    refreshedAt: z.string().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi('Connection')

export const AvailabilitySchema = z.object({
  platform: z.enum(PLATFORMS),
  oauth: z.boolean().openapi({ description: 'Real accounts can be connected (credentials configured).' }),
  sandbox: z.boolean().openapi({ description: 'Sandbox accounts can be connected (SANDBOX_ENABLED: on locally, off in production).' }),
})

/** Sandbox accounts are a local and demo tool: refused (403 naming the setting) where they are off. */
function requireSandbox(c: Context<AppEnv>) {
  if (!sandboxEnabled(c.env)) {
    throw new HttpError(403, 'Sandbox accounts are off on this deployment (SANDBOX_ENABLED is not "true"): connect a real account.', {
      setting: 'SANDBOX_ENABLED',
      errors: [{ field: 'mode', message: 'sandbox accounts are off on this deployment' }],
    })
  }
}

/** The public view of a row: never the tokens. */
export function connectionView(c: Connection) {
  return {
    id: c.id,
    projectId: c.projectId,
    platform: c.platform,
    mode: c.mode,
    status: c.status,
    statusReason: c.statusReason,
    accountId: c.accountId,
    accountName: c.accountName,
    avatarUrl: c.avatarUrl,
    sandboxFaults: c.sandboxFaults ?? [],
    refreshedAt: c.refreshedAt,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  }
}

const params = z.object({ id: IdParam('id', 'prj_0123456789abcdefghjk') })
const connectionParams = z.object({ id: IdParam('id', 'prj_0123456789abcdefghjk'), connectionId: IdParam('connectionId', 'conn_0123456789abcdefghjk') })
const tags = ['Connections']

async function findConnection(c: Context<AppEnv>, projectId: string, connectionId: string): Promise<Connection> {
  const row = await c
    .get('db')
    .select()
    .from(connections)
    .where(and(eq(connections.id, connectionId), eq(connections.projectId, projectId)))
    .get()
  if (!row) throw notFound('Connection')
  return row
}

export const connectionsApi = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/projects/{id}/connections',
      tags,
      security,
      summary: "List a project's platform connections, and which platforms can be connected",
      request: { params },
      responses: { 200: json(z.object({ data: z.array(ConnectionSchema), platforms: z.array(AvailabilitySchema) }), 'Connections'), ...commonErrors },
    }),
    async (c) => {
      const { project } = await requireProject(c, c.req.valid('param').id, 'projects.read')
      const rows = await c.get('db').select().from(connections).where(eq(connections.projectId, project.id)).orderBy(asc(connections.platform)).all()
      return c.json({ data: rows.map(connectionView), platforms: PLATFORMS.map((platform) => ({ platform, oauth: isConfigured(c.env, platform), sandbox: sandboxEnabled(c.env) })) }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/projects/{id}/connections',
      tags,
      security,
      summary: 'Connect a platform account (editor): OAuth answers an authorization URL; sandbox connects at once',
      request: {
        params,
        body: jsonBody(
          z.object({
            platform: z.enum(PLATFORMS),
            mode: z.enum(['oauth', 'sandbox']).default('oauth').openapi({ description: '`sandbox` connects the built-in mock account (local mode, demos, tests; 403 where SANDBOX_ENABLED is off, as in production).' }),
          }),
        ),
      },
      responses: {
        200: json(
          z.object({ authorizeUrl: z.string().url(), expiresAt: Timestamp }),
          'Send the creator to this URL from the same browser: it comes back to /oauth/{platform}/callback, which needs the nonce cookie set with this answer and the same signed-in person',
        ),
        201: json(ConnectionSchema, 'Sandbox account connected'),
        ...commonErrors,
        ...errorResponses(409),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const { platform, mode } = c.req.valid('json')
      const { project } = await requireProject(c, id, 'projects.write')
      const principal = c.get('principal')
      const userId = principal.kind === 'user' ? principal.userId : null
      if (mode === 'sandbox') {
        requireSandbox(c)
        const row = await saveSandboxConnection(c.get('db'), { workspaceId: project.workspaceId, projectId: project.id, platform, connectedBy: userId }, (connectionId) =>
          auditInsert(c, { workspaceId: project.workspaceId, action: 'connection.connected', targetType: 'connection', targetId: connectionId, details: { projectId: project.id, platform, mode } }),
        )
        return c.json(connectionView(row), 201)
      }
      if (principal.kind !== 'user')
        throw forbidden(`Connecting a real ${platform} account needs a person signed in to Reelpilot: the platform's consent page comes back to the browser that started it. API keys can connect sandbox accounts.`)
      if (!isConfigured(c.env, platform))
        throw conflict(`Real ${platform} accounts can't be connected here: this deployment has no ${platform} app credentials. Connect a sandbox account instead (mode: "sandbox").`)
      // The flow is bound to this browser: a nonce cookie only it holds, whose hash is in the state.
      const browserNonce = randomSecret(32)
      const { token, state } = await signState(c.env, {
        by: `user:${principal.userId}`,
        workspaceId: project.workspaceId,
        projectId: project.id,
        platform,
        bind: await sha256Hex(browserNonce),
      })
      setOAuthNonceCookie(c, platform, browserNonce)
      await audit(c, { workspaceId: project.workspaceId, action: 'connection.started', targetType: 'project', targetId: project.id, details: { platform, mode } })
      const url = await authorizeUrl(c.env, platform, token, state.nonce, callbackUrl(c.env, platform))
      return c.json({ authorizeUrl: url, expiresAt: new Date(state.exp * 1000).toISOString() }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/projects/{id}/connections/{connectionId}',
      tags,
      security,
      summary: "Queue faults on a sandbox connection's next calls (editor; demos and tests)",
      request: {
        params: connectionParams,
        body: jsonBody(z.object({ sandboxFaults: z.array(z.enum(SANDBOX_FAULTS)).max(20, 'at most 20 faults') })),
      },
      responses: { 200: json(ConnectionSchema, 'Updated'), ...commonErrors, ...errorResponses(409) },
    }),
    async (c) => {
      const { id, connectionId } = c.req.valid('param')
      const { project } = await requireProject(c, id, 'projects.write')
      const row = await findConnection(c, project.id, connectionId)
      if (row.mode !== 'sandbox') throw conflict('Faults can only be queued on sandbox connections.')
      requireSandbox(c)
      const { sandboxFaults } = c.req.valid('json')
      const db = c.get('db')
      const [[updated]] = await db.batch([
        db.update(connections).set({ sandboxFaults, updatedAt: sqlNow() }).where(eq(connections.id, row.id)).returning(),
        auditInsert(c, { workspaceId: project.workspaceId, action: 'connection.updated', targetType: 'connection', targetId: row.id, details: { projectId: project.id, platform: row.platform, sandboxFaults } }),
      ])
      return c.json(connectionView(updated!), 200)
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/projects/{id}/connections/{connectionId}',
      tags,
      security,
      summary: 'Disconnect an account (editor); revokes our access where the platform allows it',
      request: { params: connectionParams },
      responses: { 200: json(ConnectionSchema.extend({ revoked: z.boolean() }), 'Disconnected'), ...commonErrors },
    }),
    async (c) => {
      const { id, connectionId } = c.req.valid('param')
      const { project } = await requireProject(c, id, 'projects.write')
      const row = await findConnection(c, project.id, connectionId)
      let revoked = false
      if (row.mode === 'oauth' && (row.accessToken || row.refreshToken)) {
        const tokens = { accessToken: await openToken(c.env, row, 'access').catch(() => null), refreshToken: await openToken(c.env, row, 'refresh').catch(() => null) }
        revoked = await revokeTokens(c.env, row.platform, tokens)
      }
      const db = c.get('db')
      const [[updated]] = await db.batch([
        db
          .update(connections)
          .set({
          status: 'disconnected',
          statusReason: 'Disconnected in Reelpilot.',
          accessToken: null,
          refreshToken: null,
          accessTokenExpiresAt: null,
          refreshLeaseUntil: null,
          refreshLeaseId: null,
          tokenVersion: sql`${connections.tokenVersion} + 1`,
          updatedAt: sqlNow(),
        })
          .where(eq(connections.id, row.id))
          .returning(),
        auditInsert(c, { workspaceId: project.workspaceId, action: 'connection.disconnected', targetType: 'connection', targetId: row.id, details: { projectId: project.id, platform: row.platform, revoked } }),
      ])
      return c.json({ ...connectionView(updated!), revoked }, 200)
    },
  )
