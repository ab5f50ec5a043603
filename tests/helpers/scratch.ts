// SPDX-License-Identifier: Apache-2.0
/**
 * Scratch folders for tests: every folder a test run makes lives under one root that is unique
 * to this process and removed when the process exits, so two copies of the suite running at
 * once on one machine never share a path, and a run leaves nothing behind.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

let root: string | undefined;

/** The per-process root, created on first use and removed at exit. */
export function scratchRoot(): string {
  if (!root) {
    const dir = mkdtempSync(join(tmpdir(), `cpp-test-${process.pid}-`));
    root = dir;
    const remove = () => rmSync(dir, { recursive: true, force: true });
    process.once("exit", remove);
    // Interrupted (Ctrl-C, a CI timeout): remove it too, then die of the same signal as before.
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
      process.once(signal, () => {
        remove();
        process.kill(process.pid, signal);
      });
    }
  }
  return root;
}

/** A new empty folder under this run's scratch root. */
export function scratchDir(prefix: string): string {
  return mkdtempSync(join(scratchRoot(), `${prefix}-`));
}
