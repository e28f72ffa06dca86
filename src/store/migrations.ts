/**
 * Schema migrations. `MIGRATIONS` is append-only and ordered by version: never edit a migration that has
 * shipped, add the next one. `migrate(db)` runs at open: it records each applied version in
 * `schema_migrations(version, applied_at)` and applies the missing ones in order, each in its own
 * BEGIN IMMEDIATE transaction that re-checks the version, so two processes opening the same new file at once
 * apply each migration exactly once. A database whose highest version is beyond the last one known here was
 * written by a newer Spreadlab; it is refused (StoreSchemaError) rather than guessed at.
 *
 * Column notes: JSON columns hold JSON text; timestamps are ISO-8601 UTC text from Date#toISOString (which
 * sorts chronologically as text); blobs carry a `codec` column (see codec.ts).
 * runs.network_id is ON DELETE SET NULL: a run stores its full spec, so its record and result stay readable
 * (and re-runnable) after the network it was made on is deleted; results and events die with their run.
 */
import type Database from "better-sqlite3";
import { StoreSchemaError } from "./errors.js";

export interface Migration {
  version: number;
  name: string;
  /** SQL to execute, or a function for changes SQL alone cannot make (data rewrites). */
  up: string | ((db: Database.Database) => void);
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "networks, runs, results, run events",
    up: `
      CREATE TABLE networks (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        created_at  TEXT NOT NULL,
        source      TEXT NOT NULL,
        n           INTEGER NOT NULL,
        m           INTEGER NOT NULL,
        directed    INTEGER NOT NULL CHECK (directed IN (0, 1)),
        stats       TEXT NOT NULL,
        graph_codec TEXT NOT NULL,
        graph       BLOB NOT NULL
      );
      CREATE INDEX networks_by_created ON networks (created_at DESC, id DESC);

      CREATE TABLE runs (
        id             TEXT PRIMARY KEY,
        created_at     TEXT NOT NULL,
        updated_at     TEXT NOT NULL,
        status         TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
        spec           TEXT NOT NULL,
        network_id     TEXT REFERENCES networks (id) ON DELETE SET NULL,
        progress_done  INTEGER NOT NULL DEFAULT 0,
        progress_total INTEGER NOT NULL,
        started_at     TEXT,
        finished_at    TEXT,
        error          TEXT
      );
      CREATE INDEX runs_by_created ON runs (created_at DESC, id DESC);
      CREATE INDEX runs_by_status_created ON runs (status, created_at DESC, id DESC);
      CREATE INDEX runs_by_network ON runs (network_id);

      CREATE TABLE results (
        run_id     TEXT PRIMARY KEY REFERENCES runs (id) ON DELETE CASCADE,
        codec      TEXT NOT NULL,
        json       BLOB NOT NULL,
        json_bytes INTEGER NOT NULL
      );

      CREATE TABLE run_events (
        run_id     TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        seq        INTEGER NOT NULL,
        type       TEXT NOT NULL CHECK (type IN ('status', 'progress', 'done')),
        data       TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
      ) WITHOUT ROWID;
    `,
  },
  {
    // Placeholders for the forecaster: no Store method reads or writes these yet.
    version: 2,
    name: "forecaster models and forecasts (placeholders)",
    up: `
      CREATE TABLE models (
        id         TEXT PRIMARY KEY,
        name       TEXT NOT NULL,
        created_at TEXT NOT NULL,
        manifest   TEXT NOT NULL
      );
      CREATE TABLE forecasts (
        id         TEXT PRIMARY KEY,
        created_at TEXT NOT NULL,
        status     TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
        spec       TEXT NOT NULL,
        result     BLOB,
        error      TEXT
      );
      CREATE INDEX forecasts_by_created ON forecasts (created_at DESC, id DESC);
    `,
  },
  {
    // The forecasts table of version 2 becomes the store of `POST /v1/forecasts`: the lifecycle timestamps
    // of a job, and the result blob's codec and size (as results.codec / json_bytes). Added columns rather
    // than a rebuilt table: version 2 had no writer, and ADD COLUMN keeps any row as it is.
    version: 3,
    name: "forecast jobs: timestamps and result codec",
    up: `
      ALTER TABLE forecasts ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
      UPDATE forecasts SET updated_at = created_at;
      ALTER TABLE forecasts ADD COLUMN started_at TEXT;
      ALTER TABLE forecasts ADD COLUMN finished_at TEXT;
      ALTER TABLE forecasts ADD COLUMN result_codec TEXT;
      ALTER TABLE forecasts ADD COLUMN result_bytes INTEGER;
      CREATE INDEX forecasts_by_status_created ON forecasts (status, created_at DESC, id DESC);
    `,
  },
  {
    // Several API instances on one store (PostgreSQL): each claims the jobs it runs (`owner`, an instance
    // id) and keeps a heartbeat in `instances`, so that start-up recovery fails only the jobs of dead ones.
    version: 4,
    name: "job owners and instance heartbeats",
    up: `
      ALTER TABLE runs ADD COLUMN owner TEXT;
      ALTER TABLE forecasts ADD COLUMN owner TEXT;
      CREATE TABLE instances (
        id           TEXT PRIMARY KEY,
        started_at   TEXT NOT NULL,
        heartbeat_at TEXT NOT NULL
      );
    `,
  },
];

/**
 * A migration's SQL for PostgreSQL: the SQLite text with BLOB as BYTEA and without SQLite's WITHOUT ROWID
 * (the only two differences the migrations above use), so both back ends apply the same list.
 */
export function postgresSql(migration: Migration): string {
  if (typeof migration.up !== "string") {
    throw new Error(`store: migration ${migration.version} (${migration.name}) is a SQLite function; give it SQL for PostgreSQL too.`);
  }
  return migration.up.replace(/\bBLOB\b/g, "BYTEA").replace(/\)\s*WITHOUT ROWID/g, ")");
}

/** The highest version this code knows. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;

/** Highest applied version (0 for a new database). */
export function schemaVersion(db: Database.Database): number {
  const row = db.prepare("SELECT MAX(version) AS version FROM schema_migrations").get() as { version: number | null };
  return row.version ?? 0;
}

/**
 * Bring `db` up to the last version in `migrations`; returns the versions applied now (empty when current).
 * Throws StoreSchemaError when the database is newer than the code.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  for (let i = 0; i < migrations.length; i++) {
    const v = migrations[i].version;
    if (!Number.isInteger(v) || v !== i + 1) {
      throw new Error(`store: migration versions must be 1, 2, 3, … in order; found ${v} at position ${i}.`);
    }
  }
  const latest = migrations.length;
  db.exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
  const tooNew = (current: number): StoreSchemaError =>
    new StoreSchemaError(
      `store: database "${db.name}" has schema version ${current}, but this Spreadlab knows versions up to ${latest}. ` +
        "It was written by a newer Spreadlab: upgrade Spreadlab, or point it at another database file.",
    );
  const start = schemaVersion(db);
  if (start > latest) throw tooNew(start);

  const record = db.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)");
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= start) continue;
    const apply = db.transaction(() => {
      // Re-read under the write lock: another process may have migrated since `start` was read.
      const current = schemaVersion(db);
      if (current > latest) throw tooNew(current);
      if (current >= migration.version) return;
      if (typeof migration.up === "string") db.exec(migration.up);
      else migration.up(db);
      record.run(migration.version, new Date().toISOString());
      applied.push(migration.version);
    });
    apply.immediate();
  }
  return applied;
}
