/** Binds a post's target to its platform publisher. */
import type { GatewayFactory } from './publish-consumer'

export const gatewayFor: GatewayFactory = async () => {
  throw new Error('publishing is wired to the platform publishers in the next commit')
}
