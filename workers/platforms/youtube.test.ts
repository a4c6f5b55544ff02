import { env } from 'cloudflare:test'
import { beforeEach, describe, expect, it } from 'vitest'
import { resetBreaker } from '../lib/resilience'
import { addFault, contextFor, publishInput, putVideo, stubAccount, stubState } from '../../test/platform-stubs'
import { PublishError } from './types'
import { videoResource, YouTubePublisher } from './youtube'

const KiB = 1024
const rootUrl = () => `${env.PLATFORM_API_BASE}/youtube/`
/** Small chunks so a 1.1 MB file takes several 256 KiB PUTs. */
const resumable = () => new YouTubePublisher({ rootUrl: rootUrl(), timeoutMs: 1000, chunkBytes: 256 * KiB, resumeDelayMs: 1 })
const oneChunk = () => new YouTubePublisher({ rootUrl: rootUrl(), timeoutMs: 1000, resumeDelayMs: 1 })

async function failureOf(promise: Promise<unknown>) {
  const error = await promise.then(() => undefined, (e) => e)
  expect(error, 'expected a PublishError').toBeInstanceOf(PublishError)
  return (error as PublishError).failure
}

describe('YouTube publisher', () => {
  it('uploads a small video in one PUT of a resumable session, with the marker as a tag, and sets the cover as thumbnail', async () => {
    const account = await stubAccount('youtube')
    const cover = await putVideo(2 * KiB, 'image/jpeg')
    const input = await publishInput(100 * KiB, { cover: { url: 'https://example.test/cover.jpg', contentType: 'image/jpeg', read: () => cover.source.read(0, 2 * KiB) } })
    const outcome = await oneChunk().publish(input, contextFor('youtube', account))
    expect(outcome.status).toBe('published')
    if (outcome.status !== 'published') return
    expect(outcome.remoteUrl).toBe(`https://www.youtube.com/shorts/${outcome.remoteId}`)
    const state = await stubState(account.accountId)
    expect(state.published).toHaveLength(1)
    expect(state.published[0]).toMatchObject({ id: outcome.remoteId, title: input.title, size: 100 * KiB, privacyStatus: 'public', selfDeclaredMadeForKids: false })
    expect(state.published[0].tags[0]).toBe(input.marker)
    expect(state.published[0].description).toContain('#cooking')
    expect(state.published[0].thumbnail).toBe(2 * KiB)
    expect(state.counters.chunks).toBe(1)
  })

  it('uses the resumable protocol for a large file: session, 256 KiB chunks, 308s, done', async () => {
    const account = await stubAccount('youtube')
    const size = 1100 * KiB
    const outcome = await resumable().publish(await publishInput(size), contextFor('youtube', account))
    expect(outcome.status).toBe('published')
    const state = await stubState(account.accountId)
    expect(state.counters.sessions).toBe(1)
    expect(state.counters.chunks).toBe(5)
    expect(state.published[0].size).toBe(size)
  })

  it('resumes from the offset the server reports after a 500 in the middle of an upload', async () => {
    const account = await stubAccount('youtube')
    // The second chunk fails after half of it was stored; the status query (308 + Range) says where to go on.
    await addFault(account.accountId, { op: 'chunk', kind: 'partial500' })
    const size = 1100 * KiB
    const outcome = await resumable().publish(await publishInput(size), contextFor('youtube', account))
    expect(outcome.status).toBe('published')
    const state = await stubState(account.accountId)
    expect(state.counters.statusQueries).toBe(1)
    expect(state.counters.sessions).toBe(1)
    expect(state.counters.uploads).toBe(1)
    expect(state.published).toHaveLength(1)
    expect(state.published[0].size).toBe(size)
  })

  it('opens a new session and starts over when the old one is gone (404)', async () => {
    const account = await stubAccount('youtube')
    await addFault(account.accountId, { op: 'chunk', kind: 'app_cap' })
    const outcome = await resumable().publish(await publishInput(600 * KiB), contextFor('youtube', account))
    expect(outcome.status).toBe('published')
    const state = await stubState(account.accountId)
    expect(state.counters.sessions).toBe(2)
    expect(state.published).toHaveLength(1)
  })

  it('classifies quotaExceeded as quota, waiting until midnight Pacific', async () => {
    const account = await stubAccount('youtube')
    await addFault(account.accountId, { op: 'session', kind: 'quota' })
    const now = Date.parse('2026-11-21T12:00:00Z')
    const failure = await failureOf(oneChunk().publish(await publishInput(10 * KiB), { ...contextFor('youtube', account), now: () => now }))
    expect(failure.kind).toBe('quota')
    // 2026-11-22 00:00 in Los Angeles (PST, UTC-8) is 08:00 UTC.
    expect(failure.resetAt).toBe('2026-11-22T08:00:00.000Z')
    expect(failure.retryAfterSec).toBe(20 * 3600)
    expect(failure.message).toMatch(/daily upload limit/)
  })

  it('classifies a 429 as retryable with the Retry-After, and an expired token as auth', async () => {
    const account = await stubAccount('youtube')
    await addFault(account.accountId, { op: 'session', kind: 'http429' })
    const limited = await failureOf(oneChunk().publish(await publishInput(10 * KiB), contextFor('youtube', account)))
    expect(limited).toMatchObject({ kind: 'retryable', retryAfterSec: 120 })
    const auth = await failureOf(oneChunk().publish(await publishInput(10 * KiB), { ...contextFor('youtube', account), accessToken: 'at-expired' }))
    expect(auth.kind).toBe('auth')
    expect((await stubState(account.accountId)).published).toHaveLength(0)
  })

  it('refuses metadata beyond the limits before sending: title, description bytes, tags', () => {
    const long = videoResource({ title: 'x'.repeat(150), description: 'é'.repeat(4000), hashtags: Array.from({ length: 80 }, (_, i) => `tag${i}word`), marker: 'rp-marker', privacy: 'unlisted', madeForKids: true } as any)
    expect(long.snippet!.title!.length).toBe(100)
    expect(new TextEncoder().encode(long.snippet!.description!).length).toBeLessThanOrEqual(5000)
    expect(long.snippet!.tags![0]).toBe('rp-marker')
    expect(long.snippet!.tags!.join(',').length).toBeLessThanOrEqual(500)
    expect(long.status).toMatchObject({ privacyStatus: 'unlisted', selfDeclaredMadeForKids: true })
  })

  it('after a timeout once the upload completed and no answer from the session: outcome unknown, then found by marker, no second upload', async () => {
    const account = await stubAccount('youtube')
    await addFault(account.accountId, { op: 'final_chunk', kind: 'hang_after' })
    await addFault(account.accountId, { op: 'status_query', kind: 'http500', times: 3 })
    const publisher = oneChunk()
    const input = await publishInput(50 * KiB)
    const ctx = contextFor('youtube', account)
    const failure = await failureOf(publisher.publish(input, ctx))
    expect(failure.kind).toBe('outcome_unknown')
    expect(failure.message).toMatch(/won't be posted twice/)
    expect(failure.state).toMatchObject({ platform: 'youtube', kind: 'youtube-resumable' })
    // With the state the consumer kept: the session answers. Without it (a crash): search by marker.
    const viaSession = await publisher.findByMarker(input.marker, ctx, failure.state)
    const viaSearch = await publisher.findByMarker(input.marker, ctx)
    const state = await stubState(account.accountId)
    expect(state.counters.uploads).toBe(1)
    expect(state.published).toHaveLength(1)
    expect(viaSession, JSON.stringify({ failure, state })).toEqual({ status: 'published', remoteId: state.published[0].id, remoteUrl: `https://www.youtube.com/shorts/${state.published[0].id}` })
    expect(state.counters.searches, JSON.stringify(state)).toBe(1)
    expect(viaSearch).toEqual(viaSession)
    // Even while search lags behind (it does on YouTube), the uploads playlist finds it.
    await addFault(account.accountId, { op: 'search', kind: 'delay' })
    expect(await publisher.findByMarker(input.marker, ctx)).toEqual(viaSession)
    // Another marker is surely not there.
    expect(await publisher.findByMarker('rp-never-sent', ctx)).toBeNull()
  })

  it('after a timeout on the last resumable chunk, the session says the upload completed', async () => {
    const account = await stubAccount('youtube')
    await addFault(account.accountId, { op: 'final_chunk', kind: 'hang_after' })
    const outcome = await resumable().publish(await publishInput(700 * KiB), contextFor('youtube', account))
    expect(outcome.status).toBe('published')
    const state = await stubState(account.accountId)
    expect(state.counters.uploads).toBe(1)
    expect(state.counters.statusQueries).toBe(1)
  })

  describe('after the last bytes went out, any answer but the video is outcome unknown, and nothing is uploaded again', () => {
    // These faults fail calls in a row on purpose; each case starts with a closed breaker.
    beforeEach(() => resetBreaker('youtube'))
    // Each case: the faults, whether the upload is one PUT or several, and how the video is found again.
    const cases: { name: string; faults: { op: string; kind: string; times?: number }[]; chunked?: boolean }[] = [
      { name: 'the last chunk times out, then the status query says the session is gone (404)', faults: [{ op: 'final_chunk', kind: 'hang_after' }, { op: 'status_query', kind: 'http404' }] },
      { name: 'the same, in a chunked upload', chunked: true, faults: [{ op: 'final_chunk', kind: 'hang_after' }, { op: 'status_query', kind: 'http404' }] },
      { name: 'the last chunk answers 404 (session gone) after the video was made', faults: [{ op: 'final_chunk', kind: 'http404_after' }] },
      { name: 'the last chunk answers 503, then the status query never answers', faults: [{ op: 'final_chunk', kind: 'http500_after' }, { op: 'status_query', kind: 'hang', times: 6 }] },
      { name: 'the last chunk answers 503, then every status query 503s', faults: [{ op: 'final_chunk', kind: 'http500_after' }, { op: 'status_query', kind: 'http500', times: 6 }] },
      { name: 'the last chunk answers 400 after the video was made, then the session is gone', chunked: true, faults: [{ op: 'final_chunk', kind: 'refused_after' }, { op: 'status_query', kind: 'http404' }] },
      { name: 'the last chunk answers 200 with no video in the body', faults: [{ op: 'final_chunk', kind: 'empty_after' }] },
    ]
    for (const { name, faults, chunked } of cases) {
      it(name, async () => {
        const account = await stubAccount('youtube')
        for (const fault of faults) await addFault(account.accountId, fault)
        const publisher = new YouTubePublisher({ rootUrl: rootUrl(), timeoutMs: 300, chunkBytes: chunked ? 256 * KiB : undefined, resumeDelayMs: 1, maxResumes: 2 })
        const input = await publishInput(chunked ? 600 * KiB : 50 * KiB)
        const ctx = contextFor('youtube', account)
        const failure = await failureOf(publisher.publish(input, ctx))
        let state = await stubState(account.accountId)
        expect(failure.kind, JSON.stringify({ failure, counters: state.counters })).toBe('outcome_unknown')
        expect(failure.state).toMatchObject({ platform: 'youtube', kind: 'youtube-resumable' })
        expect(state.counters.sessions).toBe(1)
        expect(state.counters.uploads).toBe(1)
        // The consumer's next step: look it up by the marker, with the state it kept. While the
        // session still fails to answer, the lookup says "unsure" (retryable), never "absent".
        let found
        for (let attempt = 0; attempt < 8 && !found; attempt++) {
          resetBreaker('youtube')
          found = await publisher.findByMarker(input.marker, ctx, failure.state).catch((error) => {
            expect(error).toBeInstanceOf(PublishError)
            expect((error as PublishError).failure.kind).toBe('retryable')
            return undefined
          })
          expect(found).not.toBeNull()
        }
        state = await stubState(account.accountId)
        expect(state.published).toHaveLength(1)
        expect(found).toEqual({ status: 'published', remoteId: state.published[0].id, remoteUrl: `https://www.youtube.com/shorts/${state.published[0].id}` })
        expect(state.counters.sessions).toBe(1)
      })
    }

    it('a 503 on the last chunk, with the session then reporting the video, is simply published', async () => {
      const account = await stubAccount('youtube')
      await addFault(account.accountId, { op: 'final_chunk', kind: 'http500_after' })
      const outcome = await oneChunk().publish(await publishInput(40 * KiB), contextFor('youtube', account))
      const state = await stubState(account.accountId)
      expect(outcome).toEqual({ status: 'published', remoteId: state.published[0].id, remoteUrl: `https://www.youtube.com/shorts/${state.published[0].id}` })
      expect(state.counters).toMatchObject({ sessions: 1, uploads: 1, statusQueries: 1 })
    })

    it('before the last bytes, a session that is gone is replaced and the upload starts over', async () => {
      const account = await stubAccount('youtube')
      // The first (not last) chunk fails, and the status query then finds the session forgotten.
      await addFault(account.accountId, { op: 'chunk', kind: 'http500' })
      await addFault(account.accountId, { op: 'status_query', kind: 'http404' })
      const outcome = await resumable().publish(await publishInput(600 * KiB), contextFor('youtube', account))
      expect(outcome.status).toBe('published')
      const state = await stubState(account.accountId)
      expect(state.counters).toMatchObject({ sessions: 2, uploads: 1 })
      expect(state.published).toHaveLength(1)
    })

    it('a marker that was never sent is surely absent: findByMarker answers null, even with a dead session', async () => {
      const account = await stubAccount('youtube')
      const publisher = oneChunk()
      const ctx = contextFor('youtube', account)
      const dead = { platform: 'youtube' as const, kind: 'youtube-resumable', sessionUrl: `${rootUrl()}upload/youtube/v3/videos?uploadType=resumable&upload_id=never`, size: 10 }
      expect(await publisher.findByMarker('rp-never-sent-either', ctx, dead)).toBeNull()
    })
  })

  it('the stub refuses a fault it cannot inject, so a test cannot pass by injecting nothing', async () => {
    const account = await stubAccount('youtube')
    await expect(addFault(account.accountId, { op: 'final_chunk', kind: 'http429' })).rejects.toThrow(/400.*cannot inject/)
    await expect(addFault(account.accountId, { op: 'finl_chunk', kind: 'hang_after' })).rejects.toThrow(/400.*unknown fault op/)
  })
})
