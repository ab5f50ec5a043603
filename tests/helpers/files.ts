// SPDX-License-Identifier: Apache-2.0
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";

/**
 * Every file under `dir` (recursively, paths relative to it) whose bytes contain `needle`: how the
 * engine tests look for a planted secret in a backend's or a project's files. `node_modules` is
 * skipped unless asked for (a project's installed packages hold nothing of a run).
 */
export function filesContaining(dir: string, needle: string, o: { nodeModules?: boolean } = {}): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => (o.nodeModules ?? false) || !f.split(/[\\/]/).includes("node_modules"))
    .filter((f) => statSync(join(dir, f)).isFile() && readFileSync(join(dir, f)).includes(needle));
}
