#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
/**
 * `cloudpartner-emulator [options]` (see HELP): prints one JSON line (apiUrl,
 * productIngestionUrl, authorityUrl, tenantId, clientId, clientSecret, publisherId, controlUrl,
 * oidcIssuer, and caFile with --tls),
 * then serves until SIGINT/SIGTERM.
 */
import { FAST_TIME_SCALE } from "./modes.js";
import { startEmulator, type EmulatorOptions } from "./index.js";
import { MAX_BODY_BYTES } from "./server.js";

const HELP = `usage: cloudpartner-emulator [options]

A local emulator of the Cloud Partner Portal API (2017-10-31), the Product Ingestion API
(under /rp/product-ingestion; one store seen through both) and of the Azure AD token
endpoints. Prints one JSON line (apiUrl, productIngestionUrl, authorityUrl, tenantId,
clientId, clientSecret, publisherId, controlUrl, oidcIssuer; caFile with --tls), then serves
until SIGINT/SIGTERM.

options:
  --port N          port to listen on (default 0: a free port)
  --host H          address to listen on (default 127.0.0.1)
  --state FILE      keep offers, operations, jobs and the clock in FILE across restarts
  --time-scale X    emulated milliseconds per real millisecond (default 1 = real time: a publish
                    to preview then takes emulated days, about 7, as the service documents)
  --fast            same as --time-scale ${FAST_TIME_SCALE}: a publish reaches preview in about 3 s, a
                    go-live ends in about 2 s
  --tls             serve https with a certificate made at start (needs openssl); the CA file
                    to trust is printed as caFile (e.g. NODE_EXTRA_CA_CERTS=<caFile>)
  --public-url URL  build every absolute URL (OpenID metadata, Location) from URL instead of
                    the request's Host, e.g. https://cloudpartner.azure.com (or
                    https://graph.microsoft.com) behind a proxy
  --help            this text

Request bodies are limited to ${MAX_BODY_BYTES} bytes (larger: 413). See docs/emulator.md.
`;

function fail(message: string): never {
  process.stderr.write(`cloudpartner-emulator: ${message}\n`);
  process.exit(2);
}

/** Parses the command line; exits 2 with a message naming the option on a bad one. */
function parseArgs(argv: string[]): EmulatorOptions {
  const out: EmulatorOptions = {};
  let fast = false;
  for (let i = 0; i < argv.length; i++) {
    const eq = argv[i].indexOf("=");
    const flag = eq > 0 ? argv[i].slice(0, eq) : argv[i];
    const inline = eq > 0 ? argv[i].slice(eq + 1) : undefined;
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) fail(`${flag} needs a value (see --help)`);
      return v;
    };
    switch (flag) {
      case "--port":
        out.port = Number(value());
        break;
      case "--host":
        out.host = value();
        break;
      case "--state":
        out.stateFile = value();
        break;
      case "--time-scale":
        out.timeScale = Number(value());
        break;
      case "--fast":
        fast = true;
        break;
      case "--tls":
        out.tls = true;
        break;
      case "--public-url":
        out.publicUrl = value();
        break;
      case "--help":
        process.stdout.write(HELP);
        process.exit(0);
      default:
        fail(`unknown option ${argv[i]} (see --help)`);
    }
  }
  if (out.port !== undefined && !(Number.isInteger(out.port) && out.port >= 0 && out.port < 65536))
    fail("--port takes 0 to 65535");
  if (out.timeScale !== undefined && !(out.timeScale > 0 && Number.isFinite(out.timeScale)))
    fail("--time-scale takes a positive number");
  if (fast && out.timeScale !== undefined) fail("use --fast or --time-scale, not both");
  if (fast) out.timeScale = FAST_TIME_SCALE;
  if (out.publicUrl !== undefined) {
    let u: URL | undefined;
    try {
      u = new URL(out.publicUrl);
    } catch {
      u = undefined;
    }
    if (
      !u ||
      (u.protocol !== "http:" && u.protocol !== "https:") ||
      (u.pathname !== "/" && u.pathname !== "") ||
      u.search
    ) {
      fail("--public-url takes an origin such as https://cloudpartner.azure.com (no path)");
    }
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
