/** A project's platform connections as the API answers them; shared by the connections page and its server side. */

import type { Platform } from '../../containers/render/recipe/vocabulary'

export { PLATFORMS, type Platform } from '../../containers/render/recipe/vocabulary'

export interface Connection {
  id: string
  platform: Platform
  mode: 'oauth' | 'sandbox'
  status: 'active' | 'needs_reconnect' | 'disconnected'
  statusReason: string | null
  accountId: string | null
  accountName: string | null
  avatarUrl: string | null
  refreshedAt: string | null
  createdAt: string
  updatedAt: string
}

export interface Availability {
  platform: Platform
  oauth: boolean
  sandbox: boolean
}
