/**
 * The deployable shape: the built Worker, its bindings and its static assets must pass
 * `wrangler deploy --dry-run` (containers skipped: no Docker here), so main stays deployable.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ensureBuild } from '../e2e/harness'

const root = join(import.meta.dirname, '..')
const bin = (name: string) => join(root, 'node_modules', '.bin', name)

describe('deploy', () => {
  it('passes wrangler deploy --dry-run with every binding the product needs', () => {
    // The same build the e2e tests use, made at most once per state of the sources, under a lock.
    ensureBuild()
    const outdir = mkdtempSync(join(tmpdir(), 'reelpilot-dry-'))
    const output = execFileSync(
      bin('wrangler'),
      ['deploy', '--dry-run', '--containers-rollout=none', '-c', join(root, 'build', 'server', 'wrangler.json'), '--outdir', outdir],
      { cwd: root, encoding: 'utf8', env: { ...process.env, CI: 'true', NO_COLOR: '1' } },
    )
    for (const binding of ['env.DB', 'env.MEDIA', 'env.RENDER_JOBS', 'env.PUBLISH_JOBS', 'env.PROJECT_SCHEDULER', 'env.RENDER_CONTAINER', 'env.API_RATE_LIMITER', 'env.AI']) {
      expect(output).toContain(binding)
    }
    expect(output).toMatch(/--dry-run: exiting now/)
    expect(statSync(join(outdir, 'index.js')).size).toBeGreaterThan(0)

    const config = JSON.parse(readFileSync(join(root, 'build', 'server', 'wrangler.json'), 'utf8'))
    for (const queue of ['render-jobs', 'publish-jobs']) {
      const consumer = config.queues.consumers.find((c: { queue: string }) => c.queue === queue)
      expect(consumer).toMatchObject({ dead_letter_queue: `${queue}-dlq`, max_retries: expect.any(Number), retry_delay: expect.any(Number) })
    }
    expect(config.containers[0]).toMatchObject({ class_name: 'RenderContainer', instance_type: expect.stringMatching(/^standard-[234]$/) })
    expect(config.triggers.crons.length).toBeGreaterThan(0)
    // Cloudflare's invocation log line records the full URL (signed storage tokens): off; our own redacted lines stay on.
    expect(config.observability).toMatchObject({ enabled: true, logs: { enabled: true, invocation_logs: false } })
  })
})
