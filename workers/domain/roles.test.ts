import { describe, expect, it } from 'vitest'
import { can, canAssignRole, hasRole } from './roles'

describe('roles', () => {
  it('orders roles owner > admin > editor > viewer', () => {
    expect(hasRole('owner', 'admin')).toBe(true)
    expect(hasRole('admin', 'owner')).toBe(false)
    expect(hasRole('editor', 'viewer')).toBe(true)
    expect(hasRole('viewer', 'editor')).toBe(false)
  })

  it('lets viewers read but not write', () => {
    expect(can('viewer', 'projects.read')).toBe(true)
    expect(can('viewer', 'projects.write')).toBe(false)
    expect(can('editor', 'projects.write')).toBe(true)
    expect(can('editor', 'projects.delete')).toBe(false)
    expect(can('admin', 'workspace.delete')).toBe(false)
    expect(can('owner', 'workspace.delete')).toBe(true)
  })

  it('keeps owner grants with owners, and never grants more than held', () => {
    expect(canAssignRole('admin', 'editor')).toBe(true)
    expect(canAssignRole('admin', 'owner')).toBe(false)
    expect(canAssignRole('admin', 'viewer', 'owner')).toBe(false)
    expect(canAssignRole('owner', 'owner')).toBe(true)
    expect(canAssignRole('editor', 'viewer')).toBe(false)
  })
})
