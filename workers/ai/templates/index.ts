/**
 * The built-in provider's words, one table per language (`en.json`, `fr.json`…): a new language is
 * one more file here and its code in `BUILTIN_LANGUAGES` (`../task.ts`). `{s}` is an idea's
 * subject, `{name}` a reply's recipient (with its leading space).
 */
import type { BuiltinLanguage } from '../task'
import type { IDEA_FORMATS } from '../tools/ideas'
import type { TONES } from '../tools/message'
import de from './de.json'
import en from './en.json'
import es from './es.json'
import fr from './fr.json'

export interface Templates {
  /** Per idea format: a title, a hook and why it may work. */
  ideas: Record<(typeof IDEA_FORMATS)[number], { title: string; hook: string; why: string }>
  /** Per tone: replies to choose from. */
  replies: Record<(typeof TONES)[number], string[]>
  /** Added to a reply when the message asks a question. */
  question: string
}

export const TEMPLATES: Record<BuiltinLanguage, Templates> = { en, fr, es, de }
