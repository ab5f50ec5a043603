// SPDX-License-Identifier: Apache-2.0
/**
 * The emulator in its own process (the `cloudpartner-emulator` CLI), so the requests it answers
 * do not run on the event loop of the benchmark process, which also runs the inline Pulumi
 * programs and the plain script's timer.
 */
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { join } from "node:path";
import { EmulatorControl, type EmulatorInfo } from "../../emulator/index.js";
import type { Modes } from "../../emulator/modes.js";

/** A running emulator process. */
export interface EmulatorProcess extends EmulatorInfo {
  control: EmulatorControl;
  pid: number;
  /** Back to the seed, then the benchmark's modes again (a reset restores the CLI's defaults). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The emulated clock's speed in the benchmarks: fast enough that certification and publish
 * steps, days on the real service, take no time of their own.
 */
export const BENCH_TIME_SCALE = 100_000_000;

/** Starts `dist/emulator/cli.js` on a free loopback port and applies `modes`. */
export async function spawnEmulator(timeScale: number, modes: Partial<Modes>): Promise<EmulatorProcess> {
  const cli = join(__dirname, "..", "..", "emulator", "cli.js");
  const child = spawn(process.execPath, [cli, "--port", "0", "--time-scale", String(timeScale)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (l) => {
      lines.close();
      resolve(l);
    });
    child.once("exit", (code) => reject(new Error(`the emulator exited (${code}) before printing its address`)));
  });
  const info = JSON.parse(line) as EmulatorInfo;
  const control = new EmulatorControl(info.controlUrl);
  await control.setModes(modes);
  return {
    ...info,
    control,
    pid: child.pid!,
    async reset() {
      await control.reset();
      await control.setModes(modes);
    },
    async close() {
      child.kill("SIGTERM");
      await exited;
    },
  };
}
