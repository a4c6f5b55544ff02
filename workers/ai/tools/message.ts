/**
 * Message generator: a reply to a comment or a direct message, from the received text, the
 * recipient, an optional template and the tone, in the project's language. It only drafts: nothing
 * is sent without the creator's click (the inbox sends what the creator approved).
 */
import { z } from 'zod'
import { builtinLanguage, languageName, stableHash, type AiTask } from '../task'
import { TEMPLATES } from '../templates'

export const TONES = ['friendly', 'professional', 'playful', 'grateful'] as const

export const MessageInputSchema = z
  .object({
    kind: z.enum(['comment', 'direct_message']).default('comment'),
    message: z.string().trim().min(1).max(5000).describe('The comment or message received'),
    recipient: z.string().trim().max(100).optional().describe('Who wrote it (their display name)'),
    template: z.string().trim().max(2000).optional().describe('A reply to start from; {name} is the recipient'),
    tone: z.enum(TONES).default('friendly'),
    language: z.string().trim().min(2).max(16).default('en'),
    context: z.string().trim().max(500).optional().describe('What the post is about'),
  })
  .meta({ id: 'MessageInput', description: 'What the reply answers and how it should sound' })
export type MessageInput = z.output<typeof MessageInputSchema>

export const MessageOutputSchema = z
  .object({ reply: z.string().min(1).max(2000) })
  .meta({ id: 'MessageOutput', description: 'A suggested reply; never sent without the creator' })
export type MessageOutput = z.output<typeof MessageOutputSchema>

export const messageTask: AiTask<MessageInput, MessageOutput> = {
  name: 'message_reply',
  output: MessageOutputSchema,
  maxTokens: 400,
  instructions: (input) =>
    `You are a social media manager drafting a reply for a video creator to a ${input.kind === 'comment' ? 'comment on their video' : 'direct message'}. Write in ${languageName(input.language)}, ${input.tone} tone, at most 3 short sentences. ${input.template ? 'Start from the given template; {name} is the recipient.' : ''} Never add links, e-mail addresses, phone numbers or handles. Never promise money, discounts or meetings.`,
  data: (input) => ({ received: input.message, from: input.recipient ?? null, template: input.template ?? null, postContext: input.context ?? null }),
  builtin(input) {
    const lang = builtinLanguage(input.language)
    const name = input.recipient ? ` ${input.recipient}` : ''
    if (input.template) return { reply: input.template.replaceAll('{name}', input.recipient ?? '').replace(/\s+([,!.?])/g, '$1').trim().slice(0, 2000) }
    const { replies, question } = TEMPLATES[lang]
    const options = replies[input.tone]
    let reply = options[stableHash(input.message) % options.length].replace('{name}', name)
    if (input.message.includes('?')) reply += ` ${question}`
    return { reply }
  },
}
