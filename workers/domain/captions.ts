/**
 * Captions, hashtags, hook and call to action for a post, in the project's language, style and
 * objective. `CaptionWriter` is the seam the AI assistant fills later; the built-in writer uses
 * templates per language and picks among them deterministically, so re-planning a post gives
 * the same text.
 */

import type { Objective, StyleName } from '../../containers/render/recipe/vocabulary'

export interface CaptionInput {
  language: string
  style: StyleName
  objective: Objective
  /** The clip's title (its label in the library) and tags. */
  title: string
  tags: readonly string[]
  projectName: string
  /** Anything stable per post (the slot), so choices vary between posts but not between runs. */
  seed: string
}

export interface CaptionOutput {
  hook: string
  caption: string
  hashtags: string[]
  callToAction: string
  /** The language actually used (a language without templates falls back to English). */
  language: string
}

export interface CaptionWriter {
  write(input: CaptionInput): Promise<CaptionOutput>
}

interface LanguagePack {
  hooks: string[]
  captions: string[]
  cta: Record<Objective, string>
  tags: Record<Objective, string[]>
}

// `{title}` and `{project}` are filled in; keep each hook short enough for the first seconds.
const PACKS: Record<string, LanguagePack> = {
  en: {
    hooks: ['Wait for it…', 'You need to see this', 'Nobody talks about this', '{title} in 30 seconds', 'Watch till the end'],
    captions: ['{title} — made by {project}.', 'Here is {title}. Which part surprised you?', '{title}. Save this for later.'],
    cta: { traffic: 'Link in bio', awareness: 'Follow for more', conversion: 'Shop now — link in bio' },
    tags: { traffic: ['linkinbio'], awareness: ['fyp', 'shorts'], conversion: ['shopnow', 'deal'] },
  },
  fr: {
    hooks: ['Attends la fin…', 'Tu dois voir ça', 'Personne n’en parle', '{title} en 30 secondes'],
    captions: ['{title} — par {project}.', 'Voici {title}. Qu’est-ce qui t’a surpris ?', '{title}. Enregistre pour plus tard.'],
    cta: { traffic: 'Lien en bio', awareness: 'Abonne-toi pour la suite', conversion: 'Achète maintenant — lien en bio' },
    tags: { traffic: ['lienenbio'], awareness: ['pourtoi', 'shorts'], conversion: ['bonplan'] },
  },
  es: {
    hooks: ['Espera al final…', 'Tienes que ver esto', 'Nadie habla de esto', '{title} en 30 segundos'],
    captions: ['{title} — de {project}.', 'Esto es {title}. ¿Qué te sorprendió?', '{title}. Guárdalo para después.'],
    cta: { traffic: 'Enlace en la bio', awareness: 'Síguenos para más', conversion: 'Compra ahora — enlace en la bio' },
    tags: { traffic: ['enlaceenbio'], awareness: ['parati', 'shorts'], conversion: ['oferta'] },
  },
  de: {
    hooks: ['Warte bis zum Ende…', 'Das musst du sehen', 'Darüber spricht keiner', '{title} in 30 Sekunden'],
    captions: ['{title} — von {project}.', 'Das ist {title}. Was hat dich überrascht?', '{title}. Speichern für später.'],
    cta: { traffic: 'Link in der Bio', awareness: 'Folge für mehr', conversion: 'Jetzt kaufen — Link in der Bio' },
    tags: { traffic: ['linkinbio'], awareness: ['fürdich', 'shorts'], conversion: ['angebot'] },
  },
  pt: {
    hooks: ['Espera até o fim…', 'Você precisa ver isso', 'Ninguém fala disso', '{title} em 30 segundos'],
    captions: ['{title} — por {project}.', 'Este é {title}. O que te surpreendeu?', '{title}. Salve para depois.'],
    cta: { traffic: 'Link na bio', awareness: 'Siga para mais', conversion: 'Compre agora — link na bio' },
    tags: { traffic: ['linknabio'], awareness: ['paravoce', 'shorts'], conversion: ['promo'] },
  },
  ru: {
    hooks: ['Досмотри до конца…', 'Ты должен это увидеть', 'Об этом никто не говорит', '{title} за 30 секунд'],
    captions: ['{title} — от {project}.', 'Это {title}. Что тебя удивило?', '{title}. Сохрани на потом.'],
    cta: { traffic: 'Ссылка в профиле', awareness: 'Подпишись, чтобы не пропустить', conversion: 'Купить — ссылка в профиле' },
    tags: { traffic: ['ссылкавпрофиле'], awareness: ['рекомендации', 'shorts'], conversion: ['скидка'] },
  },
  ar: {
    hooks: ['انتظر النهاية…', 'لازم تشوف هذا', 'لا أحد يتحدث عن هذا', '{title} في ٣٠ ثانية'],
    captions: ['{title} — من {project}.', 'هذا {title}. ما الذي فاجأك؟', '{title}. احفظه لوقت لاحق.'],
    cta: { traffic: 'الرابط في البايو', awareness: 'تابعنا للمزيد', conversion: 'اشترِ الآن — الرابط في البايو' },
    tags: { traffic: ['الرابط_في_البايو'], awareness: ['اكسبلور', 'shorts'], conversion: ['عرض'] },
  },
  he: {
    hooks: ['חכו לסוף…', 'חייבים לראות את זה', 'אף אחד לא מדבר על זה', '{title} ב־30 שניות'],
    captions: ['{title} — מאת {project}.', 'זה {title}. מה הפתיע אתכם?', '{title}. שמרו לאחר כך.'],
    cta: { traffic: 'קישור בביו', awareness: 'עקבו לעוד', conversion: 'קנו עכשיו — קישור בביו' },
    tags: { traffic: ['קישורבביו'], awareness: ['בשבילך', 'shorts'], conversion: ['מבצע'] },
  },
  ja: {
    hooks: ['最後まで見て…', 'これは見るべき', '誰も話さないこと', '30秒でわかる{title}'],
    captions: ['{title} — {project}より。', '{title}です。何に驚きましたか？', '{title}。保存してあとで見てね。'],
    cta: { traffic: 'リンクはプロフィールから', awareness: 'フォローしてね', conversion: '今すぐ購入 — リンクはプロフィール' },
    tags: { traffic: ['プロフィールリンク'], awareness: ['おすすめ', 'shorts'], conversion: ['セール'] },
  },
  zh: {
    hooks: ['看到最后…', '你一定要看这个', '没人告诉你的事', '30秒看懂{title}'],
    captions: ['{title} — 来自{project}。', '这是{title}。哪里让你惊讶？', '{title}。先收藏再看。'],
    cta: { traffic: '链接在简介', awareness: '关注看更多', conversion: '立即购买 — 链接在简介' },
    tags: { traffic: ['链接在简介'], awareness: ['推荐', 'shorts'], conversion: ['优惠'] },
  },
  ko: {
    hooks: ['끝까지 보세요…', '이건 꼭 봐야 해요', '아무도 말하지 않는 것', '30초 만에 보는 {title}'],
    captions: ['{title} — {project} 제작.', '{title}입니다. 무엇이 놀라웠나요?', '{title}. 저장해 두세요.'],
    cta: { traffic: '링크는 프로필에', awareness: '팔로우하고 더 보기', conversion: '지금 구매 — 프로필 링크' },
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

function fill(template: string, input: CaptionInput): string {
  return template.replaceAll('{title}', input.title).replaceAll('{project}', input.projectName)
}

/** Turns free text into a hashtag: letters and digits of any script, no spaces or punctuation. */
export function toHashtag(text: string): string | null {
  const tag = text.normalize('NFC').replace(/[^\p{L}\p{N}_]+/gu, '')
  return tag.length >= 2 ? `#${tag.toLowerCase()}` : null
}

/** The built-in, template-based writer (no AI provider needed). */
export class TemplateCaptionWriter implements CaptionWriter {
  async write(input: CaptionInput): Promise<CaptionOutput> {
    const language = PACKS[input.language] ? input.language : 'en'
    const pack = PACKS[language]
    const hook = fill(pick(pack.hooks, `${input.seed}:hook`), input)
    const callToAction = pack.cta[input.objective]
    const body = fill(pick(pack.captions, `${input.seed}:caption`), input)
    const caption = input.style === 'corporate' ? `${body}\n\n${callToAction}.` : `${body} ${callToAction} 👇`
    const candidates = [...input.tags, input.projectName, ...pack.tags[input.objective]]
    const hashtags = [...new Set(candidates.map(toHashtag).filter((t): t is string => t !== null))].slice(0, 8)
    return { hook, caption, hashtags, callToAction, language }
  }
}
