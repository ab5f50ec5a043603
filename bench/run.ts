// SPDX-License-Identifier: Apache-2.0
/**
 * `npm run bench`: scale under the real engine against the engine's floor and a plain script,
 * state footprint, provider memory, operation-detection latency (model and wall-clock check),
 * request economy and cold start, in one run against the emulator. Writes bench/results.json,
 * bench/results.md, bench/chart.svg and bench/README.md's summary. A benchmark, not a test:
 * nothing here asserts a time. Knobs: see lib/config.ts (BENCH_COUNTS, BENCH_SAMPLES,
 * BENCH_LATENCY_MS, BENCH_MEMORY_COUNT, BENCH_ONLY, BENCH_FULL).
 */
import { execFileSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { engineKit } from "../scripts/lib/engine-kit.js";
import { coldStart } from "./cold-start.js";
import { measuredDetection, modelledDetection } from "./detection.js";
import { requestEconomy } from "./economy.js";
import { instrumented } from "./instrumented.js";
import { benchConfig } from "./lib/config.js";
import { BENCH_TIME_SCALE, spawnEmulator } from "./lib/emulator-process.js";
import { markdown, type Results } from "./report.js";
import { writeReports } from "./render.js";
import { scale } from "./scale.js";

/** The repository root (this file runs from dist/bench). */
const REPO = resolve(__dirname, "..", "..");

function git(...args: string[]): string {
  try {
    return execFileSync("git", args, { cwd: REPO, encoding: "utf8" }).trim();
  } catch {
    return "unknown";
  }
}

async function main(): Promise<void> {
  const cfg = benchConfig();
  const t0 = performance.now();
  const log = (s: string) => process.stderr.write(`[bench ${((performance.now() - t0) / 1000).toFixed(0)} s] ${s}\n`);
  const dirty = git("status", "--porcelain", "--untracked-files=no", "--", "provider", "emulator") !== "";
  const results: Results = {
    date: new Date().toISOString(),
    machine: {
      cores: cpus().length,
      cpu: cpus()[0]?.model ?? "unknown",
      node: process.versions.node,
      loadAverageAtStart: loadavg().map((l) => Number(l.toFixed(2))),
    },
    code: {
      commit: git("rev-parse", "HEAD"),
      branch: git("rev-parse", "--abbrev-ref", "HEAD"),
      providerOrEmulatorModified: dirty,
    },
    config: {
      counts: cfg.counts,
      samples: cfg.samples,
      latencyMs: cfg.latencyMs,
      memoryCount: cfg.memoryCount,
      skipCheckpoints: cfg.skipCheckpoints,
      parts: [...cfg.parts],
    },
  };
  if (cfg.parts.has("economy")) {
    log("request economy");
    results.economy = await requestEconomy();
  }
  if (cfg.parts.has("detection")) {
    log("operation-detection latency: model, then the wall-clock check (about 15 s)");
    results.detection = { model: await modelledDetection(), wallClock: await measuredDetection() };
  }
  if (cfg.parts.has("coldStart")) {
    log("provider cold start");
    results.coldStart = await coldStart();
  }
  const dir = join(REPO, "bench");
  // Written after each part, so a long run stopped early still leaves what it measured (the
  // report then names the counts it did not reach).
  const write = () => {
    results.machine.loadAverageAtEnd = loadavg().map((l) => Number(l.toFixed(2)));
    results.totalSeconds = Math.round((performance.now() - t0) / 1000);
    writeFileSync(join(dir, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
    writeReports(dir, results);
  };
  write();
  if (cfg.parts.has("scale") || cfg.parts.has("instrumented")) {
    const kit = await engineKit();
    if (cfg.skipCheckpoints) kit.envVars.PULUMI_SKIP_CHECKPOINTS = "true";
    const emulator = await spawnEmulator(BENCH_TIME_SCALE, { latencyMs: cfg.latencyMs });
    try {
      // Untimed, so its place in the run does not matter; first, so a long scale part cannot starve it.
      if (cfg.parts.has("instrumented") && cfg.memoryCount > 0) {
        log(`memory and state footprint at ${cfg.memoryCount} offers`);
        results.instrumented = await instrumented(kit, emulator, cfg.memoryCount);
        write();
      }
      if (cfg.parts.has("scale")) {
        log(
          `scale: ${cfg.counts.map((c, i) => `${c} offers × ${cfg.samples[i]}`).join(", ")} samples (offers, floor, plain script in alternating order)`,
        );
        results.scale = { points: [], plain: [] };
        for (const [i, count] of cfg.counts.entries()) {
          const part = await scale(kit, emulator, [count], [cfg.samples[i]], log);
          results.scale.points.push(...part.points);
          results.scale.plain.push(...part.plain);
          write();
        }
      }
    } finally {
      await emulator.close();
    }
  }
  results.finished = true;
  write();
  log(
    `done in ${results.totalSeconds} s: bench/results.json, bench/results.md${results.scale ? ", bench/chart.svg" : ""}`,
  );
  process.stdout.write(markdown(results));
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${(e as Error).stack}\n`);
  process.exit(1);
});
