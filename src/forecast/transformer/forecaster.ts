/**
 * Prediction with a trained network: quantiles in the series' own units for any (series, origin), and the
 * bridge from a `SeriesTable` (a parsed CSV) to the univariate weekly series the network reads.
 */
import { tf } from "./backend.js";
import type { TransformerConfig } from "./model.js";
import { FEATURES, makeBatch, phaseFromDates, phaseFromWeeks, scaleFloors, type Pick, type WeeklySeries } from "./windows.js";
import type { SeriesTable } from "../series-csv.js";
import { tableFrequency } from "../frequency.js";

/**
 * The regions of a table as the series the network reads: phase of the year from its MMWR weeks or its dates,
 * at the frequency read from them (or forced, `table.frequency`; frequency.ts); no phase (NaN: the phase
 * features are 0) for a table without row times. Rows [0, rows) only.
 *
 * @throws DataError for dates that are neither weekly nor daily throughout (unless the frequency is forced).
 */
export function seriesFromTable(table: SeriesTable, rows = table.rows): WeeklySeries[] {
  const frequency = tableFrequency(table);
  const phase = table.weeks ? phaseFromWeeks(table.weeks.slice(0, rows)) : table.dates ? phaseFromDates(table.dates.slice(0, rows)) : new Float64Array(rows).fill(NaN);
  const rowsPerYear = frequency === "daily" ? 365.25 : 52;
  return table.values.map((v) => {
    const values = v.slice(0, rows);
    return { values, phase, rowsPerYear, floors: scaleFloors(values) };
  });
}

/**
 * Quantiles for each pick: out[i][h − 1] is a Float64Array of the levels at horizon h, in the series'
 * units, non-decreasing, and at least 0 (incidence is never negative). Reads rows up to each origin only.
 */
export function predictQuantiles(model: tf.LayersModel, config: TransformerConfig, series: readonly WeeklySeries[], picks: readonly Pick[], batchSize = 512): Float64Array[][] {
  const out: Float64Array[][] = [];
  for (let i = 0; i < picks.length; i += batchSize) {
    const chunk = picks.slice(i, i + batchSize);
    const batch = makeBatch(series, chunk, config);
    const values = tf.tidy(() => (model.predict(tf.tensor3d(batch.x, [batch.size, config.context, FEATURES])) as tf.Tensor).dataSync());
    for (let b = 0; b < batch.size; b++) out.push(unscaledRows(values, b, batch.scales[b], config));
  }
  return out;
}

/**
 * Row `row` of a network output ([rows, H, L], scaled) as H quantile rows in the series' units: the spread
 * applied about the median, × the window's scale, at least 0. Monotone by construction (MonotoneQuantiles); a
 * spread ≥ 0 about the median and max(0, ·) keep it so.
 */
export function unscaledRows(values: ArrayLike<number>, row: number, scale: number, config: TransformerConfig): Float64Array[] {
  const L = config.levels.length;
  const spread = config.spread ?? 1;
  const median = config.levels.indexOf(0.5) >= 0 ? config.levels.indexOf(0.5) : Math.floor(L / 2);
  const rows: Float64Array[] = [];
  for (let h = 0; h < config.horizon; h++) {
    const q = new Float64Array(L);
    const base = (row * config.horizon + h) * L;
    const m = values[base + median];
    for (let l = 0; l < L; l++) q[l] = Math.max(0, (m + spread * (values[base + l] - m)) * scale);
    rows.push(q);
  }
  return rows;
}

/**
 * Copies of rows [0, rows) of each region, with all but the last `keepLast` of them blanked (NaN): the only data
 * the networks are fitted on (`evaluate`'s training rows; the transfer comparison's cut histories).
 */
export function trainingRows(table: SeriesTable, rows: number, keepLast = rows): WeeklySeries[] {
  return seriesFromTable(table, rows).map((s) => {
    const values = s.values.slice();
    values.fill(NaN, 0, Math.max(0, rows - keepLast));
    return { ...s, values, floors: scaleFloors(values) };
  });
}
