/**
 * Errors the store raises on its own. Both carry a stable `name` for the server's problem+json mapping:
 * `InvalidCursorError` is the client's fault (400); `StoreSchemaError` is an operator's problem at start-up.
 * A missing run or network where one is required raises the shared `NotFoundError` (404).
 */
import { SpreadlabError } from "../errors.js";

/** The database was written by a newer Spreadlab (or its migration table is damaged). */
export class StoreSchemaError extends SpreadlabError {
  override name = "StoreSchemaError";
}

/** A paging cursor that this store did not hand out (edited, truncated or from another listing). */
export class InvalidCursorError extends SpreadlabError {
  override name = "InvalidCursorError";
}

/** The database cannot be reached or used (PostgreSQL down, wrong URL, no rights): an operator's problem at start-up. */
export class StoreConnectionError extends SpreadlabError {
  override name = "StoreConnectionError";
}
