// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { measureFootprint } from "../../../bench/instrumented.js";
import { benchConfig, DEFAULTS } from "../../../bench/lib/config.js";
import { benchDefinition } from "../../../bench/lib/definition.js";
import { descendants } from "../../../bench/lib/memory.js";
import { armOrder, pairedRatio, summarize } from "../../../bench/lib/stats.js";
import { markdown, summary, type Results } from "../../../bench/report.js";
import { offersWithin, stackSizeModel, stackSizeRows } from "../../../bench/stack-size.js";
import { INLINE_PROJECT } from "../../../scripts/lib/engine-kit.js";
import { scratchDir } from "../../helpers/scratch.js";

describe("bench: samples, ratios and verdicts", () => {
  it("summarises samples by median, quartiles and min–max, keeping measurement order", () => {
    const s = summarize([5, 1, 4, 2, 3]);
    expect(s).to.deep.include({ median: 3, min: 1, max: 5, q1: 2, q3: 4 });
    expect(s.samples).to.deep.equal([5, 1, 4, 2, 3]);
    expect(summarize([1, 2, 3, 4]).median).to.equal(2.5);
  });

  it("alternates the arms sample by sample: offers, floor, floor, offers, offers, floor", () => {
    const order = [0, 1, 2].flatMap((k) => armOrder(["offers", "floor"], k));
    expect(order).to.deep.equal(["offers", "floor", "floor", "offers", "offers", "floor"]);
    expect(armOrder(["offers", "floor", "script"], 1)).to.deep.equal(["script", "floor", "offers"]);
  });

  it("takes ratios per sample pair and judges the median against the target", () => {
    const r = pairedRatio([2, 4, 6], [2, 2, 2], 1.25);
    expect(r.samples).to.deep.equal([1, 2, 3]);
    expect(r.median).to.equal(2);
    expect(r.met).to.equal(false);
    expect(pairedRatio([1.1, 1.1, 1.1], [1, 1, 1], 1.25).met).to.equal(true);
  });

  it("says a point is not conclusive when its spread exceeds its distance to the target", () => {
    const wide = pairedRatio([1.0, 1.2, 1.6], [1, 1, 1], 1.25); // median 1.2, spread 0.6 > 0.05
    expect(wide.spreadExceedsDistance).to.equal(true);
    expect(wide.verdict).to.equal(
      "meets the 1.25× target; the spread (0.60) exceeds the distance to the target (0.05), with samples on both sides of it: not conclusive",
    );
    const oneSide = pairedRatio([2.0, 2.9, 4.6], [1, 1, 1], 1.25); // spread 2.6 > 1.65, all above
    expect(oneSide.spreadExceedsDistance).to.equal(true);
    expect(oneSide.samplesOnBothSides).to.equal(false);
    expect(oneSide.verdict).to.equal(
      "misses the 1.25× target; the spread (2.60) exceeds the distance to the target (1.65), though every sample misses it",
    );
    const tight = pairedRatio([2.0, 2.1, 2.2], [1, 1, 1], 1.25); // spread 0.2 < 0.85
    expect(tight.spreadExceedsDistance).to.equal(false);
    expect(tight.verdict).to.equal("misses the 1.25× target");
  });

  it("refuses unpaired samples", () => {
    expect(() => pairedRatio([1, 2], [1], 1.25)).to.throw(/equal, non-empty/);
  });
});

describe("bench: configuration from the environment", () => {
  it("defaults to 10, 100 and 300 offers with 5, 5 and 1 samples; BENCH_FULL=1 and other counts take 5 each", () => {
    const c = benchConfig({});
    expect(c.counts).to.deep.equal([10, 100, 300]);
    expect(c.samples).to.deep.equal([5, 5, 1]);
    expect(c.full).to.equal(false);
    const full = benchConfig({ BENCH_FULL: "1" });
    expect(full.samples).to.deep.equal([5, 5, 5]);
    expect(full.full).to.equal(true);
    expect(benchConfig({ BENCH_FULL: "0" }).samples).to.deep.equal([5, 5, 1]);
    expect(benchConfig({ BENCH_FULL: "1", BENCH_SAMPLES: "3" }).samples).to.deep.equal([3, 3, 3]);
    expect(benchConfig({ BENCH_SAMPLES: "5" }).samples).to.deep.equal([5, 5, 5]);
    expect(benchConfig({ BENCH_COUNTS: "10,100" }).samples).to.deep.equal([5, 5]);
    expect(c.memoryCount).to.equal(DEFAULTS.memoryCount);
    expect(c.parts.size).to.equal(5);
  });

  it("names the variable and the fix on a malformed value", () => {
    expect(() => benchConfig({ BENCH_SAMPLES: "five" })).to.throw(/BENCH_SAMPLES="five": give integers ≥ 1/);
    expect(() => benchConfig({ BENCH_COUNTS: "10,0" })).to.throw(/BENCH_COUNTS/);
    expect(() => benchConfig({ BENCH_ONLY: "scale,speed" })).to.throw(/unknown part\(s\) speed/);
    expect(() => benchConfig({ BENCH_FULL: "yes" })).to.throw(/BENCH_FULL="yes": give 1/);
    // One value: a list is refused, not read as its first value.
    expect(() => benchConfig({ BENCH_LATENCY_MS: "20,30" })).to.throw(/BENCH_LATENCY_MS="20,30": give one integer ≥ 0/);
    expect(() => benchConfig({ BENCH_MEMORY_COUNT: "abc" })).to.throw(/BENCH_MEMORY_COUNT="abc": give one integer/);
    expect(benchConfig({ BENCH_LATENCY_MS: " 5 ", BENCH_MEMORY_COUNT: "" })).to.include({
      latencyMs: 5,
      memoryCount: 100,
    });
    expect(benchConfig({ BENCH_COUNTS: "3, 7", BENCH_ONLY: "scale" }).counts).to.deep.equal([3, 7]);
    expect(benchConfig({ BENCH_COUNTS: "3,7", BENCH_SAMPLES: "5,2" }).samples).to.deep.equal([5, 2]);
    expect(() => benchConfig({ BENCH_COUNTS: "3,7", BENCH_SAMPLES: "5,2,1" })).to.throw(
      /one per count of BENCH_COUNTS \(2\)/,
    );
  });
});

describe("bench: memory sampling scope", () => {
  it("counts only descendants of the benchmark process, however deep", () => {
    const parents = new Map([
      [10, 1],
      [11, 10],
      [12, 11],
      [13, 1],
      [14, 13],
      [15, 12],
    ]);
    expect(descendants(10, parents).sort()).to.deep.equal([11, 12, 15]);
    expect(descendants(99, parents)).to.deep.equal([]);
  });
});

describe("bench: state footprint from the file backend's checkpoint", () => {
  const write = (offerOutputs: (d: unknown) => Record<string, unknown>) => {
    const dir = scratchDir("bench-footprint");
    const definition = benchDefinition();
    const entry = (type: string, inputs: Record<string, unknown>, outputs: Record<string, unknown>) => ({
      urn: `urn:${type}`,
      type,
      inputs,
      outputs,
    });
    const resources = [
      entry(
        "pulumi-nodejs:dynamic/cloudpartner:Offer",
        { definition, __provider: "p" },
        { __provider: "p", ...offerOutputs(definition) },
      ),
      entry("pulumi-nodejs:dynamic/cloudpartner:VmPricing", { planId: "payg" }, { planId: "payg" }),
      entry("pulumi-nodejs:dynamic/cloudpartner:OfferPublish", { target: "preview" }, { target: "preview" }),
    ];
    mkdirSync(join(dir, ".pulumi", "stacks", INLINE_PROJECT), { recursive: true });
    writeFileSync(
      join(dir, ".pulumi", "stacks", INLINE_PROJECT, "s.json"),
      JSON.stringify({ checkpoint: { latest: { resources } } }, null, 4),
    );
    return dir;
  };

  it("packageBytes: the entry's inputs and outputs without the definition and the serialised provider", () => {
    const outputs = { fingerprint: `sha256:${"0".repeat(64)}` };
    const f = measureFootprint(
      write(() => outputs),
      "s",
      1,
    );
    const expected =
      Buffer.byteLength(JSON.stringify({ definition: benchDefinition(), __provider: "p" })) -
      Buffer.byteLength(JSON.stringify(benchDefinition())) +
      Buffer.byteLength(JSON.stringify({ __provider: "p", ...outputs })) -
      2 * Buffer.byteLength(JSON.stringify("p"));
    expect(f.offer.packageBytes).to.equal(expected);
    // Without a definition nothing is taken off but the provider.
    expect(f.vmPricing.packageBytes).to.equal(2 * Buffer.byteLength(JSON.stringify({ planId: "payg" })));
  });

  it("meets the 1.3× target when the outputs carry a fingerprint, not the definition", () => {
    const f = measureFootprint(
      write(() => ({ fingerprint: `sha256:${"0".repeat(64)}`, etag: '"1"' })),
      "s",
      1,
    );
    expect(f.ratio).to.be.lessThan(1.3);
    expect(f.met).to.equal(true);
    expect(f.offer.provider).to.equal(6);
  });

  it("splits the entry into the definition and a fixed overhead, and names the definition size that meets 1.3×", () => {
    const f = measureFootprint(
      write(() => ({ fingerprint: `sha256:${"0".repeat(64)}` })),
      "s",
      1,
    );
    expect(f.overheadBytes).to.equal(f.offer.total - f.definitionBytes);
    expect(f.engineMetadataBytes).to.equal(f.offer.total - f.offer.inputs - f.offer.outputs);
    expect(f.engineMetadataBytes).to.be.greaterThan(0);
    const ratioAt = (d: number) => (d + f.overheadBytes) / d;
    expect(ratioAt(f.definitionBytesForTarget)).to.be.at.most(1.3);
    expect(ratioAt(f.definitionBytesForTarget - 1)).to.be.greaterThan(1.3);
  });

  it("misses it when the outputs repeat the definition (the state this issue replaces)", () => {
    const f = measureFootprint(
      write((definition) => ({ definition })),
      "s",
      1,
    );
    expect(f.ratio).to.be.greaterThan(2);
    expect(f.met).to.equal(false);
  });

  it("fails clearly when the checkpoint does not hold one entry per offer", () => {
    expect(() =>
      measureFootprint(
        write(() => ({})),
        "s",
        2,
      ),
    ).to.throw(/expected 2 resources of type \*:Offer/);
  });
});

describe("bench: the report", () => {
  const results = (spreadWide: boolean): Results => {
    const ratio = pairedRatio(spreadWide ? [1.0, 1.2, 1.6] : [2.0, 2.1, 2.2], [1, 1, 1], 1.25);
    const ms = summarize([1000, 1100, 1200]);
    return {
      date: "2026-11-25T22:00:00.000Z",
      machine: { cores: 2, cpu: "cpu", node: "22", loadAverageAtStart: [1, 1, 1] },
      code: { commit: "0123456789abcdef", branch: "b", providerOrEmulatorModified: false },
      config: { counts: [10], samples: [3], latencyMs: 20, memoryCount: 0, parts: ["scale", "detection"] },
      scale: {
        points: [{ count: 10, resources: 30, op: "up", offersMs: ms, floorMs: ms, ratio }],
        plain: [{ count: 10, upMs: ms, scriptMs: ms, ratio }],
      },
      finished: true,
      detection: {
        model: [{ duration: "10 s", durationMs: 10_000, polls: 3, delayMs: 0, targetDelayMs: 5000, met: true }],
        wallClock: [],
      },
    };
  };

  it("prints each point's verdict, flags a spread wider than the distance to the target, and too few samples", () => {
    expect(markdown(results(true)))
      .to.include("not conclusive")
      .and.include("Fewer than 5 samples at 10 offers");
    expect(markdown(results(false))).not.to.include("not conclusive");
  });

  it("reports the content floor only when it was measured, with its own ratio and verdict", () => {
    expect(markdown(results(false))).not.to.include("content floor");
    const r = results(false);
    const point = r.scale!.points[0];
    point.contentFloorMs = summarize([900, 950, 1000]);
    point.contentRatio = pairedRatio([1000, 1100, 1200], [900, 950, 1000], 1.25);
    const md = markdown(r);
    expect(md).to.include("Time ÷ the content floor");
    expect(md).to.match(/\| 10 \| up \| 0\.95 \(0\.90–1\.00\) \| \*\*1\.16\*\* \|/);
  });

  it("states the content floor ÷ the floor, the least an Offer holding the definition can take, when measured", () => {
    const r = results(false);
    const point = r.scale!.points[0];
    point.contentFloorMs = summarize([900, 950, 1000]);
    point.contentRatio = pairedRatio([1000, 1100, 1200], [900, 950, 1000], 1.25);
    expect(summary(r)).not.to.include("The content floor itself");
    expect(markdown(r)).to.match(/\| 10 \| up \| .* \| – \|$/m);
    point.contentOverFloor = pairedRatio([1300, 1400, 1500], [1000, 1000, 1000], 1.25);
    expect(summary(r)).to.include(
      "The content floor itself, ÷ the engine's floor (the least an Offer holding this definition can take): up 1.40 at 10 offers.",
    );
    expect(markdown(r)).to.match(/\| 10 \| up \| .* \| 1\.40 \(1\.30–1\.50\) \|$/m);
  });

  it("states what the engine's and the SDK's parts of the Offer entry alone make, and a content floor above the memory target", () => {
    const r = results(false);
    const bytes = (total: number) => ({ type: "t", total, inputs: 0, outputs: 0, provider: 200 });
    r.instrumented = {
      memory: [
        { stack: "offers", op: "up", peakMb: 190, processes: 1 },
        { stack: "floor", op: "up", peakMb: 140, processes: 1 },
        { stack: "content", op: "up", peakMb: 151, processes: 1 },
      ],
      footprint: {
        count: 100,
        definitionBytes: 1000,
        offer: bytes(2000),
        vmPricing: bytes(900),
        offerPublish: bytes(900),
        ratio: 2,
        target: 1.3,
        met: false,
        checkpointBytesPerOffer: 4000,
        overheadBytes: 1000,
        engineMetadataBytes: 300,
        definitionBytesForTarget: 3334,
      },
    };
    expect(summary(r))
      .to.include("The SDK's and the engine's parts alone make 1.50× this definition.")
      .and.include("(the content floor), 151 MB, itself above the target.");
    r.instrumented.memory[2].peakMb = 149;
    expect(summary(r)).to.include("(the content floor), 149 MB.");
  });

  it("labels the detection table a model, apart from the wall-clock check", () => {
    expect(markdown(results(false)))
      .to.match(/\*\*MODEL, not a measurement:\*\*/)
      .and.match(/\*\*Wall-clock check of the model:\*\*/);
  });
});

describe("bench: bench/README.md quotes the committed run", () => {
  // This file runs from dist/tests/unit/bench.
  const repo = resolve(__dirname, "..", "..", "..", "..");
  let readme: string;
  let committed: Results;
  before(() => {
    readme = readFileSync(join(repo, "bench", "README.md"), "utf8");
    committed = JSON.parse(readFileSync(join(repo, "bench", "results.json"), "utf8")) as Results;
  });

  it("bench/README.md's figures are those of the committed bench/results.json", () => {
    expect(readme).to.include(summary(committed));
    expect(readme).to.include(`commit \`${committed.code.commit.slice(0, 12)}\``);
  });

  it("a figure that differs from the committed results is not in bench/README.md", () => {
    const altered: Results = JSON.parse(JSON.stringify(committed));
    if (altered.instrumented) altered.instrumented.footprint.offer.total += 1;
    else altered.detection!.model[0].delayMs += 1000;
    expect(readme).not.to.include(summary(altered));
  });
});

describe("bench: docs/guides/many-offers.md quotes the committed run", () => {
  const repo = resolve(__dirname, "..", "..", "..", "..");
  let guide: string;
  let committed: Results;
  before(() => {
    guide = readFileSync(join(repo, "docs", "guides", "many-offers.md"), "utf8");
    committed = JSON.parse(readFileSync(join(repo, "bench", "results.json"), "utf8")) as Results;
  });

  /** What the guide must say for these results: its table's cells and the fitted sentences. */
  const quoted = (r: Results) => {
    const rows = stackSizeRows(r.scale!.plain);
    const m = stackSizeModel(rows);
    const s = (v: number) => (v >= 100 ? `${v.toFixed(0)} s` : `${v.toFixed(1)} s`);
    const tens = (n: number | undefined) => Math.round((n ?? 0) / 10) * 10;
    return {
      table: rows.map((row) => [String(row.offers), s(row.upS), s(row.scriptS), `${row.ratio.toFixed(1)}×`]),
      text: [
        `(about ${m.scriptPerOfferS.toFixed(2)} s each)`,
        `about ${m.fixedS.toFixed(1)} s plus ${m.perSquareS.toFixed(4)} s × offers²`,
        `up to about **${tens(offersWithin(m, 1.5))} offers per stack**, \`up\` stays within **1.5×**`,
        `up to about ${tens(offersWithin(m, 2))} offers, within twice the script's time`,
        `${rows[rows.length - 1].ratio.toFixed(1)}× at ${rows[rows.length - 1].offers} offers`,
      ],
    };
  };
  const tableOf = (md: string) =>
    md
      .split("\n")
      .filter((l) => /^\|\s*\d+\s*\|/.test(l))
      .map((l) =>
        l
          .split("|")
          .slice(1, -1)
          .map((c) => c.trim()),
      );
  const flat = (md: string) => md.replace(/\s+/g, " ");

  it("the guide's table and fitted sizes are those of the committed bench/results.json", () => {
    const q = quoted(committed);
    expect(tableOf(guide)).to.deep.equal(q.table);
    for (const t of q.text) expect(flat(guide)).to.include(t);
  });

  it("fails when a committed figure moves (the script's time at the largest size)", () => {
    const altered: Results = JSON.parse(JSON.stringify(committed));
    const last = altered.scale!.plain[altered.scale!.plain.length - 1];
    last.scriptMs.median *= 1.5;
    last.ratio.median /= 1.5;
    const q = quoted(altered);
    expect(tableOf(guide)).not.to.deep.equal(q.table);
    expect(q.text.some((t) => !flat(guide).includes(t))).to.equal(true);
  });

  it("the model fits the sizes it came from and finds where a factor is crossed", () => {
    const m = stackSizeModel([
      { offers: 10, upS: 2 + 0.001 * 100, scriptS: 1, ratio: 0 },
      { offers: 100, upS: 2 + 0.001 * 10_000, scriptS: 10, ratio: 0 },
    ]);
    expect(m.fixedS).to.be.closeTo(2, 1e-9);
    expect(m.perSquareS).to.be.closeTo(0.001, 1e-12);
    expect(m.scriptPerOfferS).to.be.closeTo(0.1, 1e-12);
    // 0.001·n² − 0.15·n + 2 = 0 at n ≈ 135.
    expect(offersWithin(m, 1.5)).to.equal(135);
    expect(offersWithin({ fixedS: 100, perSquareS: 1, scriptPerOfferS: 0.1 }, 1.5)).to.equal(undefined);
    expect(() => stackSizeModel([{ offers: 10, upS: 1, scriptS: 1, ratio: 1 }])).to.throw(/two sizes/);
  });
});
