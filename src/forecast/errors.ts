/**
 * Named errors of the forecast module (kept here rather than in src/errors.ts so the module stays
 * self-contained). Tests and the server match on `name`, not on the message.
 */
import { LocatedError, SpreadlabError } from "../errors.js";

/**
 * An incidence series is malformed or unsuitable: unreadable header, non-numeric or negative cell, ragged
 * row, duplicate / out-of-order / missing week, too few rows for the protocol. Carries the file and the
 * 1-based line when the problem is at a line of a file.
 */
export class DataError extends LocatedError {
  override name = "DataError";
}

/** A forecasting call got arguments outside its domain (horizon ≤ 0, quantile levels not symmetric, …). */
export class ForecastError extends SpreadlabError {
  override name = "ForecastError";
}
