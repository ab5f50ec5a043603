// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import type { Footprint, MemoryPoint, ResourceBytes } from "../../../bench/instrumented.js";
import type { Results } from "../../../bench/report.js";
import type { ScalePoint } from "../../../bench/scale.js";
import { pairedRatio, summarize } from "../../../bench/lib/stats.js";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { withSummary, writeReports } from "../../../bench/render.js";
import { scratchDir } from "../../helpers/scratch.js";
import { judgeTargets, targetLines, type TargetVerdict } from "../../../bench/targets.js";

/** A point whose offers and content-floor samples are given in ms (the floor as the content floor). */
function point(count: number, op: ScalePoint["op"], offersMs: number[], contentMs: number[]): ScalePoint {
  const offers = summarize(offersMs);
  const content = summarize(contentMs);
  return {
    count,
    resources: 3 * count,
    op,
    offersMs: offers,
    floorMs: content,
    ratio: pairedRatio(offersMs, contentMs, 1.25),
    contentFloorMs: content,
    // Judged against issue 15's 1.25 when measured; the targets judge the same samples against 1.10.
    contentRatio: pairedRatio(offersMs, contentMs, 1.25),
    contentOverFloor: pairedRatio(contentMs, contentMs, 1.25),
  };
}

/** Five samples of one value. */
const x5 = (ms: number) => [ms, ms, ms, ms, ms];

const bytes = (packageBytes?: number): ResourceBytes => ({
  type: "t",
  total: 0,
  inputs: 0,
  outputs: 0,
  provider: 0,
  packageBytes,
});

function results(o: { points?: ScalePoint[]; memory?: MemoryPoint[]; offerBytes?: number }): Results {
  const footprint = {
    count: 100,
    offer: bytes(o.offerBytes),
    vmPricing: bytes(o.offerBytes === undefined ? undefined : 798),
    offerPublish: bytes(o.offerBytes === undefined ? undefined : 970),
  } as Footprint;
  return {
    date: "2026-12-07T00:00:00.000Z",
    machine: { cores: 2, cpu: "cpu", node: "22", loadAverageAtStart: [1, 1, 1] },
    code: { commit: "0123456789abcdef", branch: "b", providerOrEmulatorModified: false },
    config: { counts: [100, 300], samples: [3, 3], latencyMs: 20, memoryCount: 100, parts: ["scale"] },
    scale: o.points ? { points: o.points, plain: [] } : undefined,
    instrumented: o.memory ? { memory: o.memory, footprint } : undefined,
  };
}

const of = (vs: TargetVerdict[], target: TargetVerdict["target"]) => vs.filter((v) => v.target === target);

describe("bench: this package's own targets, from one run's results", () => {
  it("time: offers ÷ content floor is judged against 1.10, not the 1.25 the point was measured with", () => {
    const r = results({
      points: [
        point(100, "refresh", [1080, 1085, 1090, 1095, 1100], x5(1000)),
        point(300, "refresh", [3240, 3255, 3270, 3285, 3300], x5(3000)),
        point(100, "preview", [1200, 1205, 1210, 1215, 1220], x5(1000)),
        point(300, "preview", x5(3000), x5(3000)),
      ],
    });
    const time = of(judgeTargets(r), "time");
    expect(time.map((v) => [v.measured, v.met, v.inconclusive])).to.deep.equal([
      ["refresh 1.09 at 100, 1.09 at 300", true, false],
      // Within the 1.25 the point carries, but not within 1.10 at 100 offers.
      ["preview 1.21 at 100, 1.00 at 300", false, false],
    ]);
  });

  it("time: a point below 100 offers is not judged; samples on both sides, or fewer than 5, leave it open", () => {
    const r = results({
      points: [point(10, "up", x5(3000), x5(1000)), point(100, "up", [1000, 1050, 1100, 1150, 1200], x5(1000))],
    });
    const [up] = of(judgeTargets(r), "time");
    expect(up).to.deep.include({ measured: "up 1.10 ? at 100", met: true, inconclusive: true });
    const one = results({ points: [point(100, "up", [1000], [1000])] });
    expect(of(judgeTargets(one), "time")[0]).to.deep.include({ met: true, inconclusive: true });
  });

  it("time: one size missed for certain settles the verdict, whatever another size's spread", () => {
    const r = results({
      points: [point(100, "up", x5(1300), x5(1000)), point(300, "up", [3000, 3150, 3300, 3450, 3600], x5(3000))],
    });
    expect(of(judgeTargets(r), "time")[0]).to.deep.include({ met: false, inconclusive: false });
  });

  it("growth: own time per offer, offers − content floor per pair, from 100 to 300 offers", () => {
    const flat = results({
      points: [point(100, "up", x5(1500), x5(1000)), point(300, "up", [4500, 4530, 4560, 4575, 4590], x5(3000))],
    });
    // 5 ms per offer at 100 (500 ms ÷ 100), 5.2 at 300 (1560 ms ÷ 300): 1.04×.
    const [flatUp] = of(judgeTargets(flat), "growth");
    expect(flatUp).to.deep.include({ met: true, inconclusive: false });
    expect(flatUp.measured).to.equal("up 5.0 → 5.2 ms per offer (100 → 300 offers), 1.04×");
    const growing = results({ points: [point(100, "up", x5(1500), x5(1000)), point(300, "up", x5(5100), x5(3000))] });
    expect(of(judgeTargets(growing), "growth")[0]).to.deep.include({ met: false, inconclusive: false });
  });

  it("growth: quartiles that give either verdict, or fewer than 5 samples, leave it open", () => {
    const noisy = results({
      points: [
        point(100, "up", [1300, 1400, 1500, 1600, 1700], x5(1000)),
        point(300, "up", [4200, 4350, 4500, 4650, 4800], x5(3000)),
      ],
    });
    expect(of(judgeTargets(noisy), "growth")[0]).to.deep.include({ met: true, inconclusive: true });
    const few = results({ points: [point(100, "up", [1500], [1000]), point(300, "up", [4500], [3000])] });
    expect(of(judgeTargets(few), "growth")[0]).to.deep.include({ met: true, inconclusive: true });
  });

  it("growth: none of its own at the larger size meets it; some there after none at 100 misses it", () => {
    const faster = results({
      points: [point(100, "destroy", x5(900), x5(1000)), point(300, "destroy", x5(2000), x5(3000))],
    });
    const [destroy] = of(judgeTargets(faster), "growth");
    expect(destroy).to.deep.include({ met: true, inconclusive: false });
    expect(destroy.measured).to.match(/: at or below the content floor at 300$/);
    const faster300 = results({ points: [point(100, "up", x5(1500), x5(1000)), point(300, "up", x5(2900), x5(3000))] });
    expect(of(judgeTargets(faster300), "growth")[0]).to.deep.include({ met: true, inconclusive: false });
    const appears = results({ points: [point(100, "up", x5(950), x5(1000)), point(300, "up", x5(3600), x5(3000))] });
    const [up] = of(judgeTargets(appears), "growth");
    expect(up).to.deep.include({ met: false, inconclusive: false });
    expect(up.measured).to.match(/: none of its own at 100, some at 300$/);
  });

  it("memory: the offers host against the content-floor host's peak + 15 MB", () => {
    const memory = (offersMb: number): MemoryPoint[] => [
      { stack: "offers", op: "refresh", peakMb: offersMb, processes: 1 },
      { stack: "offers", op: "up", peakMb: 150, processes: 1 },
      { stack: "floor", op: "refresh", peakMb: 100, processes: 1 },
      { stack: "content", op: "refresh", peakMb: 149, processes: 1 },
    ];
    expect(of(judgeTargets(results({ memory: memory(164) })), "memory")[0].met).to.equal(true);
    const over = of(judgeTargets(results({ memory: memory(193) })), "memory")[0];
    expect(over).to.deep.include({
      met: false,
      measured: "193 MB at 100 offers, 44 MB above the content floor's 149 MB",
    });
  });

  it("state: this package's own bytes of an Offer entry against 400 B, and the other resources reported", () => {
    const memory: MemoryPoint[] = [
      { stack: "offers", op: "up", peakMb: 1, processes: 1 },
      { stack: "content", op: "up", peakMb: 1, processes: 1 },
    ];
    expect(of(judgeTargets(results({ memory, offerBytes: 729 })), "state")[0]).to.deep.equal({
      target: "state",
      measured: "Offer 729 B (VmPricing 798 B, OfferPublish 970 B)",
      met: false,
    });
    expect(of(judgeTargets(results({ memory, offerBytes: 400 })), "state")[0].met).to.equal(true);
    expect(of(judgeTargets(results({ memory })), "state")[0].met).to.equal(undefined);
  });

  it("prints one line per verdict with its bar, and says which were not judged", () => {
    const lines = targetLines(results({ points: [point(100, "up", [1000], [1000])] }));
    // One sample: met, but too few to be sure.
    expect(lines).to.include(
      "- time (offers ÷ content floor ≤ 1.10 from 100 offers): up 1.00 at 100 — met, not conclusive",
    );
    expect(lines.some((l) => l.startsWith("- growth") && l.endsWith("not judged"))).to.equal(true);
    expect(lines.some((l) => l.startsWith("- memory") && l.endsWith("not judged"))).to.equal(true);
  });
});

describe("bench: npm run bench:render puts a run's summary in bench/README.md", () => {
  const r = results({ points: [point(100, "up", [1000], [1000])] });

  it("replaces only what is between the prettier-ignore markers", () => {
    const readme =
      "# Benchmarks\n\n<!-- prettier-ignore-start -->\nold figures\n<!-- prettier-ignore-end -->\n\nprose\n";
    const out = withSummary(readme, r);
    expect(out).to.include("- time (offers ÷ content floor ≤ 1.10 from 100 offers): up 1.00 at 100 — met");
    expect(out).not.to.include("old figures");
    expect(out.startsWith("# Benchmarks\n\n<!-- prettier-ignore-start -->\n")).to.equal(true);
    expect(out.endsWith("\n<!-- prettier-ignore-end -->\n\nprose\n")).to.equal(true);
  });

  it("refuses a README with two blocks, either of which could be the summary's", () => {
    const two =
      "<!-- prettier-ignore-start -->\na\n<!-- prettier-ignore-end -->\n<!-- prettier-ignore-start -->\nb\n<!-- prettier-ignore-end -->\n";
    expect(() => withSummary(two, r)).to.throw(/more than one "<!-- prettier-ignore-start -->" block/);
  });

  it("says in the summary that a run has not finished", () => {
    const partial = { ...r, finished: false };
    expect(withSummary("<!-- prettier-ignore-start -->\n<!-- prettier-ignore-end -->\n", partial)).to.include(
      "**Partial run: written before the run finished",
    );
  });

  it("a run writes results.md, the chart and the README's summary together", () => {
    const dir = join(scratchDir("bench-reports"), "bench");
    mkdirSync(dir);
    writeFileSync(
      join(dir, "README.md"),
      "<!-- prettier-ignore-start -->\nSTALE-FIGURES\n<!-- prettier-ignore-end -->\n",
    );
    const run = { ...r, finished: true };
    writeReports(dir, run);
    expect(readFileSync(join(dir, "README.md"), "utf8"))
      .to.include(targetLines(run)[0])
      .and.not.include("STALE-FIGURES");
    expect(readFileSync(join(dir, "results.md"), "utf8")).to.include(targetLines(run)[0]);
    expect(readFileSync(join(dir, "chart.svg"), "utf8")).to.match(/^<svg/);
  });

  it("fails naming the markers when the README has no summary block", () => {
    expect(() => withSummary("# Benchmarks\n", r)).to.throw(
      /no summary block between "<!-- prettier-ignore-start -->"/,
    );
  });
});
