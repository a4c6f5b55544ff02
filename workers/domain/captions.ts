/**
 * Hook, caption, call to action and hashtags for a post, written from what the clip is about:
 * its title and topic, the project's name and description, the language and the objective.
 * Never from a file name (the library only pre-fills a title from one when it reads like a
 * title, see `titleFromFilename`). `CaptionWriter` is the seam the AI assistant fills when a
 * provider is configured; the built-in writer uses templates per language and picks among them
 * deterministically (the same seed gives the same text), skipping hooks the project used in its
 * last posts and hooks too long to read in the time the clip gives them.
 */

import { callToAction } from '../../containers/render/recipe/text'
import type { Objective, Platform, StyleName } from '../../containers/render/recipe/vocabulary'

/** How many of a project's latest posts a new hook must differ from. */
export const RECENT_HOOKS = 20

export interface CaptionInput {
  language: string
  style: StyleName
  objective: Objective
  /** What the clip is called in the library (may be empty: then the topic or project speaks). */
  title: string
  /** What the clip is about, in a few words (may be empty). */
  topic?: string
  tags: readonly string[]
  projectName: string
  projectDescription?: string | null
  /** Length of the video the texts go on, in seconds: the hook must be readable in its share. */
  durationSec?: number
  /** Hooks of the project's latest posts, newest first: a new hook repeats none of them. */
  recentHooks?: readonly string[]
  /** Anything stable per post (the slot), so choices vary between posts but not between runs. */
  seed: string
  /** The platforms the post goes to (a writer with per-platform texts writes those). */
  platforms?: readonly Platform[]
  /** The tracked link's line the texts are published with (`linkLineFor`), to leave room for; null: none. */
  link?: string | null
}

export interface CaptionOutput {
  hook: string
  caption: string
  hashtags: string[]
  callToAction: string
  /** The language actually used (a language without templates falls back to English). */
  language: string
  /** Who wrote the texts (`builtin` for these templates; an AI writer names its provider). */
  provider?: 'builtin' | 'workers-ai' | 'openai'
  /** Per-platform texts, when the writer writes them. */
  platformTexts?: { youtube?: { title?: string; description?: string }; tiktok?: { caption?: string }; instagram?: { caption?: string } }
}

export interface CaptionWriter {
  write(input: CaptionInput): Promise<CaptionOutput>
}

interface LanguagePack {
  /** Hooks about the subject (`{s}`: the title or topic; `{n}`: the video's length in seconds). */
  about: string[]
  /** Hooks that stand without a subject. */
  plain: string[]
  /** Closing lines of the caption, after the subject and the project's description. */
  closers: string[]
  tags: Record<Objective, string[]>
}

const PACKS: Record<string, LanguagePack> = {
  en: {
    about: ['{s}: the trick nobody shows you', '{s}, done right', 'Stop scrolling: {s}', '{s} in {n} seconds', '{s}: watch this first', 'Try {s} this way', '{s}, the easy way', 'The secret to {s}', '{s}: save this one', 'Everything about {s} in {n} seconds', '{s} like a pro', 'You have been doing {s} wrong'],
    plain: ['Wait for the end', 'You need to see this', 'Nobody talks about this', 'Watch till the end', 'Small change, big difference', 'This one surprised us', 'Save this for later', 'Try this today'],
    closers: ['Save it for later.', 'Which part surprised you?', 'Tell us if you try it.', 'Share it with someone who needs it.'],
    tags: { traffic: ['linkinbio'], awareness: ['fyp', 'shorts'], conversion: ['shopnow', 'deal'] },
  },
  fr: {
    about: ['{s} : l’astuce que personne ne montre', '{s}, comme il faut', 'Stop : {s}', '{s} en {n} secondes', '{s} : regarde ça d’abord', 'Essaie {s} comme ça', '{s}, version facile', 'Le secret de {s}', '{s} : garde ça sous la main', 'Tout sur {s} en {n} secondes', '{s} comme un pro', '{s} : tu fais sûrement comme ça'],
    plain: ['Attends la fin', 'Tu dois voir ça', 'Personne n’en parle', 'Regarde jusqu’au bout', 'Petit geste, grande différence', 'Ça nous a surpris', 'Enregistre pour plus tard', 'Essaie ça aujourd’hui'],
    closers: ['Enregistre pour plus tard.', 'Qu’est-ce qui t’a surpris ?', 'Dis-nous si tu essaies.', 'Partage à quelqu’un qui en a besoin.'],
    tags: { traffic: ['lienenbio'], awareness: ['pourtoi', 'shorts'], conversion: ['bonplan'] },
  },
  es: {
    about: ['{s}: el truco que nadie enseña', '{s}, bien hecho', 'Para un momento: {s}', '{s} en {n} segundos', '{s}: mira esto primero', 'Prueba {s} así', '{s}, fácil', 'El secreto de {s}', '{s}: guárdalo', 'Todo sobre {s} en {n} segundos', '{s} como un pro'],
    plain: ['Espera al final', 'Tienes que ver esto', 'Nadie habla de esto', 'Míralo hasta el final', 'Pequeño cambio, gran diferencia', 'Esto nos sorprendió', 'Guárdalo para después', 'Pruébalo hoy'],
    closers: ['Guárdalo para después.', '¿Qué te sorprendió?', 'Cuéntanos si lo pruebas.', 'Compártelo con quien lo necesite.'],
    tags: { traffic: ['enlaceenbio'], awareness: ['parati', 'shorts'], conversion: ['oferta'] },
  },
  de: {
    about: ['{s}: der Trick, den keiner zeigt', '{s}, richtig gemacht', 'Stopp: {s}', '{s} in {n} Sekunden', '{s}: erst das hier ansehen', 'Probier {s} so', '{s}, ganz einfach', 'Das Geheimnis von {s}', '{s}: speichern', 'Alles zu {s} in {n} Sekunden', '{s} wie ein Profi'],
    plain: ['Warte bis zum Ende', 'Das musst du sehen', 'Darüber spricht keiner', 'Bis zum Ende ansehen', 'Kleine Änderung, großer Unterschied', 'Das hat uns überrascht', 'Für später speichern', 'Probier das heute'],
    closers: ['Speichern für später.', 'Was hat dich überrascht?', 'Sag uns, ob du es probierst.', 'Teile es mit jemandem, der es braucht.'],
    tags: { traffic: ['linkinbio'], awareness: ['fürdich', 'shorts'], conversion: ['angebot'] },
  },
  pt: {
    about: ['{s}: o truque que ninguém mostra', '{s}, do jeito certo', 'Para tudo: {s}', '{s} em {n} segundos', '{s}: veja isso primeiro', 'Experimente {s} assim', '{s}, fácil', 'O segredo de {s}', '{s}: salve este', 'Tudo sobre {s} em {n} segundos', '{s} como um profissional'],
    plain: ['Espera até o fim', 'Você precisa ver isso', 'Ninguém fala disso', 'Assista até o fim', 'Pequena mudança, grande diferença', 'Isso nos surpreendeu', 'Salve para depois', 'Teste hoje'],
    closers: ['Salve para depois.', 'O que te surpreendeu?', 'Conta pra gente se testar.', 'Mande para quem precisa.'],
    tags: { traffic: ['linknabio'], awareness: ['paravoce', 'shorts'], conversion: ['promo'] },
  },
  ru: {
    about: ['{s}: трюк, который никто не показывает', '{s} — как надо', 'Стоп: {s}', '{s} за {n} секунд', '{s}: сначала посмотри это', 'Попробуй {s} так', '{s} — просто', 'Секрет: {s}'],
    plain: ['Досмотри до конца', 'Ты должен это увидеть', 'Об этом никто не говорит', 'Маленькая деталь, большая разница', 'Сохрани на потом'],
    closers: ['Сохрани на потом.', 'Что тебя удивило?', 'Напиши, если попробуешь.'],
    tags: { traffic: ['ссылкавпрофиле'], awareness: ['рекомендации', 'shorts'], conversion: ['скидка'] },
  },
  ar: {
    about: ['{s}: الحيلة التي لا يعرضها أحد', '{s} بالطريقة الصحيحة', 'توقف: {s}', '{s} في {n} ثانية', '{s}: شاهد هذا أولًا', 'جرّب {s} هكذا', 'سر {s}'],
    plain: ['انتظر النهاية', 'لازم تشوف هذا', 'لا أحد يتحدث عن هذا', 'تغيير صغير وفرق كبير', 'احفظه لوقت لاحق'],
    closers: ['احفظه لوقت لاحق.', 'ما الذي فاجأك؟', 'أخبرنا إن جربته.'],
    tags: { traffic: ['الرابط_في_البايو'], awareness: ['اكسبلور', 'shorts'], conversion: ['عرض'] },
  },
  he: {
    about: ['{s}: הטריק שאף אחד לא מראה', '{s}, כמו שצריך', 'עצרו: {s}', '{s} ב־{n} שניות', '{s}: קודם תראו את זה', 'נסו {s} ככה', 'הסוד של {s}'],
    plain: ['חכו לסוף', 'חייבים לראות את זה', 'אף אחד לא מדבר על זה', 'שינוי קטן, הבדל גדול', 'שמרו לאחר כך'],
    closers: ['שמרו לאחר כך.', 'מה הפתיע אתכם?', 'ספרו לנו אם ניסיתם.'],
    tags: { traffic: ['קישורבביו'], awareness: ['בשבילך', 'shorts'], conversion: ['מבצע'] },
  },
  ja: {
    about: ['{s}の誰も教えないコツ', '正しい{s}', 'ちょっと待って：{s}', '{n}秒でわかる{s}', '{s}：まずこれを見て', '{s}をこう試して', '{s}の秘密'],
    plain: ['最後まで見て', 'これは見るべき', '誰も話さないこと', '小さな違い、大きな差', '保存してあとで見てね'],
    closers: ['保存してあとで見てね。', '何に驚きましたか？', '試したら教えてね。'],
    tags: { traffic: ['プロフィールリンク'], awareness: ['おすすめ', 'shorts'], conversion: ['セール'] },
  },
  zh: {
    about: ['{s}：没人教你的窍门', '正确的{s}', '先别划走：{s}', '{n}秒看懂{s}', '{s}：先看这个', '这样试试{s}', '{s}的秘密'],
    plain: ['看到最后', '你一定要看这个', '没人告诉你的事', '小改变，大不同', '先收藏再看'],
    closers: ['先收藏再看。', '哪里让你惊讶？', '试过告诉我们。'],
    tags: { traffic: ['链接在简介'], awareness: ['推荐', 'shorts'], conversion: ['优惠'] },
  },
  ko: {
    about: ['{s}: 아무도 안 알려주는 팁', '제대로 하는 {s}', '잠깐만요: {s}', '{n}초 만에 보는 {s}', '{s}: 이것부터 보세요', '{s} 이렇게 해보세요', '{s}의 비밀'],
    plain: ['끝까지 보세요', '이건 꼭 봐야 해요', '아무도 말하지 않는 것', '작은 차이, 큰 변화', '저장해 두세요'],
    closers: ['저장해 두세요.', '무엇이 놀라웠나요?', '해보면 알려주세요.'],
    tags: { traffic: ['프로필링크'], awareness: ['추천', 'shorts'], conversion: ['할인'] },
  },
}

/** A 32-bit FNV-1a hash: a stable, well-spread choice among templates. */
function hash(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

function pick<T>(items: readonly T[], seed: string): T {
  return items[hash(seed) % items.length]
}

/** Whether a phrase reads like a hashtag: at most three words, at most 24 characters joined. */
export function tagLike(text: string): boolean {
  const words = text.trim().split(/\s+/).filter(Boolean)
  return words.length > 0 && words.length <= 3 && (toHashtag(text)?.length ?? 99) <= 25
}

/** Turns free text into a hashtag: letters and digits of any script, no spaces or punctuation. */
export function toHashtag(text: string): string | null {
  const tag = text.normalize('NFC').replace(/[^\p{L}\p{N}_]+/gu, '')
  return tag.length >= 2 ? `#${tag.toLowerCase()}` : null
}

// Names cameras, phones and editors give files, and words that say nothing about the content.
const CAMERA_NAME = /^(img|vid|mov|mvi|dsc|dscn|dcim|pxl|gopr|gp|dji|mah|clip|video|movie|screen ?recording|screenshot|snapchat|whatsapp|signal|trim|rec|capture)[\s_-]*\d/i
const NOISE_WORD = /^(final|finale?s?|v\d+|ver\d*|version|copy|copie|edit|edited|export|exported|render|rendered|draft|new|old|test|tmp|temp|untitled|sans titre|output|out|raw|master|cut|take\d*|\d+p|4k|hd|uhd|hdr|mp4|mov)$/i
const GENERIC_WORD = /^(landscape|portrait|square|vertical|horizontal|video|vidéo|clip|movie|film|file|fichier|footage|media|image|photo|picture|sample|demo|example|short|reel|tiktok|story)$/i

/**
 * The title a file name gives, only when it reads like one: at least two words of letters,
 * none of them a camera's name, a version or a word that says nothing (`landscape`,
 * `IMG_1234`, `final_v2` give none). An empty string otherwise: the creator names the clip.
 */
export function titleFromFilename(filename: string): string {
  const base = (filename.split(/[\\/]/).pop() ?? filename).trim()
  const dot = base.lastIndexOf('.')
  const stem = (dot > 0 ? base.slice(0, dot) : base).normalize('NFC')
  if (CAMERA_NAME.test(stem)) return ''
  const words = stem
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .split(/[\s_.\-–—+]+/u)
    .filter(Boolean)
  const isWord = (w: string | undefined) => w !== undefined && /\p{L}{2,}/u.test(w) && !NOISE_WORD.test(w) && !GENERIC_WORD.test(w) && !/^\d/.test(w)
  const meaningful = words.filter(isWord)
  // Dates, numbers and noise words make a name that is not a title.
  if (meaningful.length < 2 || meaningful.length < words.length * 0.6) return ''
  // A small count beside a word stays ("Crispy onions in 10 minutes", "3 tricks…"): the title
  // says it; long numbers, leading zeros (takes, frame counters) and dates go.
  const kept = words.filter((w, i) => isWord(w) || (/^[1-9]\d{0,2}$/.test(w) && (isWord(words[i - 1]) || isWord(words[i + 1]))))
  const title = kept.join(' ').slice(0, 120)
  return title.charAt(0).toLocaleUpperCase() + title.slice(1)
}

/** A stored title worth speaking about (older rows kept the file name; those are ignored). */
export function usableTitle(title: string): string {
  const t = title.trim()
  if (!t) return ''
  if (CAMERA_NAME.test(t)) return ''
  const words = t.split(/[\s_.\-]+/).filter(Boolean)
  if (words.length === 1 && (GENERIC_WORD.test(words[0]) || NOISE_WORD.test(words[0]))) return ''
  if (words.every((w) => NOISE_WORD.test(w) || GENERIC_WORD.test(w) || /^\d+$/.test(w))) return ''
  return t
}

/** The first sentence of a project description, short enough for a caption line. */
function firstSentence(text: string | null | undefined): string {
  const t = (text ?? '').replace(/\s+/g, ' ').trim()
  if (!t) return ''
  const end = t.search(/[.!?。！？](\s|$)/u)
  const s = end >= 0 ? t.slice(0, end + 1) : t
  return s.length > 140 ? '' : /[.!?。！？]$/u.test(s) ? s : `${s}.`
}

/** Seconds of a video the hook is on screen (as the render timeline gives it). */
function hookSeconds(durationSec: number): number {
  return Math.min(3, Math.max(1.2, durationSec * 0.3))
}

/** How many words a hook may have to be read in its seconds (about 3 words a second, at least 3). */
export function maxHookWords(durationSec: number): number {
  return Math.max(3, Math.min(9, Math.round(hookSeconds(durationSec) * 3)))
}

const wordCount = (s: string) => (/[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]/.test(s) && !s.includes(' ') ? Math.ceil([...s].length / 3) : s.split(/\s+/).filter(Boolean).length)
const normalize = (s: string) => s.normalize('NFC').toLocaleLowerCase().replace(/[\s\p{P}]+/gu, ' ').trim()

/**
 * The hook: among the templates filled with the clip's subjects, one the project has not used in
 * its last posts and short enough for the clip, chosen by the seed. When every candidate was used,
 * the one used longest ago.
 */
export function chooseHook(pack: LanguagePack, subjects: readonly string[], input: Pick<CaptionInput, 'durationSec' | 'recentHooks' | 'seed'>, fallbackSubjects: readonly string[] = []): string {
  // Whole seconds, rounded down: a hook never promises more video than there is.
  const seconds = Math.max(1, Math.floor(input.durationSec ?? 30))
  const fill = (list: readonly string[]) => list.flatMap((s) => pack.about.map((t) => t.replaceAll('{s}', s).replaceAll('{n}', String(seconds))))
  const about = fill(subjects)
  const limit = maxHookWords(input.durationSec ?? 30)
  const bySeed = (list: string[]) => [...new Set(list)].filter((c) => wordCount(c) <= limit).sort((a, b) => hash(`${input.seed}:${a}`) - hash(`${input.seed}:${b}`))
  // Hooks about the clip first (its title and topic), then about the project (a clip the library
  // says nothing of), then the plain ones, each time when the ones before are used up or too long.
  let pool = [...bySeed(about), ...bySeed(fill(fallbackSubjects)), ...bySeed(pack.plain)]
  if (!pool.length) pool = [...about, ...pack.plain].sort((a, b) => wordCount(a) - wordCount(b)).slice(0, 3)
  const recent = (input.recentHooks ?? []).slice(0, RECENT_HOOKS).map(normalize)
  const fresh = pool.find((c) => !recent.includes(normalize(c)))
  if (fresh) return fresh
  // Every candidate was used lately: the one whose last use is oldest.
  return pool.reduce((best, c) => (recent.indexOf(normalize(c)) > recent.indexOf(normalize(best)) ? c : best), pool[0])
}

/** The built-in, template-based writer (no AI provider needed). */
export class TemplateCaptionWriter implements CaptionWriter {
  async write(input: CaptionInput): Promise<CaptionOutput> {
    const language = PACKS[input.language] ? input.language : PACKS[input.language.split('-')[0]] ? input.language.split('-')[0] : 'en'
    const pack = PACKS[language]
    const title = usableTitle(input.title)
    const topic = (input.topic ?? '').trim()
    // What the video is about, best first: the clip's title, its topic, then the project.
    // The project's name comes last: its hooks are used once the clip's own are used up or too long.
    const projectSubject = input.projectName.trim() || firstSentence(input.projectDescription).replace(/[.!?。！？]$/u, '')
    const subjects = [...new Set([title, topic, projectSubject].filter(Boolean))]
    const clipSubjects = [title, topic].filter(Boolean)
    const hook = chooseHook(pack, clipSubjects, input, subjects.filter((s) => !clipSubjects.includes(s)))
    // The same call to action the render draws when the post has none of its own.
    const cta = callToAction(input.objective, language)
    const lead = title && topic && normalize(title) !== normalize(topic) ? `${title}: ${topic}.` : subjects[0] && subjects[0] !== projectSubject ? `${subjects[0]}.` : ''
    const body = [lead, firstSentence(input.projectDescription), pick(pack.closers, `${input.seed}:closer`)].filter(Boolean).join(' ')
    const caption = input.style === 'corporate' ? `${body}\n\n${cta}.` : `${body} ${cta} 👇`
    // The creator's tags as they are; the topic and the project's name only when they read like a
    // tag (a sentence of a topic is no hashtag: #aquicktricktofryonionswithoutburningthem).
    const candidates = [...input.tags, ...[topic, input.projectName].filter(tagLike), ...pack.tags[input.objective]]
    const hashtags = [...new Set(candidates.map(toHashtag).filter((t): t is string => t !== null))].slice(0, 8)
    return { hook, caption, hashtags, callToAction: cta, language, provider: 'builtin' }
  }
}
