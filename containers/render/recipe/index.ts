/**
 * The render recipe: the one source of truth for how a post looks, shared by the render
 * server (native FFmpeg) and the browser preview (ffmpeg.wasm). Pure TypeScript.
 */
export * from './vocabulary.ts'
export * from './spec.ts'
export * from './text.ts'
export * from './fonts.ts'
export * from './styles.ts'
export * from './platforms.ts'
export * from './ffmpeg.ts'
export * from './safe-areas.ts'
export * from './events.ts'
export * from './speech-captions.ts'
