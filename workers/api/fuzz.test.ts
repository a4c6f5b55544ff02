/**
 * A fuzz of every operation of the OpenAPI document, from the document's own schemas (fast-check):
 * inputs that fit the schemas, inputs at their boundaries and inputs that break them (wrong types,
 * missing fields, junk), with real ids of a workspace the caller owns or made-up ones. Whatever
 * comes in, the answer is never a 5xx. Bounded: FUZZ_RUNS (default 300) requests in all.
 */
import { env, SELF } from 'cloudflare:test'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { call, connectSandbox, ownerWithWorkspace, readyClip } from '../../test/helpers'

type Schema = Record<string, any>
type Doc = { paths: Record<string, Record<string, any>>; components?: { schemas?: Record<string, Schema> } }

const RUNS = Number((env as unknown as Record<string, string>).FUZZ_RUNS ?? '') || 300

/** Values that break most schemas. */
const junk = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: false }),
  fc.string(),
  fc.constantFrom('', ' ', '\u0000', '💥'.repeat(50), 'a'.repeat(10_000), '../../etc/passwd', "'; drop table posts; --", '{"__proto__":{"x":1}}', '-1', '1e309', 'NaN'),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
)

/** An arbitrary for `schema`: mostly valid values, boundary values, and sometimes junk. */
function arbitraryFor(schema: Schema | undefined, doc: Doc, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 6) return junk
  if (schema.$ref) return arbitraryFor(doc.components?.schemas?.[String(schema.$ref).split('/').pop()!], doc, depth + 1)
  const alternatives = schema.anyOf ?? schema.oneOf
  if (alternatives) return fc.oneof(...alternatives.map((s: Schema) => arbitraryFor(s, doc, depth + 1)))
  if (schema.allOf) return arbitraryFor(Object.assign({}, ...schema.allOf), doc, depth + 1)
  if ('const' in schema) return fc.constant(schema.const)
  if (schema.enum) return fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...schema.enum) }, { weight: 1, arbitrary: junk })
  const types: string[] = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : []
  if (types.length > 1) return fc.oneof(...types.map((t) => arbitraryFor({ ...schema, type: t }, doc, depth + 1)))
  const valid = (() => {
    switch (types[0]) {
      case 'null':
        return fc.constant(null)
      case 'boolean':
        return fc.boolean()
      case 'integer':
      case 'number': {
        const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1e6)
        const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : 1e6)
        const inRange = types[0] === 'integer' ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) }) : fc.double({ min, max, noNaN: true })
        return fc.oneof({ weight: 3, arbitrary: inRange }, { weight: 1, arbitrary: fc.constantFrom(min, max, min - 1, max + 1, 0, -0, 2 ** 53, -(2 ** 53)) })
      }
      case 'string': {
        if (schema.format === 'date-time') return fc.oneof(fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()), fc.constantFrom('2026-02-30T25:61:00Z', '0000-00-00T00:00:00Z'))
        if (schema.format === 'email') return fc.oneof(fc.emailAddress(), fc.constantFrom('not-an-email', '@', 'a@b'))
        if (schema.format === 'uri' || schema.format === 'url') return fc.oneof(fc.webUrl(), fc.constantFrom('javascript:alert(1)', 'http://127.0.0.1:1/', 'file:///etc/passwd'))
        const minLength = schema.minLength ?? 0
        const maxLength = Math.min(schema.maxLength ?? 64, 512)
        const examples = [schema.example, ...(schema.examples ?? [])].filter((e) => typeof e === 'string')
        return fc.oneof(
          { weight: 3, arbitrary: fc.string({ minLength, maxLength }) },
          { weight: 1, arbitrary: fc.constantFrom('x'.repeat(minLength), 'x'.repeat(maxLength), 'x'.repeat(maxLength + 1), ...(minLength > 0 ? ['x'.repeat(minLength - 1)] : ['']), ...examples) },
        )
      }
      case 'array': {
        const maxLength = Math.min(schema.maxItems ?? 5, 40)
        return fc.array(arbitraryFor(schema.items, doc, depth + 1), { minLength: Math.min(schema.minItems ?? 0, maxLength), maxLength: maxLength + 1 })
      }
      case 'object':
      default: {
        const props: Record<string, Schema> = schema.properties ?? {}
        const required = new Set<string>(schema.required ?? [])
        if (Object.keys(props).length === 0) return fc.dictionary(fc.string({ maxLength: 8 }), junk, { maxKeys: 3 })
        // Required fields are usually there, sometimes missing; optional ones come and go.
        const entries = Object.entries(props).map(([name, s]) => fc.option(arbitraryFor(s, doc, depth + 1).map((v) => [name, v] as const), { freq: required.has(name) ? 8 : 2, nil: undefined }))
        return fc.tuple(...entries).map((pairs) => Object.fromEntries(pairs.filter((p): p is readonly [string, unknown] => p !== undefined)))
      }
    }
  })()
  return fc.oneof({ weight: 6, arbitrary: valid }, { weight: 1, arbitrary: junk })
}

interface Fixture {
  ids: Record<string, string>
  keys: string[]
}

async function fixture(): Promise<Fixture> {
  const owner = await ownerWithWorkspace('fuzz')
  const project = (await call('POST', '/projects', { token: owner.token, body: { workspaceId: owner.workspace.id, name: 'Fuzzed' } })).json
  await connectSandbox(owner.token, project.id, ['tiktok', 'youtube'])
  const clip = await readyClip(owner.workspace.id, project.id)
  const post = (await call('POST', `/projects/${project.id}/posts`, { token: owner.token, body: { mediaId: clip, scheduledAt: new Date(Date.now() + 86_400_000).toISOString() } })).json
  const draft = (await call('POST', `/projects/${project.id}/drafts`, { token: owner.token, body: { mediaId: clip } })).json
  const connections = (await call('GET', `/projects/${project.id}/connections`, { token: owner.token })).json
  // Each API key has its own rate budget: the fuzz spreads its requests over several.
  const keys: string[] = []
  let keyId = ''
  for (let i = 0; i < 7; i++) {
    const key = (await call('POST', `/workspaces/${owner.workspace.id}/api-keys`, { token: owner.token, body: { name: `fuzz ${i}`, role: 'owner' } })).json
    keys.push(key.secret)
    keyId = key.id
  }
  return {
    keys,
    ids: { workspace: owner.workspace.id, project: project.id, media: clip, post: post.id, draft: draft.id, connectionId: connections.data[0].id, keyId, userId: (await call('GET', '/me', { token: owner.token })).json.id ?? '' },
  }
}

/** A real id for a path parameter, by the resource the path names. */
function realId(path: string, param: string, f: Fixture): string | undefined {
  if (param !== 'id') return f.ids[param] ?? (param === 'projectId' ? f.ids.project : undefined)
  const resource = path.split('/')[1]
  return { workspaces: f.ids.workspace, projects: f.ids.project, media: f.ids.media, posts: f.ids.post, drafts: f.ids.draft }[resource]
}

/** Operations whose success would end the fuzz's fixture (they get made-up ids only). */
const DESTRUCTIVE = new Set(['DELETE /workspaces/{id}', 'DELETE /projects/{id}', 'DELETE /workspaces/{id}/api-keys/{keyId}', 'DELETE /workspaces/{id}/members/{userId}', 'PATCH /workspaces/{id}/members/{userId}'])

describe('fuzz of every OpenAPI operation', () => {
  it(`never answers 5xx to random, boundary or malformed input (${RUNS} requests)`, async () => {
    const doc = (await call('GET', '/openapi.json')).json as Doc
    const f = await fixture()
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method: method.toUpperCase(), op })))
    expect(operations.length).toBeGreaterThan(40)
    const failures: string[] = []
    let n = 0
    const request = fc.constantFrom(...operations).chain(({ path, method, op }) => {
      const params: any[] = op.parameters ?? []
      const pathParams = params.filter((p) => p.in === 'path')
      const queryParams = params.filter((p) => p.in === 'query')
      const key = `${method} ${path}`
      const pathArb = fc.tuple(
        ...pathParams.map((p) => {
          const real = DESTRUCTIVE.has(key) ? undefined : realId(path, p.name, f)
          const made = fc.oneof(fc.string({ minLength: 1, maxLength: 70 }), fc.constantFrom('x', '%00', '..', 'prj_00000000000000000000'))
          return (real ? fc.oneof({ weight: 3, arbitrary: fc.constant(real) }, { weight: 1, arbitrary: made }) : made).map((v) => [p.name, String(v)] as const)
        }),
      )
      const queryArb = fc.tuple(...queryParams.map((p) => fc.option(arbitraryFor(p.schema, doc).map((v) => [p.name, typeof v === 'string' ? v : JSON.stringify(v)] as const), { nil: undefined, freq: 2 })))
      const bodySchema = op.requestBody?.content?.['application/json']?.schema
      const bodyArb = bodySchema ? fc.oneof({ weight: 8, arbitrary: arbitraryFor(bodySchema, doc).map((v) => JSON.stringify(v)) }, { weight: 1, arbitrary: fc.constantFrom('{', '[]', 'null', '"x"', '') }) : fc.constant(undefined)
      return fc.record({ key: fc.constant(key), method: fc.constant(method), path: fc.constant(path), pathValues: pathArb, query: queryArb, body: bodyArb, keyIndex: fc.nat({ max: f.keys.length - 1 }) })
    })
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        let url = r.path
        for (const [name, value] of r.pathValues) url = url.replace(`{${name}}`, encodeURIComponent(value))
        const qs = new URLSearchParams(r.query.filter((q): q is readonly [string, string] => q !== undefined) as [string, string][])
        const headers: Record<string, string> = { authorization: `Bearer ${f.keys[n++ % f.keys.length]}` }
        if (r.body !== undefined) headers['content-type'] = 'application/json'
        const res = await SELF.fetch(`https://reelpilot.test/api${url}${qs.size ? `?${qs}` : ''}`, { method: r.method, headers, body: r.method === 'GET' ? undefined : r.body })
        const text = await res.text()
        if (res.status >= 500 && res.status !== 503) failures.push(`${r.key} → ${res.status}: ${r.method} ${url}?${qs} ${r.body?.slice(0, 300)} :: ${text.slice(0, 300)}`)
        // 503 is allowed only where the API says a service is unavailable (never a crash).
        if (res.status === 503) expect(text).not.toContain('Something went wrong')
        return res.status < 500 || res.status === 503
      }),
      { numRuns: RUNS, seed: Number((env as unknown as Record<string, string>).FUZZ_SEED ?? '') || undefined, endOnFailure: false },
    ).catch((error) => {
      throw new Error(`${failures.join('\n')}\n${String(error).slice(0, 2000)}`)
    })
  }, 240_000)
})
