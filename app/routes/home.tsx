/** The landing page: what Reelpilot does, and the way in. */
import { Link } from 'react-router'
import { buttonClass, Logo } from '../components/ui'
import { PageError } from '../components/route-error'
import { callApi } from '../lib/api.server'
import { hasSessionCookie } from '../lib/session.server'
import type { Me } from '../lib/types'
import type { Route } from './+types/home'

export const meta: Route.MetaFunction = () => [
  { title: 'Reelpilot · Short-form video on autopilot' },
  {
    name: 'description',
    content: 'Reelpilot picks clips from your library, writes captions and hashtags, renders vertical videos in your style and publishes them to YouTube, TikTok and Instagram in your time windows.',
  },
]

export async function loader({ context, request }: Route.LoaderArgs) {
  if (!hasSessionCookie(request)) return { signedIn: false }
  // A stale cookie is not an error here: the landing page is public.
  const me = await callApi<Me>(context, request, '/me').catch(() => undefined)
  return { signedIn: Boolean(me?.ok) }
}

const steps = [
  {
    title: 'Picks the clips',
    text: 'Upload raw footage to a project’s library once. Reelpilot chooses what to post next so your feed stays varied and on-message.',
    icon: 'M4 6h16M4 12h10M4 18h6',
  },
  {
    title: 'Writes captions and hashtags',
    text: 'Hooks, captions and hashtags in your language, tuned to your objective — reach, engagement or clicks.',
    icon: 'M5 7h14M5 12h14M5 17h8',
  },
  {
    title: 'Renders vertical video',
    text: '9:16 renders in your style: crops, captions burned in, loudness evened out. Native FFmpeg, preview in the browser.',
    icon: 'M8 4h8a2 2 0 012 2v12a2 2 0 01-2 2H8a2 2 0 01-2-2V6a2 2 0 012-2z',
  },
  {
    title: 'Publishes on schedule',
    text: 'To YouTube Shorts, TikTok and Instagram Reels at your cadence, only inside the time windows you choose.',
    icon: 'M12 6v6l4 2M12 21a9 9 0 110-18 9 9 0 010 18z',
  },
]

const platforms = [
  { name: 'YouTube Shorts', color: 'from-rose-500 to-red-600' },
  { name: 'TikTok', color: 'from-cyan-400 to-pink-500' },
  { name: 'Instagram Reels', color: 'from-amber-400 via-pink-500 to-violet-600' },
]

export default function Home({ loaderData }: Route.ComponentProps) {
  const cta = loaderData.signedIn ? { to: '/dashboard', label: 'Open your dashboard' } : { to: '/sign-in', label: 'Sign in to get started' }
  return (
    <div className="min-h-screen overflow-hidden bg-[radial-gradient(ellipse_at_top,rgba(139,92,246,0.22),transparent_55%)]">
      <header className="mx-auto flex h-16 max-w-6xl items-center justify-between px-4 sm:px-6">
        <Logo className="text-lg" />
        <nav className="flex items-center gap-2">
          <a href="/api/docs" className={buttonClass('ghost')}>
            API
          </a>
          <Link to={cta.to} className={buttonClass('secondary')}>
            {loaderData.signedIn ? 'Dashboard' : 'Sign in'}
          </Link>
        </nav>
      </header>

      <main>
        <section className="mx-auto grid max-w-6xl items-center gap-12 px-4 pb-20 pt-12 sm:px-6 lg:grid-cols-[1.1fr_0.9fr] lg:pt-20">
          <div>
            <p className="inline-flex items-center gap-2 rounded-full border border-violet-500/30 bg-violet-500/10 px-3 py-1 text-xs font-medium text-violet-200">
              Autopilot for short-form video
            </p>
            <h1 className="mt-5 text-4xl font-bold tracking-tight text-white sm:text-5xl lg:text-6xl">
              Your clips in, <span className="bg-gradient-to-r from-violet-300 to-pink-300 bg-clip-text text-transparent">daily Shorts, TikToks and Reels</span> out.
            </h1>
            <p className="mt-6 max-w-xl text-lg text-slate-300">
              Reelpilot picks clips from your library, writes the captions and hashtags, renders vertical videos in your style, and publishes them to
              YouTube, TikTok and Instagram in the time windows you choose.
            </p>
            <div className="mt-8 flex flex-wrap items-center gap-3">
              <Link to={cta.to} className={`${buttonClass('primary')} px-5 py-2.5 text-base`}>
                {cta.label}
              </Link>
              <a href="/api/docs" className={`${buttonClass('secondary')} px-5 py-2.5 text-base`}>
                Read the API
              </a>
            </div>
            <ul className="mt-10 flex flex-wrap gap-2" aria-label="Publishes to">
              {platforms.map((p) => (
                <li key={p.name} className="flex items-center gap-2 rounded-full border border-slate-800 bg-slate-900/70 px-3 py-1.5 text-sm text-slate-300">
                  <span className={`h-2.5 w-2.5 rounded-full bg-gradient-to-br ${p.color}`} aria-hidden="true" />
                  {p.name}
                </li>
              ))}
            </ul>
          </div>

          <PhoneStack />
        </section>

        <section className="border-t border-slate-800/80 bg-slate-950/60">
          <div className="mx-auto max-w-6xl px-4 py-20 sm:px-6">
            <h2 className="text-2xl font-semibold tracking-tight text-white sm:text-3xl">Set it up once. It keeps posting.</h2>
            <p className="mt-3 max-w-2xl text-slate-400">
              Give a project a cadence, a style, an objective and the hours you like. Every post goes through the same steps, and each step is safe to
              retry, so nothing is posted twice.
            </p>
            <ol className="mt-10 grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
              {steps.map((step, i) => (
                <li key={step.title} className="rounded-2xl border border-slate-800 bg-slate-900/60 p-5">
                  <div className="flex items-center gap-3">
                    <span className="flex h-9 w-9 items-center justify-center rounded-xl bg-violet-500/15 text-violet-200 ring-1 ring-violet-500/30">
                      <svg viewBox="0 0 24 24" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
                        <path d={step.icon} />
                      </svg>
                    </span>
                    <span className="text-xs font-semibold text-slate-400">Step {i + 1}</span>
                  </div>
                  <h3 className="mt-4 font-semibold text-white">{step.title}</h3>
                  <p className="mt-2 text-sm leading-relaxed text-slate-400">{step.text}</p>
                </li>
              ))}
            </ol>
          </div>
        </section>

        <section className="mx-auto grid max-w-6xl gap-6 px-4 py-20 sm:px-6 md:grid-cols-3">
          <Feature title="Workspaces and roles">Invite your team as owners, admins, editors or viewers. Every project lives in a workspace.</Feature>
          <Feature title="Your time windows">Posts go out only inside the hours you pick, in your time zone, at the cadence you set.</Feature>
          <Feature title="A REST API">Everything the app does, integrators can do with an API key. OpenAPI 3.1, with interactive docs.</Feature>
        </section>

        <section className="mx-auto max-w-6xl px-4 pb-24 sm:px-6">
          <div className="flex flex-col items-start justify-between gap-6 rounded-3xl border border-violet-500/30 bg-gradient-to-br from-violet-600/30 via-fuchsia-600/10 to-transparent p-8 sm:flex-row sm:items-center sm:p-10">
            <div>
              <h2 className="text-2xl font-semibold text-white">Put your channel on autopilot.</h2>
              <p className="mt-2 text-slate-300">Create a workspace, add a project, and connect your accounts.</p>
            </div>
            <Link to={cta.to} className={`${buttonClass('primary')} px-5 py-2.5 text-base`}>
              {cta.label}
            </Link>
          </div>
        </section>
      </main>

      <footer className="border-t border-slate-800/80">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-4 px-4 py-6 text-sm text-slate-400 sm:px-6">
          <Logo className="text-sm text-slate-400" />
          <span>Runs on Cloudflare Workers.</span>
        </div>
      </footer>
    </div>
  )
}

function Feature({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <div>
      <h3 className="font-semibold text-white">{title}</h3>
      <p className="mt-2 text-sm leading-relaxed text-slate-400">{children}</p>
    </div>
  )
}

/** An illustration of three vertical videos in three styles (drawn, not real posts). */
function PhoneStack() {
  const frames = [
    { rotate: '-rotate-6', offset: 'translate-y-6', gradient: 'from-sky-500/60 via-indigo-600/50 to-slate-900', caption: 'Three edits that saved my week', tag: '#workflow' },
    { rotate: 'rotate-0', offset: '-translate-y-2', gradient: 'from-violet-500/70 via-fuchsia-600/50 to-slate-900', caption: 'The 20-second setup nobody shows you', tag: '#behindthescenes' },
    { rotate: 'rotate-6', offset: 'translate-y-8', gradient: 'from-amber-400/60 via-rose-500/50 to-slate-900', caption: 'Before vs after, one take', tag: '#beforeandafter' },
  ]
  return (
    <div className="relative mx-auto flex h-[26rem] w-full max-w-md items-center justify-center" aria-hidden="true">
      <div className="absolute inset-10 rounded-full bg-violet-600/20 blur-3xl" />
      {frames.map((f, i) => (
        <div
          key={f.caption}
          className={`relative -mx-4 aspect-[9/16] w-36 shrink-0 overflow-hidden rounded-[1.4rem] border border-white/10 bg-gradient-to-b shadow-2xl shadow-black/60 sm:w-44 ${f.gradient} ${f.rotate} ${f.offset}`}
          style={{ zIndex: i === 1 ? 2 : 1 }}
        >
          <div className="absolute left-3 top-3 h-1 w-10 rounded-full bg-white/40" />
          <div className="absolute inset-x-3 bottom-4 space-y-1.5">
            <p className="rounded-md bg-black/50 px-2 py-1 text-[0.7rem] font-semibold leading-snug text-white">{f.caption}</p>
            <p className="text-[0.65rem] font-medium text-white/80">{f.tag}</p>
          </div>
          <div className="absolute left-1/2 top-1/2 flex h-10 w-10 -translate-x-1/2 -translate-y-1/2 items-center justify-center rounded-full bg-white/20 backdrop-blur">
            <svg viewBox="0 0 24 24" className="ml-0.5 h-4 w-4 fill-white">
              <path d="M8 5v14l11-7z" />
            </svg>
          </div>
        </div>
      ))}
    </div>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <PageError error={error} />
}
