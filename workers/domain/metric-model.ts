/**
 * The sandbox's metric model: believable numbers for posts published to sandbox accounts, and the
 * hidden truth the learning benchmark measures its learner against. Pure and seeded: the same
 * account and post give the same numbers on every machine.
 *
 * The model, for one post on one platform:
 *
 *   final views  V = base(platform) × size(account) × hour(account, platform, h) × weekday(account, d)
 *                    × style(account, platform, s) × noise(post)
 *   views(t)       = V × (0.85 × (1 − e^(−t/τ)) + 0.15 × (1 − e^(−t/12τ)))   (t = age in hours)
 *
 * - base: a typical small account's views per short (YouTube 900, TikTok 1500, Instagram 700);
 * - size: the account's reach, log-normal (σ 0.8) around 1, fixed per account;
 * - hour: a bell around the account's best hour (drawn per account and platform between 11:00
 *   and 21:00, width 3 h), from 0.55× far from it to 1.45× at it;
 * - weekday: one factor per weekday between 0.8× and 1.25×, drawn per account;
 * - style: one factor per style between 0.7× and 1.4×, drawn per account and platform;
 * - noise: log-normal (σ 0.35), drawn per post and platform;
 * - growth saturates: τ = 18 h on TikTok, 30 h on Instagram, 48 h on YouTube, with a long tail.
 *
 * Interactions are rates of views with their own per-post noise: likes 3–7 %, comments 0.2–0.6 %,
 * shares 0.3–1 %, saves 0.4–1.2 %. What each platform reports follows its API: TikTok gives no
 * saves and no watch time; Instagram gives reach (≈ 0.8 of views), saves, total interactions and
 * the average watch time; YouTube gives views, likes and comments at once, and watch time, shares
 * and subscribers only after 48 h, like the YouTube Analytics API.
 */
import type { MetricValues } from './metrics'
import { PLATFORMS } from './post-state'
import { STYLES } from '../../containers/render/recipe/vocabulary.ts'

/** The platforms the model knows: every platform (domain/post-state). */
export const MODEL_PLATFORMS = PLATFORMS
export type ModelPlatform = (typeof MODEL_PLATFORMS)[number]

const BASE_VIEWS: Record<ModelPlatform, number> = { youtube: 900, tiktok: 1500, instagram: 700 }
const TAU_HOURS: Record<ModelPlatform, number> = { youtube: 48, tiktok: 18, instagram: 30 }

/** A 32-bit FNV-1a hash of a string: the seed of everything drawn for it. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** mulberry32: a small, fast seeded generator of numbers in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A standard normal draw (Box–Muller) from a uniform generator. */
export function normal(random: () => number): number {
  const u = Math.max(random(), 1e-12)
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random())
}

/** The hidden effects of one account: what a learner should discover. */
export interface AccountEffects {
  size: number
  bestHour: Record<ModelPlatform, number>
  weekday: number[]
  style: Record<ModelPlatform, Record<string, number>>
}

const effectsCache = new Map<string, AccountEffects>()

/** The hidden effects of an account (a project's sandbox accounts share one seed: the project). */
export function accountEffects(accountSeed: string, styles: readonly string[] = STYLES): AccountEffects {
  const key = `${accountSeed}|${styles.join(',')}`
  const cached = effectsCache.get(key)
  if (cached) return cached
  const random = rng(hashSeed(`account:${accountSeed}`))
  const size = Math.exp(0.8 * normal(random))
  const bestHour = {} as Record<ModelPlatform, number>
  const style = {} as Record<ModelPlatform, Record<string, number>>
  for (const p of MODEL_PLATFORMS) bestHour[p] = 11 + random() * 10
  const weekday = Array.from({ length: 7 }, () => 0.8 + random() * 0.45)
  for (const p of MODEL_PLATFORMS) style[p] = Object.fromEntries(styles.map((s) => [s, 0.7 + random() * 0.7]))
  const effects = { size, bestHour, weekday, style }
  if (effectsCache.size > 10_000) effectsCache.clear()
  effectsCache.set(key, effects)
  return effects
}

/** The hour factor: a bell of width 3 h around the best hour, on the 24-hour circle. */
export function hourFactor(bestHour: number, hour: number): number {
  const d = Math.min(Math.abs(hour + 0.5 - bestHour), 24 - Math.abs(hour + 0.5 - bestHour))
  return 0.55 + 0.9 * Math.exp(-(d * d) / (2 * 3 * 3))
}

/** What a post is, as far as the model cares. */
export interface ModelPost {
  accountSeed: string
  postSeed: string
  platform: ModelPlatform
  style: string
  /** 0 = Monday … 6 = Sunday, in the account's zone. */
  weekday: number
  /** 0–23, in the account's zone. */
  hour: number
  /** Clip length in seconds (watch-time metrics). */
  durationSec?: number
}

/** The views a post would reach in the end without its own noise: the arm's true mean. */
export function expectedFinalViews(post: Omit<ModelPost, 'postSeed'>, styles?: readonly string[]): number {
  const e = accountEffects(post.accountSeed, styles)
  return BASE_VIEWS[post.platform] * e.size * hourFactor(e.bestHour[post.platform], post.hour) * e.weekday[post.weekday] * (e.style[post.platform][post.style] ?? 1)
}

/** The share of its final views a post has at `ageHours`. */
export function growth(platform: ModelPlatform, ageHours: number): number {
  if (ageHours <= 0) return 0
  const tau = TAU_HOURS[platform]
  return 0.85 * (1 - Math.exp(-ageHours / tau)) + 0.15 * (1 - Math.exp(-ageHours / (12 * tau)))
}

/** The metrics of a post at `ageHours` after publication, as its platform would report them. */
export function modelMetrics(post: ModelPost, ageHours: number, styles?: readonly string[]): MetricValues {
  const random = rng(hashSeed(`post:${post.postSeed}:${post.platform}`))
  const finalViews = expectedFinalViews(post, styles) * Math.exp(0.35 * normal(random))
  const rates = { likes: 0.03 + random() * 0.04, comments: 0.002 + random() * 0.004, shares: 0.003 + random() * 0.007, saves: 0.004 + random() * 0.008 }
  const viewedShare = 0.35 + random() * 0.45
  const g = growth(post.platform, ageHours)
  const views = Math.round(finalViews * g)
  const of = (rate: number) => Math.round(views * rate)
  const duration = post.durationSec ?? 30
  if (post.platform === 'tiktok') return { views, likes: of(rates.likes), comments: of(rates.comments), shares: of(rates.shares) }
  if (post.platform === 'instagram') {
    const likes = of(rates.likes)
    const comments = of(rates.comments)
    const shares = of(rates.shares)
    const saves = of(rates.saves)
    return { views, reach: Math.round(views * 0.8), likes, comments, shares, saves, total_interactions: likes + comments + shares + saves, avg_watch_time_ms: Math.round(duration * viewedShare * 1000) }
  }
  const values: MetricValues = { views, likes: of(rates.likes), comments: of(rates.comments) }
  if (ageHours >= 48) {
    // The Analytics API reports up to two days ago.
    const lagged = Math.round(finalViews * growth('youtube', ageHours - 48))
    values.watch_time_minutes = Math.round((lagged * duration * viewedShare) / 60)
    values.avg_view_duration_sec = Math.round(duration * viewedShare)
    values.avg_view_percentage = Math.round(viewedShare * 1000) / 10
    values.shares = Math.round(lagged * rates.shares)
    values.subscribers_gained = Math.round(lagged * 0.002)
  }
  return values
}
