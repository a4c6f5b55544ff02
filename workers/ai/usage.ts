/** Usage per workspace, day and provider (calls, tokens, fallbacks): what plans will count. */
import { sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import { aiUsage } from '../db/schema'
import type { ProviderName, Usage } from './types'

export interface UsageEntry {
  workspaceId: string
  provider: ProviderName
  usage: Usage
  /** The built-in answered because the configured provider failed. */
  fallback?: boolean
  /** A streamed call the person stopped: its tokens are those used until then. */
  canceled?: boolean
}

/** Adds one call to the day's row (UTC day). */
export async function recordUsage(db: Db, entry: UsageEntry, now = new Date()) {
  const day = now.toISOString().slice(0, 10)
  const row = { workspaceId: entry.workspaceId, day, provider: entry.provider, calls: 1, promptTokens: entry.usage.promptTokens, completionTokens: entry.usage.completionTokens, fallbacks: entry.fallback ? 1 : 0, canceled: entry.canceled ? 1 : 0 }
  await db
    .insert(aiUsage)
    .values(row)
    .onConflictDoUpdate({
      target: [aiUsage.workspaceId, aiUsage.day, aiUsage.provider],
      set: {
        calls: sql`${aiUsage.calls} + 1`,
        promptTokens: sql`${aiUsage.promptTokens} + ${row.promptTokens}`,
        completionTokens: sql`${aiUsage.completionTokens} + ${row.completionTokens}`,
        fallbacks: sql`${aiUsage.fallbacks} + ${row.fallbacks}`,
        canceled: sql`${aiUsage.canceled} + ${row.canceled}`,
      },
    })
}
