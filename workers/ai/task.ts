/**
 * A task is one kind of structured answer: its output schema (zod), the instructions and data a
 * model gets, and the built-in answer for the same input. Tools (`tools/`) are tasks; `run.ts`
 * runs any of them through the configured provider.
 */
import type { z } from 'zod'

export interface AiTask<I, O> {
  /** Names the schema for the provider and the coalescing key. */
  name: string
  output: z.ZodType<O>
  /** The system message (the data-block rule is added by prompt.ts). */
  instructions(input: I): string
  /** What goes in the data block: everything written by people. */
  data(input: I): unknown
  /** The deterministic answer of the built-in (no network); also the fallback. */
  builtin(input: I): O | Promise<O>
  maxTokens: number
}

/** The languages the built-in writes; any other falls back to English. */
export const BUILTIN_LANGUAGES = ['en', 'fr', 'es', 'de'] as const
export type BuiltinLanguage = (typeof BUILTIN_LANGUAGES)[number]

export const builtinLanguage = (language: string): BuiltinLanguage => {
  const base = language.toLowerCase().split(/[-_]/)[0]
  return (BUILTIN_LANGUAGES as readonly string[]).includes(base) ? (base as BuiltinLanguage) : 'en'
}

const LANGUAGE_NAMES: Record<string, string> = { en: 'English', fr: 'French', es: 'Spanish', de: 'German', it: 'Italian', pt: 'Portuguese', nl: 'Dutch', ja: 'Japanese', ko: 'Korean', zh: 'Chinese', ar: 'Arabic', he: 'Hebrew' }

/** "French (fr)" for instructions. */
export const languageName = (language: string) => `${LANGUAGE_NAMES[language.toLowerCase().split(/[-_]/)[0]] ?? language} (${language})`

/** A small stable hash, so built-in choices vary by input but never between runs. */
export function stableHash(text: string): number {
  let h = 2166136261
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 16777619)
  }
  return h >>> 0
}
