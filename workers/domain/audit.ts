/** The words of the audit log, pure so the settings page can list them without server code. */

/** Every action the log records, `<target>.<verb>`: the filter of GET /workspaces/{id}/audit takes these. */
export const AUDIT_ACTIONS = [
  'workspace.updated',
  'workspace.deleted',
  'member.invited',
  'member.role_changed',
  'member.removed',
  'api_key.created',
  'api_key.revoked',
  'connection.started',
  'connection.connected',
  'connection.updated',
  'connection.disconnected',
  'autopilot.updated',
  'autopilot.paused',
  'autopilot.resumed',
  'post.approved',
  'post.canceled',
  'post.retried',
  'comment.replied',
  'comment.dismissed',
] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]
