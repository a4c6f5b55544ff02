/**
 * Clerk's Backend API, the part Reelpilot calls: `GET /v1/users/{id}` with the secret key as a
 * bearer token, answering Clerk's User object (snake_case, `email_addresses` each with its
 * `verification`, `primary_email_address_id`) or Clerk's error shape. Tests make users through
 * `POST /_control/clerk/users`.
 */
import { randomBytes } from 'node:crypto'
import type { ServerResponse } from 'node:http'

/** Clerk answers `content-type: application/json` exactly (its SDK parses the body only then). */
function sendJson(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

export interface StubClerkEmail {
  email: string
  verified: boolean
}

interface StubClerkUser {
  id: string
  firstName: string | null
  lastName: string | null
  emails: (StubClerkEmail & { id: string })[]
  primaryIndex: number
}

const users = new Map<string, StubClerkUser>()
const rid = (prefix: string) => `${prefix}_${randomBytes(12).toString('hex')}`

/** `{emails: [{email, verified}], primary?: index, firstName?, lastName?}` → `{userId}`. */
export function createClerkUser(body: { emails: StubClerkEmail[]; primary?: number; firstName?: string; lastName?: string }) {
  const user: StubClerkUser = {
    id: rid('user'),
    firstName: body.firstName ?? null,
    lastName: body.lastName ?? null,
    emails: body.emails.map((e) => ({ ...e, id: rid('idn') })),
    primaryIndex: body.primary ?? 0,
  }
  users.set(user.id, user)
  return { userId: user.id }
}

function userJson(u: StubClerkUser) {
  const now = Date.now()
  return {
    object: 'user',
    id: u.id,
    external_id: null,
    primary_email_address_id: u.emails[u.primaryIndex]?.id ?? null,
    primary_phone_number_id: null,
    primary_web3_wallet_id: null,
    username: null,
    first_name: u.firstName,
    last_name: u.lastName,
    image_url: 'https://img.clerk.com/stub',
    has_image: false,
    public_metadata: {},
    private_metadata: {},
    unsafe_metadata: {},
    email_addresses: u.emails.map((e) => ({
      object: 'email_address',
      id: e.id,
      email_address: e.email,
      reserved: false,
      verification: e.verified
        ? { object: 'verification_email_code', status: 'verified', strategy: 'email_code', attempts: 1, expire_at: now + 600_000 }
        : { object: 'verification_email_code', status: 'unverified', strategy: 'email_code', attempts: 0, expire_at: now + 600_000 },
      linked_to: [],
      created_at: now,
      updated_at: now,
    })),
    phone_numbers: [],
    web3_wallets: [],
    external_accounts: [],
    enterprise_accounts: [],
    password_enabled: false,
    two_factor_enabled: false,
    totp_enabled: false,
    backup_code_enabled: false,
    banned: false,
    locked: false,
    created_at: now,
    updated_at: now,
    last_sign_in_at: now,
    last_active_at: now,
    delete_self_enabled: true,
    create_organization_enabled: true,
  }
}

const clerkError = (res: ServerResponse, status: number, code: string, message: string) =>
  sendJson(res, status, { errors: [{ code, message, long_message: message }], clerk_trace_id: rid('trace') })

/** Handles `/clerk/*`; answers true when it did. */
export function clerkStub(method: string, path: string, authorization: string | undefined, res: ServerResponse): boolean {
  const match = /^\/v1\/users\/([^/]+)$/.exec(path)
  if (!match || method !== 'GET') return false
  if (!/^Bearer sk_(test|live)_\S+$/.test(authorization ?? '')) {
    clerkError(res, 401, 'authentication_invalid', 'Unauthorized request')
    return true
  }
  const user = users.get(decodeURIComponent(match[1]))
  if (!user) clerkError(res, 404, 'resource_not_found', 'Resource not found')
  else sendJson(res, 200, userJson(user))
  return true
}
