/** What travels through Redis: networks and run records come back bit for bit; the hash is the content's. */
import { describe, expect, it } from "vitest";
import { generateCSR } from "../../src/graph/generators/index.js";
import { compile } from "../../src/graph/csr.js";
import { compress, decodeJson, encodeJson, decodeNetwork, decodeRecords, decompress, encodeNetwork, encodeRecords, networkHash } from "../../src/ensemble/queue/codec.js";
import { defaultBatchSize } from "../../src/ensemble/queue/producer.js";
import { checkRedisUrl, redactUrl, redisUrlFrom } from "../../src/ensemble/queue/common.js";
import { redactUrl as redactPostgres } from "../../src/store/postgres.js";
import type { RunRecord } from "../../src/ensemble/assemble.js";
import { isTemporal } from "../../src/graph/temporal.js";
import { loadScenario } from "../../src/scenario/load.js";
import { resolveScenario } from "../../src/scenario/resolve.js";
import { runModel } from "../../src/run.js";
import { withIndexedSeeds } from "../../src/ensemble/pool.js";

describe("queue codec", () => {
  it("round-trips a network (weights, arc data) and addresses it by content", async () => {
    const { default: Graph } = await import("graphology");
    const g = new Graph({ type: "directed" });
    for (let i = 0; i < 50; i++) g.addNode(`n${i}`);
    for (let i = 0; i < 50; i++) g.addEdge(`n${i}`, `n${(i * 7 + 3) % 50}`, { w: i / 3, school: i % 2 });
    const csr = compile(g, { weight: "w", arcAttributes: ["school"] });
    const bytes = encodeNetwork(csr);
    const back = decodeNetwork(decompress(compress(bytes)));
    expect(back.n).toBe(csr.n);
    expect(back.directed).toBe(true);
    expect(Array.from(back.offsets)).toEqual(Array.from(csr.offsets));
    expect(Array.from(back.targets)).toEqual(Array.from(csr.targets));
    expect(Array.from(back.weights!)).toEqual(Array.from(csr.weights!));
    expect(Array.from(back.arcData!.school)).toEqual(Array.from(csr.arcData!.school));
    expect(back.nodeIds[7]).toBe("7"); // run-local indices, as in the thread pool's workers
    // Same content, same hash; any change, another hash.
    const ba = generateCSR({ type: "barabasi-albert", n: 500, m: 2 }, 1);
    expect(networkHash(encodeNetwork(ba))).toBe(networkHash(encodeNetwork(generateCSR({ type: "barabasi-albert", n: 500, m: 2 }, 1))));
    expect(networkHash(encodeNetwork(ba))).not.toBe(networkHash(encodeNetwork(generateCSR({ type: "barabasi-albert", n: 500, m: 2 }, 2))));
    expect(() => decodeNetwork(Buffer.from("nonsense!"))).toThrow(/not an encoded network/);
  });

  it("round-trips a temporal contact network: its windows travel too, and a run on it is unchanged", () => {
    const resolved = resolveScenario(loadScenario("scenarios/seir-school-contacts.yaml"), { runs: 3 });
    const csr = resolved.network();
    expect(isTemporal(csr)).toBe(true);
    const back = decodeNetwork(decompress(compress(encodeNetwork(csr))));
    if (!isTemporal(csr) || !isTemporal(back)) throw new Error("expected temporal networks");
    expect(back.temporal.period).toBe(csr.temporal.period);
    expect(back.temporal.pairs).toBe(csr.temporal.pairs);
    expect(Array.from(back.temporal.arcPair)).toEqual(Array.from(csr.temporal.arcPair));
    expect(Array.from(back.temporal.pairOffsets)).toEqual(Array.from(csr.temporal.pairOffsets));
    expect(Array.from(back.temporal.start)).toEqual(Array.from(csr.temporal.start));
    expect(Array.from(back.temporal.end)).toEqual(Array.from(csr.temporal.end));
    // Without the windows the same seed would run on the static contact graph and give another result.
    const a = runModel(csr, resolved.spec);
    // As the producer does: seed ids become run-local indices (the decoded network's node keys).
    const b = runModel(back, withIndexedSeeds(resolved.spec, csr));
    expect(b.engine.name).toBe(a.engine.name);
    expect(b.engine.name).toMatch(/temporal contact network/);
    expect(b.finalSize.values).toEqual(a.finalSize.values);
  });

  it("round-trips run records exactly: doubles, NaN, infinities, typed arrays", () => {
    const records: RunRecord[] = [
      {
        run: 3,
        times: [0, 0.1, 1 / 3, Math.PI],
        counts: [1, 2, 3, 4],
        finalSize: 12,
        peak: 5,
        peakTime: 2.000000000000001,
        events: 40,
        duration: Infinity,
        state: new Uint8Array([0, 2, 1, 255]),
        infectionTime: new Float64Array([NaN, 0.5, -Infinity, 1e-300]),
        history: { initial: new Uint8Array([1, 0]), time: [0.25], node: [1], to: [2] },
      },
    ];
    const back = decodeRecords(encodeRecords(records));
    expect(back).toEqual(records);
    expect(back[0].state).toBeInstanceOf(Uint8Array);
    expect(back[0].infectionTime).toBeInstanceOf(Float64Array);
    expect(Object.is(back[0].infectionTime![0], NaN)).toBe(true);
    expect(back[0].times[2]).toBe(1 / 3);
  });

  it("keeps infinities in specs (job data)", () => {
    const spec = { time: { tmax: Infinity, record: 1 }, x: [-Infinity, NaN, 0.1] };
    expect(JSON.parse(JSON.stringify(spec)).time.tmax).toBeNull(); // what plain JSON would do
    expect(decodeJson(encodeJson(spec))).toEqual(spec);
  });

  it("sizes batches: ~64 per ensemble, at least 200k node-and-arc visits each", () => {
    expect(defaultBatchSize(6400, 1e6)).toBe(100);
    expect(defaultBatchSize(100, 1000)).toBe(100); // a tiny network: one batch
    expect(defaultBatchSize(1000, 20_000)).toBe(16);
    expect(defaultBatchSize(3, 1e6)).toBe(1);
  });

  it("reads the URL from the flag, else SPREADLAB_REDIS_URL, and checks it", () => {
    expect(redisUrlFrom("redis://a:1", { SPREADLAB_REDIS_URL: "redis://b:2" })).toBe("redis://a:1");
    expect(redisUrlFrom(undefined, { SPREADLAB_REDIS_URL: "redis://b:2" })).toBe("redis://b:2");
    expect(redisUrlFrom(undefined, {})).toBeUndefined();
    expect(() => checkRedisUrl("http://x:1")).toThrow(/--redis: expected a redis:\/\//);
    expect(() => checkRedisUrl("not a url")).toThrow(/not a URL/);
    expect(redactUrl("redis://user:secret@h:1")).not.toContain("secret");
    // An unparsable URL is not echoed: it may hold a password the parser could not find.
    expect(redactUrl("redis://user:se cret@[h:1")).toBe("redis://(unparsable URL)");
    expect(redactPostgres("postgres://u:p w@[x")).toBe("postgres://(unparsable URL)");
    expect(redactPostgres("postgres://u:pw@x:5432/test")).toBe("postgres://u:***@x:5432/test");
  });
});
