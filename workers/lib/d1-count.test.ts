/** The benchmark's D1 statement count (local mode, `x-count-d1: 1`), plain statements and batches. */
import { describe, expect, it } from 'vitest'
import { call, memberWithRole, ownerWithWorkspace } from '../../test/helpers'

describe('x-count-d1', () => {
  it('answers how many D1 statements a request ran, batches included, and changes nothing else', async () => {
    const { token, workspace } = await ownerWithWorkspace('counted')
    const plain = await call('GET', `/workspaces/${workspace.id}`, { token })
    expect(plain.headers.get('x-d1-queries')).toBeNull()
    const counted = await call('GET', `/workspaces/${workspace.id}`, { token, headers: { 'x-count-d1': '1' } })
    expect(counted.status).toBe(200)
    expect(counted.json).toEqual(plain.json)
    // The session's user, the role, the workspace.
    expect(Number(counted.headers.get('x-d1-queries'))).toBe(3)
    const member = await memberWithRole(token, workspace.id, 'viewer')
    // Removing a member is one batch of two statements, after the lookups.
    const removed = await call('DELETE', `/workspaces/${workspace.id}/members/${member.userId}`, { token, headers: { 'x-count-d1': '1' } })
    expect(removed.status).toBe(204)
    expect(Number(removed.headers.get('x-d1-queries'))).toBeGreaterThanOrEqual(4)
  })
})
