import { describe, expect, it } from 'vitest'
import { breakerState, callService, CircuitOpenError, Coalescer, resetBreaker, TimeoutError, withTimeout } from './resilience'

class Transient extends Error {}
class Permanent extends Error {}
const isTransient = (e: unknown) => e instanceof Transient || e instanceof TimeoutError
const fast = { initialDelayMs: 1, maxDelayMs: 5, isTransient }
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms))
let n = 0
const service = () => `svc-${n++}`

describe('withTimeout', () => {
  it('rejects with TimeoutError and aborts the signal when the call runs too long', async () => {
    let aborted = false
    const error = await withTimeout(10, (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => { aborted = true; reject(new Error('aborted')) }))).catch((e) => e)
    expect(error).toBeInstanceOf(TimeoutError)
    expect(aborted).toBe(true)
  })

  it('passes through a result in time', async () => {
    expect(await withTimeout(1000, async () => 42)).toBe(42)
  })
})

describe('callService retries', () => {
  it('retries transient failures and returns the first success', async () => {
    const attempts: number[] = []
    const result = await callService(service(), async (_s, attempt) => {
      attempts.push(attempt)
      if (attempts.length < 3) throw new Transient('503')
      return 'ok'
    }, { ...fast, maxAttempts: 4 })
    expect(result).toBe('ok')
    expect(attempts).toEqual([0, 1, 2])
  })

  it('does not retry a permanent failure', async () => {
    let calls = 0
    await expect(callService(service(), async () => { calls++; throw new Permanent('400') }, { ...fast, maxAttempts: 4 })).rejects.toBeInstanceOf(Permanent)
    expect(calls).toBe(1)
  })

  it('gives up after maxAttempts with the last error', async () => {
    let calls = 0
    await expect(callService(service(), async () => { calls++; throw new Transient(`fail ${calls}`) }, { ...fast, maxAttempts: 3 })).rejects.toThrow('fail 3')
    expect(calls).toBe(3)
  })

  it('retries an attempt that timed out', async () => {
    let calls = 0
    const result = await callService(service(), async (signal) => {
      calls++
      if (calls === 1) await new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('aborted'))))
      return 'second'
    }, { ...fast, timeoutMs: 10, maxAttempts: 2 })
    expect(result).toBe('second')
    expect(calls).toBe(2)
  })
})

describe('circuit breaker', () => {
  const breaker = { failureThreshold: 3, successThreshold: 2, resetTimeoutMs: 30 }

  it('opens after consecutive failures, refuses without calling, half-opens after the reset timeout, and closes after enough successes', async () => {
    const name = service()
    let calls = 0
    const fail = () => callService(name, async () => { calls++; throw new Transient('down') }, { ...fast, maxAttempts: 1 }, breaker)
    for (let i = 0; i < 3; i++) await expect(fail()).rejects.toBeInstanceOf(Transient)
    expect(breakerState(name)).toBe('OPEN')
    const refused = await fail().catch((e) => e)
    expect(refused).toBeInstanceOf(CircuitOpenError)
    expect(refused.retryAfterMs).toBe(30)
    expect(calls).toBe(3)

    await wait(40)
    const ok = () => callService(name, async () => { calls++; return 'up' }, { ...fast, maxAttempts: 1 }, breaker)
    expect(await ok()).toBe('up')
    expect(breakerState(name)).toBe('HALF_OPEN')
    expect(await ok()).toBe('up')
    expect(breakerState(name)).toBe('CLOSED')
    resetBreaker(name)
  })

  it('goes back to OPEN when a trial call fails in HALF_OPEN', async () => {
    const name = service()
    const fail = () => callService(name, async () => { throw new Transient('down') }, { ...fast, maxAttempts: 1 }, breaker)
    for (let i = 0; i < 3; i++) await fail().catch(() => {})
    await wait(40)
    await expect(fail()).rejects.toBeInstanceOf(Transient)
    expect(breakerState(name)).toBe('OPEN')
    await expect(fail()).rejects.toBeInstanceOf(CircuitOpenError)
  })

  it('does not count permanent failures (a rejected post is not an outage)', async () => {
    const name = service()
    for (let i = 0; i < 5; i++) await callService(name, async () => { throw new Permanent('400') }, { ...fast, maxAttempts: 1 }, breaker).catch(() => {})
    expect(breakerState(name)).toBe('CLOSED')
  })

  it('keeps one breaker per service', async () => {
    const a = service()
    const b = service()
    for (let i = 0; i < 3; i++) await callService(a, async () => { throw new Transient('down') }, { ...fast, maxAttempts: 1 }, breaker).catch(() => {})
    expect(breakerState(a)).toBe('OPEN')
    expect(await callService(b, async () => 'fine', fast, breaker)).toBe('fine')
  })
})

describe('Coalescer', () => {
  it('shares one in-flight call between identical reads, and calls again once it settled', async () => {
    const coalescer = new Coalescer()
    let calls = 0
    let release!: (v: string) => void
    const read = () => coalescer.run('creator-info:conn_1', () => { calls++; return new Promise<string>((r) => (release = r)) })
    const [a, b] = [read(), read()]
    const other = coalescer.run('creator-info:conn_2', async () => { calls++; return 'other' })
    release('info')
    expect(await a).toBe('info')
    expect(await b).toBe('info')
    expect(await other).toBe('other')
    expect(calls).toBe(2)
    expect(coalescer.size).toBe(0)
    release = () => {}
    const again = read()
    release('fresh')
    expect(await again).toBe('fresh')
    expect(calls).toBe(3)
  })

  it('shares a failure too, and does not cache it', async () => {
    const coalescer = new Coalescer()
    let calls = 0
    const read = () => coalescer.run('k', async () => { calls++; throw new Error(`boom ${calls}`) })
    const results = await Promise.allSettled([read(), read()])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    expect(calls).toBe(1)
    await expect(read()).rejects.toThrow('boom 2')
  })
})
