import { cloudflare } from '@cloudflare/vite-plugin'
import { reactRouter } from '@react-router/dev/vite'
import tailwindcss from '@tailwindcss/vite'
import { defineConfig } from 'vite'

// remoteBindings off: the AI binding is remote-only, and `npm run dev` must work without a Cloudflare account.
export default defineConfig({
  plugins: [cloudflare({ viteEnvironment: { name: 'ssr' }, remoteBindings: false }), tailwindcss(), reactRouter()],
})
