/**
 * The shapes the API answers, taken from its zod schemas (types only: nothing of the API is
 * bundled into the browser), so the screens and the API cannot drift apart.
 */
import type { z } from '@hono/zod-openapi'
import type { ApiKeySchema, CreatedKeySchema } from '../../workers/api/api-keys'
import type { MeSchema } from '../../workers/api/me'
import type { MemberSchema } from '../../workers/api/members'
import type { ProjectSchema } from '../../workers/api/projects'
import type { WorkspaceSchema } from '../../workers/api/workspaces'

export type { Role } from '../../workers/domain/roles'
export type Workspace = z.infer<typeof WorkspaceSchema>
export type Project = z.infer<typeof ProjectSchema>
export type Member = z.infer<typeof MemberSchema>
export type ApiKey = z.infer<typeof ApiKeySchema>
export type CreatedApiKey = z.infer<typeof CreatedKeySchema>
export type Me = z.infer<typeof MeSchema>

/** A list answer of the API. */
export interface List<T> {
  data: T[]
}
