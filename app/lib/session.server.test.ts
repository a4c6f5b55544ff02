import { describe, expect, it } from 'vitest'
import { safeRedirectTo } from './session.server'

const request = new Request('https://app.reelpilot.dev/sign-in')

describe('safeRedirectTo', () => {
  it('keeps paths on this site, with their query and fragment', () => {
    expect(safeRedirectTo('/projects/prj_1/library?status=ready#top', request)).toBe('/projects/prj_1/library?status=ready#top')
    expect(safeRedirectTo('/dashboard', request)).toBe('/dashboard')
  })

  it('refuses what a browser would read as another site', () => {
    for (const evil of ['//evil.example', '/\\evil.example', '/\t/evil.example', '/\t\\evil.example', '/\n/evil.example', '/\r\\evil.example', 'https://evil.example/', 'javascript:alert(1)', 'evil.example']) {
      expect(safeRedirectTo(evil, request), JSON.stringify(evil)).toBe('/dashboard')
    }
  })

  it('answers something safe for a header when the value carries CR or LF', () => {
    const out = safeRedirectTo('/settings\r\nSet-Cookie: x=1', request)
    expect(out).not.toMatch(/[\r\n]/)
    expect(() => new Headers({ location: out })).not.toThrow()
    expect(out.startsWith('/')).toBe(true)
  })

  it('falls back for anything that is not a string', () => {
    expect(safeRedirectTo(null, request)).toBe('/dashboard')
    expect(safeRedirectTo(undefined, request, '/x')).toBe('/x')
  })
})
