/** The transcript of a clip as the API answers it (`GET /api/media/:id/transcript`, #15). */
export type { Transcript } from '../../workers/speech/routes'
