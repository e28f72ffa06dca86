/**
 * PostgreSQL for the tests: DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test, trust auth), one
 * schema `sl_<random>` per test file (or per store), dropped at the end, so files can run in parallel.
 */
import { randomUUID } from "node:crypto";
import pg from "pg";
import { openPostgresStore } from "../../src/store/postgres.js";
import type { Store } from "../../src/store/types.js";

export const DATABASE_URL = process.env.DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";

/** A fresh schema name. */
export const testSchema = (): string => `sl_${randomUUID().replace(/-/g, "").slice(0, 16)}`;

/** Drop a schema and everything in it. */
export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** A store on a fresh schema; closing it drops the schema. */
export async function openTestPostgresStore(schema = testSchema()): Promise<Store> {
  const store = await openPostgresStore(DATABASE_URL, { schema });
  const close = store.close.bind(store);
  return Object.assign(store, {
    close: async () => {
      await close();
      await dropSchema(schema);
    },
  });
}
