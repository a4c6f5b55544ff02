/**
 * Content ideas: from the project (its clips' titles and topics, language, objective, style and
 * audience notes) → ideas, each with a title, a hook, a format and why it may work.
 */
import { z } from 'zod'
import { builtinLanguage, languageName, stableHash, type AiTask } from '../task'
import { TEMPLATES } from '../templates'

export const IDEA_FORMATS = ['tutorial', 'list', 'before_after', 'behind_the_scenes', 'myth_busting', 'story', 'challenge', 'q_and_a'] as const

export interface IdeasInput {
  projectName: string
  projectDescription: string | null
  language: string
  objective: string
  style: string
  audienceNotes: string | null
  /** The clips the ideas start from (title, topic), newest first. */
  clips: { title: string; topic: string }[]
  count: number
}

export const IdeaSchema = z.object({
  title: z.string().min(1).max(120),
  hook: z.string().min(1).max(120),
  format: z.enum(IDEA_FORMATS),
  why: z.string().min(1).max(400),
})

export const IdeasOutputSchema = z.object({ ideas: z.array(IdeaSchema).min(1).max(10) }).meta({ id: 'ContentIdeas', description: 'Ideas for the next videos' })
export type IdeasOutput = z.output<typeof IdeasOutputSchema>

type Format = (typeof IDEA_FORMATS)[number]

const OBJECTIVE_FORMATS: Record<string, Format[]> = {
  awareness: ['myth_busting', 'challenge', 'list', 'story', 'before_after', 'behind_the_scenes', 'tutorial', 'q_and_a'],
  traffic: ['tutorial', 'list', 'q_and_a', 'before_after', 'myth_busting', 'behind_the_scenes', 'story', 'challenge'],
  conversion: ['before_after', 'q_and_a', 'tutorial', 'behind_the_scenes', 'myth_busting', 'list', 'story', 'challenge'],
}

export const ideasTask: AiTask<IdeasInput, IdeasOutput> = {
  name: 'content_ideas',
  output: IdeasOutputSchema,
  maxTokens: 1500,
  instructions: (input) =>
    `You are a short-form video strategist. Propose exactly ${input.count} ideas for the creator's next vertical videos (YouTube Shorts, TikTok, Instagram Reels), in ${languageName(input.language)}, for the objective "${input.objective}" and the "${input.style}" style. Build on the subjects of their clips and the audience notes. Each idea: a title, a hook (the first words on screen, under 10 words), a format (one of ${IDEA_FORMATS.join(', ')}) and why it may work for this audience (one sentence).`,
  data: (input) => ({ project: input.projectName, description: input.projectDescription, audienceNotes: input.audienceNotes, clips: input.clips.slice(0, 30) }),
  builtin(input) {
    const lang = builtinLanguage(input.language)
    const subjects = [...new Set([...input.clips.map((c) => c.topic.trim() || c.title.trim()), input.projectName.trim()].filter(Boolean))]
    if (subjects.length === 0) subjects.push(input.projectName || 'this')
    const formats = OBJECTIVE_FORMATS[input.objective] ?? OBJECTIVE_FORMATS.awareness
    const offset = stableHash(subjects.join('|')) % formats.length
    const ideas = Array.from({ length: input.count }, (_, i) => {
      const format = formats[(offset + i) % formats.length]
      const subject = subjects[i % subjects.length]
      const pattern = TEMPLATES[lang].ideas[format]
      const fill = (text: string) => text.replaceAll('{s}', subject)
      return { title: fill(pattern.title).slice(0, 120), hook: fill(pattern.hook).slice(0, 120), format, why: fill(pattern.why) }
    })
    return { ideas }
  },
}
