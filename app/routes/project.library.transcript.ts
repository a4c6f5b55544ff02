/**
 * /projects/:id/library/transcript?mediaId=… — a resource route for the library's transcript
 * panel (#15): GET answers the clip's transcript; POST `intent=save` fixes words (one per word,
 * each keeping its times), `intent=transcribe` asks for a transcription. All through the API.
 */
import { data } from 'react-router'
import { callApi } from '../lib/api.server'
import type { Transcript } from '../lib/transcripts'
import type { Route } from './+types/project.library.transcript'

export interface TranscriptAnswer {
  ok: boolean
  transcript?: Transcript
  message?: string
  errors?: { field: string; message: string }[]
}

const path = (mediaId: string) => `/media/${encodeURIComponent(mediaId)}/transcript`

export async function loader({ context, request }: Route.LoaderArgs): Promise<TranscriptAnswer> {
  const mediaId = new URL(request.url).searchParams.get('mediaId') ?? ''
  const res = await callApi<Transcript>(context, request, path(mediaId))
  if (!res.ok) throw data({ ok: false, message: res.problem.detail }, { status: res.status })
  return { ok: true, transcript: res.data }
}

export async function action({ context, request }: Route.ActionArgs) {
  const form = await request.formData()
  const mediaId = String(form.get('mediaId') ?? '')
  const intent = String(form.get('intent') ?? '')
  const res =
    intent === 'save'
      ? await callApi<Transcript>(context, request, path(mediaId), { method: 'PUT', body: { words: form.getAll('word').map(String) } })
      : intent === 'transcribe'
        ? await callApi<Transcript>(context, request, path(mediaId), { method: 'POST' })
        : null
  if (!res) return data<TranscriptAnswer>({ ok: false, message: `Unknown action “${intent}”.` }, { status: 400 })
  if (!res.ok) return data<TranscriptAnswer>({ ok: false, message: res.problem.detail, errors: res.problem.errors }, { status: res.status })
  return { ok: true, transcript: res.data, message: intent === 'save' ? 'Saved: the next render uses these words.' : 'Transcribing…' } satisfies TranscriptAnswer
}
