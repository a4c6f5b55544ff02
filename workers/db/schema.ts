/**
 * Every D1 table of Reelpilot, in one file (drizzle, snake_case columns).
 * Every row belongs to a workspace, directly or through its project.
 */
import { sql } from 'drizzle-orm'
import { index, integer, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'

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

/** The lifecycle of a library item: bytes arriving, being checked, usable, or refused with a reason. */
export const MEDIA_STATUSES = ['uploading', 'processing', 'ready', 'rejected'] as const
export const MEDIA_KINDS = ['video', 'image'] as const

/**
 * A clip or picture in a project's library. The R2 key is built by the server; `filename` is a label.
 * `size` is the announced size while uploading (it counts against the quota from the start) and
 * the verified size afterwards. Probe fields are filled when the content check passes.
 */
export const media = sqliteTable(
  'media',
  {
    id: text().primaryKey(),
    workspaceId: text()
      .notNull()
      .references(() => workspaces.id, { onDelete: 'cascade' }),
    projectId: text()
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    key: text().notNull(),
    filename: text().notNull(),
    title: text().notNull(),
    tags: text({ mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    contentType: text().notNull(),
    size: integer().notNull(),
    status: text({ enum: MEDIA_STATUSES }).notNull().default('uploading'),
    rejectionReason: text(),
    /** R2 multipart upload id; null for a single PUT. */
    uploadId: text(),
    partSize: integer(),
    kind: text({ enum: MEDIA_KINDS }),
    durationSec: real(),
    width: integer(),
    height: integer(),
    fps: real(),
    videoCodec: text(),
    audioCodec: text(),
    hasAudio: integer({ mode: 'boolean' }),
    formatName: text(),
    bitRate: integer(),
    thumbnailKey: text(),
    createdBy: text().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: createdAt(),
    completedAt: text(),
  },
  (t) => [
    uniqueIndex('media_key_unique').on(t.key),
    index('media_project_created_idx').on(t.projectId, t.createdAt, t.id),
    index('media_workspace_status_idx').on(t.workspaceId, t.status),
    index('media_status_created_idx').on(t.status, t.createdAt),
  ],
)

/** Parts of a multipart upload that reached R2, recorded by the upload route so a client can resume. */
export const mediaParts = sqliteTable(
  'media_parts',
  {
    mediaId: text()
      .notNull()
      .references(() => media.id, { onDelete: 'cascade' }),
    partNumber: integer().notNull(),
    etag: text().notNull(),
    size: integer().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('media_parts_media_part_unique').on(t.mediaId, t.partNumber)],
)

export const schema = { users, workspaces, members, projects, apiKeys, media, mediaParts }
