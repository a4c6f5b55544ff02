// Copies third-party browser assets into public/vendor so the app serves them itself:
// nothing is fetched from a CDN at run time. Runs after every `npm install`.
import { cpSync, mkdirSync, writeFileSync, existsSync, readFileSync, rmSync } from 'node:fs'
import { gzipSync } from 'node:zlib'
import { dirname, join } from 'node:path'
import { FONT_FAMILIES, fontFile, fontPackagePath } from '../containers/render/recipe/fonts.ts'

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

// Fonts for the browser preview (its libass has no system fonts): the regular and bold file of
// every family in the recipe's font table (containers/render/recipe/fonts.ts), from the npm
// packages that ship them, under the file names fontFile() gives. Each is under the 25 MiB a
// Workers static asset may weigh, so they are served as they are.
const fontsOut = join(vendor, 'fonts')
rmSync(fontsOut, { recursive: true, force: true })
mkdirSync(fontsOut, { recursive: true })
const missingFonts = []
for (const family of FONT_FAMILIES) {
  for (const bold of [false, true]) {
    const from = join(root, 'node_modules', fontPackagePath(family, bold))
    if (existsSync(from)) cpSync(from, join(fontsOut, fontFile(family, bold)))
    else missingFonts.push(fontPackagePath(family, bold))
  }
}
if (missingFonts.length) {
  console.error(`vendor-assets: ${missingFonts.length} preview fonts are missing (${missingFonts.join(', ')}): run npm install`)
  process.exitCode = 1
}
console.log('vendor-assets: public/vendor is ready')
