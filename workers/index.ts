/**
 * The Reelpilot Worker: fetch (API + React Router app), queue consumers, the cron sweeper,
 * and the Durable Object classes.
 */
import { createRequestHandler, RouterContextProvider } from 'react-router'
import { cloudflareContext } from '../app/context'
import { sweepMediaLibrary } from './api/media-processing'
import { createWorkerApp } from './app'
import { handleQueue } from './queues'
import { sweepStuckPosts } from './scheduler/sweeper'

export { ProjectScheduler } from './scheduler/project-scheduler'
export { RenderContainer } from './render/render-container'

const requestHandler = createRequestHandler(() => import('virtual:react-router/server-build'), import.meta.env.MODE)

const app = createWorkerApp((request, env, ctx) => {
  const context = new RouterContextProvider()
  context.set(cloudflareContext, {
    env,
    ctx,
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
    // The sweeper: the library (abandoned uploads, checks left unfinished, old rejections), and
    // posts that stopped moving. Side by side: a slow re-check must not hold the posts back.
    const [library, stuck] = await Promise.all([sweepMediaLibrary(env), sweepStuckPosts(env)])
    const media = { abandonedUploads: library.abandoned, rechecked: library.rechecked.length, gaveUp: library.gaveUp.length, expiredRejections: library.expired.length }
    console.log(JSON.stringify({ level: 'info', msg: 'sweeper tick', cron: controller.cron, media, stuck }))
  },
} satisfies ExportedHandler<Env>
