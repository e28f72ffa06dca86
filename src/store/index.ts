/** The persistent store: its contract (types.ts), the SQLite and PostgreSQL implementations and their errors. */
import { openPostgresStore, type PostgresStoreOptions } from "./postgres.js";
import { openStore } from "./sqlite.js";
import type { Store } from "./types.js";

export type { ForecastRow, InstanceRow, NetworkRow, Page, RunEvent, RunRow, RunStatus, Store, StoreNotice } from "./types.js";
export { openStore, type OpenStoreOptions } from "./sqlite.js";
export { openPostgresStore, redactUrl, type PostgresStoreOptions } from "./postgres.js";
export { InvalidCursorError, StoreConnectionError, StoreSchemaError } from "./errors.js";
export { MIGRATIONS, SCHEMA_VERSION } from "./migrations.js";

/** A postgres:// or postgresql:// URL names a PostgreSQL database; anything else is a SQLite file path. */
export const isPostgresUrl = (location: string): boolean => /^postgres(ql)?:\/\//i.test(location);

/** Open the store at `location`: PostgreSQL for a postgres:// URL, else the SQLite file. */
export async function openStoreAt(location: string, options: PostgresStoreOptions = {}): Promise<Store> {
  return isPostgresUrl(location) ? openPostgresStore(location, options) : openStore(location);
}
