/**
 * The transformer's regional classes scored as `trendValidation` (regional.ts) scores the damped trend's: over every
 * `step`-th origin from row 52 to the last with a target, the share of (region, origin) whose class (rising / flat /
 * falling, from the horizon-H quantiles and the region's flat band at that origin) matches the class of the change
 * observed H weeks later, and the mean WIS relative to the hub baseline on the same cells. The bundled pretrained
 * network, zero-shot; each origin reads rows up to itself only (windows end at the origin).
 */
import { tableFrequency } from "./frequency.js";
import { hubBaselineQuantiles } from "./hub-baseline.js";
import { weightedIntervalScore } from "./metrics.js";
import { classifyTrend, DEFAULT_REGIONAL_HORIZON, flatBand, streamOf, type Trend } from "./regional.js";
import type { SeriesTable } from "./series-csv.js";

export async function transformerValidation(
  table: SeriesTable,
  options: { horizon?: number; step?: number; samples?: number } = {},
): Promise<{ accuracy: number; relativeWis: number; counts: Record<Trend, number>; cells: number }> {
  const H = options.horizon ?? DEFAULT_REGIONAL_HORIZON;
  const step = options.step ?? 2;
  const samples = options.samples ?? 200;
  const [{ initTf }, service, forecaster] = await Promise.all([import("./transformer/backend.js"), import("./transformer/service.js"), import("./transformer/forecaster.js")]);
  await initTf();
  const base = await service.loadPretrained(tableFrequency(table));
  const series = forecaster.seriesFromTable(table);
  const counts: Record<Trend, number> = { rising: 0, flat: 0, falling: 0 };
  let hits = 0;
  let n = 0;
  let wis = 0;
  let hub = 0;
  for (let r = 0; r < table.regions.length; r++) {
    const v = table.values[r];
    const cells: { t: number; band: number }[] = [];
    for (let t = 52; t + H < table.rows; t += step) {
      if (!Number.isFinite(v[t + H]) || !Number.isFinite(v[t]) || service.observedCount(v, t + 1) < service.MIN_FORECAST_WEEKS) continue;
      try {
        cells.push({ t, band: flatBand(v.subarray(0, t + 1), H) });
      } catch {
        continue;
      }
    }
    const out = forecaster.predictQuantiles(base.model, base.manifest.config, series, cells.map(({ t }) => ({ series: r, origin: t })));
    cells.forEach(({ t, band }, i) => {
      const q = out[i][H - 1];
      const y = v[t + H];
      const last = v[t];
      const { trend } = classifyTrend(last, q, band);
      const change = last > 0 ? y / last - 1 : 0;
      const truth: Trend = change > band ? "rising" : change < -band ? "falling" : "flat";
      counts[trend]++;
      if (trend === truth) hits++;
      n++;
      wis += weightedIntervalScore(y, q);
      hub += weightedIntervalScore(y, hubBaselineQuantiles(v.subarray(0, t + 1), H, { samples, stream: streamOf(r, t, H) }));
    });
  }
  return { accuracy: n > 0 ? hits / n : NaN, relativeWis: hub > 0 ? wis / hub : NaN, counts, cells: n };
}
