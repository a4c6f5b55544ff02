/**
 * What the publish consumer calls: `openGateway` binds a project's connection on a platform to
 * its publisher (real, or the sandbox for sandbox accounts), hands the publisher a live token,
 * refreshes once after an auth error, and turns failures into `{status: 'failed', error}`.
 */
import { and, eq, sql } from 'drizzle-orm'
import type { Db } from '../db/client'
import { connections } from '../db/schema'
import { endpointsFor, platformApp, sandboxEnabled, timeoutMs, type PlatformEnv } from './config'
import { liveAccessToken, markNeedsReconnect, type Connection } from './connections'
import { InstagramPublisher } from './instagram'
import { SandboxPublisher, takeSandboxFault } from './sandbox'
import { TikTokPublisher } from './tiktok'
import {
  failures,
  PLATFORM_NAMES,
  PublishError,
  type FoundPost,
  type Platform,
  type PublishContext,
  type PublishFailure,
  type PublishInput,
  type PublishOutcome,
  type PublishState,
  type Publisher,
} from './types'
import { YouTubePublisher } from './youtube'

export * from './types'

/** The real publishers, one per platform, configured from the environment. */
export const publishers: Record<Platform, (env: PlatformEnv) => Publisher> = {
  youtube: (env) => new YouTubePublisher({ rootUrl: endpointsFor(env, 'youtube').api, timeoutMs: timeoutMs(env) }),
  tiktok: (env) =>
    new TikTokPublisher({
      apiUrl: endpointsFor(env, 'tiktok').api,
      timeoutMs: timeoutMs(env),
      limits: { init: env.TIKTOK_INIT_LIMITER, status: env.TIKTOK_STATUS_LIMITER },
    }),
  instagram: (env) => new InstagramPublisher({ apiUrl: endpointsFor(env, 'instagram').api, timeoutMs: timeoutMs(env) }),
}

/** Whether real accounts can be connected for a platform; without credentials only sandbox accounts work. */
export const isConfigured = (env: PlatformEnv, platform: Platform) => platformApp(env, platform) !== null

/** The publisher for a connection: the sandbox for sandbox accounts, else the real one (which needs credentials). */
export function publisherFor(env: PlatformEnv, db: Db, connection: Connection): Publisher {
  if (connection.mode === 'sandbox') {
    if (!sandboxEnabled(env)) throw new PublishError(failures.disconnected(connection.platform, 'sandbox accounts are off on this deployment (SANDBOX_ENABLED)'))
    return new SandboxPublisher(connection.platform, db, env)
  }
  if (!isConfigured(env, connection.platform)) throw new PublishError(failures.disconnected(connection.platform, `${connection.platform} credentials are not configured on this deployment`))
  return publishers[connection.platform](env)
}

/** The publish consumer's handle on one post's target. */
export interface PlatformGateway {
  publish(): Promise<PublishOutcome>
  findByMarker(state?: PublishState): Promise<FoundPost | null>
  poll(state: PublishState): Promise<PublishOutcome>
}

export interface GatewayRequest {
  projectId: string
  platform: Platform
  /** The target's marker (unique per post and platform). */
  marker: string
  /** Builds the input when it is needed (publish only): the render as a VideoSource, texts, privacy. */
  input: () => Promise<Omit<PublishInput, 'marker'>>
  now?: () => number
  /** Persists platform state with the target mid-publish (see PublishContext.checkpoint). */
  checkpoint?: (state: PublishState) => Promise<void>
}

/** A sandbox "refresh": succeeds unless a revoked token was injected. */
async function refreshSandbox(db: Db, connection: Connection): Promise<Connection> {
  if ((await takeSandboxFault(db, connection.id, ['revoked_token'])) === 'revoked_token') {
    await markNeedsReconnect(db, connection.id, 'The sandbox account revoked Reelpilot’s access (injected fault). Reconnect it.')
    throw new PublishError(failures.disconnected(connection.platform, 'sandbox: refresh token revoked (injected)'))
  }
  return (await db
    .update(connections)
    .set({ tokenVersion: sql`${connections.tokenVersion} + 1`, refreshedAt: new Date().toISOString() })
    .where(eq(connections.id, connection.id))
    .returning()
    .get())!
}

/**
 * Calls on a connection with a live token: the stored one, refreshed ahead of expiry, and after an
 * auth error refreshed once and tried again; refused again, the connection needs reconnecting and
 * the call fails as `disconnected`. Publishing and metrics collection share it.
 */
export function authorizedCalls(env: PlatformEnv, db: Db, initial: Connection, options: { now: () => number; checkpoint?: (state: PublishState) => Promise<void> }) {
  let connection = initial
  const { platform } = connection
  const { now, checkpoint } = options

  async function context(force: boolean): Promise<PublishContext> {
    if (connection.mode === 'sandbox') {
      if (force) connection = await refreshSandbox(db, connection)
      return { platform, connectionId: connection.id, accessToken: 'sandbox', accountId: connection.accountId ?? '', now, checkpoint }
    }
    const live = await liveAccessToken(env, db, connection, { force, now })
    connection = live.connection
    return { platform, connectionId: connection.id, accessToken: live.token, accountId: connection.accountId ?? '', now, checkpoint }
  }

  /** Runs a call with a live token; after an auth error, refreshes once and tries again. */
  async function withAuth<T>(call: (ctx: PublishContext) => Promise<T>): Promise<T> {
    const result = await call(await context(false)).catch((error) => error)
    if (!(result instanceof PublishError && result.failure.kind === 'auth')) {
      if (result instanceof Error) throw result
      return result as T
    }
    const retried = await call(await context(true)).catch((error) => error)
    if (retried instanceof PublishError && retried.failure.kind === 'auth') {
      const reason = `${PLATFORM_NAMES[platform]} refused a freshly renewed sign-in (${retried.failure.detail}). Reconnect the account.`
      await markNeedsReconnect(db, connection.id, reason)
      throw new PublishError(failures.disconnected(platform, retried.failure.detail))
    }
    if (retried instanceof Error) throw retried
    return retried as T
  }

  return { withAuth, connection: () => connection }
}

/**
 * Opens publishing for a project's account on a platform, or says why it can't (no connection,
 * or one that needs reconnecting) as a `disconnected` failure the creator can act on.
 */
export async function openGateway(env: PlatformEnv, db: Db, request: GatewayRequest): Promise<PlatformGateway | { unavailable: PublishFailure }> {
  const { platform } = request
  const now = request.now ?? Date.now
  const connection = await db
    .select()
    .from(connections)
    .where(and(eq(connections.projectId, request.projectId), eq(connections.platform, platform)))
    .get()
  const name = PLATFORM_NAMES[platform]
  if (!connection || connection.status === 'disconnected')
    return { unavailable: { ...failures.disconnected(platform, 'no connection'), message: `Connect your ${name} account in Connections to publish there.` } }
  if (connection.status === 'needs_reconnect')
    return { unavailable: { ...failures.disconnected(platform, connection.statusReason ?? 'needs reconnect'), message: connection.statusReason ?? failures.disconnected(platform, '').message } }
  let publisher: Publisher
  try {
    publisher = publisherFor(env, db, connection)
  } catch (error) {
    if (error instanceof PublishError) return { unavailable: error.failure }
    throw error
  }

  const { withAuth } = authorizedCalls(env, db, connection, { now, checkpoint: request.checkpoint })

  const settle = async (run: () => Promise<PublishOutcome>): Promise<PublishOutcome> => {
    try {
      return await run()
    } catch (error) {
      if (error instanceof PublishError) return { status: 'failed', error: error.failure }
      throw error
    }
  }

  return {
    publish: () =>
      settle(async () => {
        const input = await request.input()
        return withAuth((ctx) => publisher.publish({ ...input, marker: request.marker }, ctx))
      }),
    poll: (state) =>
      settle(() =>
        withAuth((ctx) => {
          if (!publisher.poll) throw new PublishError(failures.retryable(platform, `${platform} has nothing to poll`))
          return publisher.poll(state, ctx)
        }),
      ),
    // Errors propagate: the consumer retries the lookup later rather than guessing.
    findByMarker: (state) => withAuth((ctx) => publisher.findByMarker(request.marker, ctx, state)),
  }
}
