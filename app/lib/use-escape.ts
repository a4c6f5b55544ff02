/** Esc closes what is open: panels, sheets and menus register a handler here. */
import { useEffect, useRef } from 'react'

/**
 * Calls `onEscape` when Esc is pressed anywhere on the page. It returns true when it closed
 * something, which stops the key there (one Esc closes one thing, the most recently opened).
 */
export function useEscape(onEscape: () => boolean | void, active = true) {
  const handler = useRef(onEscape)
  handler.current = onEscape
  useEffect(() => {
    if (!active) return
    const listener = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return
      if (handler.current() !== false) event.preventDefault()
    }
    document.addEventListener('keydown', listener)
    return () => document.removeEventListener('keydown', listener)
  }, [active])
}
