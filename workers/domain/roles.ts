/** Workspace roles and what each may do. Pure: used by the API and tested without the runtime. */
export const ROLES = ['owner', 'admin', 'editor', 'viewer'] as const
export type Role = (typeof ROLES)[number]

const RANK: Record<Role, number> = { viewer: 0, editor: 1, admin: 2, owner: 3 }

/** True when `role` is at least `required`. */
export function hasRole(role: Role, required: Role): boolean {
  return RANK[role] >= RANK[required]
}

/** The lower of two roles: what an API key may do is capped by its creator's current role. */
export function lowerRole(a: Role, b: Role): Role {
  return RANK[a] <= RANK[b] ? a : b
}

/** Actions and the least role that may take them. One table, so the rules are read in one place. */
export const PERMISSIONS = {
  'workspace.read': 'viewer',
  'workspace.update': 'admin',
  'workspace.delete': 'owner',
  'members.read': 'viewer',
  'members.manage': 'admin',
  'apiKeys.manage': 'admin',
  'audit.read': 'admin',
  'projects.read': 'viewer',
  'projects.write': 'editor',
  'projects.delete': 'admin',
} as const satisfies Record<string, Role>

export type Permission = keyof typeof PERMISSIONS

export function can(role: Role, permission: Permission): boolean {
  return hasRole(role, PERMISSIONS[permission])
}

/**
 * Whether an actor with `actorRole` may give `targetRole` to someone (or change someone who holds
 * `currentRole`). Only owners create or touch owners; nobody grants more than they hold.
 */
export function canAssignRole(actorRole: Role, targetRole: Role, currentRole?: Role): boolean {
  if (!can(actorRole, 'members.manage')) return false
  if (!hasRole(actorRole, targetRole)) return false
  if (currentRole && !hasRole(actorRole, currentRole)) return false
  return true
}
