/**
 * Fetches one of the project's clips into the browser as a File, for the style preview: the
 * original comes through its short-lived signed download URL (GET /api/media/:id gives one).
 */
import type { Media } from './media-upload'

/** The original of a ready library clip, as a File named like the upload. */
export async function fetchLibraryClip(mediaId: string, signal?: AbortSignal): Promise<File> {
  const res = await fetch(`/api/media/${encodeURIComponent(mediaId)}`, { headers: { accept: 'application/json' }, signal })
  if (!res.ok) throw new Error(`The clip could not be found (${res.status}).`)
  const media = (await res.json()) as Media & { downloadUrl: string | null }
  if (!media.downloadUrl) throw new Error('This clip cannot be downloaded yet.')
  const original = await fetch(media.downloadUrl, { signal })
  if (!original.ok) throw new Error(`The clip could not be fetched (${original.status}).`)
  return new File([await original.blob()], media.filename, { type: media.contentType })
}
