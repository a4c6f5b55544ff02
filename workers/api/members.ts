/** Workspace members: invite by email with a role, list, change role, remove. */
import { createRoute, z } from '@hono/zod-openapi'
import { and, asc, eq, isNull, sql } from 'drizzle-orm'
import type { Context } from 'hono'
import { apiKeys, members, users } from '../db/schema'
import { canAssignRole, ROLES, type Role } from '../domain/roles'
import type { AppEnv } from '../env'
import { conflict, forbidden, notFound } from '../lib/errors'
import { newId } from '../lib/ids'
import { requireWorkspace } from './access'
import { commonErrors, createRouter, errorResponses, IdParam, json, jsonBody, security, Timestamp } from './openapi'
import { auditIfChanged, auditInsert } from '../lib/audit'
import { d1Batch } from '../db/client'

export const MemberSchema = z
  .object({
    userId: z.string(),
    email: z.string(),
    name: z.string().nullable(),
    role: z.enum(ROLES),
    joined: z.boolean().openapi({ description: 'False until the invited person signs in for the first time' }),
    createdAt: Timestamp,
  })
  .openapi('Member')

const wsParams = z.object({ id: IdParam('id', 'ws_0123456789abcdefghjk') })
const memberParams = wsParams.extend({ userId: IdParam('userId', 'usr_0123456789abcdefghjk') })
const tags = ['Members']

function memberQuery(c: Context<AppEnv>, workspaceId: string) {
  return c
    .get('db')
    .select({
      userId: members.userId,
      email: users.email,
      name: users.name,
      role: members.role,
      joined: sql<number>`${users.externalId} is not null`.mapWith(Boolean),
      createdAt: members.createdAt,
    })
    .from(members)
    .innerJoin(users, eq(members.userId, users.id))
    .where(eq(members.workspaceId, workspaceId))
    .$dynamic()
}

async function findMember(c: Context<AppEnv>, workspaceId: string, userId: string) {
  const row = await memberQuery(c, workspaceId).where(and(eq(members.workspaceId, workspaceId), eq(members.userId, userId))).get()
  if (!row) throw notFound('Member')
  return row
}

/**
 * The condition that keeps a workspace from losing its last owner, inside the statement that
 * changes or removes a member: check and write are one step, so two owners demoting each other
 * at once cannot both pass.
 */
const keepsAnOwner = (workspaceId: string) =>
  sql`(${members.role} <> 'owner' or (select count(*) from ${members} as others where others.workspace_id = ${workspaceId} and others.role = 'owner') > 1)`

function assertCanAssign(actor: Role, target: Role, current: Role | undefined, action: string) {
  if (!canAssignRole(actor, target, current)) throw forbidden(`Your role (${actor}) cannot ${action}.`)
}

export const membersApi = createRouter()
  .openapi(
    createRoute({
      method: 'get',
      path: '/workspaces/{id}/members',
      tags,
      security,
      summary: 'List members',
      request: { params: wsParams },
      responses: { 200: json(z.object({ data: z.array(MemberSchema) }), 'Members'), ...commonErrors },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      await requireWorkspace(c, id, 'members.read')
      const data = await memberQuery(c, id).orderBy(asc(members.createdAt), asc(users.email)).all()
      return c.json({ data }, 200)
    },
  )
  .openapi(
    createRoute({
      method: 'post',
      path: '/workspaces/{id}/members',
      tags,
      security,
      summary: 'Invite someone by email with a role (admin)',
      request: {
        params: wsParams,
        body: jsonBody(z.object({ email: z.email('must be an email address').max(254).transform((e) => e.toLowerCase()), role: z.enum(ROLES) })),
      },
      responses: { 201: json(MemberSchema, 'Invited'), ...commonErrors, ...errorResponses(409) },
    }),
    async (c) => {
      const { id } = c.req.valid('param')
      const { email, role } = c.req.valid('json')
      const actorRole = await requireWorkspace(c, id, 'members.manage')
      assertCanAssign(actorRole, role, undefined, `grant the ${role} role`)
      const db = c.get('db')
      // The person may not have signed in yet: their user row is made now and claimed at first sign-in.
      await db.insert(users).values({ id: newId('usr'), email }).onConflictDoNothing({ target: users.email }).run()
      const user = await db.select({ id: users.id }).from(users).where(eq(users.email, email)).get()
      const existing = await db
        .select({ role: members.role })
        .from(members)
        .where(and(eq(members.workspaceId, id), eq(members.userId, user!.id)))
        .get()
      if (existing) throw conflict(`${email} is already a member (${existing.role}).`)
      await db.batch([
        db.insert(members).values({ workspaceId: id, userId: user!.id, role }),
        auditInsert(c, { workspaceId: id, action: 'member.invited', targetType: 'member', targetId: user!.id, details: { email, role } }),
      ])
      return c.json(await findMember(c, id, user!.id), 201)
    },
  )
  .openapi(
    createRoute({
      method: 'patch',
      path: '/workspaces/{id}/members/{userId}',
      tags,
      security,
      summary: "Change a member's role (admin)",
      request: { params: memberParams, body: jsonBody(z.object({ role: z.enum(ROLES) })) },
      responses: { 200: json(MemberSchema, 'Updated'), ...commonErrors, ...errorResponses(409) },
    }),
    async (c) => {
      const { id, userId } = c.req.valid('param')
      const { role } = c.req.valid('json')
      const actorRole = await requireWorkspace(c, id, 'members.manage')
      const member = await findMember(c, id, userId)
      assertCanAssign(actorRole, role, member.role, `make a ${member.role} ${role}`)
      const db = c.get('db')
      // The change and its audit entry in one transaction (the entry only if a row changed).
      const [changed] = await d1Batch(db, [
        db
          .update(members)
          .set({ role })
          .where(and(eq(members.workspaceId, id), eq(members.userId, userId), role === 'owner' ? undefined : keepsAnOwner(id))),
        auditIfChanged(c, { workspaceId: id, action: 'member.role_changed', targetType: 'member', targetId: userId, details: { email: member.email, from: member.role, to: role } }),
      ])
      if (changed.meta.changes === 0) {
        await findMember(c, id, userId)
        throw conflict('This is the last owner: make someone else owner first.')
      }
      return c.json(await findMember(c, id, userId), 200)
    },
  )
  .openapi(
    createRoute({
      method: 'delete',
      path: '/workspaces/{id}/members/{userId}',
      tags,
      security,
      summary: 'Remove a member (admin), or leave the workspace yourself; the API keys they made are revoked',
      request: { params: memberParams },
      responses: { 204: { description: 'Removed' }, ...commonErrors, ...errorResponses(409) },
    }),
    async (c) => {
      const { id, userId } = c.req.valid('param')
      const principal = c.get('principal')
      const leaving = principal.kind === 'user' && principal.userId === userId
      const actorRole = await requireWorkspace(c, id, leaving ? 'members.read' : 'members.manage')
      const member = await findMember(c, id, userId)
      if (!leaving) assertCanAssign(actorRole, member.role, member.role, `remove a ${member.role}`)
      const db = c.get('db')
      // The member goes with its audit entry, and their API keys with them (only if the member did go), in one batch.
      const [removed] = await d1Batch(db, [
        db.delete(members).where(and(eq(members.workspaceId, id), eq(members.userId, userId), keepsAnOwner(id))),
        auditIfChanged(c, { workspaceId: id, action: 'member.removed', targetType: 'member', targetId: userId, details: { email: member.email, role: member.role, left: leaving } }),
        db
          .update(apiKeys)
          .set({ revokedAt: new Date().toISOString(), revokedReason: `Revoked when its creator (${member.email}) left the workspace.` })
          .where(
            and(
              eq(apiKeys.workspaceId, id),
              eq(apiKeys.createdBy, userId),
              isNull(apiKeys.revokedAt),
              sql`not exists (select 1 from ${members} where ${members.workspaceId} = ${id} and ${members.userId} = ${userId})`,
            ),
          ),
      ])
      if (removed.meta.changes === 0) {
        throw conflict('The last owner cannot be removed: make someone else owner first, or delete the workspace.')
      }
      return c.body(null, 204)
    },
  )
