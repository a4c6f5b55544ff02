/**
 * The learning autopilot's bandit (issue 13). Pure: the planner hands it the arms of a project's
 * configuration and what each past post earned; it answers which window part and style the next
 * slot gets, and why. D1 reads are in `workers/analytics/learning.ts`.
 *
 * - Arms: the creator's windows, each split into equal parts of at most an hour, × the styles the
 *   creator allows. The windows stay hard limits: every arm lies inside one of them.
 * - Reward: a post's result at a fixed age (`REWARD_PULL_INDEX`, the 3-day pull) for the
 *   objective, divided by the account's rolling median of the same result (its latest 30, as it is
 *   now: one scale for every post; so accounts of any size compare), on a log scale: 0 is "your median", log 2 is "twice your median". A post whose
 *   result is not known yet is pending: it counts as a post of its arm, never as a zero.
 * - Model, per platform: log reward = the account's level + window part effect + style effect +
 *   the arm's own effect (part × style) + weekday effect + noise,
 *   Bayesian linear regression with normal priors (the creator's own style a little ahead). The
 *   parts' effects are one smooth curve over the day (a Gaussian-process prior: neighbouring parts
 *   alike, parts of other windows a few hours away a little alike); how far an arm may stand out
 *   from its part and style (the interaction's sd) is chosen by the results themselves (the
 *   marginal likelihood), so arms that add up are learnt as one curve plus one style. Weekday
 *   is the context: its effect is learnt beside the arms', so a good Tuesday does not make
 *   Tuesday's arm look good. A post teaches about its part, its neighbours and its style at once.
 * - Choice: Thompson sampling from that posterior; a post going to several platforms sums their draws.
 *   Randomness is seeded by project, platform set and slot, so a repeated alarm plans the same.
 *   Exploration is bounded: once the leading arm is clearly ahead (80 % sure that the runner-up is
 *   not better by more than 5 %), at most one post in five may go to another arm. A locked
 *   autopilot keeps its fixed choice.
 */
import { hashSeed, normal, rng } from './metric-model'
import { parseTimeWindow, type LearningMode, type TimeWindow } from './autopilot-config'
import type { TimeZoneRules } from './time-zone-rules'

/** Which pull's values the reward reads: index 3 of the pull schedule, 3 days after publication. */
export const REWARD_PULL_INDEX = 3
/** How many of the account's latest results the rolling median takes. */
export const MEDIAN_WINDOW = 30
/** The longest arm: windows are split into parts of at most this many minutes. */
export const MAX_PART_MINUTES = 60
/** Share of posts that may explore once one arm is clearly ahead. */
export const EXPLORE_CAP = 0.2

export { LEARNING_MODES, type LearningMode } from './autopilot-config'

/** Prior sd of a style's effect. */
const STYLE_SD = 0.5
/** Prior sd of a weekday's effect. */
const WEEKDAY_SD = 0.25
const OWN_STYLE_PRIOR = 0.05
const DEFAULT_NOISE_SD = 0.45
/**
 * The parts' effects are one smooth curve over the day (a Gaussian-process prior, on the 24-hour
 * circle): parts an hour apart are much alike, parts of two windows three hours apart still share
 * a little, so each post teaches every part near its own. Its scale, its length (hours) and each
 * part's own leeway.
 */
const PART_SD = 0.4
const PART_LENGTH_HOURS = 3
const PART_OWN_SD = 0.05
/**
 * Prior sds of an arm's own effect beyond its part's and style's (a style that works at one hour
 * only), from "hardly any" to "large": the one the results make likeliest is used (empirical Bayes
 * on the marginal likelihood), so an account whose arms add up learns as one curve plus one style,
 * and an arm that stands out on its own is still found.
 */
const INTERACTION_SDS = [0.03, 0.15, 0.4]
/** Prior sd of the account's level against its median (the intercept): loose. */
const LEVEL_SD = 1
const CLEARLY_AHEAD_Z = 0.8416 // 80 %
/**
 * A difference in log reward too small to be worth exploring for (5 %): the leader counts as
 * clearly ahead once the runner-up is unlikely to beat it by more than this.
 */
const WORTH_EXPLORING = 0.05

const pad = (n: number) => String(n).padStart(2, '0')
const clock = (minutes: number) => `${pad(Math.floor(minutes / 60) % 24)}:${pad(minutes % 60)}`

/** One arm: a part of a window and a style. */
export interface Arm {
  key: string
  /** "12:00-13:00": the part of the window, local time. */
  part: string
  window: TimeWindow
  style: string
}

/** A window split into equal parts of at most `MAX_PART_MINUTES` (a 90-minute window: two of 45). */
export function splitWindow(window: TimeWindow): TimeWindow[] {
  const length = window.end - window.start
  const n = Math.ceil(length / MAX_PART_MINUTES)
  return Array.from({ length: n }, (_, i) => ({ start: window.start + Math.floor((i * length) / n), end: window.start + Math.floor(((i + 1) * length) / n) }))
}

export const partLabel = (w: TimeWindow) => `${clock(w.start)}-${clock(w.end)}`
export const armKey = (part: TimeWindow, style: string) => `${partLabel(part)}|${style}`

/** The arms of a configuration: window parts × allowed styles (the configured style alone by default). */
export function armsFor(config: { timeWindows: readonly string[]; style: string; stylesAllowed?: readonly string[] }): Arm[] {
  const styles = config.stylesAllowed?.length ? config.stylesAllowed : [config.style]
  const arms: Arm[] = []
  for (const text of config.timeWindows) {
    const window = parseTimeWindow(text.trim())
    if (!window) continue
    for (const part of splitWindow(window)) for (const style of styles) arms.push({ key: armKey(part, style), part: partLabel(part), window: part, style })
  }
  return arms
}

/** The arm a post published at local `minuteOfDay` with `style` belongs to, if any. */
export function armOf(arms: readonly Arm[], minuteOfDay: number, style: string): Arm | undefined {
  return arms.find((a) => a.style === style && [0, 1440].some((shift) => minuteOfDay + shift >= a.window.start && minuteOfDay + shift < a.window.end))
}

export type Objective = 'awareness' | 'engagement' | 'traffic' | 'conversion'

/** A post's result for an objective from its metrics (null when the metrics do not give it). */
export function objectiveValue(objective: Objective, metrics: Partial<Record<string, number>>, clicks: number | null): number | null {
  if (objective === 'awareness') return metrics.views ?? metrics.reach ?? null
  if (objective === 'engagement') {
    const views = metrics.views ?? metrics.reach
    if (!views) return null
    return ((metrics.likes ?? 0) + (metrics.comments ?? 0) + (metrics.shares ?? 0) + (metrics.saves ?? 0)) / views
  }
  // Traffic and conversion: the tracked link's clicks; without a link, shares and saves.
  if (clicks !== null) return clicks
  if (metrics.shares === undefined && metrics.saves === undefined) return null
  return (metrics.shares ?? 0) + (metrics.saves ?? 0)
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}

/** One past post on one platform, oldest first; `value` null while its result is pending. */
export interface Outcome {
  platform: string
  armKey: string
  /** 0 = Monday. */
  weekday: number
  value: number | null
}

/**
 * Outcomes with their rewards: log(value / the account's median), the median of its latest
 * `MEDIAN_WINDOW` known results as it is now, the same for every post of the platform. (Against
 * the median of the results before each post, the scale would drift as the learner finds better
 * arms and the median rises: an arm tried early would look better than the same arm tried later.)
 */
export function rewards(outcomes: readonly Outcome[]): (Outcome & { reward: number | null; ratio: number | null })[] {
  const known = new Map<string, number[]>()
  for (const o of outcomes) if (o.value !== null) known.set(o.platform, [...(known.get(o.platform) ?? []), o.value])
  const base = new Map([...known].map(([platform, values]) => [platform, median(values.slice(-MEDIAN_WINDOW))]))
  return outcomes.map((o) => {
    if (o.value === null) return { ...o, reward: null, ratio: null }
    const b = base.get(o.platform)!
    const eps = Math.max(b * 0.01, 1e-6)
    const reward = Math.log((o.value + eps) / (b + eps))
    return { ...o, reward, ratio: Math.exp(reward) }
  })
}

/** What the learner knows of one arm on one platform. */
export interface ArmEvidence {
  key: string
  part: string
  style: string
  posts: number
  pending: number
  /** Posterior mean and sd of the log reward. */
  mean: number
  sd: number
  /** Reward as a multiple of the median, with a 90 % credible interval. */
  ratio: number
  low: number
  high: number
}

/** A Cholesky factor (lower) of a symmetric positive-definite matrix, in place of a copy. */
function cholesky(a: number[][]): number[][] {
  const n = a.length
  const l = a.map(() => new Array<number>(n).fill(0))
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[i][j]
      for (let k = 0; k < j; k++) sum -= l[i][k] * l[j][k]
      l[i][j] = i === j ? Math.sqrt(Math.max(sum, 1e-12)) : sum / l[j][j]
    }
  }
  return l
}
/** Solves L Lᵀ x = b. */
function cholSolve(l: number[][], b: number[]): number[] {
  const n = b.length
  const y = new Array<number>(n)
  for (let i = 0; i < n; i++) {
    let sum = b[i]
    for (let k = 0; k < i; k++) sum -= l[i][k] * y[k]
    y[i] = sum / l[i][i]
  }
  const x = new Array<number>(n)
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]
    for (let k = i + 1; k < n; k++) sum -= l[k][i] * x[k]
    x[i] = sum / l[i][i]
  }
  return x
}
/** Solves Lᵀ x = z (a draw from the posterior: μ + L⁻ᵀ z has covariance (L Lᵀ)⁻¹). */
function upperSolve(l: number[][], z: number[]): number[] {
  const n = z.length
  const x = new Array<number>(n)
  for (let i = n - 1; i >= 0; i--) {
    let sum = z[i]
    for (let k = i + 1; k < n; k++) sum -= l[k][i] * x[k]
    x[i] = sum / l[i][i]
  }
  return x
}

/**
 * The posterior of one platform: log reward = part effect + style effect + weekday effect + noise,
 * a Bayesian linear model (normal priors, the creator's own style a little ahead). A post teaches
 * the learner about its part and its style at once, so 6–12 arms are learnt from a few dozen posts.
 */
export interface Posterior {
  arms: readonly Arm[]
  /** Columns of each arm's part, style and interaction in the model. */
  columns: number[][]
  mean: number[]
  /** Cholesky factor of the posterior precision. */
  factor: number[][]
  noise: number
  counts: Map<string, { known: number; pending: number }>
}

export function posterior(arms: readonly Arm[], outcomes: readonly Outcome[], ownStyle: string): Posterior {
  const parts = [...new Set(arms.map((a) => a.part))]
  const styles = [...new Set(arms.map((a) => a.style))]
  const P = parts.length
  const S = styles.length
  // Columns: part effects, style effects, weekday effects, then one interaction per arm (an arm
  // may be better than its part and style say).
  const W = P + S
  const I = W + 7
  // Last, the account's level against its median: the other effects are its arms' deviations
  // from it, so an arm with few posts is shrunk towards the account's mean, not towards a median
  // that the leading arm's posts make.
  const level = I + arms.length
  const dims = level + 1
  const priorMean = new Array<number>(dims).fill(0)
  const priorPrecision = new Array<number>(dims).fill(0)
  for (let i = P; i < dims; i++) priorPrecision[i] = i >= I && i < level ? 0 : 1 / (i < W ? STYLE_SD : i < I ? WEEKDAY_SD : LEVEL_SD) ** 2
  styles.forEach((s, j) => (priorMean[P + j] = s === ownStyle ? OWN_STYLE_PRIOR : 0))
  const byKey = new Map(arms.map((a) => [a.key, a]))
  const columns: number[][] = arms.map((a, k) => [parts.indexOf(a.part), P + styles.indexOf(a.style), I + k, level])
  const armIndex = new Map(arms.map((a, k) => [a.key, k]))
  const counts = new Map<string, { known: number; pending: number }>(arms.map((a) => [a.key, { known: 0, pending: 0 }]))
  const rows: { cols: number[]; y: number }[] = []
  for (const o of rewards(outcomes)) {
    const arm = byKey.get(o.armKey)
    if (!arm) continue
    const c = counts.get(o.armKey)!
    if (o.reward === null) {
      c.pending++
      continue
    }
    c.known++
    rows.push({ cols: [parts.indexOf(arm.part), P + styles.indexOf(arm.style), W + o.weekday, I + armIndex.get(o.armKey)!, level], y: o.reward })
  }
  // The parts' prior precision: the inverse of their covariance over the day.
  const hours = parts.map((label) => {
    const w = arms.find((a) => a.part === label)!.window
    return (w.start + w.end) / 2 / 60
  })
  const apart = (x: number, y: number) => Math.min(Math.abs(x - y), 24 - Math.abs(x - y))
  const covariance = hours.map((x, i) => hours.map((y, j) => PART_SD ** 2 * Math.exp(-(apart(x, y) ** 2) / (2 * PART_LENGTH_HOURS ** 2)) + (i === j ? PART_OWN_SD ** 2 : 0)))
  const covarianceFactor = cholesky(covariance)
  const partPrecision = parts.map((_, j) => cholSolve(covarianceFactor, parts.map((_, i) => (i === j ? 1 : 0))))
  const logDetFactor = (l: number[][]) => 2 * l.reduce((n, row, i) => n + Math.log(row[i]), 0)
  const fit = (noise: number, interactionSd: number) => {
    const a = Array.from({ length: dims }, (_, i) => Array.from({ length: dims }, (_, j) => (i < P && j < P ? partPrecision[i][j] : i === j ? (i >= I && i < level ? 1 / interactionSd ** 2 : priorPrecision[i]) : 0)))
    const b = priorMean.map((m, i) => m * a[i][i])
    const logDetPrior = logDetFactor(cholesky(a))
    const priorQuadratic = priorMean.reduce((n, m, i) => n + m * b[i], 0)
    const w = 1 / noise ** 2
    let yy = 0
    for (const r of rows) {
      yy += r.y * r.y * w
      for (const i of r.cols) {
        b[i] += r.y * w
        for (const j of r.cols) a[i][j] += w
      }
    }
    const factor = cholesky(a)
    const mean = cholSolve(factor, b)
    // log p(the rewards | noise, interactionSd): how likely this prior made what was seen.
    const evidence = -0.5 * rows.length * Math.log(2 * Math.PI * noise ** 2) - 0.5 * (yy + priorQuadratic - b.reduce((n, x, i) => n + x * mean[i], 0)) + 0.5 * (logDetPrior - logDetFactor(factor))
    return { factor, mean, evidence }
  }
  const fitWithNoise = (interactionSd: number) => {
    let noise = DEFAULT_NOISE_SD
    let result = fit(noise, interactionSd)
    if (rows.length >= 8) {
      // The noise from the residuals, held near the default until there are many posts.
      const ss = rows.reduce((n, r) => n + (r.y - r.cols.reduce((m, c) => m + result.mean[c], 0)) ** 2, 0)
      noise = Math.max(Math.sqrt((ss + 6 * DEFAULT_NOISE_SD ** 2) / (rows.length + 6)), 0.1)
      result = fit(noise, interactionSd)
    }
    return { ...result, noise }
  }
  // Before there are results to tell, the middle sd; then the likeliest.
  const candidates = rows.length >= 8 ? INTERACTION_SDS : [INTERACTION_SDS[1]]
  const result = candidates.map(fitWithNoise).reduce((best, f) => (f.evidence > best.evidence ? f : best))
  const noise = result.noise
  return { arms, columns, mean: result.mean, factor: result.factor, noise, counts }
}

/** An arm's posterior mean and variance (its part's and style's effects and their covariance). */
function armMoments(post: Posterior, i: number): { mean: number; variance: number } {
  const cols = post.columns[i]
  const e = new Array<number>(post.mean.length).fill(0)
  for (const c of cols) e[c] = 1
  const v = cholSolve(post.factor, e)
  return { mean: cols.reduce((n, c) => n + post.mean[c], 0), variance: cols.reduce((n, c) => n + v[c], 0) }
}

/** The posterior variance of the difference of two arms (their shared part or style cancels). */
function differenceVariance(post: Posterior, i: number, j: number): number {
  const e = new Array<number>(post.mean.length).fill(0)
  for (const c of post.columns[i]) e[c] += 1
  for (const c of post.columns[j]) e[c] -= 1
  const v = cholSolve(post.factor, e)
  return e.reduce((n, x, k) => n + x * v[k], 0)
}

/** One draw of every arm's value from the posterior. */
function drawArms(post: Posterior, random: () => number): number[] {
  const z = post.mean.map(() => normal(random))
  const d = upperSolve(post.factor, z)
  return post.columns.map((cols) => cols.reduce((n, c) => n + post.mean[c] + d[c], 0))
}

/** What the learner knows of every arm on one platform, for the page and the reasons. */
export function evidence(arms: readonly Arm[], outcomes: readonly Outcome[], ownStyle: string): ArmEvidence[] {
  const post = posterior(arms, outcomes, ownStyle)
  return arms.map((arm, i) => {
    const { mean, variance } = armMoments(post, i)
    const sd = Math.sqrt(variance)
    const c = post.counts.get(arm.key)!
    return { key: arm.key, part: arm.part, style: arm.style, posts: c.known + c.pending, pending: c.pending, mean, sd, ratio: Math.exp(mean), low: Math.exp(mean - 1.645 * sd), high: Math.exp(mean + 1.645 * sd) }
  })
}

export interface Choice {
  arm: Arm
  /** Whether it went against the arm the learner thinks best (exploring). */
  explored: boolean
  /** The arm the learner thinks best now (highest posterior mean). */
  leaderKey: string
  locked: boolean
  reason: string
}

export interface ChooseInput {
  mode: LearningMode
  arms: readonly Arm[]
  /** The creator's own style (the prior's favourite, and the locked choice). */
  ownStyle: string
  /** The arm a locked autopilot keeps (today's fixed window part and style). */
  fixedArmKey: string
  /** Each target platform's outcomes, oldest first. */
  outcomes: Record<string, readonly Outcome[]>
  objective: Objective
  /** Seeds the draw: project, slot. */
  seed: string
  /** The slot's weekday, for the reason. */
  weekdayLabel?: string
  /** The arms this slot may take (e.g. those whose part holds the slot's time); default all. */
  candidates?: readonly string[]
}

const OBJECTIVE_WORD: Record<Objective, string> = { awareness: 'views', engagement: 'engagement rate', traffic: 'clicks', conversion: 'clicks' }

/** The arm for the next slot, with its reason (stored on the post). */
export function choose(input: ChooseInput): Choice {
  const fixed = input.arms.find((a) => a.key === input.fixedArmKey) ?? input.arms[0]
  if (input.mode === 'locked' || input.arms.length < 2) {
    return { arm: fixed, explored: false, leaderKey: fixed.key, locked: true, reason: `${fixed.part}, ${fixed.style}: ${input.mode === 'locked' ? 'locked to your fixed choice' : 'the only choice your settings allow'}` }
  }
  const platforms = Object.keys(input.outcomes).sort()
  const posts = platforms.map((p) => posterior(input.arms, input.outcomes[p], input.ownStyle))
  const moments = posts.map((post) => input.arms.map((_, i) => armMoments(post, i)))
  const random = rng(hashSeed(`learn:${input.seed}:${platforms.join(',')}`))
  // Thompson: one draw of every arm per platform, summed over the post's platforms.
  const draws = new Array<number>(input.arms.length).fill(0)
  for (const post of posts) drawArms(post, random).forEach((v, i) => (draws[i] += v))
  const means = input.arms.map((_, i) => moments.reduce((n, m) => n + m[i].mean, 0))
  const allowed = input.arms.map((a) => !input.candidates || input.candidates.includes(a.key))
  for (let i = 0; i < draws.length; i++) if (!allowed[i]) draws[i] = -Infinity
  const order = means
    .map((m, i) => [m, i] as const)
    .filter(([, i]) => allowed[i])
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
  if (order.length === 1) {
    const only = input.arms[order[0][1]]
    return { arm: only, explored: false, leaderKey: only.key, locked: false, reason: `${only.part}, ${only.style}: the only choice your settings allow at this time` }
  }
  const leader = order[0][1]
  const runner = order[1][1]
  // Clearly ahead: 80 % sure the runner-up is not better by more than is worth exploring for,
  // from the variance of their difference (what the two arms share, a part or a style, cancels).
  const diffSd = Math.sqrt(posts.reduce((n, post) => n + differenceVariance(post, leader, runner), 0))
  const clearlyAhead = (means[leader] - means[runner] + WORTH_EXPLORING * platforms.length) / (diffSd || 1) >= CLEARLY_AHEAD_Z
  let pick = draws.indexOf(Math.max(...draws))
  // Exploration bound: once one arm is clearly ahead, at most EXPLORE_CAP of posts go elsewhere.
  if (clearlyAhead && pick !== leader && random() >= EXPLORE_CAP) pick = leader
  const arm = input.arms[pick]
  const explored = pick !== leader
  const known = posts.reduce((n, post) => n + post.counts.get(arm.key)!.known, 0)
  const ratio = Math.exp(means[pick] / Math.max(platforms.length, 1))
  const when = input.weekdayLabel ? `${input.weekdayLabel} ${arm.part}` : arm.part
  const word = OBJECTIVE_WORD[input.objective]
  const reason = explored
    ? `${when}, ${arm.style}: exploring (${known ? `${ratio.toFixed(1)}× your median ${word} over ${known} post${known === 1 ? '' : 's'} so far` : 'no result yet'}; the leader is ${input.arms[leader].part}, ${input.arms[leader].style})`
    : known
      ? `${when}, ${arm.style}: ${ratio.toFixed(1)}× your median ${word} over ${known} post${known === 1 ? '' : 's'}`
      : anyKnown(posts, order.map(([, i]) => input.arms[i].key))
        ? `${when}, ${arm.style}: no result yet for this choice, and none of those tried here is ahead of it`
        : `${when}, ${arm.style}: no result yet for any choice; starting from your settings`
  return { arm, explored, leaderKey: input.arms[leader].key, locked: false, reason }
}

/** True when any of these arms (those that hold the slot's time) has a known result on any platform. */
function anyKnown(posts: readonly { counts: Map<string, { known: number }> }[], keys: readonly string[]): boolean {
  return posts.some((post) => keys.some((key) => (post.counts.get(key)?.known ?? 0) > 0))
}

/**
 * When a learning autopilot's post goes out once the learner chose its part: a minute of `part`
 * on local epoch day `day` (seeded by project and slot, each minute equally often), skipping
 * minutes a clock change removed; null when the change removed the whole part that day.
 */
export function timeInPart(rules: Pick<TimeZoneRules, 'fromWall' | 'toWall'>, day: number, part: TimeWindow, seed: string): number | null {
  const length = part.end - part.start
  const offset = hashSeed(`minute:${seed}`) % length
  for (let i = 0; i < length; i++) {
    const wall = day * 86_400_000 + (part.start + ((offset + i) % length)) * 60_000
    const instant = rules.fromWall(wall)
    if (rules.toWall(instant) === wall) return instant
  }
  return null
}
