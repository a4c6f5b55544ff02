/**
 * Message generator: a reply to a comment or a direct message, from the received text, the
 * recipient, an optional template and the tone, in the project's language. It only drafts: nothing
 * is sent without the creator's click (the inbox sends what the creator approved).
 */
import { z } from 'zod'
import { builtinLanguage, languageName, stableHash, type AiTask } from '../task'

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

type Lang = ReturnType<typeof builtinLanguage>
const REPLIES: Record<Lang, Record<(typeof TONES)[number], string[]>> = {
  en: {
    friendly: ['Thanks so much{name}! Glad you liked it.', 'Love this{name}, thank you for watching!', 'Thank you{name}! More like this soon.'],
    professional: ['Thank you for your comment{name}. We appreciate you watching.', 'Thanks{name}, we appreciate the feedback.'],
    playful: ['Haha, thank you{name}! You made our day.', 'You get it{name}! Thanks for watching.'],
    grateful: ['Thank you so much{name}, that means a lot to us!', 'Really grateful for this{name}, thank you!'],
  },
  fr: {
    friendly: ['Merci beaucoup{name} ! Content que ça t’ait plu.', 'Merci{name}, et merci d’avoir regardé !', 'Merci{name} ! D’autres vidéos comme ça arrivent.'],
    professional: ['Merci pour votre commentaire{name}. Nous apprécions que vous nous suiviez.', 'Merci{name}, nous apprécions votre retour.'],
    playful: ['Haha, merci{name} ! Tu as illuminé notre journée.', 'Tu as tout compris{name} ! Merci d’avoir regardé.'],
    grateful: ['Merci infiniment{name}, ça nous touche beaucoup !', 'Vraiment reconnaissants{name}, merci !'],
  },
  es: {
    friendly: ['¡Muchas gracias{name}! Nos alegra que te gustara.', '¡Gracias{name}, y gracias por verlo!', '¡Gracias{name}! Pronto habrá más como este.'],
    professional: ['Gracias por su comentario{name}. Agradecemos que nos vea.', 'Gracias{name}, agradecemos sus comentarios.'],
    playful: ['¡Jaja, gracias{name}! Nos alegraste el día.', '¡Lo entendiste{name}! Gracias por verlo.'],
    grateful: ['¡Muchísimas gracias{name}, significa mucho para nosotros!', '¡De verdad agradecidos{name}, gracias!'],
  },
  de: {
    friendly: ['Vielen Dank{name}! Schön, dass es dir gefällt.', 'Danke{name}, und danke fürs Zuschauen!', 'Danke{name}! Bald gibt es mehr davon.'],
    professional: ['Vielen Dank für Ihren Kommentar{name}. Wir freuen uns, dass Sie zuschauen.', 'Danke{name}, wir schätzen Ihr Feedback.'],
    playful: ['Haha, danke{name}! Du hast uns den Tag versüßt.', 'Genau so{name}! Danke fürs Zuschauen.'],
    grateful: ['Tausend Dank{name}, das bedeutet uns viel!', 'Wirklich dankbar{name}, danke!'],
  },
}
const QUESTION: Record<Lang, string> = {
  en: 'Good question — we will answer it in a next video.',
  fr: 'Bonne question — on y répond dans une prochaine vidéo.',
  es: 'Buena pregunta — la respondemos en un próximo video.',
  de: 'Gute Frage — wir beantworten sie in einem nächsten Video.',
}

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
    const options = REPLIES[lang][input.tone]
    let reply = options[stableHash(input.message) % options.length].replace('{name}', name)
    if (input.message.includes('?')) reply += ` ${QUESTION[lang]}`
    return { reply }
  },
}
