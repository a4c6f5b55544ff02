/**
 * Tenant scoping. Every id in a URL is resolved through the caller's membership: a workspace
 * the caller does not belong to answers 404 (its existence is not revealed), and a role below
 * what the action needs answers 403.
 */
import { and, eq, sql } from 'drizzle-orm'
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
 * Only for reads whose selected columns have distinct names: D1 returns a batch's rows as objects
 * keyed by column name (two `id`s of a join collapse into one) and drizzle maps them back by
 * position, so such a read comes back shifted. Alias the repeated column (posts.ts postsWithClip).
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
 * The statement that reads a project with the caller's role in its workspace: the membership
 * joined for a person; none for a key, which carries its own role.
 */
function projectAccessQuery(c: Context<AppEnv>, projectId: string) {
  const principal = c.get('principal')
  const db = c.get('db')
  if (principal.kind === 'apiKey') return db.select({ project: projects, role: sql<Role | null>`null` }).from(projects).where(eq(projects.id, projectId)).limit(1)
  return db
    .select({ project: projects, role: members.role })
    .from(projects)
    .leftJoin(members, and(eq(members.workspaceId, projects.workspaceId), eq(members.userId, principal.userId)))
    .where(eq(projects.id, projectId))
    .limit(1)
}

/** The project and the caller's role, or 404 (no project, or not theirs), or 403 (role too low). */
function projectAllowed(c: Context<AppEnv>, row: Awaited<ReturnType<typeof projectAccessQuery>>[number] | undefined, permission: Permission) {
  if (!row) throw notFound('Project')
  const principal = c.get('principal')
  const role = principal.kind === 'apiKey' ? (principal.workspaceId === row.project.workspaceId ? principal.role : undefined) : (row.role ?? undefined)
  return { project: row.project, role: allowed(role, permission, 'Project') }
}

/**
 * Resolves a project through its workspace; returns the project and the caller's role. One D1
 * statement: the project with the caller's membership joined (a key carries its own role).
 */
export async function requireProject(c: Context<AppEnv>, projectId: string, permission: Permission) {
  const [row] = await projectAccessQuery(c, projectId)
  return projectAllowed(c, row, permission)
}

/**
 * `requireProject`, and a read of that project's rows in the same D1 round trip (a batch): the
 * read runs beside the check and its rows are returned only when the check passes, so `read` must
 * be scoped by `projectId` itself (it runs before the check's answer is known). The same rule on
 * column names as `requireWorkspaceWith`.
 */
export async function requireProjectWith<R>(c: Context<AppEnv>, projectId: string, permission: Permission, read: BatchItem<'sqlite'> & PromiseLike<R>) {
  const [access, rows] = await c.get('db').batch([projectAccessQuery(c, projectId), read])
  return { ...projectAllowed(c, access[0], permission), rows: rows as R }
}
