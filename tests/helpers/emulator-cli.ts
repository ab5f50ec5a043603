// SPDX-License-Identifier: Apache-2.0
/** The emulator started as its CLI (`node emulator/cli.js`), as a user's CI starts it. */
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";

/** The compiled CLI. */
export const EMULATOR_CLI = join(__dirname, "..", "..", "emulator", "cli.js");

/** The keys of the CLI's first stdout line without `--tls`, sorted (docs/emulator.md); `--tls` adds `caFile`. */
export const CLI_CONTRACT_KEYS: readonly string[] = [
  "apiUrl",
  "authorityUrl",
  "clientId",
  "clientSecret",
  "controlUrl",
  "oidcIssuer",
  "productIngestionUrl",
  "publisherId",
  "tenantId",
];

/** Starts the CLI with `args`; resolves to its first stdout line (parsed) and the child. */
export async function startCli(
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ child: ChildProcess; info: Record<string, string> }> {
  const child = spawn(process.execPath, [EMULATOR_CLI, ...args], { stdio: ["ignore", "pipe", "pipe"], env });
  const line = await new Promise<string>((ok, fail) => {
    createInterface({ input: child.stdout! }).once("line", ok);
    child.once("exit", (code) => fail(new Error(`emulator exited ${code}`)));
  });
  return { child, info: JSON.parse(line) };
}

/** Stops the CLI with SIGTERM; resolves to its exit code (at once when it has already exited). */
export const stopCli = (child: ChildProcess) =>
  new Promise<number | null>((ok) => {
    if (child.exitCode !== null || child.signalCode !== null) return ok(child.exitCode);
    child.once("exit", ok);
    child.kill("SIGTERM");
  });

/** Kills the CLI if it still runs (in a finally: a failed expectation must not leave mocha waiting for it). */
export function killCli(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
}
