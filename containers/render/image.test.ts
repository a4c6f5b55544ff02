/**
 * The container image installs the render server's runtime dependencies from its own
 * package.json (there is no Docker here to build it): those versions must be the ones the
 * tests run with, and everything the server imports must be in the image.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const here = import.meta.dirname
const root = join(here, '..', '..')

describe('the render container image', () => {
  it('pins the same versions of its dependencies as the tests use', () => {
    const image = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'))
    for (const [name, version] of Object.entries<string>(image.dependencies)) {
      const installed = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version
      expect(installed, `${name} in containers/render/package.json`).toBe(version)
    }
  })

  it('needs no package that the image does not install, and no file the image leaves out', () => {
    const image = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8'))
    const ignored = readFileSync(join(here, '.dockerignore'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'))
    const sources = [...readdirSync(here).map((f) => f), ...readdirSync(join(here, 'recipe')).map((f) => `recipe/${f}`)].filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'test-support.ts',
    )
    for (const file of sources) {
      const text = readFileSync(join(here, file), 'utf8')
      for (const [, spec] of text.matchAll(/^import [^'"]*['"]([^'"]+)['"]/gm)) {
        if (spec.startsWith('node:')) continue
        if (spec.startsWith('.')) {
          expect(spec, `${file} imports ${spec} outside the image`).not.toMatch(/^\.\.\/\.\./)
          expect(ignored.some((p) => spec.endsWith(p.replace('*', ''))), `${file} imports ${spec}, which .dockerignore leaves out`).toBe(false)
          continue
        }
        expect(Object.keys(image.dependencies), `${file} imports ${spec}`).toContain(spec)
      }
    }
  })
})
