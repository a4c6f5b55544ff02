/**
 * A response body read as JSON: its value, or undefined when the body is empty or not JSON.
 * No imports: the web app's client code uses it too, so it must pull nothing Worker-only in.
 */
export function parseJsonOrUndefined(text: string): unknown {
  if (!text) return undefined
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
