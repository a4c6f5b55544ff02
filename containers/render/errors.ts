/**
 * Errors the render server turns into HTTP answers. Each carries a sentence a person
 * understands, because the media library shows it to the creator as the reason.
 */

import { RecipeError } from './recipe/ffmpeg.ts'
import type { MediaErrorCode } from './recipe/vocabulary.ts'

/** The media itself is bad: answered with 422 and a code. */
export class MediaError extends RecipeError<MediaErrorCode> {
  constructor(code: MediaErrorCode, message: string) {
    super(code, message)
    this.name = 'MediaError'
  }
}

/** A URL we were handed (source or upload) did not work: answered with 502. */
export class UpstreamError extends Error {
  readonly upstreamStatus: number | null
  constructor(message: string, upstreamStatus: number | null = null) {
    super(message)
    this.name = 'UpstreamError'
    this.upstreamStatus = upstreamStatus
  }
}

/** The request body is malformed: answered with 400. */
export class BadRequestError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BadRequestError'
  }
}

/** The spec cannot be rendered as asked (e.g. it breaks a platform's limits): answered with 422, its code and details. */
export class SpecRefusedError extends RecipeError {
  readonly details: Record<string, unknown>
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(code, message)
    this.name = 'SpecRefusedError'
    this.details = details
  }
}
