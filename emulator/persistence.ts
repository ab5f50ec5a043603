// SPDX-License-Identifier: Apache-2.0
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { EmulatorState } from "./state.js";

/** Reads a persisted state, or undefined when the file does not exist yet. */
export function loadState(file: string): EmulatorState | undefined {
  if (!existsSync(file)) return undefined;
  const state = JSON.parse(readFileSync(file, "utf8")) as EmulatorState;
  // The request log is not persisted (see saveState); an older file may still hold one.
  return { ...state, log: state.log ?? [] };
}

/**
 * Writes the state atomically (temp file + rename), so a crash never leaves half a file. The
 * request log stays out: it is for the running emulator's tests, and serialising it with every
 * write would make each request cost more the more requests came before it.
 */
export function saveState(file: string, state: EmulatorState): void {
  // `--state .state/emulator.json` in a fresh clone: the folder is made, as `--state` promises a file.
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify({ ...state, log: [] }));
  renameSync(tmp, file);
}

/** Timers a {@link StateWriter} uses (injectable, so its tests need no wall clock). */
export interface WriterTimers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const REAL_TIMERS: WriterTimers = {
  set: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // A pending write never keeps the process alive: exit and close flush it.
    t.unref();
    return t;
  },
  clear: (h) => clearTimeout(h as NodeJS.Timeout),
};

/**
 * Persists the state at most once per `delayMs` however many writes come in between, instead of
 * once per change: the latest state is written `delayMs` after the first change of a burst, and
 * at once by {@link StateWriter.flush} (close, process exit).
 */
export class StateWriter {
  private pending?: unknown;
  /** Writes made so far (for the control API's view of persistence). */
  writes = 0;

  constructor(
    private readonly file: string,
    private readonly state: () => EmulatorState,
    private readonly delayMs = 100,
    private readonly timers: WriterTimers = REAL_TIMERS,
  ) {}

  /** A change happened: write soon. */
  schedule(): void {
    if (this.pending !== undefined) return;
    this.pending = this.timers.set(() => this.flush(), this.delayMs);
  }

  /** Writes now if a change is pending (or `force`). */
  flush(force = false): void {
    if (this.pending === undefined && !force) return;
    if (this.pending !== undefined) this.timers.clear(this.pending);
    this.pending = undefined;
    saveState(this.file, this.state());
    this.writes += 1;
  }
}
