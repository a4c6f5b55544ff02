/**
 * Local sign-in: RS256 session tokens shaped like Clerk's, signed by a local key. They are
 * verified by the very same `@clerk/backend` `verifyToken` call as production tokens, with the
 * local public key as `jwtKey`, so local mode exercises the production code path.
 */
import { SignJWT, importPKCS8 } from 'jose'
import { sha256Hex } from './crypto'

export const LOCAL_ISSUER = 'https://local.reelpilot.dev'
const TOKEN_TTL_SECONDS = 60 * 60 * 24 * 7

/** The stable subject for an email, so the same person gets the same user row every time. */
export async function localSubject(email: string): Promise<string> {
  return `user_local_${(await sha256Hex(email.toLowerCase())).slice(0, 24)}`
}

export async function signLocalSessionToken(
  privateKeyPem: string,
  claims: { email: string; name?: string; azp?: string },
  now = Math.floor(Date.now() / 1000),
): Promise<string> {
  const key = await importPKCS8(privateKeyPem, 'RS256')
  return new SignJWT({ email: claims.email.toLowerCase(), name: claims.name, azp: claims.azp, sid: `sess_${crypto.randomUUID()}` })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: 'local' })
    .setSubject(await localSubject(claims.email))
    .setIssuer(LOCAL_ISSUER)
    .setIssuedAt(now - 5)
    .setNotBefore(now - 5)
    .setExpirationTime(now + TOKEN_TTL_SECONDS)
    .sign(key)
}
