/**
 * Keyset paging cursors. Listings are ordered by (created_at DESC, id DESC); a cursor is the base64url of
 * the JSON pair [created_at, id] of the last row handed out, and the next page starts strictly after it.
 * Unlike OFFSET paging, rows inserted meanwhile neither shift nor repeat the pages already read.
 * The format is opaque to callers; a cursor that does not decode raises InvalidCursorError.
 */
import { InvalidCursorError } from "./errors.js";

export interface CursorKey {
  createdAt: string;
  id: string;
}

export function encodeCursor(key: CursorKey): string {
  return Buffer.from(JSON.stringify([key.createdAt, key.id]), "utf8").toString("base64url");
}

export function decodeCursor(cursor: string): CursorKey {
  let pair: unknown;
  try {
    pair = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    pair = undefined;
  }
  if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== "string" || typeof pair[1] !== "string") {
    throw new InvalidCursorError(
      `store: invalid paging cursor "${cursor.slice(0, 40)}"; pass the "next" value of the previous page unchanged, or omit it for the first page.`,
    );
  }
  return { createdAt: pair[0], id: pair[1] };
}
