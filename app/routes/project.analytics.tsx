/**
 * /projects/:id/analytics — what the posts earned: totals with their change against the period
 * before, views over time, a per-platform breakdown, the best and worst posts, and breakdowns by
 * style, posting window and weekday. Days are the project's time zone.
 */
import { useState } from 'react'
import { Link, useNavigation } from 'react-router'
import { CategoryBarChart, TimeSeriesChart } from '../components/metric-charts'
import { RouteError } from '../components/route-error'
import { Card, PageHeader } from '../components/ui'
import { formatNumber, formatPercent, METRIC_LABELS, PLATFORM_COLOURS, RANGES, type Dashboard, type RankedPost } from '../lib/analytics'
import { PLATFORM_NAMES } from '../../containers/render/recipe/vocabulary'
import { WEEKDAYS } from '../../workers/domain/autopilot-config'
import { formatDateTime, weekdayName } from '../lib/zoned-time'
import { useLocale } from './app-layout'
import { loadAnalytics } from './project.analytics.server'
import type { Route } from './+types/project.analytics'

export const meta: Route.MetaFunction = () => [{ title: 'Analytics · Reelpilot' }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  return loadAnalytics(context, request, params.id)
}

const CHART_METRICS = ['views', 'likes', 'comments', 'shares', 'saves', 'watch_time_minutes'] as const
/** "3 Dec", "Dec 3", "3 déc.": a day of the range (YYYY-MM-DD), in the reader's locale. */
const shortDay = (day: string, locale: string) => new Intl.DateTimeFormat(locale, { timeZone: 'UTC', day: 'numeric', month: 'short' }).format(new Date(`${day}T12:00:00Z`))

export default function ProjectAnalytics({ loaderData, params }: Route.ComponentProps) {
  const locale = useLocale()
  const { days, platform, byDay, byPlatform, byStyle, byWindow, byWeekday } = loaderData
  const navigation = useNavigation()
  const [metric, setMetric] = useState<(typeof CHART_METRICS)[number]>('views')
  const hasData = byDay.totals.length > 0
  const link = (changes: { days?: number; platform?: string }) => {
    const q = new URLSearchParams()
    q.set('days', String(changes.days ?? days))
    const p = changes.platform ?? platform
    if (p) q.set('platform', p)
    return `?${q}`
  }
  const chartMetrics = CHART_METRICS.filter((m) => byDay.series.some((p) => p.metrics[m] !== undefined))

  return (
    <div className="space-y-6" data-loading={navigation.state !== 'idle' || undefined}>
      <PageHeader
        title="Analytics"
        description={`What your posts earned, ${shortDay(byDay.from, locale)} – ${shortDay(byDay.to, locale)}, in ${byDay.timezone} time, compared with the ${days} days before.`}
      />

      <nav aria-label="Range and platform" className="flex flex-wrap gap-2 text-sm">
        {RANGES.map((d) => (
          <Link key={d} to={link({ days: d })} aria-current={d === days ? 'page' : undefined} className={chip(d === days)}>
            {d} days
          </Link>
        ))}
        <span className="mx-1 hidden w-px bg-slate-700 sm:block" />
        <Link to={link({ platform: '' })} className={chip(!platform)} aria-current={!platform ? 'page' : undefined}>
          All platforms
        </Link>
        {(Object.keys(PLATFORM_NAMES) as (keyof typeof PLATFORM_NAMES)[]).map((p) => (
          <Link key={p} to={link({ platform: p })} className={chip(platform === p)} aria-current={platform === p ? 'page' : undefined}>
            {PLATFORM_NAMES[p]}
          </Link>
        ))}
      </nav>

      {!hasData ? (
        <EmptyState dashboard={byDay} projectId={params.id} />
      ) : (
        <>
          <section aria-label="Totals" className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
            {byDay.totals.map((t) => (
              <div key={t.metric} className="rounded-xl border border-slate-800 bg-slate-900/60 p-3" data-total={t.metric} data-value={t.value}>
                <p className="text-xs text-slate-400">{METRIC_LABELS[t.metric]}</p>
                <p className="text-xl font-semibold text-white">{formatNumber(t.value)}</p>
                <Change change={t.change} previous={t.previous} />
              </div>
            ))}
          </section>

          <Card
            title="Over time"
            description="Earned each day (a gap is a day without a pull)."
            actions={
              <label className="text-sm text-slate-300">
                <span className="sr-only">Metric</span>
                <select value={metric} onChange={(e) => setMetric(e.target.value as typeof metric)} className="rounded-md border border-slate-700 bg-slate-900 px-2 py-1 text-sm">
                  {chartMetrics.map((m) => (
                    <option key={m} value={m}>
                      {METRIC_LABELS[m]}
                    </option>
                  ))}
                </select>
              </label>
            }
          >
            <TimeSeriesChart
              label={`${METRIC_LABELS[metric]} per day`}
              data={byDay.series.map((p) => ({ label: shortDay(p.key, locale), [metric]: p.metrics[metric] ?? null }))}
              lines={[{ key: metric, name: METRIC_LABELS[metric], colour: '#a78bfa' }]}
            />
          </Card>

          <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
            <Card title="By platform" description="Views earned in the period.">
              <PlatformBreakdown dashboard={byPlatform} />
            </Card>
            <Card title="By style" description="Views earned, by the post's style.">
              <CategoryBarChart label="Views by style" data={byStyle.series.map((p) => ({ label: p.label, value: p.metrics.views ?? 0 }))} />
            </Card>
            <Card title="By posting window" description={`Views earned, by the hour a post went out (${byDay.timezone}).`}>
              <CategoryBarChart label="Views by posting hour" colour="#22d3ee" data={byWindow.series.map((p) => ({ label: p.label.slice(0, 5), value: p.metrics.views ?? 0 }))} />
            </Card>
            <Card title="By weekday" description="Views earned, by the weekday a post went out.">
              <CategoryBarChart label="Views by weekday" colour="#34d399" data={byWeekday.series.map((p) => ({ label: WEEKDAYS.includes(p.label as never) ? weekdayName(WEEKDAYS.indexOf(p.label as never) + 1, locale) : p.label, value: p.metrics.views ?? 0 }))} />
            </Card>
          </div>

          <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
            <Card title="Best posts" description="Posts of the period with the most views so far.">
              <PostList posts={byDay.top} timeZone={byDay.timezone} projectId={params.id} testId="top-posts" />
            </Card>
            <Card title="Weakest posts" description="The fewest views so far.">
              {byDay.bottom.length ? <PostList posts={byDay.bottom} timeZone={byDay.timezone} projectId={params.id} testId="bottom-posts" /> : <p className="text-sm text-slate-400">Not enough posts yet to show the weakest apart from the best.</p>}
            </Card>
          </div>
        </>
      )}
    </div>
  )
}

const chip = (on: boolean) => `rounded-full border px-3 py-1 ${on ? 'border-violet-500 bg-violet-500/20 text-white' : 'border-slate-700 text-slate-300 hover:border-slate-500'}`

function Change({ change, previous }: { change: number | null; previous: number | null }) {
  if (change === null) return <p className="text-xs text-slate-400">{previous === null ? 'nothing before to compare' : '—'}</p>
  const up = change >= 0
  return (
    <p className={`text-xs ${up ? 'text-emerald-400' : 'text-rose-400'}`} data-change={change}>
      {up ? '▲' : '▼'} {formatPercent(Math.abs(change))} <span className="text-slate-400">vs before</span>
    </p>
  )
}

function PlatformBreakdown({ dashboard }: { dashboard: Dashboard }) {
  const total = dashboard.series.reduce((n, p) => n + (p.metrics.views ?? 0), 0)
  return (
    <div className="space-y-3">
      <CategoryBarChart label="Views by platform" data={dashboard.series.map((p) => ({ label: PLATFORM_NAMES[p.key as keyof typeof PLATFORM_NAMES] ?? p.key, value: p.metrics.views ?? 0 }))} />
      <ul className="space-y-1 text-sm">
        {dashboard.series.map((p) => (
          <li key={p.key} className="flex items-center justify-between gap-2" data-platform={p.key}>
            <span className="flex items-center gap-2">
              <span className="inline-block size-2.5 rounded-full" style={{ background: PLATFORM_COLOURS[p.key as keyof typeof PLATFORM_COLOURS] }} />
              {PLATFORM_NAMES[p.key as keyof typeof PLATFORM_NAMES] ?? p.key}
            </span>
            <span className="text-slate-300">
              {formatNumber(p.metrics.views ?? 0)} views{total ? ` · ${formatPercent((p.metrics.views ?? 0) / total)}` : ''}
              {p.metrics.likes !== undefined && ` · ${formatNumber(p.metrics.likes)} likes`}
            </span>
          </li>
        ))}
      </ul>
    </div>
  )
}

function PostList({ posts, timeZone, projectId, testId }: { posts: RankedPost[]; timeZone: string; projectId: string; testId: string }) {
  const locale = useLocale()
  return (
    <ol className="space-y-2" data-testid={testId}>
      {posts.map((p) => (
        <li key={p.postId}>
          <Link to={`/projects/${projectId}/content?view=list&post=${p.postId}`} className="flex items-center gap-3 rounded-lg p-1 hover:bg-slate-800/60">
            {p.thumbnailUrl ? (
              <img src={p.thumbnailUrl} alt="" className="aspect-video w-20 shrink-0 rounded object-cover" loading="lazy" />
            ) : (
              <span className="aspect-video w-20 shrink-0 rounded bg-slate-800" />
            )}
            <span className="min-w-0 flex-1">
              <span className="block truncate text-sm text-white">{p.title}</span>
              <span className="block text-xs text-slate-400">
                {formatDateTime(p.scheduledAt, timeZone, locale)} · {p.style} · {p.platforms.map((x) => PLATFORM_NAMES[x]).join(', ')}
              </span>
            </span>
            <span className="shrink-0 text-right text-sm">
              <span className="block font-medium text-white">{formatNumber(p.views)}</span>
              <span className="block text-xs text-slate-400">{p.engagementRate === null ? '' : `${formatPercent(p.engagementRate)} engaged`}</span>
            </span>
          </Link>
        </li>
      ))}
    </ol>
  )
}

function EmptyState({ dashboard, projectId }: { dashboard: Dashboard; projectId: string }) {
  const { trackedTargets, nextPullAt } = dashboard.collection
  const locale = useLocale()
  return (
    <Card>
      <div className="space-y-2 py-6 text-center" data-testid="analytics-empty">
        <p className="text-base font-medium text-white">No numbers in this period yet</p>
        {trackedTargets > 0 && nextPullAt ? (
          <p className="text-sm text-slate-300">
            We follow {trackedTargets} publication{trackedTargets === 1 ? '' : 's'}; next numbers: {formatDateTime(nextPullAt, dashboard.timezone, locale)} ({dashboard.timezone}).
          </p>
        ) : (
          <p className="text-sm text-slate-300">
            The first numbers come about an hour after a post is published, then at 6 hours, a day, 3 days, a week, 4 weeks and weekly to 90 days.
          </p>
        )}
        <p className="text-sm">
          <Link to={`/projects/${projectId}/content`} className="text-violet-300 underline">
            See your posts
          </Link>
        </p>
      </div>
    </Card>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteError error={error} />
}
