// The local secrets in .dev.vars (from .dev.vars.example when there is none): a sign-in key pair,
// the upload signing key, the render server's secret and the token encryption key, each made once.
// `npm start` calls it first; `npm test` calls it before its build, so the build copies the same
// .dev.vars that the products it starts will read (else the first one found it changed and rebuilt).
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** Makes what is missing in .dev.vars, writes it back and returns its text. */
export function ensureDevVars() {
  const file = join(root, '.dev.vars')
  let text = existsSync(file) ? readFileSync(file, 'utf8') : readFileSync(join(root, '.dev.vars.example'), 'utf8')
  if (!/^LOCAL_AUTH_PRIVATE_KEY=\S/m.test(text)) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    })
    const quoted = (pem) => JSON.stringify(pem.trim())
    text = text.replace(/^LOCAL_AUTH_PRIVATE_KEY=.*$/m, '').replace(/^LOCAL_AUTH_PUBLIC_KEY=.*$/m, '')
    text = `${text.trimEnd()}\nLOCAL_AUTH_PRIVATE_KEY=${quoted(privateKey)}\nLOCAL_AUTH_PUBLIC_KEY=${quoted(publicKey)}\n`
    console.log('start: made a local sign-in key in .dev.vars')
  }
  if (!/^UPLOAD_SIGNING_KEY=\S/m.test(text)) {
    text = `${text.replace(/^UPLOAD_SIGNING_KEY=.*$/m, '').trimEnd()}\nUPLOAD_SIGNING_KEY=${randomBytes(32).toString('base64url')}\n`
    console.log('start: made a local upload signing key in .dev.vars')
  }
  if (!/^RENDER_SHARED_SECRET=\S/m.test(text)) {
    text = `${text.replace(/^RENDER_SHARED_SECRET=.*$/m, '').trimEnd()}\nRENDER_SHARED_SECRET=${randomBytes(32).toString('base64url')}\n`
    console.log('start: made a local render server secret in .dev.vars')
  }
  if (!/^TOKEN_ENCRYPTION_KEY=\S/m.test(text)) {
    text = `${text.replace(/^TOKEN_ENCRYPTION_KEY=.*$/m, '').trimEnd()}\nTOKEN_ENCRYPTION_KEY=v1:${randomBytes(32).toString('base64')}\n`
    console.log('start: made a local token encryption key in .dev.vars')
  }
  // `npm run dev` (the React Router dev server) reads .dev.vars too: it is local.
  if (!/^APP_ENV=/m.test(text)) text = `${text.trimEnd()}\nAPP_ENV=local\n`
  writeFileSync(file, text)
  return text
}
