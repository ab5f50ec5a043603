// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadState, StateWriter, type WriterTimers } from "../../../emulator/persistence.js";
import { initialState, defaultIdentity } from "../../../emulator/seed.js";
import type { EmulatorState } from "../../../emulator/state.js";
import { scratchDir } from "../../helpers/scratch.js";

/** Timers that fire only when the test says so. */
function manualTimers(): WriterTimers & { fire(): void; pending: number } {
  let queued: Array<() => void> = [];
  return {
    set: (fn) => {
      queued.push(fn);
      return fn;
    },
    clear: (h) => {
      queued = queued.filter((f) => f !== h);
    },
    fire() {
      const now = queued;
      queued = [];
      for (const f of now) f();
    },
    get pending() {
      return queued.length;
    },
  };
}

describe("emulator persistence: one write per burst of changes, without the request log", () => {
  const state = (): EmulatorState => {
    const s = initialState(defaultIdentity({}));
    for (let i = 0; i < 1000; i++)
      s.log.push({
        seq: i,
        at: "",
        kind: "api",
        method: "GET",
        path: `/api/${i}`,
        query: "",
        status: 200,
        durationMs: 0,
      });
    return s;
  };

  it("a thousand changes before the timer fires make one write, of the latest state", () => {
    const file = join(scratchDir("persist"), "state.json");
    const timers = manualTimers();
    const s = state();
    const writer = new StateWriter(file, () => s, 100, timers);
    for (let i = 0; i < 1000; i++) {
      s.seq = i;
      writer.schedule();
    }
    expect(writer.writes).to.equal(0);
    expect(timers.pending).to.equal(1);
    timers.fire();
    expect(writer.writes).to.equal(1);
    expect(loadState(file)!.seq).to.equal(999);
    writer.flush();
    expect(writer.writes, "nothing pending: no write").to.equal(1);
  });

  it("flush writes a pending change at once (close, exit) and cancels its timer; the file holds no request log", () => {
    const file = join(scratchDir("persist"), "state.json");
    const timers = manualTimers();
    const s = state();
    const writer = new StateWriter(file, () => s, 100, timers);
    writer.schedule();
    writer.flush();
    expect(writer.writes).to.equal(1);
    expect(timers.pending).to.equal(0);
    const raw = JSON.parse(readFileSync(file, "utf8"));
    expect(raw.log).to.deep.equal([]);
    expect(s.log, "the running emulator keeps its log").to.have.length(1000);
  });
});
