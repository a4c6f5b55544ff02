import { describe, expect, it } from 'vitest'
import { parseJsonOrUndefined } from './json'

describe('parseJsonOrUndefined', () => {
  it('reads an empty body as undefined', () => {
    expect(parseJsonOrUndefined('')).toBeUndefined()
  })
  it('reads JSON as its value', () => {
    expect(parseJsonOrUndefined('{"detail":"Not found","n":[1,null]}')).toEqual({ detail: 'Not found', n: [1, null] })
    expect(parseJsonOrUndefined('0')).toBe(0)
  })
  it('reads a body that is not JSON as undefined', () => {
    expect(parseJsonOrUndefined('<html>Bad gateway</html>')).toBeUndefined()
    expect(parseJsonOrUndefined('{"cut":')).toBeUndefined()
  })
})
