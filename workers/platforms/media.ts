/** The render in R2 as a VideoSource: read in ranges, streamed, never buffered whole. */
import type { VideoSource } from './types'

export function r2VideoSource(bucket: R2Bucket, key: string, meta: { size: number; contentType: string; url: string }): VideoSource {
  return {
    size: meta.size,
    contentType: meta.contentType,
    url: meta.url,
    async read(offset, length) {
      const object = await bucket.get(key, { range: { offset, length } })
      if (!object) throw new Error(`R2 object ${key} is missing`)
      // A fixed length lets fetch send Content-Length instead of chunked encoding.
      return object.body.pipeThrough(new FixedLengthStream(length))
    },
  }
}
