/**
 * Charts of the analytics page and the post panel, drawn with recharts (SVG, bundled with the
 * app: no CDN). Each chart gets a fixed height and a first width for the server render, then
 * follows its container's width in the browser, so it works from phone width up.
 */
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts'
import { formatNumber } from '../lib/analytics'

const AXIS = { stroke: '#64748b', fontSize: 11 }
const TOOLTIP = { contentStyle: { background: '#0f172a', border: '1px solid #334155', borderRadius: 8, color: '#e2e8f0' }, labelStyle: { color: '#cbd5e1' } }

export interface LineSpec {
  key: string
  name: string
  colour: string
}

/** A time series: one line per spec over `data` (rows with a `label` and a value per spec key). Missing values are gaps. */
export function TimeSeriesChart({ data, lines, height = 240, label }: { data: Record<string, unknown>[]; lines: LineSpec[]; height?: number; label: string }) {
  return (
    <div role="img" aria-label={label} data-chart="time-series" className="w-full" style={{ height }}>
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 340, height }}>
        <LineChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -12 }}>
          <CartesianGrid stroke="#1e293b" vertical={false} />
          <XAxis dataKey="label" tick={AXIS} tickLine={false} axisLine={false} minTickGap={24} />
          <YAxis tick={AXIS} tickLine={false} axisLine={false} tickFormatter={(v) => formatNumber(Number(v))} width={48} />
          <Tooltip {...TOOLTIP} formatter={(v) => formatNumber(Number(v))} />
          {lines.length > 1 && <Legend wrapperStyle={{ fontSize: 12 }} />}
          {lines.map((l) => (
            <Line key={l.key} type="monotone" dataKey={l.key} name={l.name} stroke={l.colour} strokeWidth={2} dot={false} connectNulls={false} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  )
}

/** Bars of one value per category (`label`, `value`). */
export function CategoryBarChart({ data, height = 200, colour = '#8b5cf6', label }: { data: { label: string; value: number }[]; height?: number; colour?: string; label: string }) {
  return (
    <div role="img" aria-label={label} data-chart="bars" className="w-full" style={{ height }}>
      <ResponsiveContainer width="100%" height={height} initialDimension={{ width: 340, height }}>
        <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -12 }}>
          <CartesianGrid stroke="#1e293b" vertical={false} />
          <XAxis dataKey="label" tick={AXIS} tickLine={false} axisLine={false} interval="preserveStartEnd" />
          <YAxis tick={AXIS} tickLine={false} axisLine={false} tickFormatter={(v) => formatNumber(Number(v))} width={48} />
          <Tooltip {...TOOLTIP} formatter={(v) => formatNumber(Number(v))} cursor={{ fill: '#1e293b' }} />
          <Bar dataKey="value" name="Views" fill={colour} radius={[4, 4, 0, 0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  )
}
