/**
 * The composer's texts: the shared caption and hashtags, then one tab per platform whose fields
 * start from the shared text and count that platform's limit as it is typed. A field becomes the
 * platform's own text once edited (then it is sent under `platformTexts.<platform>.<field>`);
 * untouched fields follow the shared text. Other engineers add fields here (hook, call to action):
 * each field is one entry of TEXT_LIMITS or of the shared block.
 */
import { useId, useState, type KeyboardEvent } from 'react'
import { parseHashtags, publishedField, publishedLength, startingText, TEXT_LIMITS, type PlatformTextField, type TextLimit } from '../../../workers/domain/platform-texts'
import { PLATFORM_LABEL, type Platform, type PlatformTexts } from '../../lib/posts'
import { inputClass } from '../ui'
import { PreviewFrame } from './preview-frame'

export interface ComposerTexts {
  caption: string
  hashtags: string
  /** Only the fields the creator wrote. */
  own: PlatformTexts
}

function ownValue(own: PlatformTexts, platform: Platform, field: PlatformTextField): string | undefined {
  return (own[platform] as Record<string, string> | undefined)?.[field]
}

/** The live count of one field as the API counts it (with the hashtags and the tracked link's line it is published with): n / max, in red past the limit. */
function Count({ limit, text, hashtags, link, id }: { limit: TextLimit; text: string; hashtags: string[]; link: string | null; id: string }) {
  const used = publishedLength(limit, text, hashtags, link)
  const over = used > limit.max
  const extras = limit.withHashtags ? [hashtags.length ? 'hashtags' : '', link ? 'the tracked link' : ''].filter(Boolean) : []
  return (
    <span id={id} className={`text-xs tabular-nums ${over ? 'font-semibold text-rose-300' : 'text-slate-400'}`} data-count={`${limit.platform}.${limit.field}`} data-over={over}>
      {used.toLocaleString()} / {limit.max.toLocaleString()} {limit.unit}
      {extras.length ? ` with ${extras.join(' and ')}` : ''}
      {over ? ` — ${(used - limit.max).toLocaleString()} too many` : ''}
    </span>
  )
}

export function PlatformTexts({
  platforms,
  texts,
  onChange,
  errors,
  pictureUrl,
  linkLine = null,
}: {
  /** The platforms offered (connected): a tab each. */
  platforms: Platform[]
  texts: ComposerTexts
  onChange: (texts: ComposerTexts) => void
  errors: Record<string, string>
  pictureUrl?: string
  /** The project's tracked-link line (`linkLineFor`), published with the captions; null: none. */
  linkLine?: string | null
}) {
  const [tab, setTab] = useState<Platform | null>(null)
  const current = tab && platforms.includes(tab) ? tab : (platforms[0] ?? null)
  const base = useId()
  const hashtags = parseHashtags(texts.hashtags)
  const shared = { hook: null, caption: texts.caption, callToAction: null }

  // An empty shared text is written by Reelpilot when the post is made: the fields say so (their
  // placeholder) instead of showing a stand-in ("New video") that would never be published.
  const writtenLater = !texts.caption.trim()
  const valueOf = (platform: Platform, field: PlatformTextField) => ownValue(texts.own, platform, field) ?? (writtenLater ? '' : startingText(shared, platform, field))
  const setOwn = (platform: Platform, field: PlatformTextField, value: string) =>
    onChange({ ...texts, own: { ...texts.own, [platform]: { ...(texts.own[platform] as object | undefined), [field]: value } } })
  const resetOwn = (platform: Platform) => {
    const own = { ...texts.own }
    delete own[platform]
    onChange({ ...texts, own })
  }

  // Arrow keys move between tabs (the WAI-ARIA tabs pattern).
  const onTabKey = (event: KeyboardEvent<HTMLButtonElement>) => {
    if (!current || (event.key !== 'ArrowRight' && event.key !== 'ArrowLeft')) return
    const i = platforms.indexOf(current)
    const next = platforms[(i + (event.key === 'ArrowRight' ? 1 : platforms.length - 1)) % platforms.length]
    setTab(next)
    document.getElementById(`${base}-tab-${next}`)?.focus()
  }

  return (
    <div className="space-y-4">
      <div className="grid gap-4 sm:grid-cols-2">
        <div className="sm:col-span-2">
          <label htmlFor={`${base}-caption`} className="mb-1 block text-sm font-medium text-slate-200">
            Shared text
          </label>
          <textarea
            id={`${base}-caption`}
            name="caption"
            rows={3}
            maxLength={2200}
            value={texts.caption}
            placeholder="Leave empty and Reelpilot writes one in the project’s language"
            onChange={(e) => onChange({ ...texts, caption: e.currentTarget.value })}
            aria-invalid={errors.caption ? true : undefined}
            className={`${inputClass} ${errors.caption ? 'border-rose-500/80' : 'border-slate-700'}`}
          />
          <p className="mt-1 text-xs text-slate-400">Every platform starts from this text; change it per platform below.</p>
          {errors.caption && <p role="alert" className="mt-1 text-sm text-rose-400">{errors.caption}</p>}
        </div>
        <div className="sm:col-span-2">
          <label htmlFor={`${base}-hashtags`} className="mb-1 block text-sm font-medium text-slate-200">
            Hashtags
          </label>
          <input
            id={`${base}-hashtags`}
            name="hashtags"
            value={texts.hashtags}
            placeholder="#coffee #barista"
            onChange={(e) => onChange({ ...texts, hashtags: e.currentTarget.value })}
            aria-invalid={errors.hashtags ? true : undefined}
            className={`${inputClass} ${errors.hashtags ? 'border-rose-500/80' : 'border-slate-700'}`}
          />
          <p className="mt-1 text-xs text-slate-400">Separated by spaces; added to each platform’s text when it is published.</p>
          {errors.hashtags && <p role="alert" className="mt-1 text-sm text-rose-400">{errors.hashtags}</p>}
        </div>
      </div>

      {current ? (
        <div className="rounded-xl border border-slate-800">
          <div role="tablist" aria-label="Text per platform" className="scroll-edge flex gap-1 overflow-x-auto border-b border-slate-800 p-1">
            {platforms.map((p) => (
              <button
                key={p}
                id={`${base}-tab-${p}`}
                type="button"
                role="tab"
                aria-selected={p === current}
                aria-controls={`${base}-panel-${p}`}
                tabIndex={p === current ? 0 : -1}
                onClick={() => setTab(p)}
                onKeyDown={onTabKey}
                className={`whitespace-nowrap rounded-lg px-3 py-1.5 text-sm ${p === current ? 'bg-slate-800 text-white' : 'text-slate-400 hover:text-white'}`}
              >
                {PLATFORM_LABEL[p]}
                {texts.own[p] ? <span className="ml-1 text-violet-300">· own text</span> : null}
              </button>
            ))}
          </div>
          {platforms.map((p) => (
            <div key={p} id={`${base}-panel-${p}`} role="tabpanel" aria-labelledby={`${base}-tab-${p}`} hidden={p !== current} className="grid gap-4 p-4 md:grid-cols-[minmax(0,1fr)_12rem]">
              <div className="min-w-0 space-y-4">
                {TEXT_LIMITS[p].map((limit) => {
                  const id = `${base}-${p}-${limit.field}`
                  const own = ownValue(texts.own, p, limit.field)
                  const name = `platformTexts.${p}.${limit.field}`
                  const error = errors[name]
                  return (
                    <div key={limit.field}>
                      <div className="mb-1 flex flex-wrap items-baseline justify-between gap-2">
                        <label htmlFor={id} className="text-sm font-medium text-slate-200">
                          {PLATFORM_LABEL[p]} {limit.label.toLowerCase()}
                        </label>
                        <Count limit={limit} text={valueOf(p, limit.field)} hashtags={hashtags} link={linkLine} id={`${id}-count`} />
                      </div>
                      <textarea
                        id={id}
                        // Named (sent) only once it is the platform's own text.
                        name={own !== undefined ? name : undefined}
                        rows={limit.field === 'title' ? 2 : 4}
                        value={valueOf(p, limit.field)}
                        placeholder={writtenLater ? 'Reelpilot writes this from the clip when the post is made; or type one for this platform' : undefined}
                        onChange={(e) => setOwn(p, limit.field, e.currentTarget.value)}
                        aria-describedby={`${id}-count`}
                        aria-invalid={error ? true : undefined}
                        className={`${inputClass} ${error ? 'border-rose-500/80' : 'border-slate-700'}`}
                      />
                      {error && <p role="alert" className="mt-1 text-sm text-rose-400">{error}</p>}
                    </div>
                  )
                })}
                {texts.own[p] ? (
                  <button type="button" onClick={() => resetOwn(p)} className="text-sm text-violet-300 hover:underline">
                    Use the shared text again on {PLATFORM_LABEL[p]}
                  </button>
                ) : (
                  <p className="text-xs text-slate-400">Following the shared text. Type here to give {PLATFORM_LABEL[p]} its own.</p>
                )}
              </div>
              <PreviewFrame
                platform={p}
                pictureUrl={pictureUrl}
                title={p === 'youtube' ? valueOf(p, 'title') : undefined}
                caption={p === 'youtube' ? '' : publishedField(TEXT_LIMITS[p][0], valueOf(p, 'caption'), hashtags)}
              />
            </div>
          ))}
        </div>
      ) : null}
    </div>
  )
}
