/** The AI assistant: providers behind one interface (`types.ts`), tasks and tools, and `runTask`. */
export { providerFor, type AiSettings } from './config'
export { runTask, type AiContext, type AiResult } from './run'
export type { AiProvider, ProviderInfo, ProviderName } from './types'
