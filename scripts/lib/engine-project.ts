// SPDX-License-Identifier: Apache-2.0
/**
 * Shared by the demo, the example runner and the engine tests: a project with the packed package installed as a
 * user installs it, the environment of an offline Pulumi CLI run, and stack config pointing the
 * provider at an emulator.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

/** The repository root (this file lives in dist/scripts/lib once compiled). */
export const REPO = resolve(__dirname, "..", "..", "..");
/** Where scripts/pack.sh puts the packed package. */
export const TARBALL = join(REPO, ".tools", "pack", "pulumi-cloudpartner.tgz");
/** The SDK version paired with the pinned CLI (v3.259.0). */
export const PULUMI_SDK_VERSION = "3.259.0";

/** Installs the packed package and @pulumi/pulumi into `dir` (again only when the tarball changed). */
export function installPackedProject(dir: string, name: string): void {
  if (!existsSync(TARBALL)) throw new Error(`No packed package at ${TARBALL}: run \`bash scripts/pack.sh\``);
  mkdirSync(dir, { recursive: true });
  const hash = createHash("sha256").update(readFileSync(TARBALL)).digest("hex").slice(0, 16);
  const stamp = join(dir, "node_modules", ".installed");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === hash) return;
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify(
      {
        name,
        private: true,
        version: "0.0.0",
        dependencies: { "pulumi-cloudpartner": `file:${TARBALL}`, "@pulumi/pulumi": PULUMI_SDK_VERSION },
      },
      null,
      2,
    ),
  );
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd: dir,
    stdio: ["ignore", "ignore", "inherit"],
  });
  writeFileSync(stamp, hash);
}

/** Environment of every CLI run: file backend, passphrase secrets, isolated home, no network. */
export function offlineEnv(stateDir: string, home: string, passphrase: string): Record<string, string> {
  return {
    PULUMI_BACKEND_URL: `file://${stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: passphrase,
    PULUMI_HOME: home,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
  };
}

/** What the emulator prints (its CLI's first line). */
export interface EmulatorConnection {
  apiUrl: string;
  authorityUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

/** Stack config pointing `cloudpartner:*` at an emulator (the secret marked secret). */
export function emulatorConfig(
  e: EmulatorConnection,
  extra: Record<string, string> = {},
): Record<string, { value: string; secret?: boolean }> {
  return {
    "cloudpartner:endpoint": { value: e.apiUrl },
    "cloudpartner:authority": { value: e.authorityUrl },
    "cloudpartner:tenantId": { value: e.tenantId },
    "cloudpartner:clientId": { value: e.clientId },
    "cloudpartner:clientSecret": { value: e.clientSecret, secret: true },
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, { value: v }])),
  };
}
