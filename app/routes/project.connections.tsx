/**
 * /projects/:id/connections — one card per platform: the connected account (name, avatar), its
 * status with the reason when it needs attention, and connect / reconnect / disconnect. Real
 * accounts connect through the platform's consent page; sandbox accounts connect at once.
 */
import { data, Form, useNavigation } from 'react-router'
import { RouteError } from '../components/route-error'
import { Badge, Button, Card, Notice } from '../components/ui'
import type { FormResult } from '../lib/forms'
import { useProject } from './project'
import { PLATFORMS, type Availability, type Connection, type Platform } from '../lib/connections'
import { connectionsAction, loadConnections } from './project.connections.server'
import type { Route } from './+types/project.connections'

export const meta: Route.MetaFunction = () => [{ title: 'Connections · Reelpilot' }]

export async function loader({ context, request, params }: Route.LoaderArgs) {
  return loadConnections(context, request, params.id)
}

export async function action({ context, request, params }: Route.ActionArgs) {
  const answer = await connectionsAction(context, request, params.id)
  if (answer instanceof Response) return answer
  return answer.status === 200 ? answer.result : data(answer.result, { status: answer.status })
}

const NAMES: Record<Platform, string> = { youtube: 'YouTube', tiktok: 'TikTok', instagram: 'Instagram' }
const ABOUT: Record<Platform, string> = {
  youtube: 'Shorts; a long upload picks up where it stopped if the network drops, and the cover becomes the thumbnail.',
  tiktok: 'Direct posts through the Content Posting API, in the privacy you choose where the account allows it.',
  instagram: 'Reels on a professional account linked to a Facebook Page.',
}
const STATUS: Record<Connection['status'], { label: string; tone: 'emerald' | 'amber' | 'slate' }> = {
  active: { label: 'Connected', tone: 'emerald' },
  needs_reconnect: { label: 'Needs reconnecting', tone: 'amber' },
  disconnected: { label: 'Disconnected', tone: 'slate' },
}

export default function ProjectConnections({ loaderData, actionData }: Route.ComponentProps) {
  const { workspace } = useProject()
  const canEdit = workspace.role !== 'viewer'
  const { connections, platforms, returned } = loaderData
  const result = actionData as FormResult | undefined
  return (
    <div className="space-y-6">
      {returned.connected && <Notice tone="success">{NAMES[returned.connected as Platform] ?? returned.connected} is connected.</Notice>}
      {returned.error && (
        <Notice>
          {NAMES[returned.platform as Platform] ?? 'The platform'} was not connected
          {returned.error === 'access_denied' ? ': the permission was not granted.' : ': the sign-in could not be completed. Try again.'}
        </Notice>
      )}
      {!canEdit && <Notice tone="info">You can see the connections; connecting accounts needs the editor role.</Notice>}
      <ul className="grid gap-4 md:grid-cols-3" aria-label="Platforms">
        {PLATFORMS.map((platform) => (
          <PlatformCard
            key={platform}
            platform={platform}
            connection={connections.find((c) => c.platform === platform)}
            availability={platforms.find((p) => p.platform === platform)}
            canEdit={canEdit}
            result={result?.target === platform ? result : undefined}
          />
        ))}
      </ul>
    </div>
  )
}

function Avatar({ connection }: { connection: Connection }) {
  const name = connection.accountName ?? connection.accountId ?? '?'
  if (connection.avatarUrl) return <img src={connection.avatarUrl} alt="" className="h-10 w-10 rounded-full bg-slate-800 object-cover" />
  return (
    <span aria-hidden="true" className="flex h-10 w-10 items-center justify-center rounded-full bg-violet-500/20 text-sm font-semibold text-violet-200">
      {name.slice(0, 1).toUpperCase()}
    </span>
  )
}

function PlatformCard({ platform, connection, availability, canEdit, result }: { platform: Platform; connection?: Connection; availability?: Availability; canEdit: boolean; result?: FormResult }) {
  const navigation = useNavigation()
  const busy = navigation.state !== 'idle' && navigation.formData?.get('platform') === platform
  const live = connection && connection.status !== 'disconnected'
  const status = connection ? STATUS[connection.status] : { label: 'Not connected', tone: 'slate' as const }
  const oauth = availability?.oauth ?? false
  const sandbox = availability?.sandbox ?? false
  return (
    <li aria-label={NAMES[platform]}>
      <Card title={NAMES[platform]} description={ABOUT[platform]} actions={<Badge tone={status.tone}>{status.label}</Badge>} className="h-full">
        {live && connection && (
          <div className="mb-4 flex items-center gap-3">
            <Avatar connection={connection} />
            <div className="min-w-0">
              <p className="truncate text-sm font-medium text-white">{connection.accountName ?? connection.accountId}</p>
              <p className="text-xs text-slate-400">{connection.mode === 'sandbox' ? 'Sandbox account: posts stay in Reelpilot' : `Account ${connection.accountId}`}</p>
            </div>
            {connection.mode === 'sandbox' && <Badge tone="violet">Sandbox</Badge>}
          </div>
        )}
        {connection?.status === 'needs_reconnect' && connection.statusReason && (
          <div className="mb-4">
            <Notice>{connection.statusReason}</Notice>
          </div>
        )}
        {result && (
          <div className="mb-4">
            <Notice tone={result.ok ? 'success' : 'error'}>{result.message}</Notice>
          </div>
        )}
        {canEdit && (
          <div className="flex flex-wrap gap-2">
            {oauth && (
              <Form method="post">
                <input type="hidden" name="intent" value="connect" />
                <input type="hidden" name="platform" value={platform} />
                <Button size="sm" disabled={busy} variant={connection?.status === 'active' ? 'secondary' : 'primary'}>
                  {connection && connection.mode === 'oauth' ? 'Reconnect' : `Connect ${NAMES[platform]}`}
                </Button>
              </Form>
            )}
            {sandbox && (!live || connection?.mode === 'sandbox' || !oauth) && (
              <Form method="post">
                <input type="hidden" name="intent" value="connect" />
                <input type="hidden" name="platform" value={platform} />
                <input type="hidden" name="mode" value="sandbox" />
                <Button size="sm" variant="secondary" disabled={busy}>
                  {connection?.mode === 'sandbox' && live ? 'Reset sandbox account' : 'Connect a sandbox account'}
                </Button>
              </Form>
            )}
            {live && connection && (
              <Form method="post" onSubmit={(e) => !confirm(`Disconnect ${NAMES[platform]}? Scheduled posts for it will fail until you connect again.`) && e.preventDefault()}>
                <input type="hidden" name="intent" value="disconnect" />
                <input type="hidden" name="platform" value={platform} />
                <input type="hidden" name="connectionId" value={connection.id} />
                <Button size="sm" variant="danger" disabled={busy}>
                  Disconnect
                </Button>
              </Form>
            )}
          </div>
        )}
        {!oauth && canEdit && <p className="mt-3 text-xs text-slate-400">Real {NAMES[platform]} accounts need app credentials on this deployment{sandbox ? '; a sandbox account behaves like the platform' : ''}.</p>}
      </Card>
    </li>
  )
}

export function ErrorBoundary({ error }: Route.ErrorBoundaryProps) {
  return <RouteError error={error} />
}
