/**
 * The audit log's one way in: `auditInsert(c, entry)` in the change's own `db.batch` (or
 * `audit(c, entry)` after it) records who made it (the signed-in person, or the API key and the
 * person who answers for it), the target, the time, the client IP (CF-Connecting-IP) and the request id. The table is append-only (migration 0010).
 */
import { sql, type SQL } from 'drizzle-orm'
import type { Context } from 'hono'
import { auditLog } from '../db/schema'
import type { Db } from '../db/client'
import type { AppEnv } from '../env'
import { newId } from './ids'
import type { Principal } from '../api/middleware/auth'
import type { AuditAction } from '../domain/audit'

export { AUDIT_ACTIONS, type AuditAction } from '../domain/audit'

export interface AuditEntry {
  workspaceId: string
  action: AuditAction
  targetType: string
  targetId: string
  /** What changed, without secrets (never a key's secret or a token). */
  details?: Record<string, unknown>
}

export interface Actor {
  actorType: 'user' | 'api_key'
  actorId: string
  actorUserId: string | null
}

export function actorOf(principal: Principal): Actor {
  return principal.kind === 'user'
    ? { actorType: 'user', actorId: principal.userId, actorUserId: principal.userId }
    : { actorType: 'api_key', actorId: principal.keyId, actorUserId: principal.createdBy }
}

/** The row to insert for `entry` by `actor` (for batches that write the change and its record together). */
export function auditRow(actor: Actor, entry: AuditEntry, request: { ip: string | null; requestId: string | null }) {
  return { id: newId('aud'), ...actor, ...entry, details: entry.details ?? null, ip: request.ip, requestId: request.requestId }
}

const clientIp = (c: Context<AppEnv>) => c.req.header('cf-connecting-ip')?.slice(0, 64) ?? null

/** The insert of `entry` made by the request's principal, for a `db.batch` with the change it records (both or neither). */
export function auditInsert(c: Context<AppEnv>, entry: AuditEntry) {
  return c.get('db').insert(auditLog).values(auditRow(actorOf(c.get('principal')), entry, { ip: clientIp(c), requestId: c.get('requestId') ?? null }))
}

/**
 * The insert of `entry` for a `d1Batch`, placed right after the conditional change it records: it
 * is written only when that statement changed a row (`changes() > 0`), in the same transaction.
 */
export function auditIfChanged(c: Context<AppEnv>, entry: AuditEntry): SQL {
  const r = auditRow(actorOf(c.get('principal')), entry, { ip: clientIp(c), requestId: c.get('requestId') ?? null })
  return sql`insert into audit_log (id, workspace_id, actor_type, actor_id, actor_user_id, action, target_type, target_id, details, ip, request_id)
    select ${r.id}, ${r.workspaceId}, ${r.actorType}, ${r.actorId}, ${r.actorUserId}, ${r.action}, ${r.targetType}, ${r.targetId}, ${r.details === null ? null : JSON.stringify(r.details)}, ${r.ip}, ${r.requestId}
    where changes() > 0`
}

/** Records `entry`, made by the request's principal, on its own (prefer `auditInsert` in the change's batch). */
export async function audit(c: Context<AppEnv>, entry: AuditEntry): Promise<void> {
  await auditInsert(c, entry).run()
}

/** The insert of `entry` made by `actor` outside the authenticated API (the OAuth callback), for the change's batch. */
export function auditInsertBy(db: Db, actor: Actor, entry: AuditEntry, request: { ip: string | null; requestId: string | null }) {
  return db.insert(auditLog).values(auditRow(actor, entry, request))
}

export { clientIp }
