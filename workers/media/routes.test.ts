/**
 * The media library under the Workers integration: real D1 and R2 (Miniflare), bytes sent through
 * the very URLs the API hands out. Probing and thumbnails need the render server to reach the
 * Worker over TCP, which it cannot do here (SELF has no port): those run in e2e/media-pipeline.test.ts.
 */
import { createExecutionContext, createScheduledController, env, SELF, waitOnExecutionContext } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import { call, expectProblem, memberWithRole, ownerWithWorkspace } from '../../test/helpers'
import { MiB, REJECTION_REASONS } from '../domain/media'
import { signGrant } from '../lib/signed-url'
import worker from '../index'
import { recheckStuckMedia, sweepAbandonedUploads, sweepOldRejections } from '../sweeper/media'

async function projectFor(token: string, workspaceId: string, name = 'Library') {
  const res = await call('POST', '/projects', { token, body: { workspaceId, name } })
  if (res.status !== 201) throw new Error(`project creation failed: ${res.status} ${res.text}`)
  return res.json.id as string
}

async function setup() {
  const owner = await ownerWithWorkspace('creator')
  const projectId = await projectFor(owner.token, owner.workspace.id)
  return { ...owner, projectId }
}

/** Every R2 key under a workspace's prefixes, and every media row of a workspace: what "nothing left behind" means. */
async function r2Keys(workspaceId: string) {
  const keys: string[] = []
  let cursor: string | undefined
  do {
    const page = await env.MEDIA.list({ prefix: `media/${workspaceId}/`, cursor })
    keys.push(...page.objects.map((o) => o.key))
    cursor = page.truncated ? page.cursor : undefined
  } while (cursor)
  return keys
}
async function mediaRows(workspaceId: string) {
  return (await env.DB.prepare('select * from media where workspace_id = ?').bind(workspaceId).all<any>()).results
}
async function partRows(mediaId: string) {
  return (await env.DB.prepare('select * from media_parts where media_id = ? order by part_number').bind(mediaId).all<any>()).results
}

/** Deterministic bytes, different for each `seed`, so assembled objects can be compared. */
function bytes(length: number, seed = 1) {
  const out = new Uint8Array(length)
  let x = seed * 2654435761
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0
    out[i] = x >>> 24
  }
  return out
}

/** Sends bytes to a signed URL as a client would (the URL is on the Worker itself). */
async function put(url: string, body: BodyInit, headers: Record<string, string> = {}) {
  const res = await SELF.fetch(url, { method: 'PUT', body, headers })
  const text = await res.text()
  return { status: res.status, text, json: text ? JSON.parse(text) : undefined, headers: res.headers }
}

describe('POST /api/media/upload-url', () => {
  it('hands out a URL that streams the bytes into R2 under a key built by the server', async () => {
    const { token, workspace, projectId } = await setup()
    const data = bytes(300_000)
    const res = await call('POST', '/media/upload-url', { token, body: { projectId, filename: '../Mon clip été (1).MP4', contentType: 'video/mp4', size: data.length } })
    expect(res.status).toBe(201)
    const { mediaId, uploadUrl, key, expiresAt } = res.json
    expect(mediaId).toMatch(/^med_/)
    expect(key).toMatch(new RegExp(`^media/${workspace.id}/${projectId}/[0-9a-f-]{36}/Mon-clip-ete-1\\.MP4$`))
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now())
    expect(new URL(uploadUrl).pathname).toMatch(/^\/api\/storage\//)

    const stored = await put(uploadUrl, data)
    expect(stored.status).toBe(200)
    const object = await env.MEDIA.get(key)
    expect(object?.size).toBe(data.length)
    expect(object?.httpMetadata?.contentType).toBe('video/mp4')
    expect(new Uint8Array(await object!.arrayBuffer())).toEqual(data)

    const item = await call('GET', `/media/${mediaId}`, { token })
    expect(item.json).toMatchObject({ id: mediaId, projectId, filename: '../Mon clip été (1).MP4', title: '', topic: '', status: 'uploading', size: data.length, multipart: false, downloadUrl: null, thumbnailUrl: null })
    expect(item.json.key).toBeUndefined()
  })

  it('names each bad field and leaves nothing behind', async () => {
    const { token, workspace, projectId } = await setup()
    const base = { projectId, filename: 'clip.mp4', contentType: 'video/mp4', size: 1000 }
    const cases: [unknown, number, string][] = [
      [{ ...base, size: 0 }, 400, 'size'],
      [{ ...base, size: -5 }, 400, 'size'],
      [{ ...base, size: 1.5 }, 400, 'size'],
      [{ ...base, size: '1000' }, 400, 'size'],
      [{ ...base, filename: '  ' }, 400, 'filename'],
      [{ ...base, projectId: undefined }, 400, 'projectId'],
      [{ ...base, contentType: 'text/plain' }, 415, 'contentType'],
      [{ ...base, contentType: 'video/x-matroska' }, 415, 'contentType'],
      [{ ...base, size: 100_000_001 }, 413, 'size'],
    ]
    for (const [body, status, field] of cases) {
      const problem = expectProblem(await call('POST', '/media/upload-url', { token, body }), status)
      expect(problem.errors?.map((e) => e.field), JSON.stringify(body)).toContain(field)
    }
    const huge = expectProblem(await call('POST', '/media/multipart', { token, body: { ...base, size: 2_000_000_001 } }), 413)
    expect(huge.detail).toMatch(/free plan takes files up to 2 GB/)
    expect(huge.errors?.[0].field).toBe('size')
    expect(await mediaRows(workspace.id)).toEqual([])
    expect(await r2Keys(workspace.id)).toEqual([])
  })

  it("answers 404 for an unknown project and for another workspace's project, 403 for a viewer, and writes nothing", async () => {
    const { token, workspace, projectId } = await setup()
    const outsider = await ownerWithWorkspace('outsider')
    const viewer = await memberWithRole(token, workspace.id, 'viewer')
    const body = { projectId, filename: 'clip.mp4', contentType: 'video/mp4', size: 1000 }
    expectProblem(await call('POST', '/media/upload-url', { token, body: { ...body, projectId: 'prj_doesnotexist' } }), 404)
    expectProblem(await call('POST', '/media/upload-url', { token: outsider.token, body }), 404)
    expectProblem(await call('POST', '/media/multipart', { token: outsider.token, body }), 404)
    expectProblem(await call('POST', '/media/upload-url', { token: viewer.token, body }), 403)
    expect(await mediaRows(workspace.id)).toEqual([])
    expect(await mediaRows(outsider.workspace.id)).toEqual([])
    expect(await r2Keys(workspace.id)).toEqual([])
  })

  it('refuses an upload that would take the workspace over its storage quota, counting uploads in flight', async () => {
    const { token, workspace, projectId } = await setup()
    // The free plan stores 10 GB: five 2 GB uploads announced (not yet sent) fill it.
    for (let i = 0; i < 5; i++) {
      const res = await call('POST', '/media/multipart', { token, body: { projectId, filename: `big-${i}.mp4`, contentType: 'video/mp4', size: 2_000_000_000 } })
      expect(res.status).toBe(201)
    }
    const over = expectProblem(await call('POST', '/media/upload-url', { token, body: { projectId, filename: 'one-more.mp4', contentType: 'video/mp4', size: 1 } }), 413)
    expect(over.detail).toMatch(/storage quota of 10 GB: 10 GB is in use/)
    expect(over.errors?.[0].field).toBe('size')
    expect(await mediaRows(workspace.id)).toHaveLength(5)

    // Cancelling one frees its share at once.
    const first = (await mediaRows(workspace.id))[0]
    expect((await call('POST', `/media/${first.id}/abort`, { token })).status).toBe(204)
    expect((await call('POST', '/media/upload-url', { token, body: { projectId, filename: 'fits.mp4', contentType: 'video/mp4', size: 1000 } })).status).toBe(201)
  })
})

describe('the signed storage URL', () => {
  it('refuses a body of the wrong size, a chunked body, a forged or expired token, and stores nothing', async () => {
    const { token, workspace, projectId } = await setup()
    const res = await call('POST', '/media/upload-url', { token, body: { projectId, filename: 'clip.mp4', contentType: 'video/mp4', size: 1000 } })
    const { uploadUrl, key, mediaId } = res.json

    const tooShort = await put(uploadUrl, bytes(999))
    expect(tooShort.status).toBe(400)
    expect(tooShort.json.detail).toMatch(/999 bytes, but 1000 were announced/)
    expect(tooShort.json.errors[0].field).toBe('content-length')
    expect((await put(uploadUrl, bytes(1001))).status).toBe(400)

    const chunked = new ReadableStream({
      start(controller) {
        controller.enqueue(bytes(1000))
        controller.close()
      },
    })
    expect((await put(uploadUrl, chunked)).status).toBe(411)

    // A token whose grant was edited (a bigger size) no longer matches its signature.
    const [payload, mac] = new URL(uploadUrl).pathname.split('/').pop()!.split('.')
    const grant = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/')))
    const edited = btoa(JSON.stringify({ ...grant, size: 5 })).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
    const forged = await put(`https://reelpilot.test/api/storage/${edited}.${mac}`, bytes(5))
    expect(forged.status).toBe(403)
    expect(forged.json.detail).toMatch(/not valid/)

    const expired = await signGrant(env.UPLOAD_SIGNING_KEY, { ...grant, exp: Math.floor(Date.now() / 1000) - 1 })
    const late = await put(`https://reelpilot.test/api/storage/${expired}`, bytes(1000))
    expect(late.status).toBe(403)
    expect(late.json.detail).toMatch(/expired/)

    // An upload URL cannot be used to read, and nothing was stored by any of the above.
    expect((await SELF.fetch(uploadUrl)).status).toBe(403)
    expect(await env.MEDIA.head(key)).toBeNull()
    expect(await r2Keys(workspace.id)).toEqual([])

    // Complete before any bytes arrived: 409, and the upload can still go ahead.
    const early = expectProblem(await call('POST', `/media/${mediaId}/complete`, { token }), 409)
    expect(early.detail).toMatch(/Nothing has been uploaded yet/)
    expect((await mediaRows(workspace.id))[0].status).toBe('uploading')

    // Cancelling removes the record; a late PUT is refused and leaves nothing.
    expect((await call('POST', `/media/${mediaId}/abort`, { token })).status).toBe(204)
    expect((await put(uploadUrl, bytes(1000))).status).toBe(409)
    expect(await mediaRows(workspace.id)).toEqual([])
    expect(await r2Keys(workspace.id)).toEqual([])
  })

  it('serves reads with range requests through a signed read URL only', async () => {
    const { token, projectId } = await setup()
    const data = bytes(10_000, 7)
    const res = await call('POST', '/media/upload-url', { token, body: { projectId, filename: 'clip.mp4', contentType: 'video/mp4', size: data.length } })
    await put(res.json.uploadUrl, data)
    const readUrl = `https://reelpilot.test/api/storage/${await signGrant(env.UPLOAD_SIGNING_KEY, { op: 'get', key: res.json.key, contentType: 'video/mp4', exp: Math.floor(Date.now() / 1000) + 60 })}`

    const whole = await SELF.fetch(readUrl)
    expect(whole.status).toBe(200)
    expect(whole.headers.get('accept-ranges')).toBe('bytes')
    expect(new Uint8Array(await whole.arrayBuffer())).toEqual(data)

    const part = await SELF.fetch(readUrl, { headers: { range: 'bytes=100-199' } })
    expect(part.status).toBe(206)
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${data.length}`)
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(data.slice(100, 200))

    const tail = await SELF.fetch(readUrl, { headers: { range: 'bytes=-10' } })
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(data.slice(-10))
    expect((await SELF.fetch(readUrl, { headers: { range: 'bytes=20000-' } })).status).toBe(416)
    expect((await SELF.fetch(readUrl, { method: 'PUT', body: 'x' })).status).toBe(403)
  })
})

describe('multipart uploads', () => {
  it('takes several parts, survives an interrupted part by resuming from the list of stored parts, and assembles them', async () => {
    const { token, workspace, projectId } = await setup()
    const size = 2 * 5 * MiB + 123_456
    const data = bytes(size, 3)
    const created = await call('POST', '/media/multipart', { token, body: { projectId, filename: 'long take.mov', contentType: 'video/quicktime', size, partSize: 5 * MiB } })
    expect(created.status).toBe(201)
    const { mediaId, key, partSize, partCount } = created.json
    expect({ partSize, partCount }).toEqual({ partSize: 5 * MiB, partCount: 3 })

    const urls = await call('POST', `/media/${mediaId}/parts`, { token, body: { partNumbers: [1, 2, 3] } })
    expect(urls.status).toBe(200)
    const url = (n: number) => urls.json.parts.find((p: any) => p.partNumber === n).uploadUrl as string
    expect(urls.json.parts.map((p: any) => p.size)).toEqual([5 * MiB, 5 * MiB, 123_456])
    const slice = (n: number) => data.slice((n - 1) * partSize, Math.min(n * partSize, size))

    expect((await put(url(1), slice(1))).status).toBe(200)

    // Part 2's connection drops after 1 MiB: the stream errors mid-body.
    const dropped = new ReadableStream({
      start(controller) {
        controller.enqueue(slice(2).slice(0, MiB))
        controller.error(new Error('connection reset'))
      },
    })
    const interrupted = await SELF.fetch(url(2), { method: 'PUT', body: dropped, headers: { 'content-length': String(5 * MiB) } }).then(
      async (r) => r.status,
      () => 'failed',
    )
    expect(interrupted).not.toBe(200)

    // Resume: the list says what is stored; nothing of part 2 was recorded.
    const listed = await call('GET', `/media/${mediaId}/parts`, { token })
    expect(listed.json).toMatchObject({ partSize: 5 * MiB, partCount: 3, missing: [2, 3] })
    expect(listed.json.uploaded.map((p: any) => [p.partNumber, p.size])).toEqual([[1, 5 * MiB]])
    const notYet = expectProblem(await call('POST', `/media/${mediaId}/complete`, { token }), 409)
    expect(notYet.missingParts).toEqual([2, 3])

    // A part of the wrong size is refused, then the right bytes go in (part 3 before 2 is fine).
    expect((await put(url(3), slice(3).slice(1))).status).toBe(400)
    expect((await put(url(3), slice(3))).status).toBe(200)
    expect((await put(url(2), slice(2))).status).toBe(200)
    expect((await call('GET', `/media/${mediaId}/parts`, { token })).json.missing).toEqual([])

    // Complete assembles the object in R2. The content check then needs the render server to read it,
    // which cannot reach this in-process Worker: the media stays processing and complete says to retry.
    const done = await call('POST', `/media/${mediaId}/complete`, { token })
    expect(done.status).toBe(503)
    expect(done.json.detail).toMatch(/stays processing/)
    const object = await env.MEDIA.get(key)
    expect(object?.size).toBe(size)
    expect(new Uint8Array(await object!.arrayBuffer())).toEqual(data)
    expect((await call('GET', `/media/${mediaId}`, { token })).json.status).toBe('processing')
    expect(await partRows(mediaId)).toEqual([])
    expect(await r2Keys(workspace.id)).toEqual([key])

    // No more parts once complete.
    expectProblem(await call('POST', `/media/${mediaId}/parts`, { token, body: { partNumbers: [1] } }), 409)
    expect((await put(url(1), slice(1))).status).toBe(409)
  })

  it('checks part numbers and aborts an upload without leaving parts, objects or rows', async () => {
    const { token, workspace, projectId } = await setup()
    const size = 6 * MiB
    const created = await call('POST', '/media/multipart', { token, body: { projectId, filename: 'x.webm', contentType: 'video/webm', size, partSize: 5 * MiB } })
    const { mediaId, key } = created.json
    const bad = expectProblem(await call('POST', `/media/${mediaId}/parts`, { token, body: { partNumbers: [1, 3] } }), 400)
    expect(bad.errors).toEqual([{ field: 'partNumbers.1', message: 'must be at most 2' }])
    expectProblem(await call('POST', `/media/${mediaId}/parts`, { token, body: { partNumbers: [0] } }), 400)
    expectProblem(await call('POST', '/media/multipart', { token, body: { projectId, filename: 'x.webm', contentType: 'video/webm', size, partSize: MiB } }), 400)

    const urls = await call('POST', `/media/${mediaId}/parts`, { token, body: { partNumbers: [1] } })
    expect((await put(urls.json.parts[0].uploadUrl, bytes(5 * MiB))).status).toBe(200)
    expect(await partRows(mediaId)).toHaveLength(1)
    const uploadId = (await mediaRows(workspace.id))[0].upload_id as string

    expect((await call('POST', `/media/${mediaId}/abort`, { token })).status).toBe(204)
    expect(await mediaRows(workspace.id)).toEqual([])
    expect(await partRows(mediaId)).toEqual([])
    expect(await env.MEDIA.head(key)).toBeNull()
    // The R2 multipart upload itself is gone: it takes no more parts.
    await expect(env.MEDIA.resumeMultipartUpload(key, uploadId).uploadPart(2, 'x')).rejects.toThrow()
    expect((await put(urls.json.parts[0].uploadUrl, bytes(5 * MiB))).status).toBe(409)
    expect(await r2Keys(workspace.id)).toEqual([])
    expectProblem(await call('GET', `/media/${mediaId}/parts`, { token }), 404)
  })
})

describe('the library', () => {
  async function announce(token: string, projectId: string, filename: string, contentType = 'video/mp4') {
    const res = await call('POST', '/media/upload-url', { token, body: { projectId, filename, contentType, size: 100 } })
    if (res.status !== 201) throw new Error(res.text)
    return res.json.mediaId as string
  }

  it('lists newest first with a cursor, filters by status and type, and refuses a made-up cursor', async () => {
    const { token, projectId, workspace } = await setup()
    const ids: string[] = []
    for (const name of ['a.mp4', 'b.mp4', 'c.png', 'd.mov', 'e.jpg']) {
      ids.push(await announce(token, projectId, name, name.endsWith('png') ? 'image/png' : name.endsWith('jpg') ? 'image/jpeg' : 'video/mp4'))
    }
    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page: any = await call('GET', `/projects/${projectId}/media?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token })
      expect(page.status).toBe(200)
      expect(page.json.data.length).toBeLessThanOrEqual(2)
      seen.push(...page.json.data.map((m: any) => m.id))
      cursor = page.json.nextCursor
      pages++
    } while (cursor)
    expect(pages).toBe(3)
    expect(seen).toEqual([...ids].reverse())

    const images = await call('GET', `/projects/${projectId}/media?type=image`, { token })
    expect(images.json.data.map((m: any) => m.filename).sort()).toEqual(['c.png', 'e.jpg'])
    expect((await call('GET', `/projects/${projectId}/media?status=ready`, { token })).json.data).toEqual([])
    expect((await call('GET', `/projects/${projectId}/media?status=uploading`, { token })).json.data).toHaveLength(5)

    expect(expectProblem(await call('GET', `/projects/${projectId}/media?cursor=nonsense`, { token }), 400).errors?.[0].field).toBe('query.cursor')
    expect(expectProblem(await call('GET', `/projects/${projectId}/media?limit=0`, { token }), 400).errors?.[0].field).toBe('query.limit')
    expect(expectProblem(await call('GET', `/projects/${projectId}/media?status=lost`, { token }), 400).errors?.[0].field).toBe('query.status')

    const outsider = await ownerWithWorkspace('outsider')
    expectProblem(await call('GET', `/projects/${projectId}/media`, { token: outsider.token }), 404)
    expect(await mediaRows(workspace.id)).toHaveLength(5)
  })

  it('renames and tags; refuses viewers and outsiders', async () => {
    const { token, projectId, workspace } = await setup()
    const id = await announce(token, projectId, 'raw.mp4')
    // raw.mp4 does not read like a title: the clip starts unnamed.
    expect((await call('GET', `/media/${id}`, { token })).json).toMatchObject({ title: '', topic: '' })
    const updated = await call('PATCH', `/media/${id}`, { token, body: { title: '  Beach day ', topic: 'Surf lessons for beginners', tags: ['summer', 'beach', 'summer'] } })
    expect(updated.status).toBe(200)
    expect(updated.json).toMatchObject({ title: 'Beach day', topic: 'Surf lessons for beginners', tags: ['summer', 'beach'], filename: 'raw.mp4' })
    expect((await call('GET', `/media/${id}`, { token })).json.tags).toEqual(['summer', 'beach'])

    const empty = expectProblem(await call('PATCH', `/media/${id}`, { token, body: {} }), 400)
    expect(empty.detail).toMatch(/title, topic or tags/)
    expect(expectProblem(await call('PATCH', `/media/${id}`, { token, body: { tags: ['x'.repeat(41)] } }), 400).errors?.[0].field).toBe('tags.0')

    const viewer = await memberWithRole(token, workspace.id, 'viewer')
    expect((await call('GET', `/media/${id}`, { token: viewer.token })).status).toBe(200)
    expectProblem(await call('PATCH', `/media/${id}`, { token: viewer.token, body: { title: 'no' } }), 403)
    expectProblem(await call('DELETE', `/media/${id}`, { token: viewer.token }), 403)
    const outsider = await ownerWithWorkspace('outsider')
    for (const [method, path, body] of [
      ['GET', `/media/${id}`],
      ['PATCH', `/media/${id}`, { title: 'mine' }],
      ['DELETE', `/media/${id}`],
      ['POST', `/media/${id}/complete`],
      ['POST', `/media/${id}/abort`],
      ['GET', `/media/${id}/parts`],
    ] as [string, string, unknown?][]) {
      expectProblem(await call(method, path, { token: outsider.token, body }), 404)
    }
    expect((await call('GET', `/media/${id}`, { token })).json.title).toBe('Beach day')
  })

  it('deletes the R2 objects and the row', async () => {
    const { token, projectId, workspace } = await setup()
    const data = bytes(2000)
    const res = await call('POST', '/media/upload-url', { token, body: { projectId, filename: 'gone.mp4', contentType: 'video/mp4', size: data.length } })
    await put(res.json.uploadUrl, data)
    expect(await r2Keys(workspace.id)).toEqual([res.json.key])
    expect((await call('DELETE', `/media/${res.json.mediaId}`, { token })).status).toBe(204)
    expect(await r2Keys(workspace.id)).toEqual([])
    expect(await mediaRows(workspace.id)).toEqual([])
    expectProblem(await call('GET', `/media/${res.json.mediaId}`, { token }), 404)
    expect((await call('DELETE', `/media/${res.json.mediaId}?force=true`, { token })).status).toBe(404)
    expectProblem(await call('DELETE', `/media/${res.json.mediaId}?force=yes`, { token }), 400)
  })
})

describe('the sweeper', () => {
  it('removes uploads abandoned for more than 24 hours, and only those', async () => {
    const { token, projectId, workspace } = await setup()
    const data = bytes(500)
    const old = await call('POST', '/media/upload-url', { token, body: { projectId, filename: 'old.mp4', contentType: 'video/mp4', size: data.length } })
    await put(old.json.uploadUrl, data)
    const oldParts = await call('POST', '/media/multipart', { token, body: { projectId, filename: 'old-big.mp4', contentType: 'video/mp4', size: 6 * MiB, partSize: 5 * MiB } })
    const partUrl = (await call('POST', `/media/${oldParts.json.mediaId}/parts`, { token, body: { partNumbers: [1] } })).json.parts[0].uploadUrl
    await put(partUrl, bytes(5 * MiB))
    const fresh = await call('POST', '/media/upload-url', { token, body: { projectId, filename: 'fresh.mp4', contentType: 'video/mp4', size: 10 } })

    const dayAgo = new Date(Date.now() - 25 * 60 * 60 * 1000).toISOString()
    await env.DB.prepare('update media set created_at = ? where id in (?, ?)').bind(dayAgo, old.json.mediaId, oldParts.json.mediaId).run()

    // The sweeper is the cron handler of the Worker.
    const ctx = createExecutionContext()
    await worker.scheduled(createScheduledController({ cron: '*/5 * * * *', scheduledTime: Date.now() }), env, ctx)
    await waitOnExecutionContext(ctx)
    expect((await mediaRows(workspace.id)).map((r) => r.id)).toEqual([fresh.json.mediaId])
    expect(await partRows(oldParts.json.mediaId)).toEqual([])
    expect(await r2Keys(workspace.id)).toEqual([])
    expect(await sweepAbandonedUploads(env)).toBe(0)
  })
})

describe('the sweeper and checks left unfinished', () => {
  const ago = (ms: number) => new Date(Date.now() - ms).toISOString()
  const MINUTE = 60_000
  const HOUR = 60 * MINUTE
  const DAY = 24 * HOUR

  /** Runs the Worker's cron handler, as Cloudflare does. */
  async function cron() {
    const ctx = createExecutionContext()
    await worker.scheduled(createScheduledController({ cron: '*/5 * * * *', scheduledTime: Date.now() }), env, ctx)
    await waitOnExecutionContext(ctx)
  }

  /**
   * An upload whose complete found the renderer unable to read it: here the render server cannot
   * reach the Worker (no TCP port), which is exactly "the renderer can't reach storage".
   */
  async function leftProcessing() {
    const owner = await setup()
    const data = bytes(4000, 9)
    const started = await call('POST', '/media/upload-url', { token: owner.token, body: { projectId: owner.projectId, filename: 'stuck.mp4', contentType: 'video/mp4', size: data.length } })
    expect((await put(started.json.uploadUrl, data)).status).toBe(200)
    const done = await call('POST', `/media/${started.json.mediaId}/complete`, { token: owner.token })
    expect(done.status).toBe(503)
    expect(done.headers.get('retry-after')).toBe('30')
    return { ...owner, mediaId: started.json.mediaId as string, key: started.json.key as string }
  }
  const row = async (id: string) => (await env.DB.prepare('select * from media where id = ?').bind(id).first<any>())!
  const backdate = (id: string, fields: Record<'updated_at' | 'completed_at', string | undefined>) =>
    env.DB.prepare('update media set updated_at = coalesce(?, updated_at), completed_at = coalesce(?, completed_at) where id = ?')
      .bind(fields.updated_at ?? null, fields.completed_at ?? null, id)
      .run()

  it('checks an item stuck in processing again once it has been still for 10 minutes; two sweeps at once claim it once', async () => {
    const { mediaId, key, token, workspace } = await leftProcessing()

    // Still recent: a client may be retrying complete itself; the sweeper leaves it alone.
    const recent = await row(mediaId)
    expect((await recheckStuckMedia(env)).rechecked).not.toContain(mediaId)
    expect((await row(mediaId)).updated_at).toBe(recent.updated_at)

    await backdate(mediaId, { updated_at: ago(11 * MINUTE), completed_at: ago(11 * MINUTE) })
    const before = new Date().toISOString()
    const [a, b] = await Promise.all([recheckStuckMedia(env), recheckStuckMedia(env)])
    expect([...a.rechecked, ...b.rechecked].filter((id) => id === mediaId)).toEqual([mediaId])

    // The renderer still cannot read it: not a verdict. It stays processing with its bytes, and
    // its claim (updated_at moved on) keeps the next sweeps off it for another 10 minutes.
    const after = await row(mediaId)
    expect(after).toMatchObject({ status: 'processing', rejection_reason: null })
    expect(after.updated_at >= before).toBe(true)
    expect(await r2Keys(workspace.id)).toEqual([key])
    expect((await recheckStuckMedia(env)).rechecked).not.toContain(mediaId)
    expect((await call('GET', `/media/${mediaId}`, { token })).json.status).toBe('processing')

    // The cron handler runs the same re-check.
    await backdate(mediaId, { updated_at: ago(11 * MINUTE), completed_at: undefined })
    await cron()
    expect((await row(mediaId)).updated_at >= before).toBe(true)
    expect((await row(mediaId)).status).toBe('processing')
  })

  it('gives up after a day in processing: rejected with a reason a person reads, bytes removed', async () => {
    const { mediaId, token, workspace } = await leftProcessing()
    await backdate(mediaId, { updated_at: ago(11 * MINUTE), completed_at: ago(25 * HOUR) })
    await cron()

    const item = await call('GET', `/media/${mediaId}`, { token })
    expect(item.json).toMatchObject({ status: 'rejected', rejectionReason: REJECTION_REASONS.not_checked, downloadUrl: null, thumbnailUrl: null })
    expect(item.json.rejectionReason).toMatch(/could not be checked within a day.*upload it again/)
    expect(await r2Keys(workspace.id)).toEqual([])
    // And a later sweep leaves the verdict as it is.
    const rejected = await row(mediaId)
    expect((await recheckStuckMedia(env)).gaveUp).not.toContain(mediaId)
    expect(await row(mediaId)).toEqual(rejected)
  })

  it('keeps rejected items 30 days for the creator to see why, then removes them', async () => {
    const { mediaId, token, workspace } = await leftProcessing()
    await backdate(mediaId, { updated_at: ago(11 * MINUTE), completed_at: ago(25 * HOUR) })
    expect((await recheckStuckMedia(env)).gaveUp).toContain(mediaId)

    const kept = await leftProcessing()
    await backdate(kept.mediaId, { updated_at: ago(11 * MINUTE), completed_at: ago(25 * HOUR) })
    expect((await recheckStuckMedia(env)).gaveUp).toContain(kept.mediaId)

    // 29 days after the rejection it is still in the library, saying why.
    await backdate(mediaId, { updated_at: ago(29 * DAY), completed_at: undefined })
    await cron()
    expect((await call('GET', `/projects/${(await row(mediaId)).project_id}/media?status=rejected`, { token })).json.data.map((m: any) => m.id)).toEqual([mediaId])

    // 31 days after, the sweeper removes it (and only it: a rejection from today stays).
    await backdate(mediaId, { updated_at: ago(31 * DAY), completed_at: undefined })
    await cron()
    expectProblem(await call('GET', `/media/${mediaId}`, { token }), 404)
    expect(await mediaRows(workspace.id)).toEqual([])
    expect((await row(kept.mediaId)).status).toBe('rejected')
    expect(await sweepOldRejections(env)).not.toContain(kept.mediaId)
  })
})
