/**
 * Tenant scoping. Every id in a URL is resolved through the caller's membership: a workspace
 * the caller does not belong to answers 404 (its existence is not revealed), and a role below
 * what the action needs answers 403.
 */
import { and, eq } from 'drizzle-orm'
import type { BatchItem } from 'drizzle-orm/batch'
import type { Context } from 'hono'
import { can, PERMISSIONS, type Permission, type Role } from '../domain/roles'
import type { Db } from '../db/client'
import { members, projects } from '../db/schema'
import type { AppEnv } from '../env'
import { forbidden, notFound } from '../lib/errors'

/** The caller's role in a workspace, or undefined when they have none. */
export async function roleIn(c: Context<AppEnv>, workspaceId: string): Promise<Role | undefined> {
  const principal = c.get('principal')
  if (principal.kind === 'apiKey') return principal.workspaceId === workspaceId ? principal.role : undefined
  return memberRole(c.get('db'), workspaceId, principal.userId)
}

/** The statement that reads a user's role in a workspace (one row or none). */
const memberRoleQuery = (db: Db, workspaceId: string, userId: string) =>
  db.select({ role: members.role }).from(members).where(and(eq(members.workspaceId, workspaceId), eq(members.userId, userId))).limit(1)

/** A user's role in a workspace as its members table says, or undefined when they are not a member. */
export async function memberRole(db: Db, workspaceId: string, userId: string): Promise<Role | undefined> {
  const [row] = await memberRoleQuery(db, workspaceId, userId)
  return row?.role
}

/**
 * The one access check: the caller's role in the workspace a resource (`what`) belongs to, or
 * 404 naming the resource when they have none (its existence is not revealed), or 403 when the
 * role is below `permission`.
 */
export async function requireRole(c: Context<AppEnv>, workspaceId: string, permission: Permission, what: string): Promise<Role> {
  return allowed(await roleIn(c, workspaceId), permission, what)
}

/** The role itself, or 404 naming `what` without one, or 403 when it is below `permission`. */
function allowed(role: Role | undefined, permission: Permission, what: string): Role {
  if (!role) throw notFound(what)
  if (!can(role, permission)) throw forbidden(`Your role (${role}) cannot do this; it needs ${PERMISSIONS[permission]} or above.`)
  return role
}

/**
 * A row of a workspace (a post, a draft, a media item…) the caller may act on with
 * `permission`: 404 naming `what` when there is no row or its workspace is hidden from them.
 */
export async function requireOwned<T extends { workspaceId: string }>(c: Context<AppEnv>, row: T | undefined, permission: Permission, what: string): Promise<T> {
  if (!row) throw notFound(what)
  await requireRole(c, row.workspaceId, permission, what)
  return row
}

/** Resolves a workspace the caller may act on with `permission`; returns their role. */
export const requireWorkspace = (c: Context<AppEnv>, workspaceId: string, permission: Permission) => requireRole(c, workspaceId, permission, 'Workspace')

/**
 * `requireWorkspace`, and a read of that workspace's rows in the same D1 round trip (a batch) for
 * a signed-in person: the read runs beside the check and its rows are returned only when the check
 * passes, so `read` must be scoped by `workspaceId` itself. A key's role is on the key: the check
 * needs no statement and the read runs after it.
 *
 * Only for reads whose selected columns have distinct names: drizzle maps a D1 batch's rows (which
 * D1 returns as objects keyed by column name) by position, so a join that selects two `id`s comes
 * back shifted. That is why a project's posts (joined to their clip) are not read this way.
 */
export async function requireWorkspaceWith<R>(c: Context<AppEnv>, workspaceId: string, permission: Permission, read: BatchItem<'sqlite'> & PromiseLike<R>): Promise<{ role: Role; rows: R }> {
  const principal = c.get('principal')
  if (principal.kind === 'apiKey') {
    const role = allowed(principal.workspaceId === workspaceId ? principal.role : undefined, permission, 'Workspace')
    return { role, rows: await read }
  }
  const [member, rows] = await c.get('db').batch([memberRoleQuery(c.get('db'), workspaceId, principal.userId), read])
  return { role: allowed(member[0]?.role, permission, 'Workspace'), rows: rows as R }
}

/**
 * Resolves a project through its workspace; returns the project and the caller's role. One D1
 * statement: the project with the caller's membership joined (a key carries its own role).
 */
export async function requireProject(c: Context<AppEnv>, projectId: string, permission: Permission) {
  const principal = c.get('principal')
  const db = c.get('db')
  if (principal.kind === 'apiKey') {
    const project = await db.select().from(projects).where(eq(projects.id, projectId)).get()
    if (!project) throw notFound('Project')
    return { project, role: allowed(principal.workspaceId === project.workspaceId ? principal.role : undefined, permission, 'Project') }
  }
  const row = await db
    .select({ project: projects, role: members.role })
    .from(projects)
    .leftJoin(members, and(eq(members.workspaceId, projects.workspaceId), eq(members.userId, principal.userId)))
    .where(eq(projects.id, projectId))
    .get()
  if (!row) throw notFound('Project')
  return { project: row.project, role: allowed(row.role ?? undefined, permission, 'Project') }
}
