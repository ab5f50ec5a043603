// SPDX-License-Identifier: Apache-2.0
/**
 * Provider cold start (issue 6, measure 4): a fresh Node process in a project where the packed
 * package is installed loads `pulumi-cloudpartner/handlers`, is configured, and makes its first
 * request (which needs the first token). Times are taken inside that process.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { startEmulator } from "../emulator/index.js";
import { scratchProject } from "../tests/helpers/engine.js";

export interface ColdStart {
  loadMs: number;
  firstTokenAndRequestMs: number;
  totalMs: number;
  tokenRequests: number;
}

export async function coldStart(): Promise<ColdStart> {
  const project = scratchProject();
  const emulator = await startEmulator();
  try {
    const script = join(project, "cold-start.js");
    writeFileSync(
      script,
      `
const t0 = performance.now();
const h = require("pulumi-cloudpartner/handlers");
const c = require("pulumi-cloudpartner/client");
const t1 = performance.now();
const cfg = JSON.parse(process.argv[2]);
h.configure({ config: { get: (k) => cfg[k] } });
const client = new c.CloudPartnerClient({ credential: { tenantId: cfg["cloudpartner:tenantId"], clientId: cfg["cloudpartner:clientId"], clientSecret: cfg["cloudpartner:clientSecret"], authority: cfg["cloudpartner:authority"] }, endpoint: cfg["cloudpartner:endpoint"] });
client.listPublishers().then(() => client.listPublishers()).then(() => {
  const t2 = performance.now();
  console.log(JSON.stringify({ loadMs: t1 - t0, firstTokenAndRequestMs: t2 - t1, totalMs: t2 }));
  process.exit(0);
});`,
    );
    const cfg = {
      "cloudpartner:tenantId": emulator.tenantId,
      "cloudpartner:clientId": emulator.clientId,
      "cloudpartner:clientSecret": emulator.clientSecret,
      "cloudpartner:authority": emulator.authorityUrl,
      "cloudpartner:endpoint": emulator.apiUrl,
    };
    await emulator.control.clearRequests();
    // Asynchronously: the emulator answering the child runs on this process's event loop.
    const { stdout } = await promisify(execFile)(process.execPath, [script, JSON.stringify(cfg)], {
      cwd: project,
      encoding: "utf8",
    });
    const out = JSON.parse(stdout.trim().split("\n").pop()!);
    const tokenRequests = (await emulator.control.requests()).filter(
      (r) => r.kind === "aad" && r.method === "POST",
    ).length;
    return { ...out, tokenRequests };
  } finally {
    await emulator.close();
  }
}
