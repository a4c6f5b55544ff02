/** Values made from a JSON schema, for stubs that answer structured output without a script. */

/** A value that follows a JSON schema (the subset zod writes): what the stub answers unscripted. */
export function sampleOf(schema: any, name = 'stub'): unknown {
  if (!schema || typeof schema !== 'object') return null
  if (schema.anyOf) return sampleOf(schema.anyOf[0], name)
  if (schema.enum) return schema.enum[0]
  if (schema.const !== undefined) return schema.const
  switch (schema.type) {
    case 'object':
      return Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, sampleOf(v, k)]))
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, (_, i) => sampleOf(schema.items, `${name}${i + 1}`))
    case 'integer':
    case 'number':
      return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 1)
    case 'boolean':
      return true
    case 'string': {
      let s = schema.pattern ? name.replace(/[^a-z0-9]/gi, '').toLowerCase() || 'stub' : `Stub ${name}`
      while (s.length < (schema.minLength ?? 0)) s += ' stub'
      return s.slice(0, schema.maxLength ?? s.length)
    }
    default:
      return null
  }
}

