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

// Fonts for the browser preview (its libass has no system fonts): the Noto files the render
// styles use, copied from Debian's fonts-noto-core / fonts-noto-cjk (installed by .ci/run and the
// Dockerfile). The CJK collections are over the 25 MiB asset cap, so they ship gzipped and the
// preview inflates them, as it does the ffmpeg.wasm core.
const fontsRoot = process.env.FONTS_DIR ?? '/usr/share/fonts'
const fontFiles = [
  'truetype/noto/NotoSans-Regular.ttf', 'truetype/noto/NotoSans-Bold.ttf',
  'truetype/noto/NotoSansDisplay-Regular.ttf', 'truetype/noto/NotoSansDisplay-Bold.ttf',
  'truetype/noto/NotoSerifDisplay-Regular.ttf', 'truetype/noto/NotoSerifDisplay-Bold.ttf',
  'truetype/noto/NotoSansArabic-Regular.ttf', 'truetype/noto/NotoSansArabic-Bold.ttf',
  'truetype/noto/NotoKufiArabic-Regular.ttf', 'truetype/noto/NotoKufiArabic-Bold.ttf',
  'truetype/noto/NotoNaskhArabic-Regular.ttf', 'truetype/noto/NotoNaskhArabic-Bold.ttf',
  'truetype/noto/NotoSansHebrew-Regular.ttf', 'truetype/noto/NotoSansHebrew-Bold.ttf',
  'truetype/noto/NotoSerifHebrew-Regular.ttf', 'truetype/noto/NotoSerifHebrew-Bold.ttf',
  'opentype/noto/NotoSansCJK-Regular.ttc', 'opentype/noto/NotoSansCJK-Bold.ttc',
  'opentype/noto/NotoSerifCJK-Regular.ttc', 'opentype/noto/NotoSerifCJK-Bold.ttc',
]
const fontsOut = join(vendor, 'fonts')
mkdirSync(fontsOut, { recursive: true })
const missingFonts = []
for (const file of fontFiles) {
  const from = join(fontsRoot, file)
  const name = file.split('/').pop()
  if (!existsSync(from)) {
    missingFonts.push(file)
    continue
  }
  if (file.endsWith('.ttc')) {
    const gz = join(fontsOut, `${name}.gz`)
    if (!existsSync(gz)) writeFileSync(gz, gzipSync(readFileSync(from), { level: 6 }))
  } else {
    cpSync(from, join(fontsOut, name))
  }
}
if (missingFonts.length) {
  console.warn(`vendor-assets: ${missingFonts.length} preview fonts are not installed (apt-get install -y fonts-noto-core fonts-noto-cjk); the preview draws text only in the fonts it has`)
}
console.log('vendor-assets: public/vendor is ready')
