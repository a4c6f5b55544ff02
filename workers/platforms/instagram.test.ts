import { env } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import { resetBreaker } from '../lib/resilience'
import { addFault, contextFor, publishInput, stubAccount, stubState, updateStubAccount } from '../../test/platform-stubs'
import { InstagramPublisher } from './instagram'
import { PublishError } from './types'

const publisher = () => new InstagramPublisher({ apiUrl: `${env.PLATFORM_API_BASE}/instagram`, timeoutMs: 1000, pollAfterSec: 10 })

async function failureOf(promise: Promise<unknown>) {
  const error = await promise.then(() => undefined, (e) => e)
  expect(error, 'expected a PublishError').toBeInstanceOf(PublishError)
  return (error as PublishError).failure
}

describe('Instagram publisher', () => {
  it('creates a Reels container with the signed video_url, polls it until FINISHED, publishes and reads the permalink', async () => {
    const account = await stubAccount('instagram', { processingPolls: 2 })
    const p = publisher()
    const input = await publishInput(64 * 1024)
    const ctx = contextFor('instagram', account)
    let outcome = await p.publish(input, ctx)
    const delays: number[] = []
    while (outcome.status === 'processing' && delays.length < 10) {
      delays.push(outcome.pollAfterSec)
      outcome = await p.poll(outcome.state, ctx)
    }
    expect(outcome.status).toBe('published')
    if (outcome.status !== 'published') return
    expect(outcome.remoteUrl).toMatch(/^https:\/\/www\.instagram\.com\/reel\//)
    expect(delays).toEqual([10, 15, 23])
    const state = await stubState(account.accountId)
    expect(state.counters).toMatchObject({ containers: 1, statusPolls: 3, publishCalls: 1, published: 1 })
    expect(state.counters.limitChecks).toBe(2)
    expect(state.published[0].caption).toContain('#knifeskills')
  })

  it('checks content_publishing_limit first: at 50 of 50 it is a quota failure and nothing is sent', async () => {
    const account = await stubAccount('instagram', { quotaUsage: 50 })
    const failure = await failureOf(publisher().publish(await publishInput(1024), contextFor('instagram', account)))
    expect(failure.kind).toBe('quota')
    expect(failure.resetAt).toBeTruthy()
    expect((await stubState(account.accountId)).counters.containers ?? 0).toBe(0)
  })

  it('re-checks the limit before media_publish (it may have filled while the container processed)', async () => {
    const account = await stubAccount('instagram', { processingPolls: 0 })
    const p = publisher()
    const ctx = contextFor('instagram', account)
    const outcome = await p.publish(await publishInput(1024), ctx)
    await updateStubAccount(account.accountId, { quotaUsage: 50 })
    if (outcome.status !== 'processing') throw new Error('expected processing')
    const failure = await failureOf(p.poll(outcome.state, ctx))
    expect(failure.kind).toBe('quota')
    expect((await stubState(account.accountId)).counters.publishCalls ?? 0).toBe(0)
  })

  it('reports a container ERROR with its reason as content_rejected, and EXPIRED as retryable', async () => {
    const account = await stubAccount('instagram', { processingPolls: 0 })
    const p = publisher()
    const ctx = contextFor('instagram', account)
    await addFault(account.accountId, { op: 'container_outcome', kind: 'http500' })
    const errored = await p.publish(await publishInput(1024), ctx)
    if (errored.status !== 'processing') throw new Error('expected processing')
    const rejected = await failureOf(p.poll(errored.state, ctx))
    expect(rejected.kind).toBe('content_rejected')
    expect(rejected.message).toMatch(/unsupported video format/)
    await addFault(account.accountId, { op: 'container_outcome', kind: 'quota' })
    const expired = await p.publish(await publishInput(1024), ctx)
    if (expired.status !== 'processing') throw new Error('expected processing')
    expect((await failureOf(p.poll(expired.state, ctx))).kind).toBe('retryable')
  })

  it('classifies a rate limit (code 4) as retryable and an expired token (190) as auth', async () => {
    const account = await stubAccount('instagram')
    await addFault(account.accountId, { op: 'container', kind: 'http429' })
    expect((await failureOf(publisher().publish(await publishInput(1024), contextFor('instagram', account)))).kind).toBe('retryable')
    expect((await failureOf(publisher().publish(await publishInput(1024), { ...contextFor('instagram', account), accessToken: 'expired' }))).kind).toBe('auth')
  })

  describe('after media_publish was sent, any answer but the media id is outcome unknown, reconciled without a second post', () => {
    beforeEach(() => resetBreaker('instagram'))
    /** A container made, then media_publish answered with `kind`: the poll's outcome is unknown. */
    async function publishLost(kind: string) {
      const account = await stubAccount('instagram', { processingPolls: 0 })
      await addFault(account.accountId, { op: 'publish', kind })
      const p = publisher()
      const input = await publishInput(1024)
      const ctx = contextFor('instagram', account)
      const processing = await p.publish(input, ctx)
      if (processing.status !== 'processing') throw new Error('expected processing')
      const failure = await failureOf(p.poll(processing.state, ctx))
      expect(failure.kind).toBe('outcome_unknown')
      return { account, p, input, ctx, processing, failure }
    }

    for (const kind of ['hang_after', 'http500_after', 'empty_after', 'refused_after'] as const) {
      it(`${kind}: found through the container and the caption`, async () => {
        const { account, p, input, ctx, failure } = await publishLost(kind)
        const found = await p.findByMarker(input.marker, ctx, failure.state)
        const state = await stubState(account.accountId)
        expect(state.counters).toMatchObject({ containers: 1, publishCalls: 1 })
        expect(state.published).toHaveLength(1)
        expect(found).toEqual({ status: 'published', remoteId: state.published[0].id, remoteUrl: state.published[0].permalink })
      })
    }

    it('a 5xx before the post was made: the same container is published again, never a new one', async () => {
      const { account, p, input, ctx, processing, failure } = await publishLost('http500')
      const found = await p.findByMarker(input.marker, ctx, failure.state)
      expect(found).toMatchObject({ status: 'processing', state: { containerId: processing.state.containerId } })
      if (found?.status !== 'processing') return
      const outcome = await p.poll(found.state, ctx)
      const state = await stubState(account.accountId)
      expect(state.counters).toMatchObject({ containers: 1, publishCalls: 2 })
      expect(state.published).toHaveLength(1)
      expect(outcome).toEqual({ status: 'published', remoteId: state.published[0].id, remoteUrl: state.published[0].permalink })
    })
  })
})
