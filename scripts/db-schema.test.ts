/**
 * workers/db/schema.ts, the hand-written migrations and drizzle-kit's snapshot agree (#9): the
 * snapshot is the schema (so `npm run db:generate` writes only a real change), and the tables
 * drizzle-kit would make from schema.ts are the ones the migrations make, column by column and
 * index by index (SQLite in Node, the migrations applied in wrangler's order).
 */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { describe, expect, it } from 'vitest'
import { schemaDiff } from './db-schema.mjs'

const root = join(import.meta.dirname, '..')

/** Every table's columns and indexes, as SQLite reports them. */
function shape(db: DatabaseSync) {
  const tables = db.prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '\\_cf\\_%' escape '\\' and name != 'd1_migrations' order by name`).all() as { name: string }[]
  return Object.fromEntries(
    tables.map(({ name }) => [
      name,
      {
        columns: (db.prepare(`pragma table_info(${JSON.stringify(name)})`).all() as any[]).map((c) => `${c.name} ${String(c.type).toLowerCase()}${c.notnull ? ' not null' : ''}${c.pk ? ` pk${c.pk}` : ''}${c.dflt_value === null ? '' : ` default ${String(c.dflt_value).replace(/^\((.*)\)$/, '$1')}`}`).sort(),
        indexes: (db.prepare(`pragma index_list(${JSON.stringify(name)})`).all() as any[])
          .filter((i) => i.origin === 'c')
          .map((i) => `${i.unique ? 'unique ' : ''}${i.name}(${(db.prepare(`pragma index_info(${JSON.stringify(i.name)})`).all() as any[]).map((c) => c.name).join(',')})`)
          .sort(),
      },
    ]),
  )
}

describe('the database schema', () => {
  it('has its drizzle snapshot current (run npm run db:snapshot after a hand-written migration)', () => {
    const diff = schemaDiff()
    expect(diff?.sql ?? null, 'schema.ts differs from the newest snapshot in migrations/meta').toBeNull()
  }, 60_000)

  it('is what the migrations make', () => {
    const migrated = new DatabaseSync(':memory:')
    for (const file of readdirSync(join(root, 'migrations')).filter((f) => f.endsWith('.sql')).sort()) migrated.exec(readFileSync(join(root, 'migrations', file), 'utf8'))
    // drizzle-kit's full schema from schema.ts (no snapshot: every table from scratch).
    const work = join(root, 'node_modules', '.cache', 'db-schema-full')
    rmSync(work, { recursive: true, force: true })
    mkdirSync(work, { recursive: true })
    const config = join(work, 'drizzle.config.mjs')
    writeFileSync(config, `export default ${JSON.stringify({ dialect: 'sqlite', schema: './workers/db/schema.ts', out: `./${relative(root, work)}`, casing: 'snake_case' })}\n`)
    execFileSync(join(root, 'node_modules', '.bin', 'drizzle-kit'), ['generate', '--config', config, '--name', 'full'], { cwd: root, stdio: 'ignore' })
    const declared = new DatabaseSync(':memory:')
    declared.exec(readFileSync(join(work, readdirSync(work).find((f) => f.endsWith('_full.sql'))!), 'utf8'))
    expect(shape(migrated)).toEqual(shape(declared))
  }, 60_000)
})
