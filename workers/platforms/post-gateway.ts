/**
 * The bridge from the pipeline's rows to the publishers: a post's target becomes a gateway on the
 * project's connection, and the post's render becomes the publisher's input (streamed from R2,
 * with a signed URL for platforms that fetch it themselves).
 */
import { and, eq } from 'drizzle-orm'
import { createDb } from '../db/client'
import { posts, postTargets } from '../db/schema'
import { textsFor, textsWithLink } from '../domain/platform-texts'
import { linkLine } from '../domain/tracked-links'
import { linkCodeFor } from '../analytics/links'
import { expiresIn, signedUrl, signingKey } from '../lib/signed-url'
import { publicOrigin } from '../lib/public-url'
import { openGateway, type PlatformGateway } from './index'
import { r2VideoSource } from './media'
import { failures, PublishError, type Platform, type PublishFailure, type PublishInput } from './types'

type Post = typeof posts.$inferSelect
type Target = typeof postTargets.$inferSelect

/**
 * Signed media URLs handed to a platform live this long, and only while the target is being
 * published (a `pull` grant): TikTok fetches at init, Instagram while its container processes.
 */
export const PULL_URL_TTL_MS = 2 * 60 * 60_000

/** The publisher's input for a rendered post. */
export async function postInput(env: Env, post: Post, platform: Platform): Promise<Omit<PublishInput, 'marker'>> {
  if (!post.renderKey || !post.renderSize) throw new PublishError(failures.rejected(platform, `post ${post.id} has no render`, 'the rendered video is missing'))
  const origin = publicOrigin(env)
  const url = (key: string, contentType: string) => signedUrl(signingKey(env), origin, { op: 'pull', postId: post.id, platform, key, contentType, exp: expiresIn(PULL_URL_TTL_MS) })
  // The platform's own text when the creator wrote one, else the post's shared text.
  const texts = textsFor(post, platform)
  // The project's tracked link (issue 13) on a line of its own at the end of the text.
  const code = await linkCodeFor(createDb(env.DB), post, platform)
  // The text is cut where needed so that the link and the hashtags stay within the platform's limit.
  const { title, description } = code ? textsWithLink(texts, platform, post.hashtags ?? [], linkLine(origin, code)) : texts
  const coverKey = post.coverKey
  return {
    video: r2VideoSource(env.MEDIA, post.renderKey, { size: post.renderSize, contentType: 'video/mp4', url: await url(post.renderKey, 'video/mp4') }),
    cover: coverKey
      ? {
          url: await url(coverKey, 'image/jpeg'),
          contentType: 'image/jpeg',
          async read() {
            const object = await env.MEDIA.get(coverKey)
            if (!object) throw new Error(`cover ${coverKey} is missing`)
            return object.body
          },
        }
      : undefined,
    title,
    description,
    hashtags: post.hashtags ?? [],
    privacy: 'public',
    madeForKids: false,
    durationSec: post.renderDurationSec ?? undefined,
  }
}

/** The publish consumer's GatewayFactory: `(env, post, target) => gateway | {unavailable}`. */
export async function gatewayForPost(env: Env, post: Post, target: Target): Promise<PlatformGateway | { unavailable: PublishFailure }> {
  const db = createDb(env.DB)
  return openGateway(env, db, {
    projectId: post.projectId,
    platform: target.platform,
    marker: target.marker,
    input: () => postInput(env, post, target.platform),
    // Only while this delivery holds the claim: a stale delivery cannot overwrite a newer state.
    checkpoint: async (state) => {
      await db
        .update(postTargets)
        .set({ state })
        .where(and(eq(postTargets.postId, post.id), eq(postTargets.platform, target.platform), eq(postTargets.status, 'publishing')))
        .run()
    },
  })
}

