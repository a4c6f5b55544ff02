import { registerSchema, validate } from '@hyperjump/json-schema/draft-2020-12'
import { validate as validateOpenApi } from '@hyperjump/json-schema/openapi-3-1'
import { describe, expect, it } from 'vitest'
import { call, unique } from '../../test/helpers'

/** Every `pattern` in a document, with where it is. */
function patterns(node: unknown, at = '#'): { at: string; pattern: string }[] {
  if (!node || typeof node !== 'object') return []
  const found: { at: string; pattern: string }[] = []
  for (const [key, value] of Object.entries(node)) {
    if (key === 'pattern' && typeof value === 'string') found.push({ at, pattern: value })
    else found.push(...patterns(value, `${at}/${key}`))
  }
  return found
}

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document (checked by a JSON Schema validator with the OAS 3.1 meta-schema)', async () => {
    const doc = (await call('GET', '/openapi.json')).json
    const output = await validateOpenApi('https://spec.openapis.org/oas/3.1/schema-base', doc)
    expect(output.valid).toBe(true)
  })

  it('has patterns that are ECMA-262 regular expressions (Unicode) and accept what the API accepts', async () => {
    const doc = (await call('GET', '/openapi.json')).json
    const found = patterns(doc)
    expect(found.length).toBeGreaterThanOrEqual(2)
    for (const { at, pattern } of found) {
      expect(() => new RegExp(pattern, 'u'), at).not.toThrow()
      expect(pattern, `${at}: flags written into the pattern`).not.toMatch(/\/[dgimsuvy]*$/)
    }

    // The hashtags of a post, as a generated client would check them against the document.
    const body = doc.paths['/projects/{id}/posts'].post.requestBody.content['application/json'].schema
    const resolved = body.$ref ? doc.components.schemas[body.$ref.split('/').pop()] : body
    const id = `https://reelpilot.test/schemas/${unique('hashtags')}`
    registerSchema({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...resolved.properties.hashtags }, id)
    for (const good of [['#cooking'], ['knifeskills', '#ñandú', '料理', 'top_10']]) expect((await validate(id, good)).valid, JSON.stringify(good)).toBe(true)
    for (const bad of [['two words'], ['#'], ['tag!']]) expect((await validate(id, bad)).valid, JSON.stringify(bad)).toBe(false)

    // The workspace slug: the same answers from the document as from the API.
    const ws = doc.paths['/workspaces'].post.requestBody.content['application/json'].schema
    const slug = (ws.$ref ? doc.components.schemas[ws.$ref.split('/').pop()] : ws).properties.slug
    const slugId = `https://reelpilot.test/schemas/${unique('slug')}`
    registerSchema({ $schema: 'https://json-schema.org/draft/2020-12/schema', ...slug }, slugId)
    expect((await validate(slugId, 'acme-studio')).valid).toBe(true)
    expect((await validate(slugId, '-acme')).valid).toBe(false)
  })
})
