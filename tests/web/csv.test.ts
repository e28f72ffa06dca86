/** CSV exports: quoting, result curves with quantiles, comparisons, forecast quantiles. */
import { describe, expect, it } from "vitest";
import { compareCsv, csvField, forecastCsv, resultCsv } from "../../web/src/export/csv.js";

describe("CSV export", () => {
  it("quotes fields with commas, quotes or newlines, and leaves non-finite numbers empty", () => {
    expect([csvField('a "b", c'), csvField("x\ny"), csvField(NaN), csvField(null), csvField(1.5)]).toEqual(['"a ""b"", c"', '"x\ny"', "", "", "1.5"]);
  });

  it("writes one row per record time with the mean and every quantile level, in level order", () => {
    const csv = resultCsv({
      scenario: "t",
      runs: 2,
      n: 3,
      model: "SI",
      compartments: ["S", "I"],
      times: [0, 1],
      mean: { S: [2, 1], I: [1, 2] },
      quantiles: { S: { "0.975": [2, 2], "0.025": [2, 0], "0.5": [2, 1] }, I: { "0.5": [1, 2] } },
      finalSize: { mean: 1, sd: 0, values: [1, 1] },
      peak: { mean: 2, sd: 0, values: [2, 2], time: { mean: 1, sd: 0, values: [1, 1] } },
    });
    expect(csv).toBe("time,S_mean,S_q0.025,S_q0.5,S_q0.975,I_mean,I_q0.5\n0,2,2,2,2,1,1\n1,1,0,1,2,2,2\n");
  });

  it("writes comparisons side by side and forecasts one row per horizon", () => {
    expect(compareCsv([0, 1], [{ label: "no vaccine I", values: [1, 2] }, { label: "vaccine I", values: [1, null] }])).toBe("time,no vaccine I,vaccine I\n0,1,1\n1,2,\n");
    const csv = forecastCsv({ region: "Region 1", method: "baseline", observed: { times: [], values: [] }, horizons: [1, 2], targets: ["2017-W42", "2017-W43"], levels: [0.25, 0.5], quantiles: [[1, 2], [3, 4]], median: [2, 4] });
    expect(csv).toBe("region,horizon,target,q0.25,q0.5\nRegion 1,1,2017-W42,1,2\nRegion 1,2,2017-W43,3,4\n");
  });
});
