/**
 * Captions from speech on one library clip (#15): what the transcription heard, word by word with
 * its time, each word editable (its times stay); or why there is nothing (no sound, no speech,
 * still transcribing, failed, or no transcription provider configured: then it says so).
 */
import { useEffect, useState } from 'react'
import { useFetcher } from 'react-router'
import type { TranscriptAnswer } from '../routes/project.library.transcript'
import { Button, Card, Notice } from './ui'
import { fieldLabel } from '../lib/forms'

const time = (sec: number) => `${Math.floor(sec / 60)}:${(sec % 60).toFixed(1).padStart(4, '0')}`

export function TranscriptPanel({ projectId, mediaId, title, canEdit, onClose }: { projectId: string; mediaId: string; title: string; canEdit: boolean; onClose: () => void }) {
  const loader = useFetcher<TranscriptAnswer>()
  const saver = useFetcher<TranscriptAnswer>()
  const href = `/projects/${encodeURIComponent(projectId)}/library/transcript?mediaId=${encodeURIComponent(mediaId)}`
  useEffect(() => {
    if (loader.state === 'idle' && !loader.data) loader.load(href)
  }, [href, loader])
  const answer = saver.data?.transcript ? saver.data : loader.data
  const transcript = answer?.transcript
  const [words, setWords] = useState<string[]>([])
  useEffect(() => {
    if (transcript) setWords(transcript.words.map((w) => w.word))
  }, [transcript])
  // While transcribing, look again every few seconds.
  useEffect(() => {
    if (transcript?.state !== 'pending') return
    const timer = setTimeout(() => loader.load(href), 3000)
    return () => clearTimeout(timer)
  }, [transcript, href, loader])
  const busy = saver.state !== 'idle'
  const errors = saver.data && !saver.data.ok ? saver.data.errors ?? [] : []
  return (
    <div data-testid="transcript-panel" data-media-id={mediaId} data-state={transcript?.state ?? 'loading'}>
      <Card
        title={`Captions from speech · “${title}”`}
        description="The words heard in this clip, with when each is said. Posts burn them in word by word, the spoken word highlighted."
        actions={
          <Button variant="ghost" size="sm" type="button" onClick={onClose}>
            Close
          </Button>
        }
      >
        {!transcript ? (
          <p className="text-sm text-slate-400">{loader.data?.message ?? 'Loading the transcript…'}</p>
        ) : (
          <div className="space-y-4">
            <Notice tone={transcript.state === 'failed' ? 'error' : transcript.state === 'done' ? 'success' : 'info'}>
              <span data-testid="transcript-message">{transcript.message}</span>
            </Notice>
            {transcript.state === 'done' && (
              <saver.Form method="post" action={href} className="space-y-3">
                <input type="hidden" name="mediaId" value={mediaId} />
                <p className="text-xs text-slate-400">
                  {transcript.words.length} words{transcript.language ? ` · language ${transcript.language}` : ''}
                  {transcript.provider ? ` · heard by ${transcript.provider === 'openai' ? 'an OpenAI-compatible API' : 'Workers AI'} (${transcript.model})` : ''}
                  {transcript.editedAt ? ' · edited' : ''}
                </p>
                <ol className="flex flex-wrap gap-2" aria-label="Words">
                  {transcript.words.map((w, i) => (
                    <li key={i} className="min-w-0">
                      <label className="block text-[11px] text-slate-400">
                        <span className="sr-only">Word {i + 1}, </span>
                        {time(w.start)}
                        <input
                          name="word"
                          value={words[i] ?? w.word}
                          readOnly={!canEdit}
                          aria-label={`Word ${i + 1} at ${time(w.start)}`}
                          aria-invalid={errors.some((e) => e.field === `words.${i}`) || undefined}
                          onChange={(e) => {
                            const value = e.currentTarget.value
                            setWords((all) => all.map((x, j) => (j === i ? value : x)))
                          }}
                          size={Math.max(2, Math.min(16, (words[i] ?? w.word).length + 1))}
                          className="mt-0.5 block max-w-full rounded-md border border-slate-700 bg-slate-900 px-2 py-1 text-sm text-slate-100"
                        />
                      </label>
                    </li>
                  ))}
                </ol>
                {saver.data && (
                  <p role="status" className={`text-sm ${saver.data.ok ? 'text-emerald-300' : 'text-rose-300'}`}>
                    {saver.data.message}
                    {errors.length ? ` (${errors.map((e) => `${fieldLabel(e.field)}: ${e.message}`).join('; ')})` : ''}
                  </p>
                )}
                {canEdit && (
                  <Button type="submit" name="intent" value="save" disabled={busy}>
                    {busy ? 'Saving…' : 'Save words'}
                  </Button>
                )}
              </saver.Form>
            )}
            {canEdit && transcript.canRequest && (
              <saver.Form method="post" action={href}>
                <input type="hidden" name="mediaId" value={mediaId} />
                <Button type="submit" name="intent" value="transcribe" variant={transcript.state === 'done' ? 'secondary' : 'primary'} disabled={busy}>
                  {transcript.state === 'done' || transcript.state === 'no_speech' || transcript.state === 'failed' ? 'Transcribe again' : 'Transcribe'}
                </Button>
              </saver.Form>
            )}
          </div>
        )}
      </Card>
    </div>
  )
}
