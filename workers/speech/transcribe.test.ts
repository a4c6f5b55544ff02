// Captions from speech (#15), the transcription half: real D1, R2 and queue consumer code under
// Miniflare, the OpenAI-compatible stub over HTTP (test/stubs/transcription.ts) and the Workers AI
// stand-in, both "hearing" the speech fixture's known words. The render server cannot reach this
// in-process Worker's storage, so the audio parts it would PUT are put into R2 here (its /audio
// route has its own test, containers/render/audio.test.ts; the whole path runs in e2e).
import { createExecutionContext, createMessageBatch, env, getQueueResult, waitOnExecutionContext } from 'cloudflare:test'
import { describe, expect, it } from 'vitest'
import worker from '../index'
import fixture from '../../test/fixtures/speech/speech.json'
import { call, expectProblem, ownerWithProject, readyClip, unique } from '../../test/helpers'
import { WhisperStandIn } from '../../test/stubs/workers-ai'
import { eq } from 'drizzle-orm'
import { createDb } from '../db/client'
import { loadPostRender } from '../db/posts'
import { posts as postsTable } from '../db/schema'
import { partsOf } from '../domain/transcript'
import { handleTranscribeBatch, handleTranscribeDeadLetters } from '../queues/transcribe-consumer'
import { audioPartKey, markPending, RetryableTranscriptionError, transcribeMedia } from './transcribe'
import { expiresIn, signedUrl, signingKey } from '../lib/signed-url'
import { publicOrigin } from '../lib/public-url'

const base = () => env.PLATFORM_API_BASE as string

async function control(method: string, path: string, body?: unknown) {
  const res = await fetch(`${base()}/_control/transcription${path}`, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
  const text = await res.text()
  if (!res.ok) throw new Error(`transcription stub ${method} ${path}: ${res.status} ${text}`)
  return text ? JSON.parse(text) : undefined
}

/** A key on the OpenAI-compatible stub that hears `words`, and the settings pointing at it. */
async function openAiSettings(words = fixture.words, partSec = '3') {
  const { apiKey } = await control('POST', '/keys', { words, language: 'en' })
  return { apiKey: apiKey as string, settings: { TRANSCRIPTION_BASE_URL: `${base()}/openai/v1`, TRANSCRIPTION_API_KEY: apiKey as string, TRANSCRIPTION_MODEL: 'whisper-1', TRANSCRIPTION_PART_SEC: partSec, TRANSCRIPTION_TIMEOUT_MS: '5000' } }
}

/** A 16 kHz mono 16-bit WAV of `sec` seconds (a tone whose pitch tells parts apart), as the render server makes. */
function wav(sec: number, pitch: number): Uint8Array<ArrayBuffer> {
  const samples = Math.round(sec * 16000)
  const bytes = new Uint8Array(44 + samples * 2)
  const view = new DataView(bytes.buffer)
  const ascii = (at: number, text: string) => [...text].forEach((ch, i) => (bytes[at + i] = ch.charCodeAt(0)))
  ascii(0, 'RIFF'), view.setUint32(4, 36 + samples * 2, true), ascii(8, 'WAVE'), ascii(12, 'fmt ')
  view.setUint32(16, 16, true), view.setUint16(20, 1, true), view.setUint16(22, 1, true), view.setUint32(24, 16000, true)
  view.setUint32(28, 32000, true), view.setUint16(32, 2, true), view.setUint16(34, 16, true), ascii(36, 'data'), view.setUint32(40, samples * 2, true)
  for (let i = 0; i < samples; i++) view.setInt16(44 + i * 2, Math.round(8000 * Math.sin((2 * Math.PI * pitch * i) / 16000)), true)
  return bytes
}

/**
 * A ready clip as long as the fixture, its sound cut into parts in R2 as the render server leaves
 * them: the Worker's nominal parts, each cut moved back into the gap between words before it
 * (what /audio's snapSec does), with its real start kept beside it.
 */
async function clipWithParts(maxPartSec: number) {
  const owner = await ownerWithProject('speech', [])
  const id = await readyClip(owner.workspace.id, owner.project.id, 'Talking clip')
  await env.DB.prepare('update media set duration_sec = ? where id = ?').bind(fixture.durationSec, id).run()
  const row = (await env.DB.prepare('select key from media where id = ?').bind(id).first<{ key: string }>())!
  const snap = Math.min(1.5, maxPartSec / 3)
  const nominal = partsOf(fixture.durationSec, maxPartSec - snap)
  const cuts = nominal.map(({ startSec }, i) => {
    const inside = fixture.words.findIndex((w) => w.start < startSec && startSec < w.end)
    return i === 0 || inside < 0 ? startSec : (fixture.words[inside - 1].end + fixture.words[inside].start) / 2
  })
  for (const [i, start] of cuts.entries()) {
    const end = cuts[i + 1] ?? fixture.durationSec
    await env.MEDIA.put(audioPartKey(row, i, cuts.length), wav(end - start, 200 + i * 100), { customMetadata: { startSec: String(start) } })
  }
  await markPending(createDb(env.DB), { id, workspaceId: owner.workspace.id })
  return { owner, id, key: row.key, parts: cuts }
}

/** The API through the real Worker with extra settings (a configured provider). */
async function callWith(settings: Record<string, unknown>, method: string, path: string, token: string, body?: unknown) {
  const ctx = createExecutionContext()
  const res = await worker.fetch(
    new Request(`https://reelpilot.test/api${path}`, { method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, body: body === undefined ? undefined : JSON.stringify(body) }),
    { ...env, ...settings } as Env,
    ctx,
  )
  await waitOnExecutionContext(ctx)
  const text = await res.text()
  return { status: res.status, headers: res.headers, json: text ? JSON.parse(text) : undefined }
}

const closeTo = (words: { word: string; start: number; end: number }[]) =>
  words.map((w) => ({ word: w.word, start: expect.closeTo(w.start, 1), end: expect.closeTo(w.end, 1) }))

describe('transcription through an OpenAI-compatible API', () => {
  it('sends each part as 16 kHz mono WAV with word timestamps and joins the words on the clip timeline', async () => {
    const { apiKey, settings } = await openAiSettings()
    const { owner, id, key, parts } = await clipWithParts(3)
    expect(parts).toHaveLength(3)
    const outcome = await transcribeMedia({ ...env, ...settings } as Env, id)
    expect(outcome).toEqual({ kind: 'done', words: fixture.words.length })

    const received = await control('GET', `/keys/${encodeURIComponent(apiKey)}`)
    expect(received.calls).toBe(3)
    for (const request of received.requests) {
      expect(request).toMatchObject({ model: 'whisper-1', responseFormat: 'verbose_json', granularities: ['word'], filename: 'audio.wav', wav: { channels: 1, sampleRate: 16000, bitsPerSample: 16 } })
    }
    const transcript = await callWith(settings, 'GET', `/media/${id}/transcript`, owner.token)
    expect(transcript.status).toBe(200)
    expect(transcript.json).toMatchObject({ state: 'done', language: 'en', provider: 'openai', model: 'whisper-1', canRequest: true })
    // Words of the second part come back shifted by its start: the fixture's own times.
    expect(transcript.json.words).toEqual(closeTo(fixture.words))
    // The parts are gone from storage once heard.
    for (let i = 0; i < parts.length; i++) expect(await env.MEDIA.head(audioPartKey({ key }, i, parts.length))).toBeNull()
  })

  it('keeps the transcript pending through a provider outage and finishes on the retry, without asking twice for a heard part', async () => {
    const { apiKey, settings } = await openAiSettings()
    const { id } = await clipWithParts(3)
    await control('POST', `/keys/${encodeURIComponent(apiKey)}/script`, { responses: [{ status: 503 }] })
    await expect(transcribeMedia({ ...env, ...settings } as Env, id)).rejects.toBeInstanceOf(RetryableTranscriptionError)
    const pending = await env.DB.prepare('select status, attempts from media_transcripts where media_id = ?').bind(id).first()
    expect(pending).toEqual({ status: 'pending', attempts: 1 })
    expect(await transcribeMedia({ ...env, ...settings } as Env, id)).toEqual({ kind: 'done', words: fixture.words.length })
    // A second delivery of the same message changes nothing.
    expect(await transcribeMedia({ ...env, ...settings } as Env, id)).toEqual({ kind: 'skipped', reason: 'the transcript is done' })
    const words = JSON.parse((await env.DB.prepare('select words from media_transcripts where media_id = ?').bind(id).first<{ words: string }>())!.words)
    expect(words).toEqual(closeTo(fixture.words))
  })

  it('writes a refusal (400) as failed with its reason, and the queue consumer retries a 429', async () => {
    const refused = await openAiSettings()
    const a = await clipWithParts(3)
    await control('POST', `/keys/${encodeURIComponent(refused.apiKey)}/script`, { responses: [{ status: 400 }] })
    expect(await transcribeMedia({ ...env, ...refused.settings } as Env, a.id)).toMatchObject({ kind: 'failed', reason: expect.stringContaining('corrupted') })
    // Nothing will hear its parts now: none is left in storage.
    expect((await env.MEDIA.list({ prefix: `${a.key}.audio/` })).objects).toEqual([])
    const failed = await callWith(refused.settings, 'GET', `/media/${a.id}/transcript`, a.owner.token)
    expect(failed.json).toMatchObject({ state: 'failed', message: expect.stringContaining('refused'), canRequest: true })

    const limited = await openAiSettings()
    const b = await clipWithParts(3)
    await control('POST', `/keys/${encodeURIComponent(limited.apiKey)}/script`, { responses: [{ status: 429 }] })
    const batch = createMessageBatch('transcribe-jobs', [{ id: unique('msg'), timestamp: new Date(), attempts: 1, body: { mediaId: b.id } }])
    const ctx = createExecutionContext()
    await handleTranscribeBatch(batch, { ...env, ...limited.settings } as Env)
    const result = await getQueueResult(batch, ctx)
    expect(result.retryMessages).toHaveLength(1)
    const row = await env.DB.prepare('select status, error from media_transcripts where media_id = ?').bind(b.id).first<{ status: string; error: string }>()
    expect(row).toMatchObject({ status: 'pending', error: expect.stringContaining('429') })
    // After every retry, the dead letter says what kept failing.
    await handleTranscribeDeadLetters(createMessageBatch('transcribe-jobs-dlq', [{ id: unique('dlq'), timestamp: new Date(), attempts: 1, body: { mediaId: b.id } }]), env)
    const dead = await env.DB.prepare('select status, error from media_transcripts where media_id = ?').bind(b.id).first<{ status: string; error: string }>()
    expect(dead).toMatchObject({ status: 'failed', error: expect.stringMatching(/after every retry.*429/) })
    expect((await env.MEDIA.list({ prefix: `${b.key}.audio/` })).objects).toEqual([])
  })

  it('leaves no audio part in storage when the clip is deleted mid-transcription, and its late parts are refused', async () => {
    const { apiKey, settings } = await openAiSettings()
    const { owner, id, key, parts } = await clipWithParts(3)
    // The provider is down: the parts wait in R2 for the retry.
    await control('POST', `/keys/${encodeURIComponent(apiKey)}/script`, { responses: [{ status: 503 }] })
    await expect(transcribeMedia({ ...env, ...settings } as Env, id)).rejects.toBeInstanceOf(RetryableTranscriptionError)
    const waiting = (await env.MEDIA.list({ prefix: `${key}.audio/` })).objects.map((o) => o.key)
    expect(waiting).toEqual(parts.map((_, i) => audioPartKey({ key }, i, parts.length)))
    // A part of an earlier cut (another count) is found by its prefix too.
    await env.MEDIA.put(audioPartKey({ key }, 0, 7), wav(1, 300))

    const deleted = await call('DELETE', `/media/${id}`, { token: owner.token })
    expect(deleted.status, deleted.text).toBe(204)
    expect((await env.MEDIA.list({ prefix: `${key}.audio/` })).objects).toEqual([])
    expect(await transcribeMedia({ ...env, ...settings } as Env, id)).toEqual({ kind: 'skipped', reason: 'the clip was deleted' })
    expect(await env.DB.prepare('select count(*) as n from media_transcripts where media_id = ?').bind(id).first('n')).toBe(0)

    // The render server, still cutting, PUTs a part after the delete: refused, nothing stored.
    const url = await signedUrl(signingKey(env), publicOrigin(env), { op: 'audio', mediaId: id, key: audioPartKey({ key }, 1, parts.length), maxSize: 100_000, exp: expiresIn(60_000) })
    const late = wav(1, 400)
    const ctx = createExecutionContext()
    const res = await worker.fetch(new Request(url, { method: 'PUT', headers: { 'content-length': String(late.byteLength), 'x-audio-start-sec': '2' }, body: late }), env, ctx)
    await waitOnExecutionContext(ctx)
    expect(res.status).toBe(409)
    expect(await res.text()).toContain('deleted')
    expect((await env.MEDIA.list({ prefix: `${key}.audio/` })).objects).toEqual([])
  })

  it('says a clip without speech has none', async () => {
    const { settings } = await openAiSettings([])
    const { owner, id } = await clipWithParts(3)
    expect(await transcribeMedia({ ...env, ...settings } as Env, id)).toEqual({ kind: 'done', words: 0 })
    const transcript = await callWith(settings, 'GET', `/media/${id}/transcript`, owner.token)
    expect(transcript.json).toMatchObject({ state: 'no_speech', words: [], message: expect.stringContaining('No speech') })
  })
})

describe('transcription through Workers AI Whisper', () => {
  it('sends the WAV bytes as the binding wants them and stores the words heard', async () => {
    const whisper = new WhisperStandIn(fixture.words)
    const { id } = await clipWithParts(120)
    whisper.fail(429)
    const settings = { AI: whisper, TRANSCRIPTION_PROVIDER: 'workers-ai' }
    await expect(transcribeMedia({ ...env, ...settings } as unknown as Env, id)).rejects.toBeInstanceOf(RetryableTranscriptionError)
    expect(await transcribeMedia({ ...env, ...settings } as unknown as Env, id)).toEqual({ kind: 'done', words: fixture.words.length })
    expect(whisper.calls.at(-1)).toMatchObject({ model: '@cf/openai/whisper', wav: { channels: 1, sampleRate: 16000 } })
    const row = await env.DB.prepare('select words, provider, language from media_transcripts where media_id = ?').bind(id).first<{ words: string; provider: string; language: null }>()
    expect(row).toMatchObject({ provider: 'workers-ai', language: null })
    expect(JSON.parse(row!.words)).toEqual(closeTo(fixture.words))
  })
})

describe('the transcript API', () => {
  it('with no provider configured, says captions from speech need one, and transcribes nothing', async () => {
    const owner = await ownerWithProject('speech-none', [])
    const id = await readyClip(owner.workspace.id, owner.project.id)
    const got = await call('GET', `/media/${id}/transcript`, { token: owner.token })
    expect(got.status).toBe(200)
    expect(got.json).toMatchObject({ state: 'no_provider', words: [], canRequest: false, message: expect.stringContaining('need a transcription provider') })
    const asked = expectProblem(await call('POST', `/media/${id}/transcript`, { token: owner.token }), 409)
    expect(asked.detail).toContain('transcription provider')
    expect(await env.DB.prepare('select count(*) as n from media_transcripts where media_id = ?').bind(id).first('n')).toBe(0)
  })

  it('fixes a word keeping its times, and refuses edits that do not fit, naming the field', async () => {
    const { settings } = await openAiSettings()
    const { owner, id } = await clipWithParts(3)
    const early = expectProblem(await callWith(settings, 'PUT', `/media/${id}/transcript`, owner.token, { words: ['x'] }), 409)
    expect(early.detail).toContain('no heard words')
    await transcribeMedia({ ...env, ...settings } as Env, id)
    const texts = fixture.words.map((w) => w.word)
    texts[0] = 'Subtitles'
    const edited = await callWith(settings, 'PUT', `/media/${id}/transcript`, owner.token, { words: texts, language: 'en' })
    expect(edited.status).toBe(200)
    expect(edited.json.words[0]).toEqual({ word: 'Subtitles', start: expect.closeTo(fixture.words[0].start, 1), end: expect.closeTo(fixture.words[0].end, 1) })
    expect(edited.json.words.slice(1)).toEqual(closeTo(fixture.words.slice(1)))
    expect(edited.json.editedAt).toEqual(expect.any(String))

    const short = expectProblem(await callWith(settings, 'PUT', `/media/${id}/transcript`, owner.token, { words: texts.slice(1) }), 400)
    expect(short.errors).toEqual([{ field: 'words', message: expect.stringContaining('one text per word') }])
    const blank = expectProblem(await callWith(settings, 'PUT', `/media/${id}/transcript`, owner.token, { words: texts.map((t, i) => (i === 2 ? '  ' : t)) }), 400)
    expect(blank.errors?.[0].field).toBe('words.2')
    const language = expectProblem(await callWith(settings, 'PUT', `/media/${id}/transcript`, owner.token, { words: texts, language: 'english' }), 400)
    expect(language.errors?.[0].field).toBe('language')
    // Nothing half-written: the words are the ones saved by the good edit.
    const now = await callWith(settings, 'GET', `/media/${id}/transcript`, owner.token)
    expect(now.json.words.map((w: { word: string }) => w.word)).toEqual(texts)
  })

  it('asks for a transcription again with POST (a queue message), and 404s outsiders', async () => {
    const { settings } = await openAiSettings()
    const { owner, id } = await clipWithParts(3)
    await transcribeMedia({ ...env, ...settings } as Env, id)
    const again = await callWith(settings, 'POST', `/media/${id}/transcript`, owner.token)
    expect(again.status).toBe(202)
    expect(again.json).toMatchObject({ state: 'pending', canRequest: false })
    // While it is pending, another POST is refused. The queue's consumer runs in this worker too and
    // may already have finished it on a loaded machine (the clean-clone CI saw a 202 here), so the
    // transcript is held pending for this check rather than raced.
    await env.DB.prepare(`update media_transcripts set status = 'pending' where media_id = ?`).bind(id).run()
    expectProblem(await callWith(settings, 'POST', `/media/${id}/transcript`, owner.token), 409)
    const outsider = await ownerWithProject('outsider', [])
    expectProblem(await callWith(settings, 'GET', `/media/${id}/transcript`, outsider.token), 404)
  })
})

describe('captions from speech in a post render', () => {
  it('puts the transcript in the render spec unless the post or its autopilot turns them off', async () => {
    const { settings } = await openAiSettings()
    const { id } = await clipWithParts(3)
    await transcribeMedia({ ...env, ...settings } as Env, id)
    const owner = await ownerWithProject('speech-post')
    // The clip moves to this project (with sandbox accounts connected) for the posts.
    await env.DB.prepare('update media set project_id = ?, workspace_id = ? where id = ?').bind(owner.project.id, owner.workspace.id, id).run()
    await env.DB.prepare('update media_transcripts set workspace_id = ? where media_id = ?').bind(owner.workspace.id, id).run()
    const db = createDb(env.DB)
    const specOf = async (body: Record<string, unknown>) => {
      const made = await call('POST', `/projects/${owner.project.id}/posts`, { token: owner.token, body: { mediaId: id, scheduledAt: new Date(Date.now() + 86_400_000).toISOString(), ...body } })
      expect(made.status, made.text).toBe(201)
      const post = (await db.select().from(postsTable).where(eq(postsTable.id, made.json.id)).get())!
      return { post: made.json, spec: (await loadPostRender(db, post)).spec }
    }
    const plain = await specOf({})
    expect(plain.post.speechCaptions).toBeNull()
    expect(plain.spec?.speech?.words).toEqual(closeTo(fixture.words))
    expect(plain.spec?.speech?.language).toBe('en')
    expect((await specOf({ speechCaptions: false })).spec?.speech).toBeUndefined()
    // The autopilot turns them off for the project; a post can still turn them on.
    const autopilot = await call('PUT', `/autopilot/${owner.project.id}`, {
      token: owner.token,
      body: { cadence: 'daily', language: 'en', style: 'minimal', objective: 'awareness', timeWindows: ['00:00-23:59'], requireApproval: true, speechCaptions: false },
    })
    expect(autopilot.status, autopilot.text).toBeLessThan(300)
    expect(autopilot.json.config.speechCaptions).toBe(false)
    expect((await specOf({})).spec?.speech).toBeUndefined()
    const on = await specOf({ speechCaptions: true })
    expect(on.post.speechCaptions).toBe(true)
    expect(on.spec?.speech?.words).toHaveLength(fixture.words.length)
    // A manual post turns them off later with PATCH (it renders again).
    const off = await call('PATCH', `/posts/${on.post.id}`, { token: owner.token, body: { speechCaptions: false } })
    expect(off.status, off.text).toBe(200)
    expect(off.json.speechCaptions).toBe(false)
  })
})
