import { describe, expect, test } from 'vitest'
import { fieldLabel, problemResult } from './forms'

describe('API fields in the forms’ words (#16)', () => {
  test('known fields, list items, per-platform texts, and unknown ones put into words', () => {
    expect(fieldLabel('trimEnd')).toBe('End (s)')
    expect(fieldLabel('trim.endSec')).toBe('End (s)')
    expect(fieldLabel('timeWindows.1')).toBe('Window 2')
    expect(fieldLabel('platformTexts.youtube.title')).toBe('YouTube title')
    expect(fieldLabel('weekdays.0')).toBe('Weekdays')
    expect(fieldLabel('words.4')).toBe('Word 5')
    expect(fieldLabel('someNewField')).toBe('Some new field')
  })
  test('a field the form has no place for is named by its label in the notice, never by its API name', () => {
    const result = problemResult('create', { status: 400, detail: 'Invalid body', errors: [{ field: 'trimEnd', message: 'must be at most 4' }, { field: 'caption', message: 'too long' }] }, { caption: '' })
    expect(result.fieldErrors).toEqual({ caption: 'Too long' })
    expect(result.message).toBe('Please check: End (s): must be at most 4')
  })
})
