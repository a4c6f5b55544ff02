/**
 * Every D1 table of Reelpilot, in one file (drizzle, snake_case columns).
 * Every row belongs to a workspace, directly or through its project.
 *
 * Times are ISO 8601 UTC text with milliseconds (`2026-11-21T12:00:00.000Z`), written with
 * `sqlNow()` in SQL and `isoAt(ms)` / `toISOString()` in code (workers/db/time.ts), so they compare
 * as text; every lease (`posts.leaseUntil`, `connections.refreshLeaseUntil`, `metricPulls.leaseUntil`) is
 * such a time.
 * The exceptions, each marked where it is declared, are numbers compared with `Date.now()` in code:
 * `connections.accessTokenExpiresAt` (epoch ms, as the platforms' `expires_in` arithmetic wants),
 * `sandbox_posts.readyAt` (epoch ms) and `oauth_states_used.expiresAt` (epoch seconds, the state's
 * own `exp`).
 */
import { sql } from 'drizzle-orm'
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core'

import { ROLES } from '../domain/roles'
import { OBJECTIVES, STYLES, type AutopilotConfig } from '../domain/autopilot-config'
import { PLATFORMS, POST_STATUSES, TARGET_STATUSES, type Platform } from '../domain/post-state'
import { BRAND_FONTS, POST_FRAMINGS, PROJECT_FRAMINGS } from '../domain/post-spec'
import { sqlNow } from './time'
import type { PlatformTexts } from '../domain/platform-texts'
import { TRANSCRIPT_STATUSES, type TranscriptWord } from '../domain/transcript'

export type { Role } from '../domain/roles'

const createdAt = () =>
  text()
    .notNull()
    .default(sqlNow())

/** The workspace a row belongs to: every row does, and goes when its workspace goes. */
const inWorkspace = () =>
  text()
    .notNull()
    .references(() => workspaces.id, { onDelete: 'cascade' })

/** The project a row belongs to; it goes when its project goes. */
const inProject = () =>
  text()
    .notNull()
    .references(() => projects.id, { onDelete: 'cascade' })

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
    workspaceId: inWorkspace(),
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
    workspaceId: inWorkspace(),
    name: text().notNull(),
    description: text(),
    // --- videos (issue 18, migration 0011): the project's brand and default framing ---
    /** `#rrggbb`; the corporate style's bar and hook box. Null: the recipe's default blue. */
    brandColor: text(),
    /** One of the recipe's BRAND_FONTS for hooks and calls to action; null: each style's own. */
    font: text({ enum: BRAND_FONTS }),
    /** An image of the project's library drawn in the top corner of every video. */
    logoMediaId: text().references((): AnySQLiteColumn => media.id, { onDelete: 'set null' }),
    /** How clips fill the frame by default: auto (crop a vertical clip, fit any other), crop, fit, pad. */
    framing: text({ enum: PROJECT_FRAMINGS }).notNull().default('auto'),
    // --- end videos ---
    /** Where the project's tracked links (`/l/:code`, issue 13) lead; null: posts carry no link. */
    linkUrl: text(),
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
    workspaceId: inWorkspace(),
    name: text().notNull(),
    role: text({ enum: ROLES }).notNull(),
    prefix: text().notNull(),
    hash: text().notNull(),
    createdBy: text().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    lastUsedAt: text(),
    revokedAt: text(),
    /** Why it stopped working, when Reelpilot revoked it (its creator left); null when revoked by hand. (0005) */
    revokedReason: text(),
  },
  (t) => [
    uniqueIndex('api_keys_hash_unique').on(t.hash),
    index('api_keys_workspace_idx').on(t.workspaceId),
    /** One working key per name in a workspace, whatever the case (0028): two creates at once cannot both win. */
    uniqueIndex('api_keys_working_name_unique').on(t.workspaceId, sql`lower(${t.name})`).where(sql`${t.revokedAt} is null`),
  ],
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
    workspaceId: inWorkspace(),
    projectId: inProject(),
    key: text().notNull(),
    filename: text().notNull(),
    /** What the clip is called; empty until the creator names it (a file name is not a title). */
    title: text().notNull(),
    /** What the clip is about, in a few words: hooks and captions are written from it (issue 18). */
    topic: text().notNull().default(''),
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
    /** The content check running for this item (any isolate): its run id, and until when it holds the item. */
    checkLeaseId: text(),
    checkLeaseUntil: text(),
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

/**
 * A clip's transcript (#15): its words with start and end seconds on the clip's own timeline,
 * written by the transcription step (workers/speech) and editable in the library (a word's text
 * changes, its times stay). `pending` while a transcription is queued or running; `done` with an
 * empty `words` is a clip without speech; `failed` says why in `error`.
 */
export const mediaTranscripts = sqliteTable(
  'media_transcripts',
  {
    mediaId: text()
      .primaryKey()
      .references(() => media.id, { onDelete: 'cascade' }),
    workspaceId: inWorkspace(),
    status: text({ enum: TRANSCRIPT_STATUSES }).notNull().default('pending'),
    /** ISO 639-1 when the provider said (or the creator set) it; null when unknown. */
    language: text(),
    words: text({ mode: 'json' }).$type<TranscriptWord[]>().notNull().default(sql`'[]'`),
    provider: text(),
    model: text(),
    error: text(),
    attempts: integer().notNull().default(0),
    editedAt: text(),
    createdAt: createdAt(),
    updatedAt: createdAt(),
  },
  (t) => [index('media_transcripts_status_idx').on(t.status, t.updatedAt)],
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

/**
 * The autopilot of a project: its configuration as the creator set it (validated by
 * `autopilotConfigSchema`). The ProjectScheduler keeps its own copy with the next slot and alarm;
 * this row is what the API reads and what the scheduler is re-armed from.
 */
export const autopilots = sqliteTable('autopilots', {
  projectId: text()
    .primaryKey()
    .references(() => projects.id, { onDelete: 'cascade' }),
  workspaceId: inWorkspace(),
  config: text({ mode: 'json' }).$type<AutopilotConfig>().notNull(),
  enabled: integer({ mode: 'boolean' }).notNull(),
  /** One more on every save (migration 0022). */
  configVersion: integer().notNull().default(0),
  /** The last version the project's scheduler took; behind configVersion: the sweeper hands it over. */
  appliedVersion: integer().notNull().default(0),
  createdAt: createdAt(),
  updatedAt: createdAt(),
})

/**
 * One post: a clip rendered in a style and published at a time. `(projectId, slotKey)` is unique,
 * so a repeated alarm for the same slot creates nothing new; hand-scheduled posts get a slot key
 * of their own. `leaseUntil` marks a render in progress, so a second delivery of the same render
 * message waits instead of rendering again.
 */
export const posts = sqliteTable(
  'posts',
  {
    id: text().primaryKey(),
    workspaceId: inWorkspace(),
    projectId: inProject(),
    mediaId: text().references(() => media.id, { onDelete: 'set null' }),
    origin: text({ enum: ['autopilot', 'manual'] }).notNull(),
    slotKey: text().notNull(),
    status: text({ enum: POST_STATUSES }).notNull(),
    scheduledAt: text().notNull(),
    language: text().notNull(),
    style: text({ enum: STYLES }).notNull(),
    objective: text({ enum: OBJECTIVES }).notNull(),
    requireApproval: integer({ mode: 'boolean' }).notNull().default(false),
    hook: text(),
    caption: text(),
    hashtags: text({ mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    callToAction: text(),
    // --- videos (issue 18, migration 0011): null means the project's default / the whole clip ---
    framing: text({ enum: POST_FRAMINGS }),
    focusX: real(),
    focusY: real(),
    trimStartSec: real(),
    trimEndSec: real(),
    // --- end videos ---
    skipReason: text(),
    error: text(),
    renderAttempts: integer().notNull().default(0),
    /** 0..1 while rendering, from the render server's progress (1 once rendered). */
    renderProgress: real(),
    leaseUntil: text(),
    renderKey: text(),
    coverKey: text(),
    renderDurationSec: real(),
    renderWidth: integer(),
    renderHeight: integer(),
    renderSize: integer(),
    renderSha256: text(),
    renderedAt: text(),
    createdAt: createdAt(),
    updatedAt: createdAt(),
    /** The creator's own text per platform (#16); null or a missing platform: the shared text. */
    platformTexts: text({ mode: 'json' }).$type<PlatformTexts>(),
    /** Who wrote the texts (#14): `workers-ai`, `openai`, `builtin` (templates), or null (written by hand). */
    textsProvider: text(),
    /** Why the learning autopilot (#13) chose this post's window part and style; null: not chosen by it. */
    choiceReason: text(),
    /** The learner's arm of the post (`HH:MM-HH:MM|style`, project time); null: not chosen by it. */
    choiceArm: text(),
    /** Captions from speech (#15) burned in: true/false as the creator set it on the post; null: the autopilot's setting. */
    speechCaptions: integer({ mode: 'boolean' }),
  },
  (t) => [
    uniqueIndex('posts_project_slot_unique').on(t.projectId, t.slotKey),
    index('posts_project_scheduled_idx').on(t.projectId, t.scheduledAt, t.id),
    index('posts_status_updated_idx').on(t.status, t.updatedAt),
    index('posts_media_idx').on(t.mediaId),
  ],
)

/**
 * The publication of a post to one platform, with its own state. `attempt` counts claims;
 * `marker` is put in the platform post's metadata so an unconfirmed publication can be looked up
 * before anything is sent again. `state` holds what polling needs (TikTok publish id, Instagram
 * container id).
 */
export const postTargets = sqliteTable(
  'post_targets',
  {
    postId: text()
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    platform: text({ enum: PLATFORMS }).notNull(),
    workspaceId: inWorkspace(),
    status: text({ enum: TARGET_STATUSES }).notNull().default('pending'),
    attempt: integer().notNull().default(0),
    leaseUntil: text(),
    marker: text().notNull(),
    remoteId: text(),
    remoteUrl: text(),
    errorKind: text(),
    error: text(),
    state: text({ mode: 'json' }).$type<Record<string, unknown>>(),
    publishedAt: text(),
    createdAt: createdAt(),
    updatedAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.postId, t.platform] }), index('post_targets_status_updated_idx').on(t.status, t.updatedAt)],
)

/** What happened to a post, in order: every state change, with who or what made it. */
export const postEvents = sqliteTable(
  'post_events',
  {
    id: integer().primaryKey({ autoIncrement: true }),
    postId: text()
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    at: createdAt(),
    type: text().notNull(),
    platform: text(),
    fromStatus: text(),
    toStatus: text(),
    message: text(),
  },
  (t) => [index('post_events_post_idx').on(t.postId, t.id)],
)


/** A connection's health: usable, waiting for the creator to sign in again (with the reason), or ended. */
export const CONNECTION_STATUSES = ['active', 'needs_reconnect', 'disconnected'] as const
/** `oauth`: a real platform account. `sandbox`: the built-in mock account (local mode, demos, tests). */
export const CONNECTION_MODES = ['oauth', 'sandbox'] as const

/**
 * A project's account on a platform (one per project and platform; reconnecting updates it).
 * Tokens are sealed with SecretBox (AES-GCM, row ids as additional data). `tokenVersion` grows
 * with every token write; a refresh is leased through `refreshLeaseUntil`/`refreshLeaseId` so
 * concurrent jobs make one refresh call (docs/decisions/003-token-refresh.md).
 */
export const connections = sqliteTable(
  'connections',
  {
    id: text().primaryKey(),
    workspaceId: inWorkspace(),
    projectId: inProject(),
    platform: text({ enum: PLATFORMS }).notNull(),
    mode: text({ enum: CONNECTION_MODES }).notNull(),
    status: text({ enum: CONNECTION_STATUSES }).notNull().default('active'),
    statusReason: text(),
    accountId: text(),
    accountName: text(),
    avatarUrl: text(),
    scopes: text(),
    accessToken: text(),
    refreshToken: text(),
    /** Epoch milliseconds; null when the platform did not say. */
    accessTokenExpiresAt: integer(),
    tokenVersion: integer().notNull().default(0),
    refreshLeaseUntil: text(),
    refreshLeaseId: text(),
    refreshedAt: text(),
    /** Sandbox accounts: faults to inject next (rate_limit, expired_token, server_error, timeout_after_upload). */
    sandboxFaults: text({ mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    connectedBy: text().references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: createdAt(),
  },
  (t) => [uniqueIndex('connections_project_platform_unique').on(t.projectId, t.platform), index('connections_workspace_idx').on(t.workspaceId)],
)

/** What the sandbox publishers "posted": processing until `readyAt`, then published, found by marker. */
export const sandboxPosts = sqliteTable(
  'sandbox_posts',
  {
    id: text().primaryKey(),
    connectionId: text()
      .notNull()
      .references(() => connections.id, { onDelete: 'cascade' }),
    platform: text({ enum: PLATFORMS }).notNull(),
    marker: text().notNull(),
    title: text().notNull(),
    videoKey: text(),
    size: integer().notNull(),
    /** Epoch milliseconds: when the sandbox says the post is published. */
    readyAt: integer().notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('sandbox_posts_connection_marker_idx').on(t.connectionId, t.marker)],
)

// ── Analytics (issue 12; migrations/0006_analytics.sql) ─────────────────────────────────────────
// The migration declares these tables WITHOUT ROWID (their primary keys are the lookup order).

/**
 * What one pull read of one target (a post on a platform): append-only, one row per
 * (target, metric, pull). A metric the platform did not give has no row (never a zero).
 * Kept as long as the post; deleted with it.
 */
export const metricSnapshots = sqliteTable(
  'metric_snapshots',
  {
    postId: text()
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    platform: text({ enum: PLATFORMS }).notNull(),
    metric: text().notNull(),
    pullIndex: integer().notNull(),
    projectId: text().notNull(),
    value: real().notNull(),
    pulledAt: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.postId, t.platform, t.metric, t.pullIndex] }), index('metric_snapshots_project_pulled_idx').on(t.projectId, t.pulledAt)],
)

/** Each target's newest value of each metric (the highest pull index written). */
export const metricLatest = sqliteTable(
  'metric_latest',
  {
    postId: text()
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    platform: text({ enum: PLATFORMS }).notNull(),
    metric: text().notNull(),
    projectId: text().notNull(),
    value: real().notNull(),
    pullIndex: integer().notNull(),
    pulledAt: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.postId, t.platform, t.metric] }), index('metric_latest_project_metric_idx').on(t.projectId, t.metric, t.value)],
)

/**
 * Daily rollup per project: what was earned on `day` (the project's zone), the sum of the
 * increases between pulls, by platform and by the post's style, weekday (0 = Monday) and hour of
 * publication (project zone). Additive metrics only; averages live in snapshots.
 */
export const metricDaily = sqliteTable(
  'metric_daily',
  {
    projectId: inProject(),
    day: text().notNull(),
    platform: text({ enum: PLATFORMS }).notNull(),
    style: text().notNull(),
    weekday: integer().notNull(),
    hour: integer().notNull(),
    metric: text().notNull(),
    value: real().notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.day, t.platform, t.style, t.weekday, t.hour, t.metric] })],
)

/**
 * The dashboard's rollups (migration 0020): what was earned, per platform and metric, for the
 * whole project (`dim` 'all', `key` '') and per the post's style, weekday (0 = Monday) or hour of
 * publication (`dim` 'style' | 'weekday' | 'hour', `key` its value as text), in day buckets of 1,
 * 8 and 64 days (`start` = the bucket's first day, `domain/day-buckets.ts`). The same increases as
 * metric_daily, grouped coarser, so a range is summed from a few buckets.
 */
export const metricRollup = sqliteTable(
  'metric_rollup',
  {
    projectId: inProject(),
    dim: text({ enum: ['all', 'style', 'weekday', 'hour'] }).notNull(),
    span: integer().notNull(),
    start: text().notNull(),
    platform: text({ enum: PLATFORMS }).notNull(),
    key: text().notNull(),
    metric: text().notNull(),
    value: real().notNull(),
  },
  (t) => [primaryKey({ columns: [t.projectId, t.dim, t.span, t.start, t.platform, t.key, t.metric] })],
)

/** A short code of ours per published post and platform (`/l/:code`, migration 0020b): its clicks are that target's. */
export const trackedLinks = sqliteTable(
  'tracked_links',
  {
    code: text().primaryKey(),
    projectId: inProject(),
    postId: text()
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    platform: text({ enum: PLATFORMS }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('tracked_links_post_platform_idx').on(t.postId, t.platform)],
)

/** One counted click of a tracked link: only its code and time. */
export const linkClicks = sqliteTable(
  'link_clicks',
  {
    code: text()
      .notNull()
      .references(() => trackedLinks.code, { onDelete: 'cascade' }),
    clickedAt: text().notNull(),
  },
  (t) => [index('link_clicks_code_idx').on(t.code, t.clickedAt)],
)

/**
 * Who already clicked a link today, so a visitor counts once: keyed hashes of (day, address,
 * browser) and of (day, network), never the address itself; deleted after a day. A trigger adds
 * a `link_clicks` row for each row inserted here.
 */
export const linkVisitors = sqliteTable(
  'link_visitors',
  {
    code: text()
      .notNull()
      .references(() => trackedLinks.code, { onDelete: 'cascade' }),
    day: text().notNull(),
    visitor: text().notNull(),
    network: text().notNull(),
    clickedAt: text().notNull(),
  },
  (t) => [primaryKey({ columns: [t.code, t.day, t.visitor] }), index('link_visitors_network_idx').on(t.code, t.day, t.network), index('link_visitors_day_idx').on(t.day)],
)

/**
 * The pull schedule of one published target: the next pull (index into the decaying schedule)
 * and when it is due (null when the schedule is over). `leaseUntil` marks a pull handed
 * to the metrics-jobs queue, so the scheduler does not hand it out twice.
 */
export const metricPulls = sqliteTable(
  'metric_pulls',
  {
    postId: text()
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    platform: text({ enum: PLATFORMS }).notNull(),
    projectId: text().notNull(),
    workspaceId: text().notNull(),
    publishedAt: text().notNull(),
    nextIndex: integer().notNull().default(0),
    /** Null when the schedule is over. */
    nextAt: text(),
    /** Until when a pull handed to the queue is held (see the header). */
    leaseUntil: text(),
    lastPulledAt: text(),
    lastError: text(),
  },
  (t) => [primaryKey({ columns: [t.postId, t.platform] }), index('metric_pulls_project_next_idx').on(t.projectId, t.nextAt)],
)

/** Calls counted against a platform budget in one window (a day, an hour, a minute). */
export const platformQuotas = sqliteTable(
  'platform_quotas',
  {
    budget: text().notNull(),
    window: text().notNull(),
    used: integer().notNull(),
  },
  (t) => [primaryKey({ columns: [t.budget, t.window] })],
)
// ── end of analytics ────────────────────────────────────────────────────────────────────────────

// ---- security (#11, migration 0005) ----

/**
 * OAuth states already brought back to a callback: each state is good for one connection. Rows
 * are kept until the state would have expired anyway (10 minutes), then deleted on the next use.
 */
export const oauthStatesUsed = sqliteTable('oauth_states_used', {
  nonce: text().primaryKey(),
  /** Epoch seconds: the state's own expiry. */
  expiresAt: integer().notNull(),
})
// ---- end security ----

// ---- The creator's day (#16, migration 0012) -------------------------------------------------

/**
 * A draft: a post being written, without a time. It becomes a post (and leaves this table) when
 * it is scheduled; until then nothing renders or publishes it. `platforms` null: every connected one.
 */
/** What is drawn on a post's video, as the API names the fields (a new post's, a draft's). */
export interface LookValues {
  hook?: string
  callToAction?: string
  framing?: (typeof POST_FRAMINGS)[number] | null
  /** Captions from speech on this post; null or left out: the autopilot's setting. */
  speechCaptions?: boolean | null
  focus?: { x: number; y: number } | null
  trim?: { startSec: number; endSec: number } | null
}

export const postDrafts = sqliteTable(
  'post_drafts',
  {
    id: text().primaryKey(),
    workspaceId: inWorkspace(),
    projectId: inProject(),
    mediaId: text().references(() => media.id, { onDelete: 'set null' }),
    caption: text(),
    hashtags: text({ mode: 'json' }).$type<string[]>().notNull().default(sql`'[]'`),
    platforms: text({ mode: 'json' }).$type<Platform[]>(),
    platformTexts: text({ mode: 'json' }).$type<PlatformTexts>(),
    /** What is drawn on the video once it is a post (migration 0027); null: the defaults. */
    look: text({ mode: 'json' }).$type<LookValues>(),
    createdAt: createdAt(),
    updatedAt: createdAt(),
  },
  (t) => [index('post_drafts_project_updated_idx').on(t.projectId, t.updatedAt)],
)

// ---- end of #16 -------------------------------------------------------------------------------

// ---- AI assistant (#14, migration 0014) -----------------------------------------------------

/** AI calls per workspace, UTC day and provider (`builtin` included, with no tokens): what plans count. */
export const aiUsage = sqliteTable(
  'ai_usage',
  {
    workspaceId: inWorkspace(),
    /** `YYYY-MM-DD`, UTC. */
    day: text().notNull(),
    provider: text({ enum: ['workers-ai', 'openai', 'builtin'] }).notNull(),
    calls: integer().notNull().default(0),
    promptTokens: integer().notNull().default(0),
    completionTokens: integer().notNull().default(0),
    /** Calls the built-in answered because the configured provider failed. */
    fallbacks: integer().notNull().default(0),
    /** Streamed calls the person stopped (POST /ai-assistant/stream): counted with the tokens used so far. */
    canceled: integer().notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.workspaceId, t.day, t.provider] })],
)

export const INBOX_STATES = ['new', 'replied', 'dismissed'] as const

/** A comment on a published post, read from its platform, with our suggested reply (never sent by itself) and its state. */
export const inboxComments = sqliteTable(
  'inbox_comments',
  {
    id: text().primaryKey(),
    workspaceId: inWorkspace(),
    projectId: inProject(),
    postId: text()
      .notNull()
      .references(() => posts.id, { onDelete: 'cascade' }),
    platform: text({ enum: PLATFORMS }).notNull(),
    /** The platform's comment id (YouTube: the thread's top-level comment, what a reply's parentId names). */
    remoteId: text().notNull(),
    author: text().notNull(),
    text: text().notNull(),
    publishedAt: text().notNull(),
    state: text({ enum: INBOX_STATES }).notNull().default('new'),
    suggestedReply: text(),
    suggestedBy: text(),
    /** What the suggestion adds that the creator did not write: `[{kind: 'link' | 'email' | 'phone' | 'handle', value}]`. */
    flags: text({ mode: 'json' }).$type<{ kind: string; value: string }[]>().notNull().default(sql`'[]'`),
    replyText: text(),
    replyRemoteId: text(),
    repliedAt: text(),
    createdAt: createdAt(),
    updatedAt: createdAt(),
  },
  (t) => [uniqueIndex('inbox_comments_remote_unique').on(t.projectId, t.platform, t.remoteId), index('inbox_comments_project_published_idx').on(t.projectId, t.publishedAt)],
)

// ---- end of #14 -------------------------------------------------------------------------------

// ---- Audit log (#17, migration 0010) -----------------------------------------------------------

/**
 * Who did what in a workspace: members and roles, API keys, connections, the autopilot, approvals
 * and cancellations. Append-only (triggers refuse updates and deletes) and without a foreign key, so
 * it outlives what it describes. `actorType` `user` (actorId a user id) or `api_key` (actorId a key
 * id, `actorUserId` the person who answers for it); `ip` from CF-Connecting-IP.
 */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: text().primaryKey(),
    workspaceId: text().notNull(),
    at: createdAt(),
    actorType: text({ enum: ['user', 'api_key'] }).notNull(),
    actorId: text().notNull(),
    actorUserId: text(),
    action: text().notNull(),
    targetType: text().notNull(),
    targetId: text().notNull(),
    details: text({ mode: 'json' }).$type<Record<string, unknown>>(),
    ip: text(),
    requestId: text(),
  },
  (t) => [index('audit_log_workspace_at_idx').on(t.workspaceId, t.at, t.id), index('audit_log_workspace_actor_idx').on(t.workspaceId, t.actorId, t.at)],
)

// ---- end of #17 -------------------------------------------------------------------------------

export const schema = { users, workspaces, members, projects, apiKeys, media, mediaParts, mediaTranscripts, autopilots, posts, postTargets, postEvents, connections, sandboxPosts, metricSnapshots, metricLatest, metricDaily, metricRollup, trackedLinks, linkClicks, linkVisitors, metricPulls, platformQuotas, oauthStatesUsed, postDrafts, aiUsage, auditLog, inboxComments }

export const INBOX_REFRESH_STATUSES = ['queued', 'running', 'done', 'failed'] as const

/** A project's inbox refresh, run off the request by the inbox-jobs consumer: the last one's state, for the page's progress. */
export const inboxRefreshes = sqliteTable('inbox_refreshes', {
  projectId: text()
    .primaryKey()
    .references(() => projects.id, { onDelete: 'cascade' }),
  workspaceId: inWorkspace(),
  status: text({ enum: INBOX_REFRESH_STATUSES }).notNull(),
  requestedAt: text().notNull(),
  startedAt: text(),
  finishedAt: text(),
  /** Comments read for the first time by the last run. */
  newComments: integer().notNull().default(0),
  /** Why the last run failed (plain words for the page). */
  error: text(),
  /** What each platform said in the last run: `[{platform, status, message}]` (failures and reconnects). */
  platforms: text({ mode: 'json' }).$type<{ platform: string; status: string; message: string | null }[]>().notNull().default(sql`'[]'`),
})
