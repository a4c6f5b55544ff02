/**
 * Counting D1 statements per request, for the API benchmark (bench/api.bench.ts): in local mode
 * only, a request sent with `x-count-d1: 1` runs on a DB binding that counts every statement it
 * executes (a batch counts each of its statements), and the answer says how many in `x-d1-queries`,
 * and in `x-d1-round-trips` how many calls went to the database (a batch is one: its statements go
 * together, which is what a request waits for in production).
 */
export const COUNT_HEADER = 'x-count-d1'
export const QUERIES_HEADER = 'x-d1-queries'
export const ROUND_TRIPS_HEADER = 'x-d1-round-trips'

export interface D1Counter {
  /** Statements run. */
  n: number
  /** Calls to the database: a statement on its own, or a batch. */
  trips: number
}

/** `db`, counting into `counter` each statement run through it and each call to the database. */
export function countingD1(db: D1Database, counter: D1Counter): D1Database {
  // A batch must be given the real statements (workerd checks what they are).
  const unwrap = new WeakMap<object, D1PreparedStatement>()
  const wrapStatement = (stmt: D1PreparedStatement): D1PreparedStatement => {
    const wrapped = new Proxy(stmt, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver)
        if (typeof value !== 'function') return value
        if (prop === 'bind') return (...args: unknown[]) => wrapStatement(value.apply(target, args))
        if (prop === 'first' || prop === 'run' || prop === 'all' || prop === 'raw')
          return (...args: unknown[]) => {
            counter.n++
            counter.trips++
            return value.apply(target, args)
          }
        return value.bind(target)
      },
    })
    unwrap.set(wrapped, stmt)
    return wrapped
  }
  return new Proxy(db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver)
      if (typeof value !== 'function') return value
      if (prop === 'prepare')
        return (sql: string) => wrapStatement(value.call(target, sql) as D1PreparedStatement)
      if (prop === 'batch')
        return (statements: D1PreparedStatement[]) => {
          counter.n += statements.length
          counter.trips++
          return value.call(target, statements.map((s) => unwrap.get(s) ?? s))
        }
      if (prop === 'exec')
        return (sql: string) => {
          counter.n++
          counter.trips++
          return value.call(target, sql)
        }
      return value.bind(target)
    },
  })
}
