/** The audit log of a workspace (admin): who changed what, newest first, filtered and paged. */
import { createRoute, z } from '@hono/zod-openapi'
import { and, desc, eq, gte, lt, or } from 'drizzle-orm'
import { auditLog } from '../db/schema'
import { AUDIT_ACTIONS } from '../lib/audit'
import { requireWorkspace } from './access'
import { decodeCursor, encodeCursor } from './cursor'
import { commonErrors, createRouter, IdParam, json, security, Timestamp } from './openapi'

const IsoDate = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 date-time, like 2026-11-22T12:00:00Z' })

export const AuditEntrySchema = z
  .object({
    id: z.string(),
    at: Timestamp,
    actor: z.object({
      type: z.enum(['user', 'api_key']),
      id: z.string().openapi({ description: 'A user id, or an API key id' }),
      userId: z.string().nullable().openapi({ description: 'The person behind the action (for a key: the person who answers for it)' }),
      email: z.string().nullable(),
      keyName: z.string().nullable(),
    }),
    action: z.enum(AUDIT_ACTIONS),
    target: z.object({
      type: z.string(),
      id: z.string(),
      name: z.string().nullable().openapi({ description: "What the target is called now (a project's name, a post's hook), null when it is gone or has no name" }),
    }),
    details: z.record(z.string(), z.unknown()).nullable(),
    ip: z.string().nullable().openapi({ description: 'The client IP (CF-Connecting-IP)' }),
    requestId: z.string().nullable(),
  })
  .openapi('AuditEntry')

export const AuditPageSchema = z.object({ data: z.array(AuditEntrySchema), nextCursor: z.string().nullable() }).openapi('AuditPage')

export const auditApi = createRouter().openapi(
  createRoute({
    method: 'get',
    path: '/workspaces/{id}/audit',
    tags: ['Audit'],
    security,
    summary: 'The audit log, newest first (admin): members and roles, API keys, connections, autopilot, approvals and cancellations',
    request: {
      params: z.object({ id: IdParam('id', 'ws_0123456789abcdefghjk') }),
      query: z.object({
        actor: z.string().min(1).max(64).optional().openapi({ description: 'A user id or an API key id' }),
        action: z.enum(AUDIT_ACTIONS).optional(),
        from: IsoDate.optional(),
        to: IsoDate.optional(),
        cursor: z.string().max(200).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
    },
    responses: { 200: json(AuditPageSchema, 'Entries'), ...commonErrors },
  }),
  async (c) => {
    const { id } = c.req.valid('param')
    const q = c.req.valid('query')
    await requireWorkspace(c, id, 'audit.read')
    const conditions = [eq(auditLog.workspaceId, id)]
    if (q.actor) conditions.push(eq(auditLog.actorId, q.actor))
    if (q.action) conditions.push(eq(auditLog.action, q.action))
    if (q.from) conditions.push(gte(auditLog.at, new Date(q.from).toISOString()))
    if (q.to) conditions.push(lt(auditLog.at, new Date(q.to).toISOString()))
    if (q.cursor) {
      const [at, entryId] = decodeCursor(q.cursor, 2)
      conditions.push(or(lt(auditLog.at, at), and(eq(auditLog.at, at), lt(auditLog.id, entryId)))!)
    }
    const db = c.get('db')
    const rows = await db.select().from(auditLog).where(and(...conditions)).orderBy(desc(auditLog.at), desc(auditLog.id)).limit(q.limit + 1).all()
    const page = rows.slice(0, q.limit)
    // Names for the actors on this page, in one query each (people and keys of this workspace only).
    const userIds = [...new Set(page.map((r) => r.actorUserId).filter((u): u is string => !!u))]
    const keyIds = [...new Set(page.filter((r) => r.actorType === 'api_key').map((r) => r.actorId))]
    // And for the targets a person knows by name: projects and posts of this workspace.
    const targetIds = (type: string) => [...new Set(page.filter((r) => r.targetType === type).map((r) => r.targetId))]
    const projectIds = targetIds('project')
    const postIds = targetIds('post')
    const [people, keys, projectRows, postRows] = await Promise.all([
      userIds.length ? db.query.users.findMany({ columns: { id: true, email: true }, where: (u, { inArray }) => inArray(u.id, userIds) }) : [],
      keyIds.length ? db.query.apiKeys.findMany({ columns: { id: true, name: true }, where: (k, { inArray, and: all, eq: is }) => all(inArray(k.id, keyIds), is(k.workspaceId, id)) }) : [],
      projectIds.length ? db.query.projects.findMany({ columns: { id: true, name: true }, where: (p, { inArray, and: all, eq: is }) => all(inArray(p.id, projectIds), is(p.workspaceId, id)) }) : [],
      postIds.length ? db.query.posts.findMany({ columns: { id: true, hook: true, caption: true }, where: (p, { inArray, and: all, eq: is }) => all(inArray(p.id, postIds), is(p.workspaceId, id)) }) : [],
    ])
    const email = new Map(people.map((p) => [p.id, p.email]))
    const keyName = new Map(keys.map((k) => [k.id, k.name]))
    const targetName = new Map<string, string>([
      ...projectRows.map((p) => [`project:${p.id}`, p.name] as [string, string]),
      ...postRows.map((p) => [`post:${p.id}`, p.hook || (p.caption ?? '').slice(0, 80)] as [string, string]),
    ])
    const data = page.map((r) => ({
      id: r.id,
      at: r.at,
      actor: { type: r.actorType, id: r.actorId, userId: r.actorUserId, email: r.actorUserId ? (email.get(r.actorUserId) ?? null) : null, keyName: keyName.get(r.actorId) ?? null },
      action: r.action as (typeof AUDIT_ACTIONS)[number],
      target: { type: r.targetType, id: r.targetId, name: targetName.get(`${r.targetType}:${r.targetId}`) || null },
      details: r.details ?? null,
      ip: r.ip,
      requestId: r.requestId,
    }))
    return c.json({ data, nextCursor: rows.length > q.limit ? encodeCursor([page.at(-1)!.at, page.at(-1)!.id]) : null }, 200)
  },
)
