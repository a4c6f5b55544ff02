// `npm run bench scheduler`: the time from a ProjectScheduler alarm to its render message (plan
// the slot: choose a clip, write the texts, insert post + targets + event in one batch, send the
// message) against an empty alarm (nothing due: read state, compute the next slot, re-arm), in
// the same run, on the built Worker under Miniflare. Both are called the same way (RPC from
// Node), so the ratio is what planning adds. Figures are medians of many alarms.
import { autopilotConfigSchema } from '../workers/domain/autopilot-config'
import { nextSlots } from '../workers/domain/slots'
import type { ProjectScheduler } from '../workers/scheduler/project-scheduler'
import { RENDER_LEAD_MS } from '../workers/scheduler/timing'
import { startWorker } from '../e2e/worker-harness'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 40)
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]

// Renders are not what this measures: the render server URL goes nowhere, so render messages
// fail fast in the background instead of loading the machine.
const w = await startWorker({ vars: { RENDER_URL: 'http://127.0.0.1:9' } })
try {
  const token = await w.tokenFor('bench@example.com')
  const workspaceId = (await w.api('POST', '/workspaces', { token, body: { name: 'Bench', slug: `bench-${Date.now()}` } })).json.id
  const ns = w.env.PROJECT_SCHEDULER as unknown as DurableObjectNamespace<ProjectScheduler>
  const config = autopilotConfigSchema.parse({ cadence: 'daily', language: 'en', style: 'minimal', objective: 'awareness', timeWindows: ['12:00-14:00'], timezone: 'Europe/Paris' })
  const start = Date.parse('2027-03-01T00:00:00Z')

  const due: number[] = []
  const empty: number[] = []
  for (let i = 0; i < ROUNDS; i++) {
    const projectId = (await w.api('POST', '/projects', { token, body: { workspaceId, name: `P${i}` } })).json.id
    for (let c = 0; c < 3; c++) {
      await w.env.DB.prepare(
        `insert into media (id, workspace_id, project_id, key, filename, title, content_type, size, status, kind, duration_sec, width, height)
         values (?, ?, ?, ?, 'c.mp4', ?, 'video/mp4', 1000, 'ready', 'video', 10, 1920, 1080)`,
      )
        .bind(`med_b${i}_${c}`, workspaceId, projectId, `media/${workspaceId}/${projectId}/${c}/c.mp4`, `Clip ${c}`)
        .run()
    }
    const scheduler = ns.get(ns.idFromName(projectId))
    await scheduler.configure({ projectId, workspaceId, config, now: start })
    const [slot] = nextSlots(config, { projectId, after: new Date(start), count: 1 })
    // Alternate which runs first, so neither always gets a warm object.
    const runEmpty = async () => {
      const t = performance.now()
      const result = await scheduler.tick(slot.getTime() - RENDER_LEAD_MS - 60_000)
      empty.push(performance.now() - t)
      if (result.length !== 0) throw new Error('the empty alarm planned something')
    }
    const runDue = async () => {
      const t = performance.now()
      const result = await scheduler.tick(slot.getTime() - RENDER_LEAD_MS + 1000)
      due.push(performance.now() - t)
      if (result.length !== 1 || result[0].status !== 'planned') throw new Error(`the due alarm did not plan a post: ${JSON.stringify(result)}`)
    }
    if (i % 2) {
      await runEmpty()
      await runDue()
    } else {
      await runDue()
      await runEmpty()
    }
  }
  const d = median(due)
  const e = median(empty)
  console.log(`alarms: ${ROUNDS} due and ${ROUNDS} empty, on the built Worker under Miniflare (RPC from Node)`)
  console.log(`empty alarm (baseline):            median ${e.toFixed(2)} ms`)
  console.log(`alarm → render message sent:       median ${d.toFixed(2)} ms  (${(d / e).toFixed(2)}× the empty alarm)`)
} finally {
  await w.close()
}
