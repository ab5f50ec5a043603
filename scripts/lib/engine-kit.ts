// SPDX-License-Identifier: Apache-2.0
/**
 * The real engine for the engine tests and the benchmarks: the pinned Pulumi CLI (built by
 * scripts/ensure-pulumi.sh, found through PULUMI_ROOT) driven through the Automation API, with
 * the packed package installed into a scratch project exactly as a user installs it. The
 * Automation API and the package are both loaded from that project, so one copy of the Pulumi
 * SDK runs the program, and the dynamic provider is serialised as
 * `require("pulumi-cloudpartner/dynamic/<kind>")`.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { installPackedProject, offlineEnv } from "./engine-project.js";
import { isolateInlinePrograms } from "./inline-program-channels.js";
import { scratchDir } from "./scratch.js";

/** The CLI root (holding bin/pulumi), or a clear failure naming the script that provides it. */
export function pulumiRoot(): string {
  const root = process.env.PULUMI_ROOT;
  if (!root || !existsSync(join(root, "bin", "pulumi"))) {
    throw new Error(
      "The Pulumi CLI is missing: run through `bash scripts/test.sh` or `npm run bench` (they build CLI v3.259.0 and set PULUMI_ROOT).",
    );
  }
  return root;
}

let project: string | undefined;

/** A scratch project with the packed package and @pulumi/pulumi installed (once per process). */
export function scratchProject(): string {
  if (!project) {
    const dir = scratchDir("engine-project");
    installPackedProject(dir, "cpp-engine-project");
    project = dir;
  }
  return project;
}

/** What a scratch project offers: its own copies of the SDK's automation and the package. */
export interface EngineKit {
  project: string;
  automation: typeof import("@pulumi/pulumi/automation");
  pulumi: typeof import("@pulumi/pulumi");
  cpp: typeof import("../../provider/index.js");
  /** Environment of every CLI run: file backend, passphrase secrets, no network, isolated home. */
  envVars: Record<string, string>;
  /** The file backend's folder (stacks' checkpoints live under `.pulumi/stacks/`). */
  stateDir: string;
  pulumiCommand: import("@pulumi/pulumi/automation").PulumiCommand;
}

/**
 * Prepares the CLI, the scratch project (or `project`, a folder where the packed package is
 * already installed) and an isolated backend.
 */
export async function engineKit(project = scratchProject()): Promise<EngineKit> {
  const root = pulumiRoot();
  const req = createRequire(join(project, "package.json"));
  const automation = req("@pulumi/pulumi/automation") as EngineKit["automation"];
  const pulumi = req("@pulumi/pulumi") as EngineKit["pulumi"];
  const cpp = req("pulumi-cloudpartner") as EngineKit["cpp"];
  isolateInlinePrograms(req);
  const stateDir = scratchDir("engine-state");
  const home = scratchDir("engine-home");
  const envVars = offlineEnv(stateDir, home, "engine-test-passphrase");
  const pulumiCommand = await automation.PulumiCommand.get({ root });
  return { project, automation, pulumi, cpp, envVars, stateDir, pulumiCommand };
}

/** The Pulumi project name of every inline stack made by {@link inlineStack}. */
export const INLINE_PROJECT = "cpp-engine";

/** Creates (or selects) an inline-program stack whose engine runs in the scratch project. */
export async function inlineStack(
  kit: EngineKit,
  stackName: string,
  program: () => Promise<Record<string, unknown> | void>,
) {
  return kit.automation.LocalWorkspace.createOrSelectStack(
    { stackName, projectName: INLINE_PROJECT, program },
    {
      pulumiCommand: kit.pulumiCommand,
      envVars: kit.envVars,
      workDir: scratchDir("engine-work"),
      projectSettings: { name: INLINE_PROJECT, runtime: "nodejs", main: kit.project } as any,
    },
  );
}

/** A stack made by {@link inlineStack}. */
export type InlineStack = Awaited<ReturnType<typeof inlineStack>>;
