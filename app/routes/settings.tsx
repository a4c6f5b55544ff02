/**
 * Workspace settings: its name and slug, its members and their roles, and API keys for
 * integrators; the audit log on its own tab (`?tab=audit`, admins). `?workspace=id` picks the
 * workspace (the first one by default).
 */
import { data, Form, Link, NavLink, redirect, useNavigation, useSearchParams } from 'react-router'
import type { z } from 'zod'
import type { AuditPageSchema } from '../../workers/api/audit'
import { AUDIT_ACTIONS } from '../../workers/domain/audit'
import { ROLES } from '../../workers/domain/roles'
import { CopyButton } from '../components/copy-button'
import { RouteError } from '../components/route-error'
import { Badge, Button, buttonClass, Card, FormNotice, Notice, PageHeader, SelectField, TextField } from '../components/ui'
import { callApi, loadApi } from '../lib/api.server'
import { formValues, problemResult, resultFor, type FormResult } from '../lib/forms'
import type { ApiKey, CreatedApiKey, List, Member, Role, Workspace } from '../lib/types'
import { formatDay } from '../lib/when'
import { useLocale, useSignedInUser } from './app-layout'
import { useActionResult } from '../lib/use-action-result'
import type { Route } from './+types/settings'

export const meta: Route.MetaFunction = () => [{ title: 'Settings · Reelpilot' }]

const ROLE_HELP: Record<Role, string> = {
  owner: 'everything, including deleting the workspace',
  admin: 'settings, members and API keys',
  editor: 'projects and their content',
  viewer: 'read only',
}

type AuditPage = z.infer<typeof AuditPageSchema>

/** The audit filters the page passes through to GET /workspaces/{id}/audit. */
const AUDIT_FILTERS = ['action', 'actor', 'from', 'to', 'cursor'] as const

export async function loader({ context, request }: Route.LoaderArgs) {
  const { data: workspaces } = await loadApi<List<Workspace>>(context, request, '/workspaces')
  const url = new URL(request.url)
  const wanted = url.searchParams.get('workspace')
  const workspace = workspaces.find((w) => w.id === wanted) ?? workspaces[0]
  if (!workspace) return { workspaces, workspace: undefined, notFound: Boolean(wanted) }
  if (wanted && wanted !== workspace.id) throw redirect(`/settings?workspace=${workspace.id}`)
  const base = `/workspaces/${encodeURIComponent(workspace.id)}`
  if (url.searchParams.get('tab') === 'audit') {
    const query = new URLSearchParams({ limit: '50' })
    for (const name of AUDIT_FILTERS) {
      let value = url.searchParams.get(name)
      // The date inputs give a day; the API takes a moment (the start of that day, UTC; `to` is exclusive: the next day).
      if (value && (name === 'from' || name === 'to') && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
        value = name === 'from' ? `${value}T00:00:00Z` : new Date(Date.parse(`${value}T00:00:00Z`) + 86_400_000).toISOString()
      }
      if (value) query.set(name, value)
    }
    const audit = await callApi<AuditPage>(context, request, `${base}/audit?${query}`)
    return {
      workspaces,
      workspace,
      notFound: false,
      tab: 'audit' as const,
      audit: audit.ok ? audit.data : undefined,
      auditError: audit.ok ? undefined : audit.problem.detail,
      filters: Object.fromEntries(AUDIT_FILTERS.map((n) => [n, url.searchParams.get(n) ?? ''])) as Record<(typeof AUDIT_FILTERS)[number], string>,
    }
  }
  const [members, keys] = await Promise.all([
    callApi<List<Member>>(context, request, `${base}/members`),
    callApi<List<ApiKey>>(context, request, `${base}/api-keys`),
  ])
  return {
    workspaces,
    workspace,
    notFound: false,
    tab: 'general' as const,
    members: members.ok ? members.data.data : [],
    membersError: members.ok ? undefined : members.problem.detail,
    apiKeys: keys.ok ? keys.data.data : [],
    apiKeysError: keys.ok ? undefined : keys.problem.detail,
  }
}

export async function action({ context, request }: Route.ActionArgs) {
  const form = await request.formData()
  const intent = String(form.get('intent'))
  const workspaceId = String(form.get('workspaceId') ?? '')
  const base = `/workspaces/${encodeURIComponent(workspaceId)}`
  const fail = (status: number, result: FormResult) => data(result, { status })

  switch (intent) {
    case 'rename': {
      const values = formValues(form, ['name', 'slug'])
      const res = await callApi<Workspace>(context, request, base, { method: 'PATCH', body: values })
      if (!res.ok) return fail(res.status, problemResult(intent, res.problem, values, { byStatus: { 409: 'slug' } }))
      return { intent, ok: true, message: 'Saved.' } satisfies FormResult
    }
    case 'invite': {
      const values = formValues(form, ['email', 'role'])
      const res = await callApi<Member>(context, request, `${base}/members`, { method: 'POST', body: values })
      if (!res.ok) return fail(res.status, problemResult(intent, res.problem, values, { byStatus: { 409: 'email' } }))
      return { intent, ok: true, message: `${res.data.email} was added as ${res.data.role}.`, target: res.data.userId } satisfies FormResult
    }
    case 'change-role': {
      const userId = String(form.get('userId') ?? '')
      const values = formValues(form, ['role'])
      const res = await callApi<Member>(context, request, `${base}/members/${encodeURIComponent(userId)}`, { method: 'PATCH', body: values })
      if (!res.ok) return fail(res.status, problemResult(intent, res.problem, {}, {}, userId))
      return { intent, ok: true, target: userId, message: `Now ${res.data.role}.` } satisfies FormResult
    }
    case 'remove-member': {
      const userId = String(form.get('userId') ?? '')
      const res = await callApi(context, request, `${base}/members/${encodeURIComponent(userId)}`, { method: 'DELETE' })
      if (!res.ok) return fail(res.status, problemResult(intent, res.problem, {}, {}, userId))
      // Leaving a workspace yourself: it is no longer yours to show.
      if (form.get('self') === '1') throw redirect('/settings')
      return { intent, ok: true, target: userId, message: 'Removed.' } satisfies FormResult
    }
    case 'create-key': {
      const values = formValues(form, ['name', 'role'])
      const res = await callApi<CreatedApiKey>(context, request, `${base}/api-keys`, { method: 'POST', body: values })
      if (!res.ok) return fail(res.status, problemResult(intent, res.problem, values))
      // The only time the secret is ever shown: it is not stored anywhere readable.
      return { intent, ok: true, target: res.data.id, message: res.data.secret, values: { name: res.data.name } } satisfies FormResult
    }
    case 'revoke-key': {
      const keyId = String(form.get('keyId') ?? '')
      const res = await callApi(context, request, `${base}/api-keys/${encodeURIComponent(keyId)}`, { method: 'DELETE' })
      if (!res.ok) return fail(res.status, problemResult(intent, res.problem, {}, {}, keyId))
      return { intent, ok: true, target: keyId, message: 'Revoked.' } satisfies FormResult
    }
    case 'delete-workspace': {
      const values = formValues(form, ['confirm', 'slug'])
      if (values.confirm !== values.slug) {
        return fail(400, { intent, ok: false, fieldErrors: { confirm: `Type ${values.slug} to confirm.` }, values })
      }
      const res = await callApi(context, request, base, { method: 'DELETE' })
      if (!res.ok) return fail(res.status, problemResult(intent, res.problem, {}))
      throw redirect('/settings')
    }
    default:
      return fail(400, { intent, ok: false, message: `Unknown action “${intent}”.` })
  }
}

function useSubmitting(intent: string, target?: string) {
  const navigation = useNavigation()
  const f = navigation.formData
  return navigation.state === 'submitting' && f?.get('intent') === intent && (target === undefined || f.get('userId') === target || f.get('keyId') === target)
}

export default function Settings({ loaderData, actionData }: Route.ComponentProps) {
  const result = useActionResult(actionData)
  const { workspaces, workspace } = loaderData
  if (!workspace) {
    return (
      <>
        <PageHeader eyebrow="Settings" title="Workspace settings" />
        <Card>
          <div className="py-8 text-center">
            <p className="text-lg font-medium text-white">You have no workspace yet</p>
            <p className="mt-2 text-sm text-slate-400">Create one on the dashboard; its settings will be here.</p>
            <Link to="/dashboard" className={`${buttonClass('primary')} mt-6`}>
              Go to the dashboard
            </Link>
          </div>
        </Card>
      </>
    )
  }
  const canManage = workspace.role === 'owner' || workspace.role === 'admin'
  return (
    <>
      <PageHeader
        eyebrow="Settings"
        title={workspace.name}
        description={`Workspace settings. Your role here: ${workspace.role ?? 'unknown'} (${ROLE_HELP[workspace.role ?? 'viewer']}).`}
        actions={
          workspaces.length > 1 && (
            <Form method="get" className="flex items-end gap-2">
              <SelectField label="Workspace" name="workspace" defaultValue={workspace.id} className="min-w-48">
                {workspaces.map((w) => (
                  <option key={w.id} value={w.id}>
                    {w.name}
                  </option>
                ))}
              </SelectField>
              <Button variant="secondary">Switch</Button>
            </Form>
          )
        }
      />
      <SettingsTabs workspace={workspace} canManage={canManage} />
      {loaderData.tab === 'audit' ? (
        <AuditCard workspace={workspace} page={loaderData.audit} error={loaderData.auditError} filters={loaderData.filters} />
      ) : (
      <div className="space-y-6">
        <RenameCard workspace={workspace} canManage={canManage} result={resultFor(result, 'rename')} />
        <MembersCard
          workspace={workspace}
          members={loaderData.members ?? []}
          error={loaderData.membersError}
          canManage={canManage}
          result={result}
        />
        <ApiKeysCard workspace={workspace} keys={loaderData.apiKeys ?? []} error={loaderData.apiKeysError} result={result} />
        {workspace.role === 'owner' && <DeleteWorkspaceCard workspace={workspace} result={resultFor(result, 'delete-workspace')} />}
      </div>
      )}
    </>
  )
}

const tabClass = ({ isActive }: { isActive: boolean }) =>
  `whitespace-nowrap border-b-2 px-1 pb-3 text-sm font-medium transition ${isActive ? 'border-violet-400 text-white' : 'border-transparent text-slate-400 hover:border-slate-600 hover:text-slate-200'}`

function SettingsTabs({ workspace, canManage }: { workspace: Workspace; canManage: boolean }) {
  const [search] = useSearchParams()
  const onAudit = search.get('tab') === 'audit'
  const base = `/settings?workspace=${encodeURIComponent(workspace.id)}`
  return (
    <nav aria-label="Settings sections" className="mb-6 flex gap-6 border-b border-slate-800">
      <NavLink to={base} end className={() => tabClass({ isActive: !onAudit })} aria-current={onAudit ? undefined : 'page'}>
        General
      </NavLink>
      {canManage && (
        <NavLink to={`${base}&tab=audit`} className={() => tabClass({ isActive: onAudit })} aria-current={onAudit ? 'page' : undefined}>
          Audit log
        </NavLink>
      )}
    </nav>
  )
}

const ACTION_LABELS: Record<(typeof AUDIT_ACTIONS)[number], string> = {
  'workspace.updated': 'Workspace renamed',
  'workspace.deleted': 'Workspace deleted',
  'member.invited': 'Member invited',
  'member.role_changed': 'Role changed',
  'member.removed': 'Member removed',
  'api_key.created': 'API key created',
  'api_key.revoked': 'API key revoked',
  'connection.started': 'Connection started',
  'connection.connected': 'Account connected',
  'connection.updated': 'Connection changed',
  'connection.disconnected': 'Account disconnected',
  'autopilot.updated': 'Autopilot saved',
  'autopilot.paused': 'Autopilot paused',
  'autopilot.resumed': 'Autopilot resumed',
  'post.approved': 'Post approved',
  'post.canceled': 'Post canceled',
  'post.retried': 'Post retried',
  'comment.replied': 'Comment answered',
  'comment.dismissed': 'Comment dismissed',
}

/** A short, human line for what an entry changed. */
function describe(entry: AuditPage['data'][number]): string {
  const d = (entry.details ?? {}) as Record<string, unknown>
  const parts: string[] = []
  if (typeof d.email === 'string') parts.push(d.email)
  if (d.from !== undefined && d.to !== undefined) parts.push(`${d.from} → ${d.to}`)
  else if (typeof d.role === 'string') parts.push(d.role)
  if (typeof d.name === 'string') parts.push(`“${d.name}”`)
  if (typeof d.platform === 'string') parts.push(d.platform)
  if (parts.length === 0) parts.push(entry.target.name ? `${entry.target.type} “${entry.target.name}”` : `${entry.target.type} ${entry.target.id}`)
  return parts.join(' · ')
}

function AuditCard({ workspace, page, error, filters }: { workspace: Workspace; page?: AuditPage; error?: string; filters: Record<string, string> }) {
  const locale = useLocale()
  const next = new URLSearchParams({ workspace: workspace.id, tab: 'audit' })
  for (const [k, v] of Object.entries(filters)) if (v && k !== 'cursor') next.set(k, v)
  if (page?.nextCursor) next.set('cursor', page.nextCursor)
  return (
    <Card title="Audit log" description="Who changed what in this workspace, newest first: members and roles, API keys, connections, the autopilot, approvals and cancellations. Entries cannot be changed or deleted.">
      <Form method="get" className="mb-5 grid gap-4 sm:grid-cols-2 lg:grid-cols-[1fr_1fr_9rem_9rem_auto] lg:items-end" aria-label="Filter the audit log">
        <input type="hidden" name="workspace" value={workspace.id} />
        <input type="hidden" name="tab" value="audit" />
        <SelectField label="Action" name="action" defaultValue={filters.action}>
          <option value="">Any action</option>
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {ACTION_LABELS[a]}
            </option>
          ))}
        </SelectField>
        <TextField label="Actor (user or key id)" name="actor" defaultValue={filters.actor} placeholder="usr_… or key_…" />
        <TextField label="From" name="from" type="date" defaultValue={filters.from} />
        <TextField label="To" name="to" type="date" defaultValue={filters.to} />
        <Button variant="secondary">Filter</Button>
      </Form>
      {error ? (
        <Notice>{error}</Notice>
      ) : !page || page.data.length === 0 ? (
        <p className="rounded-xl border border-dashed border-slate-700 px-4 py-6 text-center text-sm text-slate-400">No entries{filters.action || filters.actor || filters.from || filters.to ? ' match these filters' : ' yet'}.</p>
      ) : (
        <ul className="divide-y divide-slate-800 rounded-xl border border-slate-800" aria-label="Audit entries">
          {page.data.map((e) => (
            <li key={e.id} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 px-4 py-3 text-sm">
              <span className="font-medium text-white">{ACTION_LABELS[e.action] ?? e.action}</span>
              <span className="min-w-0 break-words text-slate-300">{describe(e)}</span>
              <span className="basis-full break-words text-xs text-slate-400">
                {formatDay(e.at, locale)} · by{' '}
                {e.actor.type === 'api_key' ? `API key “${e.actor.keyName ?? e.actor.id}”${e.actor.email ? ` (${e.actor.email})` : ''}` : (e.actor.email ?? e.actor.id)}
                {e.ip ? ` · ${e.ip}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
      {page?.nextCursor && (
        <Link to={`/settings?${next}`} className={`${buttonClass('secondary', 'sm')} mt-4`}>
          Older entries
        </Link>
      )}
    </Card>
  )
}

function RenameCard({ workspace, canManage, result }: { workspace: Workspace; canManage: boolean; result?: FormResult }) {
  const busy = useSubmitting('rename')
  const failed = result && !result.ok ? result : undefined
  return (
    <Card title="General" description="The workspace’s name, and the slug that identifies it in URLs and the API.">
      <Form method="post" className="grid gap-4 sm:grid-cols-[1fr_1fr_auto] sm:items-start" noValidate aria-label="Rename workspace">
        <input type="hidden" name="intent" value="rename" />
        <input type="hidden" name="workspaceId" value={workspace.id} />
        <TextField label="Workspace name" name="name" defaultValue={failed?.values?.name ?? workspace.name} error={failed?.fieldErrors?.name} disabled={!canManage} key={`name-${workspace.id}-${workspace.name}`} />
        <TextField label="Slug" name="slug" defaultValue={failed?.values?.slug ?? workspace.slug} error={failed?.fieldErrors?.slug} disabled={!canManage} key={`slug-${workspace.id}-${workspace.slug}`} />
        <Button className="sm:mt-6" disabled={busy || !canManage}>
          {busy ? 'Saving…' : 'Save'}
        </Button>
        <div className="sm:col-span-3">
          <FormNotice result={result} />
          {!canManage && <p className="text-sm text-slate-400">Only owners and admins can rename the workspace.</p>}
        </div>
      </Form>
    </Card>
  )
}

function MembersCard({ workspace, members, error, canManage, result }: { workspace: Workspace; members: Member[]; error?: string; canManage: boolean; result?: FormResult }) {
  const me = useSignedInUser()
  const invite = resultFor(result, 'invite')
  const inviteFailed = invite && !invite.ok ? invite : undefined
  const inviting = useSubmitting('invite')
  return (
    <Card title="Members" description="Owners and admins manage members. Only owners can make or change owners; a workspace always keeps at least one owner.">
      {error ? (
        <Notice>{error}</Notice>
      ) : (
        <ul className="divide-y divide-slate-800 rounded-xl border border-slate-800" aria-label="Members">
          {members.map((m) => {
            const rowResult = resultFor(result, 'change-role', m.userId) ?? resultFor(result, 'remove-member', m.userId)
            const isMe = me?.email === m.email
            return (
              <li key={m.userId} className="flex flex-wrap items-center gap-3 px-4 py-3">
                <div className="min-w-48 flex-1">
                  <p className="text-sm font-medium text-white">
                    {m.name || m.email} {isMe && <Badge tone="violet">you</Badge>} {!m.joined && <Badge tone="amber">invited</Badge>}
                  </p>
                  {m.name && <p className="text-xs text-slate-400">{m.email}</p>}
                </div>
                {canManage ? (
                  <Form method="post" className="flex items-center gap-2" aria-label={`Role of ${m.email}`}>
                    <input type="hidden" name="intent" value="change-role" />
                    <input type="hidden" name="workspaceId" value={workspace.id} />
                    <input type="hidden" name="userId" value={m.userId} />
                    <label className="sr-only" htmlFor={`role-${m.userId}`}>
                      Role of {m.email}
                    </label>
                    <select
                      id={`role-${m.userId}`}
                      name="role"
                      defaultValue={m.role}
                      key={m.role}
                      className="rounded-lg border border-slate-700 bg-slate-900 px-2 py-1.5 text-sm text-slate-100"
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                    <Button variant="secondary" size="sm">
                      Change role
                    </Button>
                  </Form>
                ) : (
                  <Badge>{m.role}</Badge>
                )}
                {(canManage || isMe) && (
                  <Form method="post" aria-label={`Remove ${m.email}`}>
                    <input type="hidden" name="intent" value="remove-member" />
                    <input type="hidden" name="workspaceId" value={workspace.id} />
                    <input type="hidden" name="userId" value={m.userId} />
                    {isMe && <input type="hidden" name="self" value="1" />}
                    <Button variant="danger" size="sm">
                      {isMe ? 'Leave' : 'Remove'}
                    </Button>
                  </Form>
                )}
                {rowResult && (
                  <div className="basis-full">
                    <Notice tone={rowResult.ok ? 'success' : 'error'}>{rowResult.message}</Notice>
                  </div>
                )}
              </li>
            )
          })}
        </ul>
      )}
      {canManage && (
        <Form method="post" className="mt-5 grid gap-4 sm:grid-cols-[1fr_10rem_auto] sm:items-start" noValidate aria-label="Invite a member" key={invite?.ok ? invite.target : 'invite'}>
          <input type="hidden" name="intent" value="invite" />
          <input type="hidden" name="workspaceId" value={workspace.id} />
          <TextField label="Invite by email" name="email" type="email" placeholder="teammate@example.com" defaultValue={inviteFailed?.values?.email} error={inviteFailed?.fieldErrors?.email} />
          <SelectField label="Role" name="role" defaultValue={inviteFailed?.values?.role ?? 'editor'} error={inviteFailed?.fieldErrors?.role}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </SelectField>
          <Button className="sm:mt-6" disabled={inviting}>
            {inviting ? 'Inviting…' : 'Invite'}
          </Button>
          <div className="sm:col-span-3">
            {invite?.ok && <Notice tone="success">{invite.message} They get access when they sign in with that email.</Notice>}
            {inviteFailed?.message && <Notice>{inviteFailed.message}</Notice>}
          </div>
        </Form>
      )}
    </Card>
  )
}

function ApiKeysCard({ workspace, keys, error, result }: { workspace: Workspace; keys: ApiKey[]; error?: string; result?: FormResult }) {
  const locale = useLocale()
  const created = resultFor(result, 'create-key')
  const createFailed = created && !created.ok ? created : undefined
  const creating = useSubmitting('create-key')
  return (
    <Card
      title="API keys"
      description={
        <>
          For integrators: send <code className="rounded bg-slate-800 px-1 text-xs">Authorization: Bearer rp_…</code>. A key acts with its role in this workspace
          only. See the <a href="/api/docs" className="text-violet-300 hover:text-violet-200">API docs</a>.
        </>
      }
    >
      {error ? (
        <Notice tone="info">{error}</Notice>
      ) : (
        <>
          {created?.ok && created.message && (
            <div className="mb-5 rounded-xl border border-emerald-500/40 bg-emerald-500/10 p-4" role="status">
              <p className="text-sm font-medium text-emerald-200">Key “{created.values?.name}” created. Copy its secret now: it will not be shown again.</p>
              <div className="mt-3 flex items-center gap-2">
                <code data-testid="api-key-secret" className="min-w-0 flex-1 select-all overflow-x-auto rounded-lg bg-slate-950 px-3 py-2 font-mono text-sm text-emerald-100">
                  {created.message}
                </code>
                <CopyButton text={created.message} />
              </div>
            </div>
          )}
          {keys.length === 0 ? (
            <p className="rounded-xl border border-dashed border-slate-700 px-4 py-6 text-center text-sm text-slate-400">No API keys yet.</p>
          ) : (
            <div className="overflow-x-auto rounded-xl border border-slate-800">
              <table className="w-full text-left text-sm" aria-label="API keys">
                <thead className="bg-slate-900 text-xs uppercase tracking-wide text-slate-400">
                  <tr>
                    <th className="px-4 py-2 font-medium">Name</th>
                    <th className="px-4 py-2 font-medium">Key</th>
                    <th className="px-4 py-2 font-medium">Role</th>
                    <th className="px-4 py-2 font-medium">Created</th>
                    <th className="px-4 py-2 font-medium">Last used</th>
                    <th className="px-4 py-2" />
                  </tr>
                </thead>
                <tbody className="divide-y divide-slate-800">
                  {keys.map((k) => {
                    const rowResult = resultFor(result, 'revoke-key', k.id)
                    return (
                      <tr key={k.id} className={k.revokedAt ? 'text-slate-400' : 'text-slate-200'}>
                        <td className="px-4 py-2">{k.name}</td>
                        <td className="px-4 py-2 font-mono text-xs">{k.prefix}…</td>
                        <td className="px-4 py-2">{k.role}</td>
                        <td className="px-4 py-2">{formatDay(k.createdAt, locale)}</td>
                        <td className="px-4 py-2">{k.lastUsedAt ? formatDay(k.lastUsedAt, locale) : 'Never'}</td>
                        <td className="px-4 py-2 text-right">
                          {k.revokedAt ? (
                            <Badge tone="rose">revoked {formatDay(k.revokedAt, locale)}</Badge>
                          ) : (
                            <Form method="post" aria-label={`Revoke ${k.name}`}>
                              <input type="hidden" name="intent" value="revoke-key" />
                              <input type="hidden" name="workspaceId" value={workspace.id} />
                              <input type="hidden" name="keyId" value={k.id} />
                              <Button variant="danger" size="sm">
                                Revoke
                              </Button>
                            </Form>
                          )}
                          {rowResult && !rowResult.ok && <p className="mt-1 text-xs text-rose-400">{rowResult.message}</p>}
                        </td>
                      </tr>
                    )
                  })}
                </tbody>
              </table>
            </div>
          )}
          <Form method="post" className="mt-5 grid gap-4 sm:grid-cols-[1fr_10rem_auto] sm:items-start" noValidate aria-label="Create an API key" key={created?.ok ? created.target : 'create-key'}>
            <input type="hidden" name="intent" value="create-key" />
            <input type="hidden" name="workspaceId" value={workspace.id} />
            <TextField label="Key name" name="name" placeholder="Zapier, CI, …" defaultValue={createFailed?.values?.name} error={createFailed?.fieldErrors?.name} />
            <SelectField label="Key role" name="role" defaultValue={createFailed?.values?.role ?? 'editor'} error={createFailed?.fieldErrors?.role}>
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r}
                </option>
              ))}
            </SelectField>
            <Button className="sm:mt-6" disabled={creating}>
              {creating ? 'Creating…' : 'Create key'}
            </Button>
            {createFailed?.message && (
              <div className="sm:col-span-3">
                <Notice>{createFailed.message}</Notice>
              </div>
            )}
          </Form>
        </>
      )}
    </Card>
  )
}

function DeleteWorkspaceCard({ workspace, result }: { workspace: Workspace; result?: FormResult }) {
  const busy = useSubmitting('delete-workspace')
  return (
    <Card title="Delete this workspace" description="Deletes its members, its API keys, and its projects with everything in them. This cannot be undone." className="border-rose-500/30">
      <Form method="post" className="grid gap-4 sm:grid-cols-[1fr_auto] sm:items-start" noValidate aria-label="Delete workspace">
        <input type="hidden" name="intent" value="delete-workspace" />
        <input type="hidden" name="workspaceId" value={workspace.id} />
        <input type="hidden" name="slug" value={workspace.slug} />
        <TextField
          label={`Type ${workspace.slug} to confirm`}
          name="confirm"
          autoComplete="off"
          defaultValue={result?.values?.confirm}
          error={result?.fieldErrors?.confirm}
        />
        <Button variant="danger" className="sm:mt-6" disabled={busy}>
          {busy ? 'Deleting…' : 'Delete workspace'}
        </Button>
        {result?.message && (
          <div className="sm:col-span-2">
            <Notice>{result.message}</Notice>
          </div>
        )}
      </Form>
    </Card>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteError error={error} />
}
