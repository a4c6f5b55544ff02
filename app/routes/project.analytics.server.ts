/**
 * Server side of the analytics page: the dashboard grouped by day, platform, style, window and
 * weekday for the chosen range and platform, all through the API (the same numbers integrators get).
 */
import type { RouterContextProvider } from 'react-router'
import { loadApi } from '../lib/api.server'
import { RANGES, type Dashboard, type GroupBy } from '../lib/analytics'
import { today } from '../lib/zoned-time'
import { PLATFORMS } from '../../workers/domain/post-state'

const PLATFORM_FILTERS = PLATFORMS

export async function loadAnalytics(context: Readonly<RouterContextProvider>, request: Request, projectId: string) {
  const url = new URL(request.url)
  const id = encodeURIComponent(projectId)
  const days = (RANGES as readonly number[]).includes(Number(url.searchParams.get('days'))) ? Number(url.searchParams.get('days')) : 28
  const platformParam = url.searchParams.get('platform') ?? ''
  const platform = (PLATFORM_FILTERS as readonly string[]).includes(platformParam) ? platformParam : ''
  // The first call learns the project's zone; the others ask for the same days.
  const first = await loadApi<Dashboard>(context, request, `/projects/${id}/analytics?groupBy=day${platform ? `&platform=${platform}` : ''}`)
  const to = today(first.timezone)
  const from = to.subtract({ days: days - 1 })
  const query = (groupBy: GroupBy) => `/projects/${id}/analytics?from=${from}&to=${to}&groupBy=${groupBy}${platform ? `&platform=${platform}` : ''}`
  const [byDay, byPlatform, byStyle, byWindow, byWeekday] = await Promise.all(
    (['day', 'platform', 'style', 'window', 'weekday'] as const).map((g) => loadApi<Dashboard>(context, request, query(g))),
  )
  return { days, platform, byDay, byPlatform, byStyle, byWindow, byWeekday }
}
