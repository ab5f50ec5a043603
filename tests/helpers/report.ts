// SPDX-License-Identifier: Apache-2.0
/**
 * Where a test writes a report: into `REPORT_DIR` when it is set (`npm run report` sets it to
 * docs/), else into this run's scratch folder, so a plain test run never rewrites a tracked file.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { scratchDir } from "./scratch.js";

/** Writes `text` as report `name` and returns the path written. */
export function writeReport(name: string, text: string): string {
  const dir = process.env.REPORT_DIR ? resolve(process.env.REPORT_DIR) : scratchDir("report");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** How a test names the report it wrote: a scratch copy goes away with the run. */
export function reportNote(path: string): string {
  return process.env.REPORT_DIR ? path : `${path} (scratch, removed at exit; set REPORT_DIR to keep it)`;
}
