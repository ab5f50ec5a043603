#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
/**
 * `cloudpartner-emulator [--port N] [--host H] [--state FILE] [--time-scale X]`: prints one JSON
 * line (apiUrl, authorityUrl, tenantId, clientId, clientSecret, publisherId, controlUrl), then
 * serves until SIGINT/SIGTERM.
 */
import { startEmulator } from "./index.js";

function parseArgs(argv: string[]): { port?: number; host?: string; stateFile?: string; timeScale?: number } {
  const out: { port?: number; host?: string; stateFile?: string; timeScale?: number } = {};
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split("=", 2);
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case "--port": out.port = Number(value()); break;
      case "--host": out.host = value(); break;
      case "--state": out.stateFile = value(); break;
      case "--time-scale": out.timeScale = Number(value()); break;
      case "--help":
        process.stdout.write("usage: cloudpartner-emulator [--port N] [--host H] [--state FILE] [--time-scale X]\n");
        process.exit(0);
      default:
        process.stderr.write(`cloudpartner-emulator: unknown option ${argv[i]} (see --help)\n`);
        process.exit(2);
    }
  }
  if (out.port !== undefined && !(Number.isInteger(out.port) && out.port >= 0 && out.port < 65536)) {
    process.stderr.write("cloudpartner-emulator: --port takes 0 to 65535\n");
    process.exit(2);
  }
  if (out.timeScale !== undefined && !(out.timeScale > 0)) {
    process.stderr.write("cloudpartner-emulator: --time-scale takes a positive number\n");
    process.exit(2);
  }
  return out;
}

async function main(): Promise<void> {
  const emulator = await startEmulator(parseArgs(process.argv.slice(2)));
  const { control: _c, close, ...info } = emulator;
  process.stdout.write(`${JSON.stringify(info)}\n`);
  const stop = () => {
    void close().then(() => process.exit(0));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((e) => {
  process.stderr.write(`cloudpartner-emulator: ${(e as Error).message}\n`);
  process.exit(1);
});
