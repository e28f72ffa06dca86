/** Listing pages of the PostgreSQL store (postgres.ts): keyset pagination, newest first. */
import type pg from "pg";
import { decodeCursor, encodeCursor } from "./cursor.js";
import { checkLimit } from "./rows.js";
import type { Page, RunStatus } from "./types.js";

/** created_at, then id, compared byte by byte ("C"): the SQLite store's order, whatever the database's collation. */
const NEWEST = 'ORDER BY created_at COLLATE "C" DESC, id COLLATE "C" DESC LIMIT';

/** One page of `table` newest first, like the SQLite store, optionally of one status; `total` ignores the cursor. */
export async function keysetPage<T extends { createdAt: string; id: string }>(pool: pg.Pool, table: string, columns: string, convert: (r: unknown) => T, limit: number, cursor?: string | null, status?: RunStatus): Promise<Page<T>> {
  checkLimit(limit);
  const after = cursor ? decodeCursor(cursor) : null;
  const where: string[] = [];
  const params: unknown[] = [];
  if (status) where.push(`status = $${params.push(status)}`);
  const countWhere = where.length ? `WHERE ${where.join(" AND ")}` : "";
  const countParams = [...params];
  if (after) where.push(`(created_at COLLATE "C", id COLLATE "C") < ($${params.push(after.createdAt)}, $${params.push(after.id)})`);
  const sql = `SELECT ${columns} FROM ${table} ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ${NEWEST} $${params.push(limit + 1)}`;
  const [rows, count] = await Promise.all([pool.query(sql, params), pool.query(`SELECT COUNT(*)::int AS n FROM ${table} ${countWhere}`, countParams)]);
  const converted = rows.rows.map(convert);
  const items = converted.slice(0, limit);
  const last = items[items.length - 1];
  return { items, total: (count.rows[0] as { n: number }).n, next: converted.length > limit && last ? encodeCursor(last) : null };
}
