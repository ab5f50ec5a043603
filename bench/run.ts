// SPDX-License-Identifier: Apache-2.0
/**
 * `npm run bench`: request economy, scale under the real engine, operation-detection latency,
 * cold start and memory, measured in one run against the emulator. Writes bench/results.json,
 * bench/results.md and bench/chart.svg. A benchmark, not a test: nothing here asserts a time.
 */
import { cpus } from "node:os";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { coldStart } from "./cold-start.js";
import { detectionLatency } from "./detection.js";
import { requestEconomy } from "./economy.js";
import { chart, markdown, type Results } from "./report.js";
import { scale } from "./scale.js";

async function main(): Promise<void> {
  const dir = resolve(__dirname, "..", "..", "bench");
  const counts = (process.env.BENCH_COUNTS ?? "1,10,100").split(",").map(Number);
  const log = (s: string) => process.stderr.write(`[bench] ${s}\n`);
  log("request economy");
  const economy = await requestEconomy();
  log("operation-detection latency");
  const detection = await detectionLatency();
  log("provider cold start");
  const cold = await coldStart();
  log(`scale under the real engine: ${counts.join(", ")} resources`);
  const { rows, peakRssMb } = await scale(counts);
  const results: Results = {
    date: new Date().toISOString().slice(0, 10),
    machine: `${cpus().length} cores, Node ${process.versions.node}`,
    economy,
    scale: rows,
    peakProviderRssMb: peakRssMb,
    detection,
    coldStart: cold,
  };
  writeFileSync(join(dir, "results.json"), JSON.stringify(results, null, 2));
  writeFileSync(join(dir, "results.md"), markdown(results));
  writeFileSync(join(dir, "chart.svg"), chart(rows));
  process.stdout.write(markdown(results));
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${(e as Error).stack}\n`);
  process.exit(1);
});
