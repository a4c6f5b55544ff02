/**
 * After a form is sent and its answer is shown, keyboard focus moves to the first thing that went
 * wrong: the first field marked invalid or alert in that form, in page order. Every form of the
 * signed-in pages gets this from the layout, so no page has to remember it.
 */
import { useEffect, useRef } from 'react'
import { useFetchers, useNavigation } from 'react-router'

export function useFocusFirstError() {
  const submitted = useRef<HTMLFormElement | null>(null)
  const navigation = useNavigation()
  const fetchers = useFetchers()
  const busy = navigation.state !== 'idle' || fetchers.some((f) => f.state !== 'idle')
  const wasBusy = useRef(false)

  useEffect(() => {
    const remember = (event: SubmitEvent) => {
      if (event.target instanceof HTMLFormElement) submitted.current = event.target
    }
    document.addEventListener('submit', remember, true)
    return () => document.removeEventListener('submit', remember, true)
  }, [])

  useEffect(() => {
    if (busy) {
      wasBusy.current = true
      return
    }
    if (!wasBusy.current) return
    wasBusy.current = false
    const form = submitted.current
    submitted.current = null
    if (!form?.isConnected) return
    const target = form.querySelector<HTMLElement>('[aria-invalid="true"], [role="alert"]')
    if (!target) return
    if (!target.matches('input, select, textarea, button, a[href], [tabindex]')) target.tabIndex = -1
    target.focus()
  }, [busy])
}
