/**
 * Resilience for calls to other services (the platforms, their token endpoints): a timeout per
 * attempt, retries with exponential backoff and jitter for transient failures, a circuit breaker
 * per service, and coalescing of identical reads in flight. Built on cockatiel.
 *
 * Circuit breakers live in module state, so each Worker isolate has its own: one isolate that
 * sees a platform failing stops calling it, others find out for themselves. That is deliberate:
 * sharing breaker state across isolates would need a Durable Object round trip on every call,
 * and the queue's own retry delays already keep a failing platform from being hammered.
 */
import {
  BrokenCircuitError,
  CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  circuitBreaker,
  handleWhen,
  retry,
} from 'cockatiel'

/** An attempt took longer than its budget. Transient: the caller may try again. */
export class TimeoutError extends Error {
  constructor(readonly ms: number) {
    super(`no answer within ${ms} ms`)
    this.name = 'TimeoutError'
  }
}

/** The breaker for `service` is open: calls are refused without reaching it until `retryAfterMs` passes. */
export class CircuitOpenError extends Error {
  constructor(
    readonly service: string,
    readonly retryAfterMs: number,
  ) {
    super(`${service} is failing; calls are paused for ${Math.ceil(retryAfterMs / 1000)} s`)
    this.name = 'CircuitOpenError'
  }
}

export type BreakerState = 'CLOSED' | 'OPEN' | 'HALF_OPEN'

export interface BreakerOptions {
  /** Consecutive transient failures that open the circuit. */
  failureThreshold: number
  /** Successful trial calls in HALF_OPEN needed to close it again. */
  successThreshold: number
  /** Time OPEN before trial calls are let through (HALF_OPEN). */
  resetTimeoutMs: number
}

export interface CallPolicy {
  /** Budget of one attempt. */
  timeoutMs: number
  /** Attempts in all, the first included; 1 means no retry. Non-idempotent calls should use 1. */
  maxAttempts: number
  initialDelayMs: number
  maxDelayMs: number
  /** Whether an error is worth retrying and counts against the breaker (5xx, 429, timeouts, network). */
  isTransient: (error: unknown) => boolean
}

export const DEFAULT_BREAKER: BreakerOptions = { failureThreshold: 5, successThreshold: 2, resetTimeoutMs: 30_000 }

export const DEFAULT_POLICY: CallPolicy = {
  timeoutMs: 30_000,
  maxAttempts: 3,
  initialDelayMs: 200,
  maxDelayMs: 5_000,
  isTransient: (error) => error instanceof TimeoutError || (error instanceof TypeError && /fetch|network|connect/i.test(error.message)),
}

/**
 * Runs `fn` with an AbortSignal that fires after `ms`; rejects with TimeoutError then, whatever
 * `fn` does with the abort. (Hand-written rather than cockatiel's timeout: with that one, the
 * caller's own abort error can win the race and hide that it was a timeout.)
 */
export async function withTimeout<T>(ms: number, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController()
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new TimeoutError(ms)
      reject(error)
      controller.abort(error)
    }, ms)
  })
  try {
    return await Promise.race([fn(controller.signal), deadline])
  } finally {
    clearTimeout(timer)
  }
}

interface Breaker {
  policy: CircuitBreakerPolicy
  options: BreakerOptions
}

const breakers = new Map<string, Breaker>()

const STATE_NAMES: Record<CircuitState, BreakerState> = {
  [CircuitState.Closed]: 'CLOSED',
  [CircuitState.Open]: 'OPEN',
  [CircuitState.HalfOpen]: 'HALF_OPEN',
  [CircuitState.Isolated]: 'OPEN',
}

/** The breaker of a service in this isolate, made on first use with `options`. */
export function breakerFor(service: string, options: BreakerOptions = DEFAULT_BREAKER, isTransient = DEFAULT_POLICY.isTransient): Breaker {
  let breaker = breakers.get(service)
  if (!breaker) {
    breaker = {
      options,
      policy: circuitBreaker(handleWhen(isTransient), {
        halfOpenAfter: options.resetTimeoutMs,
        breaker: new ConsecutiveBreaker(options.failureThreshold),
        halfOpenSampling: { calls: options.successThreshold, threshold: 0 },
      }),
    }
    breakers.set(service, breaker)
  }
  return breaker
}

/** The state of a service's breaker in this isolate. */
export function breakerState(service: string): BreakerState {
  const breaker = breakers.get(service)
  return breaker ? STATE_NAMES[breaker.policy.state] : 'CLOSED'
}

/** Forgets a service's breaker (tests, and a reconfigured service). */
export function resetBreaker(service: string) {
  breakers.delete(service)
}

/**
 * Calls a service through its breaker, with a timeout per attempt and retries of transient
 * failures (exponential backoff with decorrelated jitter). Every attempt counts for the breaker.
 * An open breaker rejects with CircuitOpenError without calling.
 */
export async function callService<T>(
  service: string,
  fn: (signal: AbortSignal, attempt: number) => Promise<T>,
  policy: Partial<CallPolicy> = {},
  breakerOptions: BreakerOptions = DEFAULT_BREAKER,
): Promise<T> {
  const p: CallPolicy = { ...DEFAULT_POLICY, ...policy }
  const breaker = breakerFor(service, breakerOptions, p.isTransient)
  const retrying = retry(handleWhen(p.isTransient), {
    maxAttempts: Math.max(0, p.maxAttempts - 1),
    backoff: new ExponentialBackoff({ initialDelay: p.initialDelayMs, maxDelay: p.maxDelayMs }),
  })
  try {
    return await retrying.execute(({ attempt }) => breaker.policy.execute(() => withTimeout(p.timeoutMs, (signal) => fn(signal, attempt))))
  } catch (error) {
    if (error instanceof BrokenCircuitError) throw new CircuitOpenError(service, breaker.options.resetTimeoutMs)
    throw error
  }
}

/**
 * Shares one in-flight promise between identical reads: while a call for `key` runs, others for the
 * same key get its result instead of calling again. Only for reads. In a Worker, use one
 * coalescer per invocation (a queue batch, a request) or for plain-data results: workerd does not
 * let one request wait on I/O that another request started.
 */
export class Coalescer {
  private readonly inFlight = new Map<string, Promise<unknown>>()

  run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const existing = this.inFlight.get(key)
    if (existing) return existing as Promise<T>
    const promise = fn().finally(() => this.inFlight.delete(key))
    this.inFlight.set(key, promise)
    return promise
  }

  get size() {
    return this.inFlight.size
  }
}
