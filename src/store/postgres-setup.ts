/**
 * Opening the PostgreSQL store (postgres.ts): the URL as logs show it, identifiers, and the migrations, applied
 * under a transaction-scoped advisory lock so that two instances starting at once on a new database apply each
 * migration exactly once.
 */
import type pg from "pg";
import { StoreSchemaError } from "./errors.js";
import { MIGRATIONS, postgresSql } from "./migrations.js";
import { now } from "./rows.js";
import { redactUrl as redactAny } from "../redact.js";

const MIGRATION_LOCK = 731_703_117; // any constant; the advisory lock that serialises migrations

/** The URL as shown in logs: without its password. */
export function redactUrl(url: string): string {
  return redactAny(url, "postgres://");
}

/** A PostgreSQL identifier, quoted. */
export const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** Applies the migrations the database lacks; refuses a database written by a newer Spreadlab (StoreSchemaError). */
export async function migratePostgres(pool: pg.Pool, shown: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await client.query("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
    const current = ((await client.query("SELECT MAX(version) AS v FROM schema_migrations")).rows[0] as { v: number | null }).v ?? 0;
    if (current > MIGRATIONS.length) {
      throw new StoreSchemaError(`store: database ${shown} has schema version ${current}, but this Spreadlab knows versions up to ${MIGRATIONS.length}. It was written by a newer Spreadlab: upgrade Spreadlab, or point it at another database.`);
    }
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      await client.query(postgresSql(migration));
      await client.query("INSERT INTO schema_migrations (version, applied_at) VALUES ($1, $2)", [migration.version, now()]);
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
