/** Dates and times in words for the pages: the same words the API writes (workers/domain/when.ts). */
export { formatAt, formatDay, formatFromNow, formatWhen, instantsInWords, localeFrom } from '../../workers/domain/when'
