/** Which platforms a post goes to, and the marker that finds it there again. Pure. */
import { z } from 'zod'
import { PLATFORMS, type Platform } from '../../containers/render/recipe/vocabulary'

/** The platforms a post goes to: those chosen (all by default) that are connected now. */
export function targetPlatforms(chosen: readonly Platform[] | undefined, connected: readonly Platform[]): Platform[] {
  return (chosen ?? PLATFORMS).filter((p) => connected.includes(p))
}

/** A post's marker: put in the platform post's metadata so it can be found again. */
export const markerFor = (postId: string, platform: Platform) => `rp:${postId}:${platform}`

/** The platforms a request names for a post or draft: each at most once (a post has one target per platform). */
export const PlatformListSchema = z
  .array(z.enum(PLATFORMS))
  .min(1, 'choose at least one platform, or leave platforms out to use every connected one')
  .max(PLATFORMS.length)
  .refine((list) => new Set(list).size === list.length, 'names a platform twice')
  .meta({ id: 'PlatformList', description: 'Platforms to post to, each at most once' })
