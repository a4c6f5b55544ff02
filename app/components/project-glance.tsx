/**
 * A project at a glance (#16), from GET /api/projects/:id/summary: the setup guide while a step
 * is left (connect, upload, set the autopilot), then the next post, posts awaiting approval, the
 * last published, what needs attention and this week's results. Times in the project's zone, in
 * the reader's locale.
 */
import type { z } from '@hono/zod-openapi'
import { Link } from 'react-router'
import type { ProjectSummarySchema } from '../../workers/api/project-summary'
import { formatNumber, METRIC_LABELS } from '../lib/analytics'
import { PLATFORM_LABEL, POST_STATUS_LABEL, POST_STATUS_TONE } from '../lib/posts'
import { formatDay, formatWhen } from '../lib/when'
import { useLocale } from '../routes/app-layout'
import { Badge, buttonClass, Card } from './ui'

export type ProjectSummary = z.infer<typeof ProjectSummarySchema>
type GlancePost = NonNullable<ProjectSummary['nextPost']>

const STEPS = [
  { key: 'connect', title: 'Connect an account', done: (s: ProjectSummary['setup']) => s.connections > 0, path: 'connections', action: 'Connect YouTube, TikTok or Instagram', why: 'Posts go only to the accounts you connect.' },
  { key: 'upload', title: 'Upload clips', done: (s: ProjectSummary['setup']) => s.readyClips > 0, path: 'library', action: 'Upload a clip', why: 'Your videos are the raw material of every post.' },
  { key: 'autopilot', title: 'Set the autopilot', done: (s: ProjectSummary['setup']) => s.autopilot === 'on', path: 'autopilot', action: 'Set the autopilot', why: 'When and how often to post; it plans and renders the posts for you.' },
] as const

/** The three setup steps, the next one with its button. Shown until all are done. */
export function NextStepGuide({ summary, base }: { summary: ProjectSummary; base: string }) {
  const { setup } = summary
  if (!setup.nextStep) return null
  const doneCount = STEPS.filter((s) => s.done(setup)).length
  return (
    <section aria-labelledby="next-step-title" data-testid="next-step" data-step={setup.nextStep} className="rounded-2xl border border-violet-500/40 bg-violet-500/10 p-5">
      <h2 id="next-step-title" className="text-base font-semibold text-white">
        Next step: {STEPS.find((s) => s.key === setup.nextStep)!.title.toLowerCase()}
      </h2>
      <p className="mt-1 text-sm text-slate-300">
        {doneCount} of 3 done. Three steps and Reelpilot posts for you.
      </p>
      <ol className="mt-4 grid gap-3 sm:grid-cols-3">
        {STEPS.map((step, i) => {
          const done = step.done(setup)
          const current = step.key === setup.nextStep
          return (
            <li key={step.key} className={`rounded-xl border p-4 ${current ? 'border-violet-400 bg-slate-950/60' : 'border-slate-800 bg-slate-950/30'}`} aria-current={current ? 'step' : undefined}>
              <p className="text-sm font-medium text-white">
                <span aria-hidden="true" className={`mr-2 inline-flex h-6 w-6 items-center justify-center rounded-full text-xs ${done ? 'bg-emerald-500 text-slate-950' : 'bg-slate-800 text-slate-200'}`}>
                  {done ? '✓' : i + 1}
                </span>
                {step.title}
                <span className="sr-only">{done ? ' (done)' : current ? ' (next)' : ' (to do)'}</span>
              </p>
              <p className="mt-2 text-xs text-slate-400">{step.why}</p>
              {current && (
                <Link to={`${base}/${step.path}`} className={`${buttonClass('primary', 'sm')} mt-3`}>
                  {step.action}
                </Link>
              )}
              {done && step.key === 'autopilot' ? null : done && <p className="mt-2 text-xs text-emerald-300">{step.key === 'connect' ? `${setup.connections} connected` : `${setup.readyClips} ready`}</p>}
            </li>
          )
        })}
      </ol>
    </section>
  )
}

function PostLine({ post, timeZone, base, locale }: { post: GlancePost; timeZone: string; base: string; locale: string }) {
  return (
    <Link to={`${base}/content?post=${post.id}`} className="flex min-w-0 items-center gap-3 rounded-xl border border-slate-800 bg-slate-950/40 p-3 transition hover:border-violet-500/50">
      {post.thumbnailUrl ? <img src={post.thumbnailUrl} alt="" className="h-14 w-8 shrink-0 rounded object-cover" /> : <span aria-hidden="true" className="h-14 w-8 shrink-0 rounded bg-slate-800" />}
      <span className="min-w-0">
        <span className="block truncate text-sm font-medium text-white">{post.label}</span>
        <span className="block text-xs text-slate-400">
          {formatWhen(post.scheduledAt, timeZone, locale)}
          {post.targets.length > 0 && ` · ${post.targets.map((t) => PLATFORM_LABEL[t.platform]).join(', ')}`}
        </span>
      </span>
      <span className="ml-auto shrink-0">
        <Badge tone={POST_STATUS_TONE[post.status]}>{POST_STATUS_LABEL[post.status]}</Badge>
      </span>
    </Link>
  )
}

/** The project's day: what comes next, what waits for the creator, what came out, this week. */
export function ProjectGlance({ summary, base }: { summary: ProjectSummary; base: string }) {
  const locale = useLocale()
  const zone = summary.timezone
  const { nextPost, awaitingApproval, lastPublished, attention, week } = summary
  const shownTotals = week.totals.filter((t) => ['views', 'likes', 'comments', 'shares'].includes(t.metric))
  return (
    <div className="grid grid-cols-1 gap-4 sm:grid-cols-2" data-testid="project-glance">
      <Card title="Next post">
        <div data-testid="glance-next">
          {nextPost ? (
            <PostLine post={nextPost} timeZone={zone} base={base} locale={locale} />
          ) : summary.nextSlot ? (
            <p className="text-sm text-slate-300">Nothing planned yet; the autopilot’s next slot is {formatWhen(summary.nextSlot, zone, locale)}.</p>
          ) : (
            <p className="text-sm text-slate-400">
              Nothing planned. <Link to={`${base}/content`} className="text-violet-300 underline hover:text-violet-200">Schedule a post</Link>
              {summary.setup.autopilot !== 'on' && (
                <>
                  {' '}or <Link to={`${base}/autopilot`} className="text-violet-300 underline hover:text-violet-200">turn on the autopilot</Link>
                </>
              )}
              .
            </p>
          )}
        </div>
      </Card>
      <Card title="Awaiting your approval" actions={<span data-testid="glance-awaiting-count" className="text-2xl font-semibold text-white">{awaitingApproval.count}</span>}>
        {awaitingApproval.count === 0 ? (
          <p className="text-sm text-slate-400">Nothing waits for you.</p>
        ) : (
          <div className="space-y-2">
            {awaitingApproval.posts.map((p) => (
              <PostLine key={p.id} post={p} timeZone={zone} base={base} locale={locale} />
            ))}
            {awaitingApproval.count > awaitingApproval.posts.length && (
              <Link to={`${base}/content?status=awaiting_approval`} className="text-sm text-violet-300 hover:text-violet-200">
                All {awaitingApproval.count} awaiting approval
              </Link>
            )}
          </div>
        )}
      </Card>
      <Card title="Last published">
        <div data-testid="glance-last">
          {lastPublished ? (
            <div className="space-y-2">
              <PostLine post={lastPublished} timeZone={zone} base={base} locale={locale} />
              <p className="flex flex-wrap gap-3 text-sm">
                {lastPublished.targets
                  .filter((t) => t.remoteUrl)
                  .map((t) => (
                    <a key={t.platform} href={t.remoteUrl!} target="_blank" rel="noreferrer" className="text-violet-300 underline hover:text-violet-200">
                      Watch on {PLATFORM_LABEL[t.platform]}
                    </a>
                  ))}
              </p>
            </div>
          ) : (
            <p className="text-sm text-slate-400">Nothing published yet.</p>
          )}
        </div>
      </Card>
      <Card title="Needs attention">
        <div data-testid="glance-attention" className="space-y-2 text-sm">
          {attention.connections.length === 0 && attention.failedPosts === 0 && <p className="text-slate-400">All good: every connection works and no post failed this week.</p>}
          {attention.connections.map((k) => (
            <p key={k.platform} className="text-amber-200">
              {PLATFORM_LABEL[k.platform]} {k.status === 'needs_reconnect' ? 'needs to be connected again' : 'is disconnected'}
              {k.reason ? `: ${k.reason}` : ''}.{' '}
              <Link to={`${base}/connections`} className="text-violet-300 underline hover:text-violet-200">
                Reconnect {PLATFORM_LABEL[k.platform]}
              </Link>
            </p>
          ))}
          {attention.failedPosts > 0 && (
            <p className="text-rose-300">
              {attention.failedPosts} post{attention.failedPosts === 1 ? '' : 's'} failed in the last 7 days.{' '}
              <Link to={`${base}/content?status=failed`} className="text-violet-300 underline hover:text-violet-200">
                See {attention.failedPosts === 1 ? 'it' : 'them'}
              </Link>
            </p>
          )}
        </div>
      </Card>
      <Card title="This week" description={`${formatDay(week.from, locale)} to ${formatDay(week.to, locale)}, against the 7 days before`} className="sm:col-span-2">
        <div data-testid="glance-week">
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-5">
            <div className="rounded-xl bg-slate-950/40 p-3">
              <dt className="text-xs text-slate-400">Published</dt>
              <dd className="text-xl font-semibold text-white" data-testid="glance-published">{week.published}</dd>
            </div>
            {shownTotals.map((t) => (
              <div key={t.metric} className="rounded-xl bg-slate-950/40 p-3">
                <dt className="text-xs text-slate-400">{METRIC_LABELS[t.metric]}</dt>
                <dd className="text-xl font-semibold text-white">
                  {formatNumber(t.value)}
                  {t.change !== null && (
                    <span className={`ml-2 text-xs font-normal ${t.change >= 0 ? 'text-emerald-300' : 'text-rose-300'}`}>
                      {t.change >= 0 ? '+' : '−'}
                      {Math.abs(Math.round(t.change * 100))}%
                    </span>
                  )}
                </dd>
              </div>
            ))}
          </dl>
          <p className="mt-3 text-sm text-slate-400">
            {week.best ? (
              <>
                Best this week: <span className="text-slate-200">{week.best.title}</span>, {formatNumber(week.best.views)} views.{' '}
              </>
            ) : (
              'No numbers this week yet. '
            )}
            <Link to={`${base}/analytics`} className="text-violet-300 underline hover:text-violet-200">
              All results
            </Link>
          </p>
        </div>
      </Card>
    </div>
  )
}
