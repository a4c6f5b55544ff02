// Copies third-party browser assets into public/vendor so the app serves them itself:
// nothing is fetched from a CDN at run time. Runs after every `npm install`.
import { cpSync, mkdirSync, writeFileSync, existsSync, readFileSync, rmSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { dirname, join } from 'node:path'

const root = join(dirname(new URL(import.meta.url).pathname), '..')
const vendor = join(root, 'public', 'vendor')

function copy(pkg, files, dest) {
  const dir = join(root, 'node_modules', pkg)
  if (!existsSync(dir)) {
    console.warn(`vendor-assets: ${pkg} is not installed; skipped`)
    return
  }
  mkdirSync(join(vendor, dest), { recursive: true })
  for (const file of files) cpSync(join(dir, file), join(vendor, dest, file.split('/').pop()))
}

copy('swagger-ui-dist', ['swagger-ui.css', 'swagger-ui-bundle.js'], 'swagger-ui')
mkdirSync(join(vendor, 'swagger-ui'), { recursive: true })
writeFileSync(
  join(vendor, 'swagger-ui', 'docs-init.js'),
  "window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', persistAuthorization: true })\n",
)
// The ffmpeg.wasm core is 31 MiB, over the 25 MiB a Workers static asset may weigh: it ships
// gzipped (about a third of that) and the browser preview inflates it with DecompressionStream.
copy('@ffmpeg/core', ['dist/esm/ffmpeg-core.js'], 'ffmpeg')
const wasm = join(root, 'node_modules', '@ffmpeg', 'core', 'dist', 'esm', 'ffmpeg-core.wasm')
const wasmGz = join(vendor, 'ffmpeg', 'ffmpeg-core.wasm.gz')
if (existsSync(wasm) && !existsSync(wasmGz)) writeFileSync(wasmGz, gzipSync(readFileSync(wasm), { level: 9 }))
rmSync(join(vendor, 'ffmpeg', 'ffmpeg-core.wasm'), { force: true })
console.log('vendor-assets: public/vendor is ready')
