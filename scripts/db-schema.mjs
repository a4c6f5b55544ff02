// drizzle-kit beside hand-written migrations (#9). Migrations are SQL files in migrations/, numbered
// by reservation (NNNN_name.sql, applied by wrangler in name order); drizzle-kit never names or
// applies them. It only compares workers/db/schema.ts with the newest snapshot in migrations/meta,
// which this script keeps as the schema of the newest migration:
//
//   npm run db:check                   exit 1 with the SQL drizzle-kit would write, if schema.ts and
//                                      the snapshot differ (a schema change without its snapshot)
//   npm run db:generate -- 0024_media  writes that SQL as migrations/0024_media.sql (read it, edit
//                                      it: drizzle-kit recreates tables where an ALTER would do) and
//                                      takes the new schema as migrations/meta/0024_media_snapshot.json
//   npm run db:snapshot                only the snapshot, for a migration written by hand
//
// drizzle-kit runs on a copy of migrations/meta under node_modules/.cache, so it never writes its
// own index-numbered file or journal entry into migrations/.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const migrations = join(root, 'migrations')
const meta = join(migrations, 'meta')

/** What drizzle-kit would generate against the current snapshot: `{ sql, snapshot }`, or null when schema.ts matches it. */
export function schemaDiff() {
  const work = join(root, 'node_modules', '.cache', 'db-schema')
  rmSync(work, { recursive: true, force: true })
  mkdirSync(work, { recursive: true })
  cpSync(meta, join(work, 'meta'), { recursive: true })
  // drizzle-kit reads `out` relative to the working directory.
  const out = `./${relative(root, work)}`
  const config = join(work, 'drizzle.config.mjs')
  writeFileSync(config, `export default ${JSON.stringify({ dialect: 'sqlite', schema: './workers/db/schema.ts', out, casing: 'snake_case' })}\n`)
  const output = execFileSync(join(root, 'node_modules', '.bin', 'drizzle-kit'), ['generate', '--config', config, '--name', 'diff'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  const file = readdirSync(work).find((f) => f.endsWith('_diff.sql'))
  if (!file) {
    if (!/No schema changes/.test(output)) throw new Error(`drizzle-kit generate wrote nothing and did not say why:\n${output}`)
    return null
  }
  const journal = JSON.parse(readFileSync(join(work, 'meta', '_journal.json'), 'utf8'))
  const idx = journal.entries.at(-1).idx
  const snapshot = JSON.parse(readFileSync(join(work, 'meta', `${String(idx).padStart(4, '0')}_snapshot.json`), 'utf8'))
  return { sql: readFileSync(join(work, file), 'utf8'), snapshot, entry: journal.entries.at(-1) }
}

/** The newest migration's tag, e.g. `0022_autopilot_versions` (names sort in the order wrangler applies them). */
export function newestMigration() {
  return readdirSync(migrations).filter((f) => /^\d{4}[a-z]?_.+\.sql$/.test(f)).sort().at(-1).replace(/\.sql$/, '')
}

/** Keeps `diff.snapshot` as the schema after migration `tag` (snapshot and journal entry). */
export function takeSnapshot(diff, tag) {
  writeFileSync(join(meta, `${tag}_snapshot.json`), `${JSON.stringify(diff.snapshot, null, 2)}\n`)
  const journalPath = join(meta, '_journal.json')
  const journal = JSON.parse(readFileSync(journalPath, 'utf8'))
  journal.entries.push({ ...diff.entry, idx: journal.entries.length, tag })
  writeFileSync(journalPath, `${JSON.stringify(journal, null, 2)}\n`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [command, name] = process.argv.slice(2)
  const diff = schemaDiff()
  if (command === 'check') {
    if (!diff) console.log('db:check: workers/db/schema.ts matches the snapshot of the newest migration.')
    else {
      console.error(`db:check: workers/db/schema.ts differs from the newest snapshot in migrations/meta. drizzle-kit would write:\n\n${diff.sql}\n\nWrite that change as your migration (npm run db:generate -- NNNN_name), or, if it is written already, npm run db:snapshot.`)
      process.exitCode = 1
    }
  } else if (command === 'generate' || command === 'snapshot') {
    if (!diff) console.log('No schema changes: nothing to write.')
    else {
      const tag = command === 'generate' ? name : newestMigration()
      if (!tag || !/^\d{4}[a-z]?_[a-z0-9_]+$/.test(tag)) throw new Error('Name the migration with its reserved number: npm run db:generate -- 0024_media_things')
      if (command === 'generate') {
        if (existsSync(join(migrations, `${tag}.sql`))) throw new Error(`migrations/${tag}.sql exists already`)
        writeFileSync(join(migrations, `${tag}.sql`), diff.sql)
        console.log(`Wrote migrations/${tag}.sql: read it before you commit it.`)
      }
      takeSnapshot(diff, tag)
      console.log(`Wrote migrations/meta/${tag}_snapshot.json`)
    }
  } else {
    console.error('usage: node scripts/db-schema.mjs check | generate NNNN_name | snapshot')
    process.exitCode = 2
  }
}
