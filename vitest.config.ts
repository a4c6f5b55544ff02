/**
 * Three test projects, all run by `npm test`:
 * - unit: pure logic and the render server, in Node;
 * - workers: the Worker inside workerd (Miniflare) with real D1, R2, Queues and Durable Objects;
 * - e2e: the whole product started for real and driven through Chromium.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { cloudflareTest, readD1Migrations } from '@cloudflare/vitest-plugin'
import { defineConfig } from 'vitest/config'
import { useTools } from './scripts/tools.mjs'

const root = fileURLToPath(new URL('.', import.meta.url))

// FFmpeg, ffprobe and fonts from the npm packages (or FFMPEG_PATH, FFPROBE_PATH, FONTCONFIG_FILE
// when set), put in the environment that every test and the render servers they start inherit.
// A missing one stops the run here with what to do, instead of failing tests one by one.
const tools = useTools()
if (tools.problems.length) throw new Error(`The tests cannot run:\n- ${tools.problems.join('\n- ')}`)

// Tests sign their own session tokens with a key made for this run; nothing calls Clerk.
const { privateKey, publicKey } = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
})

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['workers/domain/**/*.test.ts', 'containers/**/*.test.ts', 'scripts/**/*.test.ts', 'app/lib/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          // The render tests make their clips with FFmpeg before they start: on a loaded 2-core machine that takes a while.
          hookTimeout: 120_000,
        },
      },
      {
        plugins: [
          cloudflareTest(async ({ inject }) => ({
            wrangler: { configPath: './wrangler.toml' },
            // The AI binding (wrangler.toml) is remote-only: without this the run would need a Cloudflare account.
            remoteBindings: false,
            miniflare: {
              bindings: {
                TEST_MIGRATIONS: await readD1Migrations(`${root}/migrations`),
                LOCAL_AUTH_PRIVATE_KEY: privateKey,
                LOCAL_AUTH_PUBLIC_KEY: publicKey,
                APP_ENV: 'local',
                CLERK_SECRET_KEY: '',
                RENDER_URL: inject<string>('renderUrl'),
                RENDER_SHARED_SECRET: inject<string>('renderSecret'),
                BROKEN_RENDER_URL: inject<string>('brokenRenderUrl'),
                // Nothing listens here: inside these tests the Worker has no TCP port for the render server
                // to fetch from, so renders that need storage URLs are tested end to end (e2e/).
                PUBLIC_URL: 'http://127.0.0.1:9',
                UPLOAD_SIGNING_KEY: randomBytes(32).toString('base64url'),
                METRICS_TOKEN: randomBytes(24).toString('base64url'),
                // Publishing: real publishers against the platform stubs (test/stubs), short timeouts.
                PLATFORM_API_BASE: inject<string>('platformStubUrl'),
                PLATFORM_TIMEOUT_MS: '1000',
                SANDBOX_PROCESSING_SEC: '0',
                SANDBOX_ENABLED: 'true',
                TOKEN_ENCRYPTION_KEY: `v1:${randomBytes(32).toString('base64')}`,
                YOUTUBE_CLIENT_ID: 'test-youtube-client.apps.googleusercontent.com',
                YOUTUBE_CLIENT_SECRET: 'test-youtube-secret',
                TIKTOK_CLIENT_KEY: 'test-tiktok-client-key',
                TIKTOK_CLIENT_SECRET: 'test-tiktok-secret',
                INSTAGRAM_APP_ID: 'test-instagram-app',
                INSTAGRAM_APP_SECRET: 'test-instagram-secret',
                // The seeded fault runs (workers/queues/fault-runs.test.ts): how many, which seed, or one run to replay;
                // and the API fuzz (workers/api/fuzz.test.ts): how many requests, which seed.
                ...Object.fromEntries(['FAULT_RUNS', 'FAULT_SEED', 'FAULT_RUN', 'FUZZ_RUNS', 'FUZZ_SEED'].filter((k) => process.env[k]).map((k) => [k, process.env[k]!])),
              },
              // A small budget so the rate-limit test can exhaust it quickly.
              // TEST_TINY_LIMITER stands in for a per-client limiter where a test must reach the limit in a few calls.
              ratelimits: {
                // 120: the contract walk makes about 70 requests as one outsider.
                API_RATE_LIMITER: { namespace_id: '1001', simple: { limit: 120, period: 60 } },
                TIKTOK_INIT_LIMITER: { namespace_id: '1002', simple: { limit: 6, period: 60 } },
                TIKTOK_STATUS_LIMITER: { namespace_id: '1003', simple: { limit: 30, period: 60 } },
                ANON_RATE_LIMITER: { namespace_id: '1004', simple: { limit: 120, period: 60 } },
                STORAGE_RATE_LIMITER: { namespace_id: '1005', simple: { limit: 3000, period: 60 } },
                AUTH_FAILURE_LIMITER: { namespace_id: '1006', simple: { limit: 20, period: 60 } },
                AI_RATE_LIMITER: { namespace_id: '1010', simple: { limit: 30, period: 60 } },
                TEST_TINY_LIMITER: { namespace_id: '1999', simple: { limit: 3, period: 60 } },
              },
            },
          })),
        ],
        resolve: {
          alias: { 'virtual:react-router/server-build': `${root}/test/no-server-build.ts` },
        },
        test: {
          name: 'workers',
          include: ['workers/**/*.test.ts'],
          exclude: ['workers/domain/**'],
          setupFiles: ['./test/apply-migrations.ts'],
          globalSetup: ['./test/global-render-server.ts', './test/global-platform-stubs.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 300_000,
          hookTimeout: 600_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
