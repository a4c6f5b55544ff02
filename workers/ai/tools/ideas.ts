/**
 * Content ideas: from the project (its clips' titles and topics, language, objective, style and
 * audience notes) → ideas, each with a title, a hook, a format and why it may work.
 */
import { z } from 'zod'
import { builtinLanguage, languageName, stableHash, type AiTask } from '../task'

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

type Lang = ReturnType<typeof builtinLanguage>
type Format = (typeof IDEA_FORMATS)[number]
/** Per format: a title, a hook and why, with `{s}` the subject. */
const PATTERNS: Record<Lang, Record<Format, [string, string, string]>> = {
  en: {
    tutorial: ['How to {s} step by step', '{s} in 3 steps', 'Step-by-step videos are saved and shared: people come back to them.'],
    list: ['3 mistakes with {s}', 'Mistake number 2 is the worst', 'Numbered lists keep people watching to the end.'],
    before_after: ['{s}: before and after', 'Wait for the after', 'A visible change gives a reason to watch until the reveal.'],
    behind_the_scenes: ['Behind the scenes of {s}', 'What you never see about {s}', 'Behind-the-scenes builds trust and brings comments.'],
    myth_busting: ['The biggest myth about {s}', 'Everyone believes this about {s}', 'Contradicting a common belief stops the scroll.'],
    story: ['The day {s} went wrong', 'This almost ruined everything', 'A short story with a turn keeps attention.'],
    challenge: ['{s} challenge: can you do it?', 'Try this before you scroll', 'Challenges invite duets, stitches and replies.'],
    q_and_a: ['Your questions about {s}, answered', 'You asked, here is the answer', 'Answering the audience turns viewers into followers.'],
  },
  fr: {
    tutorial: ['{s} étape par étape', '{s} en 3 étapes', 'Les tutoriels sont enregistrés et partagés : on y revient.'],
    list: ['3 erreurs avec {s}', 'L’erreur numéro 2 est la pire', 'Une liste numérotée fait regarder jusqu’au bout.'],
    before_after: ['{s} : avant et après', 'Attends l’après', 'Un changement visible donne envie d’attendre le résultat.'],
    behind_the_scenes: ['Les coulisses de {s}', 'Ce qu’on ne voit jamais de {s}', 'Les coulisses créent la confiance et les commentaires.'],
    myth_busting: ['Le plus gros mythe sur {s}', 'Tout le monde croit ça sur {s}', 'Contredire une idée reçue arrête le défilement.'],
    story: ['Le jour où {s} a mal tourné', 'Ça a failli tout gâcher', 'Une histoire courte avec un rebondissement retient l’attention.'],
    challenge: ['Défi {s} : tu y arrives ?', 'Essaie avant de faire défiler', 'Les défis appellent des réponses et des duos.'],
    q_and_a: ['Vos questions sur {s}', 'Vous avez demandé, voici la réponse', 'Répondre au public transforme les spectateurs en abonnés.'],
  },
  es: {
    tutorial: ['{s} paso a paso', '{s} en 3 pasos', 'Los tutoriales se guardan y se comparten: la gente vuelve a ellos.'],
    list: ['3 errores con {s}', 'El error número 2 es el peor', 'Las listas numeradas hacen ver hasta el final.'],
    before_after: ['{s}: antes y después', 'Espera al después', 'Un cambio visible da motivos para esperar el resultado.'],
    behind_the_scenes: ['Detrás de cámaras de {s}', 'Lo que nunca ves de {s}', 'Lo de detrás de cámaras genera confianza y comentarios.'],
    myth_busting: ['El mayor mito sobre {s}', 'Todos creen esto sobre {s}', 'Contradecir una creencia común detiene el scroll.'],
    story: ['El día que {s} salió mal', 'Esto casi lo arruina todo', 'Una historia corta con un giro mantiene la atención.'],
    challenge: ['Reto {s}: ¿puedes?', 'Inténtalo antes de seguir', 'Los retos invitan a responder y a hacer dúos.'],
    q_and_a: ['Tus preguntas sobre {s}', 'Lo preguntaste, aquí está la respuesta', 'Responder al público convierte espectadores en seguidores.'],
  },
  de: {
    tutorial: ['{s} Schritt für Schritt', '{s} in 3 Schritten', 'Anleitungen werden gespeichert und geteilt: man kommt zurück.'],
    list: ['3 Fehler bei {s}', 'Fehler Nummer 2 ist der schlimmste', 'Nummerierte Listen halten bis zum Ende.'],
    before_after: ['{s}: vorher und nachher', 'Warte auf das Nachher', 'Eine sichtbare Veränderung lässt bis zur Auflösung schauen.'],
    behind_the_scenes: ['Hinter den Kulissen von {s}', 'Was du nie von {s} siehst', 'Blicke hinter die Kulissen schaffen Vertrauen und Kommentare.'],
    myth_busting: ['Der größte Mythos über {s}', 'Alle glauben das über {s}', 'Einem verbreiteten Glauben zu widersprechen stoppt das Scrollen.'],
    story: ['Der Tag, an dem {s} schiefging', 'Das hätte fast alles ruiniert', 'Eine kurze Geschichte mit Wendung hält die Aufmerksamkeit.'],
    challenge: ['{s}-Challenge: schaffst du es?', 'Probier das, bevor du weiterscrollst', 'Challenges laden zu Antworten und Duetten ein.'],
    q_and_a: ['Eure Fragen zu {s}', 'Ihr habt gefragt, hier ist die Antwort', 'Auf das Publikum zu antworten macht Zuschauer zu Followern.'],
  },
}

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
      const [title, hook, why] = PATTERNS[lang][format].map((t) => t.replaceAll('{s}', subject))
      return { title: title.slice(0, 120), hook: hook.slice(0, 120), format, why }
    })
    return { ideas }
  },
}
