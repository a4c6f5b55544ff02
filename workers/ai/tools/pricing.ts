/**
 * Pricing optimizer: a sponsorship rate card per platform and format from the project's measured
 * analytics (median views and engagement rate of its published posts), with the CPM ranges as
 * editable assumptions and every figure's arithmetic written out. The numbers are computed here,
 * never by a model; the provider only writes the short summary. Too little data: it says what it
 * needs, per platform.
 */
import { z } from 'zod'
import type { Platform } from '../../domain/post-state'
import { builtinLanguage, languageName, type AiTask } from '../task'
import { PLATFORMS } from '../../domain/post-state'

/** Published posts with views a platform needs before its rate is estimated. */
export const MIN_POSTS = 3

export const CpmRangeSchema = z
  .object({ low: z.number().positive().max(1000), high: z.number().positive().max(1000) })
  .refine((r) => r.low <= r.high, { path: ['high'], message: 'must be at least low' })

/** Sponsorship CPM ranges (per 1,000 views, in the chosen currency) for short vertical videos; the creator may change them. */
export const DEFAULT_CPM: Record<Platform, { low: number; high: number }> = {
  youtube: { low: 10, high: 25 },
  tiktok: { low: 5, high: 15 },
  instagram: { low: 8, high: 20 },
}

export const FORMATS = [
  { id: 'dedicated', label: 'Dedicated video', factor: 1 },
  { id: 'integration', label: 'Mention inside a video', factor: 0.5 },
  { id: 'series_of_3', label: 'Series of 3 videos', factor: 2.5 },
] as const

export interface Medians {
  posts: number
  views: number
  engagementRate: number | null
}

export interface RateCardInput {
  medians: Partial<Record<Platform, Medians>>
  cpm: Record<Platform, { low: number; high: number }>
  currency: string
  /** The engagement rate a platform's CPM assumes; a better rate raises the price (×0.75 to ×1.5). */
  benchmarkEngagementRate: number
}

export const RateCardSchema = z
  .object({
    currency: z.string(),
    status: z.enum(['ready', 'partial', 'insufficient_data']),
    platforms: z.array(
      z.object({
        platform: z.enum(PLATFORMS),
        posts: z.number(),
        medianViews: z.number().nullable(),
        engagementRate: z.number().nullable(),
        cpm: z.object({ low: z.number(), high: z.number() }),
        engagementMultiplier: z.number().nullable(),
        rates: z.array(z.object({ format: z.string(), label: z.string(), low: z.number(), high: z.number(), arithmetic: z.string() })),
        needs: z.string().nullable().describe('What is missing before this platform can be priced'),
      }),
    ),
    assumptions: z.array(z.string()),
  })
  .meta({ id: 'RateCard', description: 'Sponsorship rates per platform and format, with the arithmetic' })
export type RateCard = z.output<typeof RateCardSchema>

const NAMES: Record<Platform, string> = { youtube: 'YouTube', tiktok: 'TikTok', instagram: 'Instagram' }
const round = (n: number) => Math.round(n)
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 })

/** The rate card: pure arithmetic over the medians and the assumptions. */
export function rateCard(input: RateCardInput): RateCard {
  const platforms = PLATFORMS.map((platform) => {
    const m = input.medians[platform]
    const cpm = input.cpm[platform]
    const posts = m?.posts ?? 0
    if (!m || posts < MIN_POSTS) {
      return {
        platform,
        posts,
        medianViews: m?.views ?? null,
        engagementRate: m?.engagementRate ?? null,
        cpm,
        engagementMultiplier: null,
        rates: [],
        needs: `${MIN_POSTS} published ${NAMES[platform]} posts with measured views (has ${posts})`,
      }
    }
    const multiplier = m.engagementRate === null ? 1 : Math.min(1.5, Math.max(0.75, m.engagementRate / input.benchmarkEngagementRate))
    const er = m.engagementRate === null ? 'no engagement measured: ×1' : `engagement ${fmt(m.engagementRate * 100)} % vs ${fmt(input.benchmarkEngagementRate * 100)} % benchmark: ×${fmt(multiplier)}`
    const rates = FORMATS.map((f) => {
      const base = (m.views / 1000) * multiplier * f.factor
      const low = round(base * cpm.low)
      const high = round(base * cpm.high)
      return {
        format: f.id,
        label: f.label,
        low,
        high,
        arithmetic: `${fmt(m.views)} median views ÷ 1,000 × ${fmt(cpm.low)}–${fmt(cpm.high)} ${input.currency} CPM × ${fmt(multiplier)} (${er})${f.factor !== 1 ? ` × ${f.factor} (${f.label.toLowerCase()})` : ''} = ${fmt(low)}–${fmt(high)} ${input.currency}`,
      }
    })
    return { platform, posts, medianViews: m.views, engagementRate: m.engagementRate, cpm, engagementMultiplier: multiplier, rates, needs: null }
  })
  const ready = platforms.filter((p) => p.needs === null).length
  return {
    currency: input.currency,
    status: ready === 0 ? 'insufficient_data' : ready === platforms.length ? 'ready' : 'partial',
    platforms,
    assumptions: [
      `CPM ranges per 1,000 views (${input.currency}): ${platforms.map((p) => `${NAMES[p.platform]} ${fmt(p.cpm.low)}–${fmt(p.cpm.high)}`).join(', ')}; change them with \`cpm\`.`,
      `Engagement benchmark ${fmt(input.benchmarkEngagementRate * 100)} %: the rate is multiplied by engagement ÷ benchmark, kept between ×0.75 and ×1.5.`,
      `Views and engagement are the medians of the project's published posts (their newest measurements); a platform needs ${MIN_POSTS} posts.`,
      `Formats: ${FORMATS.map((f) => `${f.label} ×${f.factor}`).join(', ')}.`,
    ],
  }
}

export const PricingNotesSchema = z.object({ summary: z.string().min(1).max(800) })
type PricingNotes = z.output<typeof PricingNotesSchema>

const SUMMARY: Record<ReturnType<typeof builtinLanguage>, { ready: (p: string) => string; none: (n: string) => string }> = {
  en: { ready: (p) => `Rates estimated for ${p} from your measured results. Quote within the range, higher when the brand wants usage rights or exclusivity.`, none: (n) => `Not enough data to price yet: ${n}.` },
  fr: { ready: (p) => `Tarifs estimés pour ${p} à partir de vos résultats mesurés. Proposez dans la fourchette, plus haut si la marque veut des droits d’usage ou l’exclusivité.`, none: (n) => `Pas encore assez de données pour un tarif : ${n}.` },
  es: { ready: (p) => `Tarifas estimadas para ${p} a partir de tus resultados medidos. Cotiza dentro del rango, más alto si la marca quiere derechos de uso o exclusividad.`, none: (n) => `Aún no hay datos suficientes para una tarifa: ${n}.` },
  de: { ready: (p) => `Preise für ${p} aus deinen gemessenen Ergebnissen geschätzt. Biete innerhalb der Spanne an, höher, wenn die Marke Nutzungsrechte oder Exklusivität will.`, none: (n) => `Noch nicht genug Daten für einen Preis: ${n}.` },
}

export const pricingNotesTask: AiTask<{ card: RateCard; language: string }, PricingNotes> = {
  name: 'pricing_notes',
  output: PricingNotesSchema,
  maxTokens: 400,
  instructions: (input) =>
    `You advise a video creator on sponsorship pricing. In ${languageName(input.language)}, in at most 3 sentences, summarise the given rate card (computed from their analytics) and how to use it in a negotiation. Do not invent numbers that are not in the card.`,
  data: (input) => input.card,
  builtin(input) {
    const lang = builtinLanguage(input.language)
    const ready = input.card.platforms.filter((p) => p.needs === null).map((p) => NAMES[p.platform])
    if (ready.length === 0) return { summary: SUMMARY[lang].none(input.card.platforms.map((p) => p.needs).join('; ')) }
    return { summary: SUMMARY[lang].ready(ready.join(', ')) }
  },
}
