// SPDX-License-Identifier: Apache-2.0
/** Renders one benchmark run as Markdown and as an SVG chart of the ratios (no dependencies). */
import type { ColdStart } from "./cold-start.js";
import type { MeasuredDetection, ModelledDetection } from "./detection.js";
import type { StepCount } from "./economy.js";
import { MEMORY_TARGET_MB, PACKAGE_BYTES_TARGET, type Footprint, type MemoryPoint } from "./instrumented.js";
import type { PlainPoint, ScalePoint } from "./scale.js";
import { CONCLUSIVE_SAMPLES, type RatioSummary, type Summary } from "./lib/stats.js";
import { targetLines } from "./targets.js";

/** Everything one run measured (parts not run are absent). */
export interface Results {
  date: string;
  machine: { cores: number; cpu: string; node: string; loadAverageAtStart: number[]; loadAverageAtEnd?: number[] };
  /** The code measured: commit, branch, and whether provider/ or emulator/ had uncommitted changes. */
  code: { commit: string; branch: string; providerOrEmulatorModified: boolean };
  config: {
    counts: number[];
    samples: number[];
    latencyMs: number;
    memoryCount: number;
    skipCheckpoints?: boolean;
    parts: string[];
  };
  economy?: StepCount[];
  detection?: { model: ModelledDetection[]; wallClock: MeasuredDetection[] };
  coldStart?: ColdStart;
  scale?: { points: ScalePoint[]; plain: PlainPoint[] };
  instrumented?: { memory: MemoryPoint[]; footprint: Footprint };
  totalSeconds?: number;
  /** Set when the run completed; absent in files written while it was still going. */
  finished?: boolean;
}

const sec = (ms: number) => (ms / 1000).toFixed(2);
const spreadS = (s: Summary) => `${sec(s.median)} (${sec(s.min)}–${sec(s.max)})`;
const ratioCell = (r: RatioSummary) => `**${r.median.toFixed(2)}**`;
const ratioSpread = (r: RatioSummary) =>
  `${r.min.toFixed(2)}–${r.max.toFixed(2)} (IQR ${r.q1.toFixed(2)}–${r.q3.toFixed(2)})`;

/**
 * The headline figures against their targets, as bench/README.md quotes them (a unit test checks
 * that it holds exactly this text for the committed results).
 */
export function summary(r: Results): string {
  const out: string[] = [];
  const mark = (met: boolean) => (met ? "met" : "**missed**");
  if (r.scale) {
    const counts = [...new Set(r.scale.points.map((p) => p.count))];
    const cell = (x: RatioSummary | undefined) =>
      x === undefined
        ? "–"
        : `${x.median.toFixed(2)} (${x.min.toFixed(2)}–${x.max.toFixed(2)})${x.samplesOnBothSides ? " ?" : ""}`;
    out.push(
      "| offers (samples) | preview | up | refresh | destroy | `up` ÷ plain script |",
      "|---|---|---|---|---|---|",
      ...counts.map((c, i) => {
        const at = (op: string) => r.scale!.points.find((p) => p.count === c && p.op === op)?.ratio;
        const plain = r.scale!.plain.find((p) => p.count === c)?.ratio;
        return `| ${c} (${r.config.samples[i]}) | ${cell(at("preview"))} | ${cell(at("up"))} | ${cell(at("refresh"))} | ${cell(at("destroy"))} | ${cell(plain)} |`;
      }),
      "",
      "Time ÷ the engine's floor (same number of no-op dynamic resources), median (min–max) of paired samples; target ≤ 1.25;" +
        " `?` marks a point with samples on both sides of the target (bench/results.md gives each point's verdict).",
      "",
    );
    if (r.scale.points.some((p) => p.contentRatio)) {
      const content = (c: number, op: string) =>
        cell(r.scale!.points.find((p) => p.count === c && p.op === op)?.contentRatio);
      out.push(
        "| offers (samples) | preview | up | refresh | destroy |",
        "|---|---|---|---|---|",
        ...counts.map(
          (c, i) =>
            `| ${c} (${r.config.samples[i]}) | ${content(c, "preview")} | ${content(c, "up")} | ${content(c, "refresh")} | ${content(c, "destroy")} |`,
        ),
        "",
        "Time ÷ the content floor (the same no-op resources, the offer's one holding the offer's definition as an input):" +
          " the engine's cost of keeping that content in state divided out, what remains is this package's own work.",
        "",
      );
      const bound = counts
        .map((c) => {
          const of = (op: string) => r.scale!.points.find((p) => p.count === c && p.op === op)?.contentOverFloor;
          const ops = ["preview", "up", "refresh", "destroy"].filter((op) => of(op));
          return ops.length === 0
            ? undefined
            : `${ops.map((op) => `${op} ${of(op)!.median.toFixed(2)}`).join(", ")} at ${c} offers`;
        })
        .filter((x) => x !== undefined);
      if (bound.length > 0)
        out.push(
          `The content floor itself, ÷ the engine's floor (the least an Offer holding this definition can take): ${bound.join("; ")}.`,
          "",
        );
    }
  }
  if (r.instrumented) {
    const f = r.instrumented.footprint;
    const peak = Math.max(...r.instrumented.memory.filter((m) => m.stack === "offers").map((m) => m.peakMb));
    const floorPeak = Math.max(...r.instrumented.memory.filter((m) => m.stack === "floor").map((m) => m.peakMb));
    const content = r.instrumented.memory.filter((m) => m.stack === "content");
    const contentPeak = content.length > 0 ? Math.max(...content.map((m) => m.peakMb)) : undefined;
    out.push(
      `- State: ${f.offer.total} bytes per Offer in the checkpoint for a ${f.definitionBytes}-byte definition, ${f.ratio.toFixed(2)}× (target ≤ ${f.target}×: ${mark(f.met)});` +
        ` of it, the serialised provider text ${f.offer.provider} bytes` +
        (f.overheadBytes !== undefined
          ? ` and the engine's own metadata ${f.engineMetadataBytes} bytes, this package's other inputs and outputs ${f.overheadBytes - f.engineMetadataBytes - f.offer.provider} bytes; the entry is the definition plus a fixed ${f.overheadBytes} bytes, within 1.3× for definitions from ${f.definitionBytesForTarget} bytes.` +
            ` The SDK's and the engine's parts alone make ${engineShare(f).toFixed(2)}× this definition.`
          : "."),
      `- Memory: the dynamic-provider process peaks at ${peak.toFixed(0)} MB at ${f.count} offers (target ≤ ${MEMORY_TARGET_MB} MB: ${mark(peak <= MEMORY_TARGET_MB)});` +
        ` the same host serving no-op resources, ${floorPeak.toFixed(0)} MB` +
        (contentPeak === undefined
          ? "."
          : `, and serving them with the offer's one holding the definition (the content floor), ${contentPeak.toFixed(0)} MB` +
            `${contentPeak > MEMORY_TARGET_MB ? ", itself above the target" : ""}.`),
    );
  }
  if (r.detection) {
    const agree = r.detection.wallClock.filter((w) => w.agrees).length;
    out.push(
      `- Detection latency (model): ${r.detection.model.map((m) => `${m.duration} → ${sec(m.delayMs)} s late`).join(", ")};` +
        ` wall-clock check: ${agree} of ${r.detection.wallClock.length} cases as the model predicts.`,
    );
  }
  const measuredContent =
    r.scale?.points.some((p) => p.contentRatio) || r.instrumented?.memory.some((m) => m.stack === "content");
  if (measuredContent)
    out.push(
      "",
      "This package's own targets (its work above the content floor; `?` marks a ratio with samples on both sides of the" +
        " target). A verdict is not conclusive when it rests on a point with such samples or fewer than 5, or, for growth," +
        " on quartiles that allow either verdict; a time target missed for certain at one size is missed whatever the others:",
      "",
      ...targetLines(r),
    );
  return `${out.join("\n")}\n`;
}

export function markdown(r: Results): string {
  const out: string[] = [
    `# Benchmark results (${r.date.slice(0, 16).replace("T", " ")} UTC)`,
    "",
    "Generated by `npm run bench` (bench/run.ts); do not edit by hand. Raw samples: bench/results.json.",
    "",
    `- Code measured: commit \`${r.code.commit.slice(0, 12)}\` on branch \`${r.code.branch}\`${r.code.providerOrEmulatorModified ? " **with uncommitted changes in provider/ or emulator/**" : ""}.`,
    `- Machine: ${r.machine.cores} cores (${r.machine.cpu}), Node ${r.machine.node}; load average ${r.machine.loadAverageAtStart.join(", ")} at start` +
      `${r.machine.loadAverageAtEnd ? `, ${r.machine.loadAverageAtEnd.join(", ")} at end` : ""}. The cores are shared with other work, whose load adds noise to every` +
      " time: that is why each point has several samples, taken in alternating order, and is reported as a median with its spread.",
    `- Settings: ${r.config.counts.map((c, i) => `${r.config.samples[i]} samples at ${c} offers`).join(", ")}; emulated service latency ${r.config.latencyMs} ms per API request; poll interval 0.05–0.5 s` +
      `${r.totalSeconds !== undefined ? `; the run took ${Math.round(r.totalSeconds / 60)} min` : ""}.`,
  ];
  if (r.config.skipCheckpoints)
    out.push(
      "- **Diagnostic run: PULUMI_SKIP_CHECKPOINTS=true (state written once per operation, not after every step); not the default users get.**",
    );
  if (!r.finished) {
    const reached = [...new Set(r.scale?.points.map((p) => p.count) ?? [])];
    out.push(
      `- **Partial run: these files were written before the run finished; scale measured at ${reached.length > 0 ? reached.join(", ") : "no"} of ${r.config.counts.join(", ")} offers.**`,
    );
  }
  const few = r.config.counts.filter((_, i) => r.config.samples[i] < CONCLUSIVE_SAMPLES);
  if (few.length > 0)
    out.push(
      `- **Fewer than ${CONCLUSIVE_SAMPLES} samples at ${few.join(", ")} offers: too few to judge a spread (${CONCLUSIVE_SAMPLES} or more are meant; \`BENCH_FULL=1\` takes 5 at every size).**`,
    );
  out.push("", "## Summary", "", summary(r));
  if (r.scale) out.push(...scaleSection(r.scale));
  if (r.instrumented) out.push(...instrumentedSection(r.instrumented));
  if (r.detection) out.push(...detectionSection(r.detection));
  if (r.economy) {
    out.push(
      "## Requests per lifecycle step",
      "",
      "Counted from the emulator's request log, the handlers called once each.",
      "",
      "| step | API requests | of which polls | token requests | expected |",
      "|---|---|---|---|---|",
      ...r.economy.map((e) => `| ${e.step} | ${e.api} | ${e.polls} | ${e.tokens} | ${e.target} |`),
      "",
    );
  }
  if (r.coldStart) {
    const c = r.coldStart;
    out.push(
      "## Provider cold start",
      "",
      `A fresh Node process: module load ${c.loadMs.toFixed(0)} ms; first token and first two requests ${c.firstTokenAndRequestMs.toFixed(0)} ms;` +
        ` process start to done ${c.totalMs.toFixed(0)} ms; token requests: ${c.tokenRequests}.`,
      "",
    );
  }
  return out.join("\n");
}

function scaleSection(s: NonNullable<Results["scale"]>): string[] {
  const counts = [...new Set(s.points.map((p) => p.count))];
  const ops = [...new Set(s.points.map((p) => p.op))];
  const at = (count: number, op: string) => s.points.find((p) => p.count === count && p.op === op)!;
  return [
    "## Scale under the real engine, against the engine's floor",
    "",
    "Each offer is 3 resources (Offer, VmPricing, OfferPublish to preview); the floor is the same number of no-op dynamic",
    "resources in the same dependency shape, served by the same Node dynamic-provider host. Times in seconds: median",
    "(min–max). The ratio is offers ÷ floor per sample pair (measured back to back); target ≤ 1.25.",
    "",
    "| offers | resources | operation | offers (s) | floor (s) | ratio | ratio spread | verdict |",
    "|---|---|---|---|---|---|---|---|",
    ...s.points.map(
      (p) =>
        `| ${p.count} | ${p.resources} | ${p.op} | ${spreadS(p.offersMs)} | ${spreadS(p.floorMs)} | ${ratioCell(p.ratio)} | ${ratioSpread(p.ratio)} | ${p.ratio.verdict} |`,
    ),
    "",
    ...(s.points.some((p) => p.contentRatio)
      ? [
          "Against the content floor: the same no-op resources, the offer's one also holding the offer's definition as an",
          "input (inputs only, as the Offer keeps it). The engine rewrites the whole checkpoint after every step, so this",
          "floor is what keeping the content in state costs; offers ÷ content floor is this package's own share.",
          "",
          "The last column is the content floor ÷ the floor: what keeping the definition costs the engine alone, the least",
          "an Offer holding it can take against the floor.",
          "",
          "| offers | operation | content floor (s) | offers ÷ content floor | spread | verdict against 1.25 | content floor ÷ floor |",
          "|---|---|---|---|---|---|---|",
          ...s.points
            .filter((p) => p.contentRatio && p.contentFloorMs)
            .map(
              (p) =>
                `| ${p.count} | ${p.op} | ${spreadS(p.contentFloorMs!)} | ${ratioCell(p.contentRatio!)} | ${ratioSpread(p.contentRatio!)} | ${p.contentRatio!.verdict} | ${p.contentOverFloor ? `${p.contentOverFloor.median.toFixed(2)} (${p.contentOverFloor.min.toFixed(2)}–${p.contentOverFloor.max.toFixed(2)})` : "–"} |`,
            ),
          "",
        ]
      : []),
    "How the median ratio grows with the number of offers:",
    "",
    ...ops.map((op) => `- ${op}: ${counts.map((c) => `${at(c, op).ratio.median.toFixed(2)} (${c})`).join(" → ")}`),
    "",
    "## `pulumi up` against a plain sequential script",
    "",
    "The script (bench/lib/plain-script.ts, its own Node process) uses this package's client and nothing else: per offer,",
    "PUT the offer, read it and PUT it back with the plan's pricing, POST publish and poll until sign-off, with the",
    "stack's poll bounds. The ratio is `pulumi up` ÷ script per sample pair; below 1, the engine's parallelism wins.",
    "",
    "| offers | `pulumi up` (s) | script (s) | up ÷ script | spread |",
    "|---|---|---|---|---|",
    ...s.plain.map(
      (p) =>
        `| ${p.count} | ${spreadS(p.upMs)} | ${spreadS(p.scriptMs)} | ${ratioCell(p.ratio)} | ${ratioSpread(p.ratio)} |`,
    ),
    "",
  ];
}

/** (definition + engine metadata + serialised provider) ÷ definition: the entry without this package's bytes. */
function engineShare(f: Footprint): number {
  return (f.definitionBytes + f.engineMetadataBytes + f.offer.provider) / f.definitionBytes;
}

function instrumentedSection(i: NonNullable<Results["instrumented"]>): string[] {
  const f = i.footprint;
  const row = (name: string, b: Footprint["offer"]) =>
    `| ${name} | ${b.total} | ${b.inputs} | ${b.outputs} | ${b.provider} | ${b.packageBytes ?? "—"} |`;
  const offersPeak = Math.max(...i.memory.filter((m) => m.stack === "offers").map((m) => m.peakMb));
  return [
    `## State footprint (${f.count} offers, checkpoint after \`up\`)`,
    "",
    `One Offer's checkpoint entry is **${f.offer.total} bytes** against a definition of ${f.definitionBytes} bytes (compact JSON):` +
      ` **${f.ratio.toFixed(2)}×**, target ≤ ${f.target}× — ${f.met ? "met" : "**missed**"}. The checkpoint file as written holds` +
      ` ${(f.checkpointBytesPerOffer / 1024).toFixed(1)} KiB per offer (all three resources, indented).` +
      (f.overheadBytes !== undefined
        ? ` The entry is the definition plus a fixed ${f.overheadBytes} bytes: the engine's metadata around inputs and outputs` +
          ` (URN, parent, provider, dependencies, source position, stack trace, times) ${f.engineMetadataBytes} bytes, the serialised provider` +
          ` ${f.offer.provider} bytes, and the rest this package's inputs and outputs besides the definition; the ratio falls to 1.3× for definitions of` +
          ` ${f.definitionBytesForTarget} bytes or more.`
        : ""),
    "",
    "| resource | entry bytes | inputs | outputs | serialised provider (in inputs and outputs) | this package's own bytes |",
    "|---|---|---|---|---|---|",
    row("Offer", f.offer),
    row("VmPricing", f.vmPricing),
    row("OfferPublish", f.offerPublish),
    "",
    ...(f.offer.packageBytes !== undefined
      ? [
          `This package's own bytes of an Offer entry (inputs and outputs without the definition and the serialised provider):` +
            ` **${f.offer.packageBytes} B**, target ≤ ${PACKAGE_BYTES_TARGET} B — ${f.offer.packageBytes <= PACKAGE_BYTES_TARGET ? "met" : "**missed**"}.`,
          "",
        ]
      : []),
    `## Memory of the dynamic-provider process (${f.count} offers)`,
    "",
    `Peak resident set (the kernel's VmHWM, sampled every 200 ms from /proc for this run's own \`dynamic-provider\``,
    `processes): **${offersPeak.toFixed(0)} MB** for the offers stack, target ≤ ${MEMORY_TARGET_MB} MB — ${offersPeak <= MEMORY_TARGET_MB ? "met" : "**missed**"}.`,
    "",
    "| stack | operation | peak RSS (MB) | provider processes |",
    "|---|---|---|---|",
    ...i.memory.map((m) => `| ${m.stack} | ${m.op} | ${m.peakMb.toFixed(0)} | ${m.processes} |`),
    "",
  ];
}

function detectionSection(d: NonNullable<Results["detection"]>): string[] {
  return [
    "## Operation-detection latency",
    "",
    "**MODEL, not a measurement:** the poller's code (provider/client/poller.ts) on a simulated clock where a poll takes",
    "no time, with the provider's default bounds (5 s minimum, 600 s maximum interval).",
    "",
    "| operation lasts | polls | noticed after it ended | target max(5 s, 10 %) | met |",
    "|---|---|---|---|---|",
    ...d.model.map(
      (m) =>
        `| ${m.duration} | ${m.polls} | ${sec(m.delayMs)} s | ≤ ${sec(m.targetDelayMs)} s | ${m.met ? "yes" : "**no**"} |`,
    ),
    "",
    "**Wall-clock check of the model:** the real client polling for real (bounds 0.5–1.5 s) an emulated publish running at",
    "real speed with explicit step durations; the model is given the same operation length and bounds.",
    "",
    "| operation lasts | ends after poll start | predicted delay (polls) | measured delay (polls) | agrees (tolerance) |",
    "|---|---|---|---|---|",
    ...d.wallClock.map(
      (w) =>
        `| ${sec(w.operationMs)} s | ${sec(w.endsAfterMs)} s | ${sec(w.predictedDelayMs)} s (${w.predictedPolls}) | ${sec(w.measuredDelayMs)} s (${w.measuredPolls}) | ${w.agrees ? "yes" : "**no**"} (±${sec(w.toleranceMs)} s) |`,
    ),
    "",
  ];
}

/** Bars of the median ratios per operation and size, min–max whiskers, and the 1.25 target line. */
export function chart(r: Results): string {
  const s = r.scale!;
  const counts = [...new Set(s.points.map((p) => p.count))];
  const groups: Array<{ label: string; bars: Array<{ count: number; ratio: RatioSummary }> }> = [
    ...[...new Set(s.points.map((p) => p.op))].map((op) => ({
      label: op,
      bars: s.points.filter((p) => p.op === op).map((p) => ({ count: p.count, ratio: p.ratio })),
    })),
    { label: "up ÷ plain script", bars: s.plain.map((p) => ({ count: p.count, ratio: p.ratio })) },
  ];
  const W = 720,
    H = 340,
    left = 50,
    bottom = 40,
    top = 34;
  const max = Math.ceil(Math.max(1.5, ...groups.flatMap((g) => g.bars.map((b) => b.ratio.max))) * 2) / 2;
  const y = (v: number) => H - bottom - ((H - bottom - top) * v) / max;
  const groupW = (W - left - 20) / groups.length;
  const barW = (groupW - 20) / counts.length;
  const colors = ["#4c78a8", "#f58518", "#54a24b", "#e45756", "#72b7b2"];
  const parts: string[] = [];
  for (let t = 0; t <= max + 1e-9; t += 0.5) {
    parts.push(
      `<line x1="${left}" x2="${W - 10}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#ddd"/><text x="${left - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end" font-size="10">${t}</text>`,
    );
  }
  groups.forEach((g, gi) => {
    for (const b of g.bars) {
      const x = left + gi * groupW + 10 + counts.indexOf(b.count) * barW;
      const cx = x + (barW - 2) / 2;
      parts.push(
        `<rect x="${x.toFixed(1)}" y="${y(b.ratio.median).toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${(H - bottom - y(b.ratio.median)).toFixed(1)}" fill="${colors[counts.indexOf(b.count) % colors.length]}"><title>${b.count} offers, ${g.label}: median ${b.ratio.median.toFixed(2)} (${b.ratio.min.toFixed(2)}–${b.ratio.max.toFixed(2)})</title></rect>`,
      );
      parts.push(
        `<line x1="${cx.toFixed(1)}" x2="${cx.toFixed(1)}" y1="${y(b.ratio.min).toFixed(1)}" y2="${y(b.ratio.max).toFixed(1)}" stroke="#222"/>`,
      );
    }
    parts.push(
      `<text x="${(left + gi * groupW + groupW / 2).toFixed(1)}" y="${H - bottom + 18}" text-anchor="middle" font-size="12">${g.label}</text>`,
    );
  });
  counts.forEach((c, i) =>
    parts.push(
      `<rect x="${left + i * 110}" y="8" width="10" height="10" fill="${colors[i % colors.length]}"/><text x="${left + 14 + i * 110}" y="17" font-size="11">${c} offers</text>`,
    ),
  );
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    ...parts,
    `<line x1="${left}" x2="${W - 10}" y1="${y(1.25).toFixed(1)}" y2="${y(1.25).toFixed(1)}" stroke="#c00" stroke-dasharray="4 3"/><text x="${W - 12}" y="${(y(1.25) - 4).toFixed(1)}" text-anchor="end" font-size="10" fill="#c00">target 1.25</text>`,
    `<text x="${W - 12}" y="17" text-anchor="end" font-size="10">bars: median of the paired samples; whiskers: min–max</text>`,
    `<text x="14" y="${H / 2}" transform="rotate(-90 14 ${H / 2})" font-size="11" text-anchor="middle">time ÷ floor</text>`,
    "</svg>",
    "",
  ].join("\n");
}
