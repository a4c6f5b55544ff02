/**
 * The platforms' metrics endpoints, as strict as the real ones about names and limits:
 * - YouTube Analytics API `GET /v2/reports` (ids=channel==MINE, startDate, endDate, metrics;
 *   dimensions=video needs sort and maxResults ≤ 200; the `yt-analytics.readonly` scope);
 *   answered as a result table (columnHeaders + rows). (videos.list statistics is in youtube.ts.)
 * - Instagram `GET /{media-id}/insights?metric=…` for Reels: the current metric names only
 *   (`plays`, `impressions`, `video_views` are refused as deprecated); a metric without data is
 *   left out of `data`; fault `insights/not_enough_viewers` answers error code 10.
 * - TikTok `POST /v2/video/query/?fields=…` with `filters.video_ids` (at most 20).
 * Items come from the publishing stubs or are seeded with `/_control/accounts/:id/items`.
 */
import { accountForAccessToken, bearer, count, itemOf, readBody, sendJson, takeFault, type Account, type ItemMetrics, type StubRequest } from './common'

const ANALYTICS_SCOPE = 'https://www.googleapis.com/auth/yt-analytics.readonly'
const YT_ANALYTICS_METRICS: Record<string, keyof ItemMetrics> = {
  views: 'views',
  likes: 'likes',
  comments: 'comments',
  shares: 'shares',
  estimatedMinutesWatched: 'watchMinutes',
  averageViewDuration: 'avgViewDuration',
  averageViewPercentage: 'avgViewPercentage',
  subscribersGained: 'subscribersGained',
}

const IG_METRICS: Record<string, keyof ItemMetrics> = {
  views: 'views',
  reach: 'reach',
  likes: 'likes',
  comments: 'comments',
  shares: 'shares',
  saved: 'saves',
  total_interactions: 'likes',
  ig_reels_avg_watch_time: 'avgWatchTimeMs',
}
const IG_DEPRECATED = ['plays', 'impressions', 'video_views', 'clips_replays_count', 'ig_reels_aggregated_all_plays_count']

const TIKTOK_FIELDS: Record<string, keyof ItemMetrics | 'id'> = { id: 'id', view_count: 'views', like_count: 'likes', comment_count: 'comments', share_count: 'shares' }

const googleError = (res: StubRequest['res'], status: number, reason: string, message: string) =>
  sendJson(res, status, { error: { code: status, message, errors: [{ message, domain: 'global', reason }] } })

const graphError = (res: StubRequest['res'], status: number, code: number, message: string, type = 'OAuthException') =>
  sendJson(res, status, { error: { message, type, code, fbtrace_id: 'stub' } })

const tiktokError = (res: StubRequest['res'], status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  sendJson(res, status, { error: { code, message, log_id: 'stub' } }, headers)

const owned = (account: Account, id: string) => {
  const item = itemOf(id)
  return item && item.account === account ? item : undefined
}

/** YouTube Analytics API. */
export async function youtubeMetricsStub(r: StubRequest): Promise<boolean> {
  const { req, res, url, path } = r
  if (req.method !== 'GET' || path !== '/v2/reports') return false
  const account = accountForAccessToken(bearer(req))
  if (!account) return googleError(res, 401, 'authError', 'Request had invalid authentication credentials.'), true
  count(account, 'analyticsReports')
  if (!account.scopes.includes(ANALYTICS_SCOPE)) return googleError(res, 403, 'insufficientPermissions', 'Request had insufficient authentication scopes.'), true
  const q = url.searchParams
  if (takeFault(account, 'reports')?.kind === 'http500') return googleError(res, 500, 'internalError', 'Unknown error.'), true
  for (const name of ['ids', 'startDate', 'endDate', 'metrics']) if (!q.get(name)) return googleError(res, 400, 'required', `Required ${name}`), true
  if (q.get('ids') !== 'channel==MINE' && q.get('ids') !== `channel==${account.id}`) return googleError(res, 403, 'forbidden', 'Forbidden'), true
  if (!/^\d{4}-\d{2}-\d{2}$/.test(q.get('startDate')!) || !/^\d{4}-\d{2}-\d{2}$/.test(q.get('endDate')!) || q.get('startDate')! > q.get('endDate')!)
    return googleError(res, 400, 'badRequest', 'Invalid value for startDate / endDate.'), true
  const metrics = q.get('metrics')!.split(',')
  const unknown = metrics.find((m) => !YT_ANALYTICS_METRICS[m])
  if (unknown) return googleError(res, 400, 'badRequest', `Unknown identifier (${unknown}) given in field parameters.metrics.`), true
  const dimensions = (q.get('dimensions') ?? '').split(',').filter(Boolean)
  const filter = /^video==([\w,-]+)$/.exec(q.get('filters') ?? '')
  if (dimensions.includes('video')) {
    // A video report is a "top videos" report: it needs a sort and at most 200 results.
    const max = Number(q.get('maxResults'))
    if (!q.get('sort') || !Number.isInteger(max) || max < 1 || max > 200) return googleError(res, 400, 'badRequest', 'The query is not supported. Check the documentation for supported queries.'), true
  }
  const ids = filter ? filter[1].split(',') : []
  if (ids.length > 500) return googleError(res, 400, 'badRequest', 'Too many videos in filters.'), true
  const columnHeaders = [
    ...dimensions.map((name) => ({ name, columnType: 'DIMENSION', dataType: 'STRING' })),
    ...metrics.map((name) => ({ name, columnType: 'METRIC', dataType: name.startsWith('average') ? 'FLOAT' : 'INTEGER' })),
  ]
  const rows = ids
    .map((id) => owned(account, id))
    .filter((item) => !!item)
    .filter((item) => metrics.some((m) => item!.metrics[YT_ANALYTICS_METRICS[m]] !== undefined))
    .map((item) => [...(dimensions.includes('video') ? [item!.id] : []), ...metrics.map((m) => item!.metrics[YT_ANALYTICS_METRICS[m]] ?? 0)])
  return sendJson(res, 200, { kind: 'youtubeAnalytics#resultTable', columnHeaders, rows }), true
}

/** Instagram media insights. */
export async function instagramMetricsStub(r: StubRequest): Promise<boolean> {
  const { req, res, url, path } = r
  const match = /^\/(\d+)\/insights$/.exec(path)
  if (req.method !== 'GET' || !match) return false
  const account = accountForAccessToken(bearer(req) ?? url.searchParams.get('access_token') ?? undefined)
  if (!account) return graphError(res, 400, 190, 'Invalid OAuth access token - Cannot parse access token'), true
  count(account, 'insights')
  if (!account.scopes.includes('instagram_manage_insights')) return graphError(res, 403, 10, '(#10) Application does not have permission for this action'), true
  const fault = takeFault(account, 'insights')
  if (fault?.kind === 'http429') return graphError(res, 400, 4, 'Application request limit reached'), true
  if (fault?.kind === 'http500') return graphError(res, 500, 2, 'An unexpected error has occurred. Please retry your request later.'), true
  const item = owned(account, match[1])
  if (!item) return graphError(res, 400, 100, 'Unsupported get request. Object does not exist', 'GraphMethodException'), true
  const names = (url.searchParams.get('metric') ?? '').split(',').filter(Boolean)
  if (names.length === 0) return graphError(res, 400, 100, '(#100) The parameter metric is required'), true
  const deprecated = names.find((n) => IG_DEPRECATED.includes(n))
  if (deprecated) return graphError(res, 400, 100, `(#100) Starting from v22.0, the ${deprecated} metric is no longer supported.`), true
  const unknown = names.find((n) => !IG_METRICS[n])
  if (unknown) return graphError(res, 400, 100, `(#100) metric[0] must be one of the following values: ${Object.keys(IG_METRICS).join(', ')}`), true
  if (fault?.kind === 'publish_limit') return graphError(res, 400, 10, '(#10) Not enough viewers for the media to show insights'), true
  const m = item.metrics
  const value = (name: string): number | undefined =>
    name === 'total_interactions' ? (m.likes === undefined ? undefined : (m.likes ?? 0) + (m.comments ?? 0) + (m.shares ?? 0) + (m.saves ?? 0)) : m[IG_METRICS[name]]
  const data = names
    .filter((n) => value(n) !== undefined)
    .map((name) => ({ name, period: 'lifetime', values: [{ value: value(name) }], title: name, description: '', id: `${item.id}/insights/${name}/lifetime` }))
  return sendJson(res, 200, { data }), true
}

/** TikTok Display API video query. */
export async function tiktokMetricsStub(r: StubRequest): Promise<boolean> {
  const { req, res, url, path } = r
  if (req.method !== 'POST' || path !== '/v2/video/query/') return false
  const account = accountForAccessToken(bearer(req))
  if (!account) return tiktokError(res, 401, 'access_token_invalid', 'The access token is invalid or not found in the request.'), true
  count(account, 'videoQuery')
  if (!account.scopes.includes('video.list')) return tiktokError(res, 403, 'scope_not_authorized', 'The user did not authorize the scope required for completing this request.'), true
  if (takeFault(account, 'video_query')?.kind === 'http429') return tiktokError(res, 429, 'rate_limit_exceeded', 'API rate limit exceeded', { 'retry-after': '60' }), true
  if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return tiktokError(res, 400, 'invalid_params', 'Content-Type must be application/json'), true
  const fields = (url.searchParams.get('fields') ?? '').split(',').filter(Boolean)
  if (fields.length === 0) return tiktokError(res, 400, 'invalid_params', 'fields is required'), true
  const badField = fields.find((f) => !TIKTOK_FIELDS[f] && !['title', 'cover_image_url', 'share_url', 'create_time', 'duration', 'video_description', 'embed_link'].includes(f))
  if (badField) return tiktokError(res, 400, 'invalid_params', `Invalid field: ${badField}`), true
  let body: any
  try {
    body = JSON.parse((await readBody(req)).toString())
  } catch {
    return tiktokError(res, 400, 'invalid_params', 'The request body is not valid JSON'), true
  }
  const ids = body?.filters?.video_ids
  if (!Array.isArray(ids) || ids.length === 0) return tiktokError(res, 400, 'invalid_params', 'filters.video_ids is required'), true
  if (ids.length > 20) return tiktokError(res, 400, 'invalid_params', 'filters.video_ids takes at most 20 ids'), true
  const videos = ids
    .map((id: unknown) => owned(account, String(id)))
    .filter((item: unknown) => !!item)
    .map((item: any) => Object.fromEntries(fields.filter((f) => TIKTOK_FIELDS[f]).map((f) => [f, f === 'id' ? item.id : item.metrics[TIKTOK_FIELDS[f]]]).filter(([, v]) => v !== undefined)))
  return sendJson(res, 200, { data: { videos, cursor: 0, has_more: false }, error: { code: 'ok', message: '', log_id: 'stub' } }), true
}
