// SPDX-License-Identifier: Apache-2.0
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { EmulatorState } from "./state.js";

/** Reads a persisted state, or undefined when the file does not exist yet. */
export function loadState(file: string): EmulatorState | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, "utf8")) as EmulatorState;
}

/** Writes the state atomically (temp file + rename), so a crash never leaves half a file. */
export function saveState(file: string, state: EmulatorState): void {
  // `--state .state/emulator.json` in a fresh clone: the folder is made, as `--state` promises a file.
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(state));
  renameSync(tmp, file);
}
