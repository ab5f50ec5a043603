// SPDX-License-Identifier: Apache-2.0
/**
 * What a benchmark run reports: bench/results.md, bench/chart.svg and the summary in
 * bench/README.md, from its results. `npm run bench:render` renders them again from the
 * committed bench/results.json, measuring nothing: for a change to how a run is reported (a new
 * verdict, a target judged differently), the samples stay those of the committed run.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { chart, markdown, summary, type Results } from "./report.js";

/** The repository root (this file runs from dist/bench). */
const REPO = resolve(__dirname, "..", "..");

const START = "<!-- prettier-ignore-start -->\n";
const END = "<!-- prettier-ignore-end -->";

/** `readme` with the summary block (between the prettier-ignore markers) holding `r`'s summary. */
export function withSummary(readme: string, r: Results): string {
  const from = readme.indexOf(START);
  const to = readme.indexOf(END, from);
  if (from < 0 || to < 0) throw new Error(`bench/README.md: no summary block between "${START.trim()}" and "${END}"`);
  // One block only: with two, which one holds the summary would be a guess.
  if (readme.indexOf(START, from + 1) >= 0)
    throw new Error(`bench/README.md: more than one "${START.trim()}" block; keep one, the summary's`);
  // A run writes this after each part: until it finishes, the summary says it is partial.
  const partial = r.finished
    ? ""
    : "**Partial run: written before the run finished; parts and sizes not yet run are missing.**\n\n";
  return `${readme.slice(0, from + START.length)}${partial}${summary(r)}\n${readme.slice(to)}`;
}

/**
 * Writes what a run reports in `dir` (bench/): results.md, chart.svg (when the run has scale
 * points) and README.md's summary. `npm run bench` calls it after each part; `npm run
 * bench:render` with the committed results.
 */
export function writeReports(dir: string, r: Results): void {
  writeFileSync(join(dir, "results.md"), markdown(r));
  if (r.scale && r.scale.points.length > 0) writeFileSync(join(dir, "chart.svg"), chart(r));
  const readme = join(dir, "README.md");
  writeFileSync(readme, withSummary(readFileSync(readme, "utf8"), r));
}

function main(): void {
  const dir = join(REPO, "bench");
  writeReports(dir, JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as Results);
  process.stderr.write(
    "bench/results.md, bench/chart.svg and bench/README.md's summary rendered from bench/results.json\n",
  );
}

if (require.main === module) main();
