// SPDX-License-Identifier: Apache-2.0
/**
 * Engine-tier harness: the real Pulumi CLI (pinned, built from its Go module by
 * scripts/ensure-pulumi.sh) driven through the Automation API, with the packed package installed
 * into a scratch project exactly as a user installs it. The Automation API and the package are
 * both loaded from that project, so one copy of the Pulumi SDK runs the program, and the dynamic
 * provider is serialised as `require("pulumi-cloudpartner/handlers")`.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REPO = resolve(__dirname, "..", "..", "..");
const TARBALL = join(REPO, ".tools", "pack", "pulumi-cloudpartner.tgz");
const PULUMI_SDK_VERSION = "3.259.0";

/** The CLI root (holding bin/pulumi), or a clear failure: the engine tier is never skipped. */
export function pulumiRoot(): string {
  const root = process.env.PULUMI_ROOT;
  if (!root || !existsSync(join(root, "bin", "pulumi"))) {
    throw new Error("The Pulumi CLI is missing: run the tests through `bash scripts/test.sh` (it builds CLI v3.259.0 and sets PULUMI_ROOT).");
  }
  return root;
}

/** A scratch project with the packed package and @pulumi/pulumi installed (once per tarball). */
export function scratchProject(): string {
  if (!existsSync(TARBALL)) throw new Error(`No packed package at ${TARBALL}: run \`bash scripts/pack.sh\` (scripts/test.sh does).`);
  const hash = createHash("sha256").update(readFileSync(TARBALL)).digest("hex").slice(0, 16);
  const dir = join(tmpdir(), `cpp-engine-project-${hash}`);
  const stamp = join(dir, "node_modules", ".installed");
  if (!existsSync(stamp)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "package.json"), JSON.stringify({
      name: "cpp-engine-project", private: true, version: "0.0.0",
      dependencies: { "pulumi-cloudpartner": `file:${TARBALL}`, "@pulumi/pulumi": PULUMI_SDK_VERSION },
    }, null, 2));
    execFileSync("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, stdio: ["ignore", "ignore", "inherit"] });
    writeFileSync(stamp, hash);
  }
  return dir;
}

/** What a scratch project offers the tests: its own copies of the SDK's automation and the package. */
export interface EngineKit {
  project: string;
  automation: typeof import("@pulumi/pulumi/automation");
  pulumi: typeof import("@pulumi/pulumi");
  cpp: typeof import("../../provider/index.js");
  /** Environment of every CLI run: file backend, passphrase secrets, no network, isolated home. */
  envVars: Record<string, string>;
  stateDir: string;
  pulumiCommand: import("@pulumi/pulumi/automation").PulumiCommand;
}

/** Prepares the CLI, the scratch project and an isolated backend. */
export async function engineKit(): Promise<EngineKit> {
  const root = pulumiRoot();
  const project = scratchProject();
  const req = createRequire(join(project, "package.json"));
  const automation = req("@pulumi/pulumi/automation") as EngineKit["automation"];
  const pulumi = req("@pulumi/pulumi") as EngineKit["pulumi"];
  const cpp = req("pulumi-cloudpartner") as EngineKit["cpp"];
  const stateDir = mkdtempSync(join(tmpdir(), "cpp-engine-state-"));
  const home = mkdtempSync(join(tmpdir(), "cpp-engine-home-"));
  const envVars = {
    PULUMI_BACKEND_URL: `file://${stateDir}`,
    PULUMI_CONFIG_PASSPHRASE: "engine-test-passphrase",
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_HOME: home,
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_DIY_BACKEND_NO_LEGACY_WARNING: "true",
  };
  const pulumiCommand = await automation.PulumiCommand.get({ root });
  return { project, automation, pulumi, cpp, envVars, stateDir, pulumiCommand };
}

/** Creates (or selects) an inline-program stack whose engine runs in the scratch project. */
export async function inlineStack(kit: EngineKit, stackName: string, program: () => Promise<Record<string, unknown> | void>) {
  return kit.automation.LocalWorkspace.createOrSelectStack(
    { stackName, projectName: "cpp-engine", program },
    {
      pulumiCommand: kit.pulumiCommand,
      envVars: kit.envVars,
      workDir: mkdtempSync(join(tmpdir(), "cpp-engine-work-")),
      projectSettings: { name: "cpp-engine", runtime: "nodejs", main: kit.project } as any,
    },
  );
}

/** Sets the cloudpartner:* config of a stack to point at an emulator. */
export async function configureForEmulator(stack: Awaited<ReturnType<typeof inlineStack>>, e: { apiUrl: string; authorityUrl: string; tenantId: string; clientId: string; clientSecret: string }, extra: Record<string, string> = {}): Promise<void> {
  await stack.setAllConfig({
    "cloudpartner:endpoint": { value: e.apiUrl },
    "cloudpartner:authority": { value: e.authorityUrl },
    "cloudpartner:tenantId": { value: e.tenantId },
    "cloudpartner:clientId": { value: e.clientId },
    "cloudpartner:clientSecret": { value: e.clientSecret, secret: true },
    "cloudpartner:pollMinIntervalSeconds": { value: "0.05" },
    "cloudpartner:pollMaxIntervalSeconds": { value: "0.5" },
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k, { value: v }])),
  });
}
