/**
 * The one cursor codec of the API's paginated lists: the sort key of the last row given out,
 * as base64url JSON. A cursor that does not decode is a 400 naming `query.cursor`.
 */
import { base64urlToText, textToBase64url } from '../lib/crypto'
import { badRequest } from '../lib/errors'

/** The cursor that continues after a row with these sort values (e.g. `[createdAt, id]`). */
export const encodeCursor = (values: readonly string[]) => textToBase64url(JSON.stringify(values))

/** The sort values of a cursor this API gave out; `count` of them, every one a non-empty string. */
export function decodeCursor(cursor: string, count: number): string[] {
  try {
    const values = JSON.parse(base64urlToText(cursor)) as unknown
    if (Array.isArray(values) && values.length === count && values.every((v) => typeof v === 'string' && v !== '')) return values
  } catch {
    // fall through
  }
  throw badRequest('The cursor is not one this API gave out.', [{ field: 'query.cursor', message: 'is not valid' }])
}
