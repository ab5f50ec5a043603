// SPDX-License-Identifier: Apache-2.0
/**
 * `npm run bench:render`: renders bench/results.md, bench/chart.svg and the summary in
 * bench/README.md again from the committed bench/results.json, without measuring anything. For
 * a change to how a run is reported (a new verdict, a target judged differently): the samples
 * stay those of the committed run.
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
  return `${readme.slice(0, from + START.length)}${summary(r)}\n${readme.slice(to)}`;
}

function main(): void {
  const dir = join(REPO, "bench");
  const r = JSON.parse(readFileSync(join(dir, "results.json"), "utf8")) as Results;
  writeFileSync(join(dir, "results.md"), markdown(r));
  if (r.scale && r.scale.points.length > 0) writeFileSync(join(dir, "chart.svg"), chart(r));
  const readme = join(dir, "README.md");
  writeFileSync(readme, withSummary(readFileSync(readme, "utf8"), r));
  process.stderr.write(
    "bench/results.md, bench/chart.svg and bench/README.md's summary rendered from bench/results.json\n",
  );
}

if (require.main === module) main();
