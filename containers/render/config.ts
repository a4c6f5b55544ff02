/**
 * The render server's settings, checked with one zod schema when it starts (options given in code
 * win over the environment): without its secret or an allowed origin it does not start, and says
 * every setting it misses at once.
 */
import { z } from 'zod'
import { parseOrigins } from './access.ts'

const settingsSchema = z.object({
  secret: z.string({ error: 'RENDER_SHARED_SECRET is not set: the render server serves only the Worker, which sends it (npm start makes one locally).' }).min(1, 'RENDER_SHARED_SECRET is not set: the render server serves only the Worker, which sends it (npm start makes one locally).'),
  allowedOrigins: z.array(z.string()).min(1, "RENDER_ALLOWED_ORIGINS (or PUBLIC_URL) is not set: the render server fetches only from the Worker's public origin."),
  ffmpeg: z.string().min(1),
  ffprobe: z.string().min(1).optional(),
  tempDir: z.string().min(1).optional(),
  fontsDir: z.string().min(1).optional(),
  checkConcurrency: z.number({ error: 'CHECK_CONCURRENCY must be a whole number of at least 1.' }).int('CHECK_CONCURRENCY must be a whole number of at least 1.').min(1, 'CHECK_CONCURRENCY must be a whole number of at least 1.'),
})

export type RenderServerSettings = z.infer<typeof settingsSchema>

type Given = { secret?: string; allowedOrigins?: string[]; ffmpegPath?: string; ffprobePath?: string; tempDir?: string; fontsDir?: string; checkConcurrency?: number }

/**
 * The server's settings: each option, else its environment variable (RENDER_SHARED_SECRET,
 * RENDER_ALLOWED_ORIGINS or PUBLIC_URL, FFMPEG_PATH — default `ffmpeg` on the PATH —,
 * FFPROBE_PATH, TEMP_DIR, FONTS_DIR, CHECK_CONCURRENCY — default 2 —). `allowedOrigins` given as
 * an option is kept by reference.
 */
export function renderServerSettings(options: Given, env: Record<string, string | undefined> = process.env): RenderServerSettings {
  const allowedOrigins = options.allowedOrigins ?? parseOrigins(env.RENDER_ALLOWED_ORIGINS || env.PUBLIC_URL)
  const parsed = settingsSchema.safeParse({
    secret: options.secret ?? env.RENDER_SHARED_SECRET ?? '',
    allowedOrigins,
    ffmpeg: options.ffmpegPath ?? (env.FFMPEG_PATH || 'ffmpeg'),
    ffprobe: options.ffprobePath ?? (env.FFPROBE_PATH || undefined),
    tempDir: options.tempDir ?? (env.TEMP_DIR || undefined),
    fontsDir: options.fontsDir ?? (env.FONTS_DIR || undefined),
    checkConcurrency: options.checkConcurrency ?? (env.CHECK_CONCURRENCY ? Number(env.CHECK_CONCURRENCY) : 2),
  })
  if (!parsed.success) throw new Error(`The render server cannot start: ${parsed.error.issues.map((i) => i.message).join(' ')}`)
  return { ...parsed.data, allowedOrigins }
}
