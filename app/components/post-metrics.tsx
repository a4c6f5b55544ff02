/**
 * One post's own numbers in its panel on the content page: the newest values per platform and
 * a chart of views at each pull, or when the first numbers will come.
 */
import { formatNumber, METRIC_LABELS, PLATFORM_COLOURS, type PostMetrics } from '../lib/analytics'
import { formatDateTime } from '../lib/zoned-time'
import { useLocale } from '../routes/app-layout'
import { TimeSeriesChart } from './metric-charts'

const NAMES = { youtube: 'YouTube', tiktok: 'TikTok', instagram: 'Instagram' } as const
const SHOWN = ['views', 'likes', 'comments', 'shares', 'saves', 'watch_time_minutes'] as const

export function PostMetricsSection({ metrics, timeZone }: { metrics: PostMetrics; timeZone: string }) {
  const locale = useLocale()
  const platforms = metrics.platforms
  if (platforms.length === 0) return null
  const pulled = platforms.filter((p) => p.series.length > 0)
  const next = platforms.map((p) => p.nextPullAt).filter((t): t is string => !!t).sort()[0]
  // One row per pull time, one column per platform: views so far.
  const times = [...new Set(pulled.flatMap((p) => p.series.map((s) => s.pulledAt)))].sort()
  const data = times.map((t) => ({
    label: formatDateTime(t, timeZone, locale),
    ...Object.fromEntries(pulled.map((p) => [p.platform, p.series.find((s) => s.pulledAt === t)?.metrics.views ?? null])),
  }))
  return (
    <section aria-label="Results" data-testid="post-metrics">
      <h4 className="mb-2 text-sm font-medium text-slate-200">Results</h4>
      {pulled.length === 0 ? (
        <p className="text-sm text-slate-400">{next ? `First numbers: ${formatDateTime(next, timeZone, locale)}.` : 'No numbers yet.'}</p>
      ) : (
        <div className="space-y-3">
          <ul className="space-y-1 text-sm">
            {pulled.map((p) => (
              <li key={p.platform} data-platform={p.platform} data-views={p.latest.views}>
                <span className="font-medium" style={{ color: PLATFORM_COLOURS[p.platform] }}>
                  {NAMES[p.platform]}
                </span>{' '}
                <span className="text-slate-300">
                  {SHOWN.filter((m) => p.latest[m] !== undefined)
                    .map((m) => `${formatNumber(p.latest[m])} ${METRIC_LABELS[m].toLowerCase()}`)
                    .join(' · ')}
                </span>
                {p.note && <span className="block text-xs text-amber-300">{p.note}</span>}
              </li>
            ))}
          </ul>
          {data.length > 1 && <TimeSeriesChart label="Views of this post over time" height={180} data={data} lines={pulled.map((p) => ({ key: p.platform, name: NAMES[p.platform], colour: PLATFORM_COLOURS[p.platform] }))} />}
          {next && <p className="text-xs text-slate-400">Next numbers: {formatDateTime(next, timeZone, locale)}.</p>}
        </div>
      )}
    </section>
  )
}
