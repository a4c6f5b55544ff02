/**
 * Security headers on every answer (pages, API, storage) through Hono's `secureHeaders`, and the
 * `Origin` check on requests that change something. The CSP allows only our own assets: the app's
 * bundles, the self-hosted ffmpeg.wasm core and fonts under /vendor, and, with Clerk configured,
 * Clerk's Frontend API (its sign-in script) and Cloudflare's captcha frame that Clerk uses.
 */
import type { Context, MiddlewareHandler } from 'hono'
import { NONCE, secureHeaders } from 'hono/secure-headers'
import type { AppEnv } from '../env'
import { clerkFrontendApi } from './clerk-frontend'
import { problemResponse } from './errors'

const CLERK_CAPTCHA = 'https://challenges.cloudflare.com'

/** `https://<Clerk Frontend API>` when a publishable key is configured, else nothing. */
const clerkOrigin = (c: Context<AppEnv>): string => {
  const host = c.env.CLERK_PUBLISHABLE_KEY ? clerkFrontendApi(c.env.CLERK_PUBLISHABLE_KEY) : undefined
  return host ? `https://${host}` : ''
}
const clerkCaptcha = (c: Context<AppEnv>): string => (clerkOrigin(c) ? CLERK_CAPTCHA : '')

/** The headers: CSP with a per-response script nonce (React Router's inline scripts carry it). */
export const securityHeaders = (): MiddlewareHandler<AppEnv> =>
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      // 'wasm-unsafe-eval': the preview compiles ffmpeg.wasm; nothing else may eval.
      scriptSrc: ["'self'", NONCE, "'wasm-unsafe-eval'", clerkOrigin, clerkCaptcha],
      // Inline style attributes (progress bars, the 9:16 frames); no remote stylesheets.
      styleSrc: ["'self'", "'unsafe-inline'"],
      // Storage links are on PUBLIC_URL, our own origin; previews and the favicon are blob: and data:.
      imgSrc: ["'self'", 'data:', 'blob:', 'https://img.clerk.com'],
      mediaSrc: ["'self'", 'blob:'],
      fontSrc: ["'self'"],
      // The preview fetches its inflated core as a blob: URL.
      connectSrc: ["'self'", 'blob:', clerkOrigin],
      workerSrc: ["'self'", 'blob:'],
      frameSrc: [(c: Context<AppEnv>) => clerkCaptcha(c) || "'none'"],
      frameAncestors: ["'none'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
    },
    strictTransportSecurity: 'max-age=31536000; includeSubDomains',
    referrerPolicy: 'strict-origin-when-cross-origin',
    xFrameOptions: 'DENY',
    xContentTypeOptions: 'nosniff',
    // Storage URLs are fetched by the render server and the platforms (not browsers): same-origin is right for browsers.
    crossOriginResourcePolicy: 'same-origin',
    crossOriginOpenerPolicy: 'same-origin',
  })

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * A browser sends `Origin` with every request that changes something; a form posted from another
 * site (which would carry our session cookie) names that site. Such requests are refused, for the
 * cookie-session form actions of the pages and the API alike. Clients that send no `Origin` (API
 * keys, the render server) are not browsers and carry no cookie of ours to abuse, unless a browser's
 * `Sec-Fetch-Site` says the request is cross-site.
 */
export const originCheck = (): MiddlewareHandler<AppEnv> =>
  async function originCheck(c, next) {
    if (SAFE_METHODS.has(c.req.method)) return next()
    const own = new Set([new URL(c.req.url).origin])
    if (c.env.PUBLIC_URL) {
      try {
        own.add(new URL(c.env.PUBLIC_URL).origin)
      } catch {
        // A malformed PUBLIC_URL is reported where storage links are made.
      }
    }
    const origin = c.req.header('origin')
    const site = c.req.header('sec-fetch-site')
    const foreign = origin !== undefined ? !own.has(origin) : site !== undefined && site !== 'same-origin' && site !== 'none'
    if (foreign) {
      return problemResponse(403, `Requests that change something must come from this site's own pages (Origin ${origin ?? 'not sent'}, Sec-Fetch-Site ${site ?? 'not sent'}).`)
    }
    await next()
  }
