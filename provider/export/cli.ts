#!/usr/bin/env node
// SPDX-License-Identifier: Apache-2.0
/**
 * `cloudpartner-export --publisher P [--offer O]... [--out DIR] [--publish none|preview|live]
 * [--api cpp|productIngestion] [--force]`: writes a Pulumi project adopting existing offers (see
 * run.ts, USAGE in args.ts).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { redact } from "../client/index.js";
import { parseExportArgs, USAGE, UsageError } from "./args.js";
import type { ProjectVersions } from "./project.js";
import { ExportError, runExport, summarize } from "./run.js";

/** Versions for the generated package.json, from this package's own package.json. */
function versions(): ProjectVersions {
  // dist/provider/export → package root, in the repository and in an installed package.
  const pkg = JSON.parse(readFileSync(join(__dirname, "..", "..", "..", "package.json"), "utf8"));
  const caret = (v: string | undefined, fallback: string) => (v && /^\d/.test(v) ? `^${v}` : (v ?? fallback));
  return {
    cloudpartner: `^${pkg.version}`,
    pulumi: pkg.peerDependencies?.["@pulumi/pulumi"] ?? "^3.0.0",
    typescript: caret(pkg.devDependencies?.typescript, "^5.0.0"),
    nodeTypes: caret(pkg.devDependencies?.["@types/node"], "^22.0.0"),
  };
}

async function main(): Promise<number> {
  let args;
  try {
    args = parseExportArgs(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`cloudpartner-export: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (args === "help") {
    process.stdout.write(USAGE);
    return 0;
  }
  try {
    const io = { env: process.env, cwd: process.cwd(), progress: (line: string) => process.stderr.write(`${line}\n`) };
    const result = await runExport(args, io, versions());
    process.stdout.write(summarize(result, args.publish));
    return 0;
  } catch (e) {
    if (e instanceof ExportError) {
      process.stderr.write(`cloudpartner-export: ${redact(e.message)} [${e.code}]\n`);
      return e.exitCode;
    }
    process.stderr.write(`cloudpartner-export: unexpected failure: ${redact((e as Error).message)}\n`);
    return 1;
  }
}

main().then((code) => process.exit(code));
