/**
 * A project's platform connections as the API answers them (inferred from workers/api/connections.ts's
 * response schemas, types only); shared by the connections page and its server side.
 */
import type { z } from '@hono/zod-openapi'
import type { AvailabilitySchema, ConnectionSchema } from '../../workers/api/connections'

export { PLATFORMS, type Platform } from '../../containers/render/recipe/vocabulary'

export type Connection = z.infer<typeof ConnectionSchema>
export type Availability = z.infer<typeof AvailabilitySchema>
