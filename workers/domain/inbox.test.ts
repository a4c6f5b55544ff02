import { describe, expect, it } from 'vitest'
import { contactDetails, unrequestedDetails } from './inbox'

describe('unrequestedDetails', () => {
  it('flags a link, an e-mail, a phone number and a handle the creator did not write', () => {
    const reply = 'Thanks! DM us at deals@brand.example.com or call +1 (555) 010-2030, see https://evil.example/x and follow @promo_bot'
    expect(unrequestedDetails(reply, ['Our new video'])).toEqual([
      { kind: 'email', value: 'deals@brand.example.com' },
      { kind: 'link', value: 'https://evil.example/x' },
      { kind: 'phone', value: '+1 (555) 010-2030' },
      { kind: 'handle', value: '@promo_bot' },
    ])
  })

  it('leaves what the creator wrote themselves, however it is spelled', () => {
    expect(unrequestedDetails('The recipe is on www.mykitchen.com/recipes', ['Full recipe: https://mykitchen.com/recipes'])).toEqual([])
    expect(unrequestedDetails('Write to hello@mykitchen.com', ['Business: hello@mykitchen.com'])).toEqual([])
  })

  it('does not flag plain replies, times or small numbers', () => {
    expect(contactDetails('Thank you! Bake it 45 minutes at 180 degrees, see you at 12:30.')).toEqual([])
    expect(contactDetails('Great question, e.g. use 2 eggs.')).toEqual([])
  })
})
