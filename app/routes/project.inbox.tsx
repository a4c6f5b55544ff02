/**
 * /projects/:id/inbox — comments on the project's published posts, newest first, each with a
 * suggested reply to edit and send (nothing is ever sent without this click), dismiss, and a
 * warning when the suggestion holds a link or contact detail you did not write. TikTok's API does
 * not give comments; the page says so, and says when an account must reconnect.
 */
import { useEffect } from 'react'
import { Form, useNavigation, useRevalidator } from 'react-router'
import { RouteError } from '../components/route-error'
import { Badge, Button, Card, inputClass, Notice, PageHeader } from '../components/ui'
import { formatDay, formatWhen } from '../lib/when'
import { useLocale } from './app-layout'
import { useProject } from './project'
import { inboxAction, loadInbox, type InboxComment, type InboxRefresh, type InboxResult } from './project.inbox.server'
import type { Route } from './+types/project.inbox'

export const meta: Route.MetaFunction = () => [{ title: 'Inbox · Reelpilot' }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  return loadInbox(context, request, params.id)
}

export async function action({ context, request, params }: Route.ActionArgs) {
  return inboxAction(context, request, params.id)
}

const NAMES = { youtube: 'YouTube', tiktok: 'TikTok', instagram: 'Instagram' } as const
const STATE_TONE = { new: 'violet', replied: 'emerald', dismissed: 'slate' } as const
const FLAG_WORDS: Record<string, string> = { link: 'a link', email: 'an e-mail address', phone: 'a phone number', handle: 'an account handle' }

export default function ProjectInbox({ loaderData, actionData }: Route.ComponentProps) {
  const { workspace } = useProject()
  const canEdit = workspace.role !== 'viewer'
  const navigation = useNavigation()
  const asking = navigation.state !== 'idle' && navigation.formData?.get('intent') === 'refresh'
  const running = loaderData.refresh?.status === 'queued' || loaderData.refresh?.status === 'running'
  const refreshing = asking || running
  const revalidator = useRevalidator()
  // The refresh runs off the request (a queue message): the page reads its state until it ends.
  useEffect(() => {
    if (!running) return
    const timer = setInterval(() => {
      if (revalidator.state === 'idle') void revalidator.revalidate()
    }, 1500)
    return () => clearInterval(timer)
  }, [running, revalidator])
  const result = actionData as InboxResult | undefined
  const notes = loaderData.platforms.filter((p) => p.status !== 'ok')
  return (
    <div className="min-w-0 space-y-6">
      <PageHeader
        title="Inbox"
        description="Comments on your published posts, with a suggested reply for each. Replies go out only when you press Send."
        actions={
          canEdit && (
            <Form method="post">
              <Button type="submit" name="intent" value="refresh" disabled={refreshing} aria-busy={refreshing || undefined}>
                {refreshing ? 'Checking for new comments…' : 'Check for new comments'}
              </Button>
            </Form>
          )
        }
      />
      {result && !result.target && !result.ok && <Notice tone="error">{result.message}</Notice>}
      <RefreshState refresh={loaderData.refresh} comments={loaderData.comments.filter((c) => c.state === 'new').length} />
      {notes.length > 0 && (
        <ul className="space-y-2" aria-label="Platforms">
          {notes.map((p) => (
            <li key={p.platform} className="rounded-lg border border-slate-800 bg-slate-900/60 p-3 text-sm text-slate-300">
              <span className="font-medium">{NAMES[p.platform]}:</span> {p.message}
            </li>
          ))}
        </ul>
      )}
      {loaderData.comments.length === 0 ? (
        <Card>
          <p className="text-sm text-slate-400">No comments yet. Press “Check for new comments” after your posts are out.</p>
        </Card>
      ) : (
        <ul className="space-y-4" aria-label="Comments">
          {loaderData.comments.map((c) => (
            <CommentCard key={c.id} comment={c} canEdit={canEdit} result={result?.target === c.id ? result : undefined} />
          ))}
        </ul>
      )}
    </div>
  )
}

function CommentCard({ comment: c, canEdit, result }: { comment: InboxComment; canEdit: boolean; result?: InboxResult }) {
  const locale = useLocale()
  const navigation = useNavigation()
  const busy = navigation.state !== 'idle' && navigation.formData?.get('commentId') === c.id
  return (
    <li className="min-w-0 rounded-xl border border-slate-800 bg-slate-900/60 p-4" data-testid="comment">
      <div className="flex flex-wrap items-center gap-2 text-xs text-slate-400">
        <Badge tone={STATE_TONE[c.state]}>{c.state}</Badge>
        <span>{NAMES[c.platform]}</span>
        <span className="break-all">{c.author}</span>
        <span>{formatDay(c.publishedAt, locale)}</span>
        {c.postTitle && <span className="min-w-0 truncate">on “{c.postTitle}”</span>}
      </div>
      {/* Someone else's words: shown as text, never as markup. */}
      <p className="mt-2 text-sm break-words whitespace-pre-wrap text-slate-100">{c.text}</p>
      {c.state === 'replied' ? (
        <p className="mt-3 rounded-lg bg-emerald-500/10 p-2 text-sm break-words text-emerald-200">You replied: {c.replyText}</p>
      ) : (
        <Form method="post" className="mt-3 space-y-2">
          <input type="hidden" name="commentId" value={c.id} />
          <label className="block text-xs text-slate-400" htmlFor={`reply-${c.id}`}>
            Suggested reply {c.suggestedBy ? (c.suggestedBy === 'builtin' ? '(built-in templates)' : `(written by ${c.suggestedBy === 'openai' ? 'an OpenAI-compatible model' : 'Workers AI'})`) : '(yours)'}
          </label>
          <textarea id={`reply-${c.id}`} name="text" rows={3} maxLength={2000} defaultValue={c.suggestedReply ?? ''} className={`${inputClass} border-slate-700`} disabled={!canEdit} />
          {c.flags.length > 0 && (
            <p className="text-sm text-amber-300" role="alert">
              Check before sending: this suggestion contains {c.flags.map((f) => `${FLAG_WORDS[f.kind] ?? f.kind} (${f.value})`).join(', ')} that you did not write.
            </p>
          )}
          {result && <Notice tone={result.ok ? 'success' : 'error'}>{result.message}</Notice>}
          {canEdit && (
            <div className="flex flex-wrap gap-2">
              <Button type="submit" name="intent" value="send" disabled={busy} aria-busy={busy || undefined}>
                {busy && navigation.formData?.get('intent') === 'send' ? 'Sending…' : 'Send reply'}
              </Button>
              <Button type="submit" name="intent" value="save" variant="secondary" disabled={busy}>
                Save
              </Button>
              {c.state === 'dismissed' ? (
                <Button type="submit" name="intent" value="restore" variant="secondary" disabled={busy}>
                  Bring back
                </Button>
              ) : (
                <Button type="submit" name="intent" value="dismiss" variant="secondary" disabled={busy}>
                  Dismiss
                </Button>
              )}
            </div>
          )}
        </Form>
      )}
    </li>
  )
}

/** A moment in UTC (the inbox knows no project zone), in the reader's locale. */
const formatTime = (iso: string, locale: string) => `${formatWhen(iso, 'UTC', locale)} UTC`

/** Where the last refresh is: reading (with when it was asked), when it last ended and what it found, or why it failed. */
function RefreshState({ refresh, comments }: { refresh: InboxRefresh | null; comments: number }) {
  const locale = useLocale()
  if (!refresh) return null
  if (refresh.status === 'queued' || refresh.status === 'running') {
    return (
      <div role="status" data-testid="refresh-state" data-status={refresh.status} className="rounded-lg border border-violet-800/60 bg-violet-950/40 p-3 text-sm text-violet-200">
        <p>{refresh.status === 'queued' ? 'Waiting to read your comments…' : 'Reading comments from your platforms and drafting replies…'}</p>
        <div className="mt-2 h-1.5 overflow-hidden rounded bg-violet-900/60" aria-hidden="true">
          <div className="h-full w-1/3 animate-pulse rounded bg-violet-400" />
        </div>
        {refresh.error && <p className="mt-1 text-amber-300">Trying again: {refresh.error}</p>}
      </div>
    )
  }
  if (refresh.status === 'failed') {
    return (
      <div role="alert" data-testid="refresh-state" data-status="failed">
        <Notice tone="error">The last check failed{refresh.finishedAt ? ` (${formatTime(refresh.finishedAt, locale)})` : ''}: {refresh.error ?? 'no reason was given'}. Press “Check for new comments” to try again.</Notice>
      </div>
    )
  }
  return (
    <p role="status" data-testid="refresh-state" data-status="done" className="text-sm text-slate-400">
      Last checked {refresh.finishedAt ? formatTime(refresh.finishedAt, locale) : ''}: {refresh.newComments} new {refresh.newComments === 1 ? 'comment' : 'comments'}, {comments} to answer.
    </p>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteError error={error} />
}
