import { cloudflare } from '@cloudflare/vite-plugin'
import { reactRouter } from '@react-router/dev/vite'
import tailwindcss from '@tailwindcss/vite'
import { defineConfig } from 'vite'

// remoteBindings off: the AI binding is remote-only, and `npm run dev` must work without a Cloudflare account.
// run_worker_first: the paths that are only ever the Worker's (the API, the OAuth callbacks and the
// sandbox post page, tracked links) go straight to it, without the asset router first looking for
// a file of that name (every other path is still looked up in the assets first). In the built
// config (build/server/wrangler.json) rather than wrangler.toml: wrangler itself (migrations,
// types, the tests) refuses an `assets` table without the directory, which the plugin fills in.
export default defineConfig({
  plugins: [
    cloudflare({ viteEnvironment: { name: 'ssr' }, remoteBindings: false, config: { assets: { run_worker_first: ['/api/*', '/oauth/*', '/l/*'] } } }),
    tailwindcss(),
    reactRouter(),
  ],
})
