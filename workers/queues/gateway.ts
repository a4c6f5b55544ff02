/** Binds a post's target to its platform publisher, on the project's connection. */
export { gatewayForPost as gatewayFor } from '../platforms/post-gateway'
