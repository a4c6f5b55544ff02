/** The result of the page's last form action, as the screens should show it. */
import { useNavigation } from 'react-router'
import type { FormResult } from './forms'

/**
 * The last action's result. A success is held back while the page's data reloads after it, so a
 * "created" note never shows beside a list that does not have the new item yet. Failures show at
 * once: nothing is reloaded after them.
 */
export function useActionResult(actionData: unknown): FormResult | undefined {
  const navigation = useNavigation()
  const result = actionData as FormResult | undefined
  if (result?.ok && navigation.state !== 'idle') return undefined
  return result
}
