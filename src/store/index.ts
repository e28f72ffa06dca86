/** The persistent store: its contract (types.ts), the SQLite implementation and its errors. */
export type { NetworkRow, Page, RunEvent, RunRow, RunStatus, Store } from "./types.js";
export { openStore, type OpenStoreOptions } from "./sqlite.js";
export { InvalidCursorError, StoreSchemaError } from "./errors.js";
export { MIGRATIONS, SCHEMA_VERSION } from "./migrations.js";
