/** Which platforms a post goes to, and the marker that finds it there again. Pure. */
import { PLATFORMS, type Platform } from '../../containers/render/recipe/vocabulary'

/** The platforms a post goes to: those chosen (all by default) that are connected now. */
export function targetPlatforms(chosen: readonly Platform[] | undefined, connected: readonly Platform[]): Platform[] {
  return (chosen ?? PLATFORMS).filter((p) => connected.includes(p))
}

/** A post's marker: put in the platform post's metadata so it can be found again. */
export const markerFor = (postId: string, platform: Platform) => `rp:${postId}:${platform}`
