/**
 * Where each platform's own interface covers a short, written down once: every style places its
 * texts and logo inside the safe area of the platforms a render targets (all of them when it
 * names none), and the tests check rendered text stays inside it.
 *
 * Fractions of the frame, measured on a 1080×1920 phone frame from each app's overlays
 * (checked November 2026; the apps move them a little between versions, so these keep a margin):
 * - TikTok: the status bar and the Following / For You tabs at the top; the like, comment, share
 *   and sound buttons down the right edge (~130 px of 1080); the account name, caption and sound
 *   line at the bottom (~21% of the height).
 * - Instagram Reels: Meta's guidance keeps text out of the top 14% and the bottom 35% of a
 *   Reel for ads; an organic Reel's caption, account and audio lines take about the bottom 30%.
 *   The like, comment, share column sits on the right.
 * - YouTube Shorts: the title, channel, subscribe button and progress bar take the bottom ~25%
 *   (480 px of 1920); the like / comment / share column is on the right; the search and menu
 *   icons at the top.
 * A square or landscape video is shown letterboxed in the middle of the phone, clear of most of
 * the interface, so those keep a plain title-safe margin.
 */
import type { Aspect, Platform } from './spec.ts'
import { PLATFORMS } from './spec.ts'

/** Margins as fractions of the frame: what the platform's interface may cover on each side. */
export interface Margins {
  top: number
  bottom: number
  left: number
  right: number
}

/** The interface overlays of each platform on a 9:16 video. */
export const SAFE_MARGINS: Record<Platform, Margins> = {
  tiktok: { top: 0.08, bottom: 0.22, left: 0.06, right: 0.13 },
  instagram: { top: 0.14, bottom: 0.3, left: 0.06, right: 0.13 },
  youtube: { top: 0.08, bottom: 0.25, left: 0.06, right: 0.13 },
}

/** Title-safe margin of a square or landscape video (letterboxed on the phone). */
export const LETTERBOX_MARGINS: Margins = { top: 0.06, bottom: 0.08, left: 0.05, right: 0.05 }

/** A rectangle in output pixels. */
export interface Rect {
  x0: number
  y0: number
  x1: number
  y1: number
}

/** The margins that keep clear of every targeted platform's interface (all three when none is named). */
export function safeMargins(aspect: Aspect, platforms: readonly Platform[]): Margins {
  if (aspect !== '9:16') return LETTERBOX_MARGINS
  const list = platforms.length ? platforms : PLATFORMS
  const m = { top: 0, bottom: 0, left: 0, right: 0 }
  for (const p of list) {
    const s = SAFE_MARGINS[p]
    m.top = Math.max(m.top, s.top)
    m.bottom = Math.max(m.bottom, s.bottom)
    m.left = Math.max(m.left, s.left)
    m.right = Math.max(m.right, s.right)
  }
  return m
}

/** The safe rectangle of a frame in pixels. */
export function safeRect(frame: { width: number; height: number }, aspect: Aspect, platforms: readonly Platform[]): Rect {
  const m = safeMargins(aspect, platforms)
  return {
    x0: Math.round(frame.width * m.left),
    y0: Math.round(frame.height * m.top),
    x1: Math.round(frame.width * (1 - m.right)),
    y1: Math.round(frame.height * (1 - m.bottom)),
  }
}
