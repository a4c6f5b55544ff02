/**
 * Every D1 table of Reelpilot, in one file (drizzle, snake_case columns).
 * Every row belongs to a workspace, directly or through its project.
 */
import { sql } from 'drizzle-orm'
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

import { ROLES } from '../domain/roles'

export type { Role } from '../domain/roles'

const createdAt = () =>
  text()
    .notNull()
    .default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`)

/** A person. Created on first sign-in, or by an invitation (then `externalId` is null until they sign in). */
export const users = sqliteTable(
  'users',
  {
    id: text().primaryKey(),
    externalId: text(),
    email: text().notNull(),
    name: text(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_unique').on(t.email), uniqueIndex('users_external_id_unique').on(t.externalId)],
)

export const workspaces = sqliteTable(
  'workspaces',
  {
    id: text().primaryKey(),
    name: text().notNull(),
    slug: text().notNull(),
    plan: text().notNull().default('free'),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('workspaces_slug_unique').on(t.slug)],
)

export const members = sqliteTable(
  'members',
  {
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text({ enum: ROLES }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('members_workspace_user_unique').on(t.workspaceId, t.userId), index('members_user_idx').on(t.userId)],
)

export const projects = sqliteTable(
  'projects',
  {
    id: text().primaryKey(),
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    description: text(),
    createdAt: createdAt(),
    updatedAt: createdAt(),
  },
  (t) => [index('projects_workspace_idx').on(t.workspaceId)],
)

/** Integrator keys: only the SHA-256 of the secret is kept. */
export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text().primaryKey(),
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    role: text({ enum: ROLES }).notNull(),
    prefix: text().notNull(),
    hash: text().notNull(),
    createdBy: text().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    lastUsedAt: text(),
    revokedAt: text(),
  },
  (t) => [uniqueIndex('api_keys_hash_unique').on(t.hash), index('api_keys_workspace_idx').on(t.workspaceId)],
)

export const schema = { users, workspaces, members, projects, apiKeys }
