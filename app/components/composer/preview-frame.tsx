/**
 * A 9:16 frame showing a video as a platform shows it, with the parts its own interface covers
 * (buttons down the right side, the caption and account at the bottom, tabs at the top) shaded
 * and named, so the creator sees what stays visible. The zones are approximate and the same for
 * every phone; they are drawn as percentages of the frame.
 */
import type { Platform } from '../../lib/posts'

interface Zone {
  label: string
  /** Percent of the frame: left, top, width, height. */
  box: [number, number, number, number]
}

/** Where each platform's interface sits over a vertical video. */
export const COVERED_ZONES: Record<Platform, Zone[]> = {
  youtube: [
    { label: 'Search and menu', box: [0, 0, 100, 8] },
    { label: 'Like, comment, share', box: [84, 42, 16, 46] },
    { label: 'Title and channel', box: [0, 80, 84, 20] },
  ],
  tiktok: [
    { label: 'Following · For You', box: [0, 0, 100, 9] },
    { label: 'Like, comment, share', box: [84, 36, 16, 50] },
    { label: 'Account and caption', box: [0, 76, 84, 24] },
  ],
  instagram: [
    { label: 'Reels header', box: [0, 0, 100, 8] },
    { label: 'Like, comment, share', box: [85, 50, 15, 40] },
    { label: 'Account, caption, audio', box: [0, 78, 85, 22] },
  ],
}

const NAME: Record<Platform, string> = { youtube: 'YouTube Shorts', tiktok: 'TikTok', instagram: 'Instagram Reels' }

export function PreviewFrame({ platform, pictureUrl, caption, title }: { platform: Platform; pictureUrl?: string; caption: string; title?: string }) {
  return (
    <figure className="w-full max-w-[12rem]" data-preview={platform}>
      <div className="relative aspect-[9/16] overflow-hidden rounded-2xl border border-slate-700 bg-black">
        {pictureUrl ? <img src={pictureUrl} alt="" className="absolute inset-0 h-full w-full object-cover" /> : <div className="absolute inset-0 flex items-center justify-center text-xs text-slate-500">Choose a clip</div>}
        {COVERED_ZONES[platform].map((zone) => (
          <div
            key={zone.label}
            data-zone={zone.label}
            className="absolute flex items-start justify-center border border-dashed border-amber-300/70 bg-amber-400/25 p-0.5 text-center text-[9px] font-medium leading-tight text-amber-50"
            style={{ left: `${zone.box[0]}%`, top: `${zone.box[1]}%`, width: `${zone.box[2]}%`, height: `${zone.box[3]}%` }}
          >
            <span className="rounded bg-black/60 px-1">{zone.label}</span>
          </div>
        ))}
        <p className="absolute bottom-[3%] left-[3%] right-[18%] line-clamp-2 text-[10px] leading-snug text-white drop-shadow">
          {title ? <strong className="block truncate">{title}</strong> : null}
          {caption}
        </p>
      </div>
      <figcaption className="mt-1 text-center text-xs text-slate-400">{NAME[platform]}: shaded parts are covered by the app</figcaption>
    </figure>
  )
}
