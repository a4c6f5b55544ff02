/**
 * The Reelpilot Worker: fetch (API + React Router app), queue consumers, the cron sweeper,
 * and the Durable Object classes.
 */
import { createRequestHandler, RouterContextProvider } from 'react-router'
import { cloudflareContext } from '../app/context'
import { createWorkerApp } from './app'
import { handleQueue } from './queues'
import { sweep } from './sweeper'
import { newRequestId, withContext } from './lib/context'
import { withMetrics } from './metrics/record'
import { misconfigurations } from './lib/config'
import { log } from './lib/log'

export { ProjectScheduler } from './scheduler/project-scheduler'
export { RenderContainer } from './render/render-container'
export { MetricsStore } from './metrics/store'

const requestHandler = createRequestHandler(() => import('virtual:react-router/server-build'), import.meta.env.MODE)

const app = createWorkerApp((request, env, ctx, nonce) => {
  const context = new RouterContextProvider()
  context.set(cloudflareContext, {
    env,
    ctx,
    nonce,
    async api(path, init = {}) {
      const headers = new Headers(init.headers)
      const cookie = request.headers.get('cookie')
      if (cookie && !headers.has('cookie')) headers.set('cookie', cookie)
      return app.fetch(new Request(new URL(`/api${path}`, request.url), { ...init, headers }), env, ctx)
    },
  })
  return requestHandler(request, context)
})

export default {
  fetch: app.fetch,
  queue: handleQueue,
  async scheduled(controller, env, _ctx) {
    await withMetrics(env, () =>
      withContext({ requestId: newRequestId('cron') }, async () => {
        const problems = misconfigurations(env)
        if (problems.length) return log.error('misconfigured: the sweep did not run', { settings: problems.map((p) => p.setting) })
        await sweep(env, controller.cron)
      }),
    )
  },
} satisfies ExportedHandler<Env>
