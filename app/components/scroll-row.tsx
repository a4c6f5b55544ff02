/**
 * A row that scrolls sideways when it does not fit (the project's tabs on a phone): it fades at
 * the right edge while more is hidden there, and keeps the current item in view.
 */
import { useEffect, useRef, type ComponentProps } from 'react'

export function ScrollRow({ className, children, ...nav }: ComponentProps<'nav'>) {
  const ref = useRef<HTMLElement>(null)
  useEffect(() => {
    const row = ref.current
    if (!row) return
    const update = () => {
      row.dataset.atEnd = String(row.scrollLeft + row.clientWidth >= row.scrollWidth - 2)
    }
    // Only the row scrolls (scrollIntoView would move the page too).
    const current = row.querySelector<HTMLElement>('[aria-current="page"]')
    if (current) {
      const left = current.offsetLeft
      if (left < row.scrollLeft || left + current.offsetWidth > row.scrollLeft + row.clientWidth) row.scrollLeft = left - 16
    }
    update()
    row.addEventListener('scroll', update, { passive: true })
    window.addEventListener('resize', update)
    return () => {
      row.removeEventListener('scroll', update)
      window.removeEventListener('resize', update)
    }
  })
  return (
    <nav ref={ref} className={`scroll-edge relative overflow-x-auto ${className ?? ''}`} {...nav}>
      {children}
    </nav>
  )
}
