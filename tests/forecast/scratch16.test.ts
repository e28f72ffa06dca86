import { it } from "vitest";
import { loadDataset } from "../../src/forecast/index.js";
import { forecastRegions } from "../../src/forecast/regional.js";
it("measure", async () => {
  for (const id of (process.env.DS ?? "state360").split(",")) {
  const t = loadDataset(id);
  console.log(id, t.regions.length, t.rows);
  for (const method of (process.env.M ?? "trend,transformer").split(",") as ("trend"|"transformer"|"baseline")[]) {
    const t0 = performance.now();
    const r = await forecastRegions(t, { method, samples: 200 });
    const rel = r.regions.map((x) => x.scores?.relativeWis ?? NaN).filter(Number.isFinite);
    const geo = Math.exp(rel.reduce((a, b) => a + Math.log(b), 0) / rel.length);
    console.log(id, method, (performance.now() - t0).toFixed(0), "ms", "geo-mean rel WIS", geo.toFixed(3), "n", rel.length, r.regions.slice(0,3).map(x=>[x.trend, x.scores?.origins]));
  }}
}, 600000);
