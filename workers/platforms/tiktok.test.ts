import { env } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import { resetBreaker } from '../lib/resilience'
import { addFault, contextFor, publishInput, stubAccount, stubState, type StubAccount } from '../../test/platform-stubs'
import { chunkRuleViolation } from '../../test/stubs/tiktok'
import { planChunks, TikTokPublisher } from './tiktok'
import { PublishError, type PublishOutcome } from './types'

const MB = 1024 * 1024
const publisher = () => new TikTokPublisher({ apiUrl: `${env.PLATFORM_API_BASE}/tiktok`, timeoutMs: 1000, chunkBytes: 5 * MB, pollAfterSec: 5 })

async function failureOf(promise: Promise<unknown>) {
  const error = await promise.then(() => undefined, (e) => e)
  expect(error, 'expected a PublishError').toBeInstanceOf(PublishError)
  return (error as PublishError).failure
}

/** Polls as the consumer would (each poll is a delayed queue message there), up to `max` times. */
async function pollUntilDone(p: TikTokPublisher, outcome: PublishOutcome, account: StubAccount, max = 10) {
  const delays: number[] = []
  while (outcome.status === 'processing' && delays.length < max) {
    delays.push(outcome.pollAfterSec)
    outcome = await p.poll(outcome.state, contextFor('tiktok', account))
  }
  return { outcome, delays }
}

describe('TikTok chunk rules', () => {
  it('sends a file under 5 MB whole, in one chunk', () => {
    expect(planChunks(3 * MB, 10 * MB)).toEqual({ chunkSize: 3 * MB, totalChunkCount: 1, ranges: [[0, 3 * MB - 1]] })
  })

  it('uses floor(size / chunk) chunks, the trailing bytes in the last one', () => {
    const plan = planChunks(23 * MB + 17, 5 * MB)
    expect(plan.chunkSize).toBe(5 * MB)
    expect(plan.totalChunkCount).toBe(4)
    expect(plan.ranges.at(-1)).toEqual([15 * MB, 23 * MB + 16])
    for (const size of [5 * MB, 9 * MB, 64 * MB, 64 * MB + 1, 300 * MB, 1000 * MB + 3]) {
      for (const preferred of [1 * MB, 5 * MB, 10 * MB, 64 * MB, 100 * MB]) {
        const p = planChunks(size, preferred)
        expect(chunkRuleViolation(size, p.chunkSize, p.totalChunkCount), `${size}/${preferred}`).toBeUndefined()
        expect(p.ranges.at(-1)![1]).toBe(size - 1)
        expect(p.ranges.at(-1)![1] - p.ranges.at(-1)![0] + 1).toBeLessThanOrEqual(128 * MB)
      }
    }
  })

  it('the stub refuses what TikTok refuses', () => {
    expect(chunkRuleViolation(3 * MB, 1 * MB, 3)).toMatch(/under 5 MB/)
    expect(chunkRuleViolation(20 * MB, 5 * MB, 3)).toMatch(/floor/)
    expect(chunkRuleViolation(200 * MB, 100 * MB, 2)).toMatch(/5 MB and 64 MB/)
    expect(chunkRuleViolation(70 * MB, 70 * MB, 1)).toMatch(/several chunks/)
  })
})

describe('TikTok publisher', () => {
  it('posts a 12 MB video in two chunks (5 MB + 7 MB) with exact Content-Ranges, then polls the status until PUBLISH_COMPLETE', async () => {
    const account = await stubAccount('tiktok', { processingPolls: 2 })
    const p = publisher()
    const first = await p.publish(await publishInput(12 * MB), contextFor('tiktok', account))
    expect(first.status).toBe('processing')
    const { outcome, delays } = await pollUntilDone(p, first, account)
    expect(outcome.status).toBe('published')
    if (outcome.status !== 'published') return
    expect(outcome.remoteUrl).toMatch(new RegExp(`^https://www\\.tiktok\\.com/@.+/video/${outcome.remoteId}$`))
    // Backs off between polls, well within 30 a minute.
    expect(delays).toEqual([5, 8, 11])
    const state = await stubState(account.accountId)
    expect(state.counters).toMatchObject({ creatorInfo: 1, inits: 1, chunkPuts: 2, uploads: 1, published: 1 })
    expect(state.published[0]).toMatchObject({ size: 12 * MB, chunkSize: 5 * MB, chunks: 2, received: 12 * MB, privacy: 'PUBLIC_TO_EVERYONE' })
    expect(state.published[0].title).toContain('#cooking')
  })

  it('sends a chunk again after a 500 in the middle of the upload', async () => {
    const account = await stubAccount('tiktok', { processingPolls: 0 })
    await addFault(account.accountId, { op: 'chunk', kind: 'http500' })
    const p = publisher()
    const { outcome } = await pollUntilDone(p, await p.publish(await publishInput(11 * MB), contextFor('tiktok', account)), account)
    expect(outcome.status).toBe('published')
    const state = await stubState(account.accountId)
    expect(state.counters.chunkPuts).toBe(3)
    expect(state.counters.uploads).toBe(1)
  })

  it('classifies a 429 as retryable with Retry-After, and the app-wide daily cap as app_cap (not the creator\'s fault)', async () => {
    const account = await stubAccount('tiktok')
    await addFault(account.accountId, { op: 'init', kind: 'http429' })
    const limited = await failureOf(publisher().publish(await publishInput(1 * MB), contextFor('tiktok', account)))
    expect(limited).toMatchObject({ kind: 'retryable', retryAfterSec: 60 })
    await addFault(account.accountId, { op: 'init', kind: 'app_cap' })
    const capped = await failureOf(publisher().publish(await publishInput(1 * MB), contextFor('tiktok', account)))
    expect(capped.kind).toBe('app_cap')
    expect(capped.message).toMatch(/isn't about your account/)
    expect(capped.retryAfterSec).toBeGreaterThan(0)
    expect((await stubState(account.accountId)).counters.chunkPuts ?? 0).toBe(0)
  })

  it('classifies an invalid token as auth', async () => {
    const account = await stubAccount('tiktok')
    const failure = await failureOf(publisher().publish(await publishInput(1 * MB), { ...contextFor('tiktok', account), accessToken: 'at-nope' }))
    expect(failure.kind).toBe('auth')
  })

  it('after a timeout once the last chunk was sent: outcome unknown, found by its publish_id, no second upload', async () => {
    const account = await stubAccount('tiktok', { processingPolls: 0 })
    await addFault(account.accountId, { op: 'final_chunk', kind: 'hang_after' })
    const p = publisher()
    const input = await publishInput(2 * MB)
    const failure = await failureOf(p.publish(input, contextFor('tiktok', account)))
    expect(failure.kind).toBe('outcome_unknown')
    const found = await p.findByMarker(input.marker, contextFor('tiktok', account), failure.state)
    expect(found?.status).toBe('published')
    const state = await stubState(account.accountId)
    expect(state.counters).toMatchObject({ inits: 1, uploads: 1, published: 1 })
    // Without a publish_id, nothing was uploaded: surely not there.
    expect(await p.findByMarker(input.marker, contextFor('tiktok', account))).toBeNull()
  })
})

describe('TikTok after the last chunk: any answer but a 2xx is outcome unknown, reconciled by publish_id', () => {
  beforeEach(() => resetBreaker('tiktok'))
  for (const kind of ['hang_after', 'http500_after', 'refused_after'] as const) {
    it(`${kind} on the last chunk: found by its publish_id, one upload`, async () => {
      const account = await stubAccount('tiktok', { processingPolls: 0 })
      await addFault(account.accountId, { op: 'final_chunk', kind })
      const p = new TikTokPublisher({ apiUrl: `${env.PLATFORM_API_BASE}/tiktok`, timeoutMs: 300, chunkBytes: 5 * MB })
      const input = await publishInput(2 * MB)
      const ctx = contextFor('tiktok', account)
      const failure = await failureOf(p.publish(input, ctx))
      expect(failure.kind).toBe('outcome_unknown')
      expect(failure.state).toMatchObject({ kind: 'tiktok-publish', size: 2 * MB })
      const found = await p.findByMarker(input.marker, ctx, failure.state)
      expect(found?.status).toBe('published')
      expect((await stubState(account.accountId)).counters).toMatchObject({ inits: 1, uploads: 1, published: 1 })
    })
  }

  it('a status fetch that fails or never answers is "unsure" (retryable), never "absent"', async () => {
    const account = await stubAccount('tiktok', { processingPolls: 0 })
    await addFault(account.accountId, { op: 'final_chunk', kind: 'http500_after' })
    const p = new TikTokPublisher({ apiUrl: `${env.PLATFORM_API_BASE}/tiktok`, timeoutMs: 300, chunkBytes: 5 * MB })
    const input = await publishInput(2 * MB)
    const ctx = contextFor('tiktok', account)
    const failure = await failureOf(p.publish(input, ctx))
    await addFault(account.accountId, { op: 'status', kind: 'http500', times: 3 })
    expect(await failureOf(p.findByMarker(input.marker, ctx, failure.state))).toMatchObject({ kind: 'retryable' })
    resetBreaker('tiktok')
    await addFault(account.accountId, { op: 'status', kind: 'hang', times: 3 })
    expect(await failureOf(p.findByMarker(input.marker, ctx, failure.state))).toMatchObject({ kind: 'retryable' })
    resetBreaker('tiktok')
    expect((await p.findByMarker(input.marker, ctx, failure.state))?.status).toBe('published')
    expect((await stubState(account.accountId)).counters).toMatchObject({ inits: 1, uploads: 1, published: 1 })
  })

  it('a last chunk that never arrived leaves TikTok short of bytes: surely absent, so sending again is safe', async () => {
    const account = await stubAccount('tiktok', { processingPolls: 0 })
    // A one-chunk upload: its only chunk is the last, and the 500 comes before TikTok stored it.
    await addFault(account.accountId, { op: 'chunk', kind: 'http500' })
    const p = publisher()
    const input = await publishInput(2 * MB)
    const ctx = contextFor('tiktok', account)
    const failure = await failureOf(p.publish(input, ctx))
    expect(failure.kind).toBe('outcome_unknown')
    expect(await p.findByMarker(input.marker, ctx, failure.state)).toBeNull()
    expect((await stubState(account.accountId)).counters.uploads ?? 0).toBe(0)
  })

  it('a FAILED status posted nothing: findByMarker answers null, and polling says start again', async () => {
    const account = await stubAccount('tiktok', { processingPolls: 0 })
    const p = publisher()
    const input = await publishInput(1 * MB)
    const ctx = contextFor('tiktok', account)
    const processing = await p.publish(input, ctx)
    if (processing.status !== 'processing') throw new Error('expected processing')
    await addFault(account.accountId, { op: 'status', kind: 'quota' })
    expect(await failureOf(p.poll(processing.state, ctx))).toMatchObject({ kind: 'quota' })
    expect(await p.findByMarker(input.marker, ctx, processing.state)).toBeNull()
  })
})

describe('TikTok rate limits (6 inits a minute per token)', () => {
  it('holds the seventh init of a minute back without calling TikTok, as a retryable wait', async () => {
    const account = await stubAccount('tiktok')
    const p = new TikTokPublisher({ apiUrl: `${env.PLATFORM_API_BASE}/tiktok`, timeoutMs: 1000, chunkBytes: 5 * MB, limits: { init: env.TIKTOK_INIT_LIMITER } })
    const ctx = contextFor('tiktok', account)
    for (let i = 0; i < 6; i++) expect((await p.publish(await publishInput(1 * MB), ctx)).status).toBe('processing')
    const failure = await failureOf(p.publish(await publishInput(1 * MB), ctx))
    expect(failure).toMatchObject({ kind: 'retryable', retryAfterSec: 60 })
    expect(failure.message).toMatch(/slow down/)
    expect((await stubState(account.accountId)).counters.inits).toBe(6)
    // Another account has its own budget.
    const other = await stubAccount('tiktok')
    expect((await p.publish(await publishInput(1 * MB), contextFor('tiktok', other))).status).toBe('processing')
  })
})
