// `npm run bench learning`: the learning autopilot's bandit (workers/domain/learning.ts) on
// simulated accounts whose hidden arm effects and noise are the sandbox's metric model
// (workers/domain/metric-model.ts): 1,000 accounts × 200 posts, each with 6 to 12 arms (one or
// two windows split into parts of at most an hour, × 2 or 3 allowed styles), one post a day on
// one platform, each result known 3 days later (pending until then, as in the product).
// Compared in the same run, on the same accounts and noise: the creator's fixed first choice,
// uniform random, and the oracle (always the best arm). Regret is the views a post lost against
// the best arm's mean, relative to it; "regret vs X" is the learner's cumulative regret over X's.
import { choose, armsFor, type Arm, type Outcome } from '../workers/domain/learning'
import { expectedFinalViews, growth, hashSeed, MODEL_PLATFORMS, modelMetrics, rng } from '../workers/domain/metric-model'
import { STYLES } from '../containers/render/recipe/vocabulary.ts'

const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 1000)
const POSTS = 200
const DELAY = 3
const PLATFORMS = MODEL_PLATFORMS
const pad = (n: number) => String(n).padStart(2, '0')

type Policy = 'learner' | 'fixed' | 'random' | 'oracle'
const regret: Record<Policy, number> = { learner: 0, fixed: 0, random: 0, oracle: 0 }
let bestShare4160 = 0
let leaderShare4160 = 0
let armsSeen = [Infinity, 0]
const started = performance.now()

for (let a = 0; a < ACCOUNTS; a++) {
  const random = rng(hashSeed(`bench-account:${a}`))
  const platform = PLATFORMS[a % 3]
  // One or two windows of 1 to 3 hours between 07:00 and 22:00, and 2 or 3 allowed styles.
  const windows: string[] = []
  const windowCount = 1 + Math.floor(random() * 2)
  let startHour = 7 + Math.floor(random() * 5)
  for (let w = 0; w < windowCount; w++) {
    const hours = 1 + Math.floor(random() * 3)
    windows.push(`${pad(startHour)}:00-${pad(startHour + hours)}:00`)
    startHour += hours + 2 + Math.floor(random() * 3)
  }
  const styleCount = 2 + Math.floor(random() * 2)
  const stylesAllowed = STYLES.slice(0, styleCount)
  let arms: Arm[] = armsFor({ timeWindows: windows, style: stylesAllowed[0], stylesAllowed })
  // Keep 6 to 12 arms: add a window or drop parts as needed.
  if (arms.length < 6) arms = armsFor({ timeWindows: [...windows, '21:00-23:00'].slice(0, 3), style: stylesAllowed[0], stylesAllowed: STYLES })
  arms = arms.slice(0, 12)
  armsSeen = [Math.min(armsSeen[0], arms.length), Math.max(armsSeen[1], arms.length)]
  const accountSeed = `bench-${a}`
  const hourOf = (arm: Arm) => Math.floor(((arm.window.start + arm.window.end) / 2 / 60) % 24)
  const mean = (arm: Arm, weekday: number) => expectedFinalViews({ accountSeed, platform, style: arm.style, weekday, hour: hourOf(arm) }, STYLES)
  const bestMean = (weekday: number) => Math.max(...arms.map((arm) => mean(arm, weekday)))
  const best = arms.reduce((b, arm) => (mean(arm, 0) > mean(b, 0) ? arm : b), arms[0])
  const fixed = arms[0]
  const outcomes: Outcome[] = []
  const policies: Policy[] = ['learner', 'fixed', 'random', 'oracle']
  for (let t = 0; t < POSTS; t++) {
    const weekday = t % 7
    const slot = `${a}:${t}`
    for (const policy of policies) {
      let arm: Arm
      if (policy === 'learner') {
        // Results of posts at least DELAY days old are known; the rest are pending.
        const known = outcomes.map((o, i) => (i >= t - DELAY ? { ...o, value: null } : o))
        const choice = choose({ mode: 'learn', arms, ownStyle: fixed.style, fixedArmKey: fixed.key, outcomes: { [platform]: known }, objective: 'awareness', seed: slot })
        arm = choice.arm
        if (t >= 40 && t < 60 && arm.key === best.key) bestShare4160++
        if (t >= 40 && t < 60 && choice.leaderKey === best.key) leaderShare4160++
        const views = modelMetrics({ accountSeed, postSeed: slot, platform, style: arm.style, weekday, hour: hourOf(arm) }, 72, STYLES).views!
        outcomes.push({ platform, armKey: arm.key, weekday, value: views / growth(platform, 72) })
      } else if (policy === 'fixed') arm = fixed
      else if (policy === 'random') arm = arms[Math.floor(rng(hashSeed(`uniform:${slot}`))() * arms.length)]
      else arm = best
      const b = bestMean(weekday)
      regret[policy] += (b - mean(policy === 'learner' ? arms.find((x) => x.key === outcomes[outcomes.length - 1].armKey)! : arm, weekday)) / b
    }
  }
}

const share = bestShare4160 / (ACCOUNTS * 20)
console.log(`accounts ${ACCOUNTS} × ${POSTS} posts, ${armsSeen[0]}–${armsSeen[1]} arms each, results known ${DELAY} days after each post (${((performance.now() - started) / 1000).toFixed(1)} s)`)
console.log(`mean regret per post (share of the best arm's views lost): learner ${(regret.learner / ACCOUNTS / POSTS).toFixed(4)}, fixed ${(regret.fixed / ACCOUNTS / POSTS).toFixed(4)}, random ${(regret.random / ACCOUNTS / POSTS).toFixed(4)}, oracle ${(regret.oracle / ACCOUNTS / POSTS).toFixed(4)}`)
console.log(`the learner's leader is the best arm in ${((leaderShare4160 / (ACCOUNTS * 20)) * 100).toFixed(0)} % of posts 41-60`)
console.log(`learning: best-arm share posts 41-60 = ${share.toFixed(2)}; regret vs random = ${(regret.learner / regret.random).toFixed(2)}; regret vs fixed = ${(regret.learner / regret.fixed).toFixed(2)}`)
