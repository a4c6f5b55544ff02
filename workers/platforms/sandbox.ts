/**
 * Sandbox publishers: the same interface as the real ones, behaving like the platforms without
 * any network. They read the whole video from R2 (as an upload would), give platform-shaped ids,
 * keep TikTok and Instagram posts "processing" for SANDBOX_PROCESSING_SEC, find posts by marker,
 * and inject faults queued on the connection (`sandboxFaults`):
 * rate_limit, expired_token, revoked_token, server_error, timeout_after_upload.
 */
import { and, eq, sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import { base64url } from '../lib/crypto'
import { connections, sandboxPosts } from '../db/schema'
import type { PlatformEnv } from './config'
import { failures, PublishError, type FoundPost, type Platform, type PublishContext, type PublishInput, type PublishOutcome, type PublishState, type Publisher } from './types'

export const SANDBOX_FAULTS = ['rate_limit', 'expired_token', 'revoked_token', 'server_error', 'timeout_after_upload'] as const
export type SandboxFault = (typeof SANDBOX_FAULTS)[number]

/** Takes the next queued fault of a connection, if any (atomically: one caller gets it). */
export async function takeSandboxFault(db: Db, connectionId: string, only?: SandboxFault[]): Promise<SandboxFault | undefined> {
  const row = await db.select({ faults: connections.sandboxFaults }).from(connections).where(eq(connections.id, connectionId)).get()
  const next = row?.faults?.[0] as SandboxFault | undefined
  if (!next || (only && !only.includes(next))) return undefined
  const taken = await db
    .update(connections)
    .set({ sandboxFaults: sql`json_remove(${connections.sandboxFaults}, '$[0]')` })
    .where(and(eq(connections.id, connectionId), sql`json_extract(${connections.sandboxFaults}, '$[0]') = ${next}`))
    .returning({ id: connections.id })
    .get()
  return taken ? next : undefined
}

/**
 * A sandbox post's id: 128 random bits, because it is all that guards the public post page. Shaped
 * like the platform's own (YouTube's URL-safe letters, TikTok's and Instagram's digits), only longer.
 */
export function sandboxId(platform: Platform): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16))
  if (platform === 'youtube') return base64url(bytes)
  let n = 0n
  for (const b of bytes) n = (n << 8n) | BigInt(b)
  return String(n)
}

/** The local page that plays a sandbox post. */
export const sandboxPostUrl = (id: string) => `/oauth/sandbox/posts/${id}`

export class SandboxPublisher implements Publisher {
  constructor(
    readonly platform: Platform,
    private readonly db: Db,
    private readonly env: PlatformEnv,
  ) {}

  private get processingMs() {
    const n = Number(this.env.SANDBOX_PROCESSING_SEC)
    return (Number.isFinite(n) && n >= 0 && this.env.SANDBOX_PROCESSING_SEC !== '' && this.env.SANDBOX_PROCESSING_SEC !== undefined ? n : 5) * 1000
  }

  private async fault(ctx: PublishContext, only?: SandboxFault[]) {
    const fault = await takeSandboxFault(this.db, ctx.connectionId, only)
    if (fault === 'rate_limit') throw new PublishError(failures.rateLimited(this.platform, 'sandbox: rate limit (injected)', 60))
    if (fault === 'expired_token' || fault === 'revoked_token') {
      // The gateway refreshes after an auth error; a revoked token makes that refresh fail.
      if (fault === 'revoked_token') await this.db.update(connections).set({ sandboxFaults: sql`json_insert(${connections.sandboxFaults}, '$[0]', 'revoked_token')` }).where(eq(connections.id, ctx.connectionId)).run()
      throw new PublishError(failures.auth(this.platform, 'sandbox: access token expired (injected)'))
    }
    if (fault === 'server_error') throw new PublishError(failures.retryable(this.platform, 'sandbox: 500 (injected)', 30))
    return fault
  }

  async publish(input: PublishInput, ctx: PublishContext): Promise<PublishOutcome> {
    const fault = await this.fault(ctx, ['rate_limit', 'expired_token', 'revoked_token', 'server_error', 'timeout_after_upload'])
    // "Upload": read every byte, as the platform would receive it.
    let received = 0
    const reader = (await input.video.read(0, input.video.size)).getReader()
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      received += value.byteLength
    }
    if (received !== input.video.size) throw new PublishError(failures.retryable(this.platform, `sandbox: read ${received} of ${input.video.size} bytes`))
    const id = sandboxId(this.platform)
    const readyAt = this.platform === 'youtube' ? ctx.now() : ctx.now() + this.processingMs
    await this.db.insert(sandboxPosts).values({ id, connectionId: ctx.connectionId, platform: this.platform, marker: input.marker, title: input.title, videoKey: input.video.url, size: received, readyAt }).run()
    const state: PublishState = { platform: this.platform, kind: 'sandbox', postId: id }
    if (fault === 'timeout_after_upload') throw new PublishError(failures.outcomeUnknown(this.platform, 'sandbox: timeout after the upload completed (injected)', state))
    if (this.platform === 'youtube') return { status: 'published', remoteId: id, remoteUrl: sandboxPostUrl(id) }
    return { status: 'processing', pollAfterSec: Math.ceil(this.processingMs / 1000), state }
  }

  async poll(state: PublishState, ctx: PublishContext): Promise<PublishOutcome> {
    await this.fault(ctx, ['rate_limit', 'server_error'])
    const post = await this.db.select().from(sandboxPosts).where(and(eq(sandboxPosts.id, String(state.postId)), eq(sandboxPosts.connectionId, ctx.connectionId))).get()
    if (!post) throw new PublishError(failures.retryable(this.platform, 'sandbox: post to poll is gone', 60))
    if (post.readyAt <= ctx.now()) return { status: 'published', remoteId: post.id, remoteUrl: sandboxPostUrl(post.id) }
    return { status: 'processing', pollAfterSec: Math.max(1, Math.ceil((post.readyAt - ctx.now()) / 1000)), state }
  }

  async findByMarker(marker: string, ctx: PublishContext): Promise<FoundPost | null> {
    const post = await this.db.select().from(sandboxPosts).where(and(eq(sandboxPosts.connectionId, ctx.connectionId), eq(sandboxPosts.marker, marker))).get()
    if (!post) return null
    if (post.readyAt <= ctx.now()) return { status: 'published', remoteId: post.id, remoteUrl: sandboxPostUrl(post.id) }
    return { status: 'processing', pollAfterSec: Math.max(1, Math.ceil((post.readyAt - ctx.now()) / 1000)), state: { platform: this.platform, kind: 'sandbox', postId: post.id } }
  }
}
