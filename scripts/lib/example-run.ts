// SPDX-License-Identifier: Apache-2.0
/**
 * Runs a Pulumi project folder through the real engine against the emulator, the way
 * `pulumi preview/up/destroy` runs it: the project's `main` is the folder, so the
 * dynamic-provider process starts there and resolves `pulumi-cloudpartner` from the folder's own
 * node_modules. Used by scripts/example.sh (an example, in place), the demo (the root project)
 * and the engine tests (a copy of each example, and the repository root).
 *
 * The Node language host cannot be obtained offline (docs/internals/engine.md), so the Automation API
 * stands in for it: it loads the compiled program with `require`, exactly as the language host
 * loads a project's main, from the SDK copy installed in the folder.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { startEmulator } from "../../emulator/index.js";
import { emulatorConfig, offlineEnv, PULUMI_SDK_VERSION, TARBALL } from "./engine-project.js";
import { judgeOffer, parseExampleSpec, substitute, type ExampleSpec, type HeldOffer } from "./example-spec.js";
import { isolateInlinePrograms } from "./inline-program-channels.js";

/** Pulumi.yaml as the Automation API takes it (name and runtime required). */
export interface ProjectFile {
  name: string;
  runtime: unknown;
  main?: string;
  [key: string]: unknown;
}

/** Reads `dir/Pulumi.yaml`. */
export function readProject(dir: string): ProjectFile {
  const file = join(dir, "Pulumi.yaml");
  const project = parseYaml(readFileSync(file, "utf8")) as ProjectFile | null;
  if (!project || typeof project.name !== "string" || project.runtime === undefined) {
    throw new Error(`${file} must set name and runtime`);
  }
  return project;
}

/** Reads `dir/emulator.json` (an empty spec when the file is absent). */
export function readExampleSpec(dir: string): ExampleSpec {
  const file = join(dir, "emulator.json");
  return existsSync(file) ? parseExampleSpec(readFileSync(file, "utf8"), file) : {};
}

/**
 * Installs the packed package and the pinned SDK into an example folder as a user installs it
 * (`npm install --no-save <tgz>`: package.json is not rewritten, no lockfile is written). Skipped
 * when the tarball and package.json are unchanged since the last install.
 */
export function installExample(dir: string): void {
  if (!existsSync(TARBALL)) throw new Error(`No packed package at ${TARBALL}: run \`bash scripts/pack.sh\``);
  const hash = createHash("sha256")
    .update(readFileSync(TARBALL))
    .update(readFileSync(join(dir, "package.json")))
    .digest("hex")
    .slice(0, 16);
  const stamp = join(dir, "node_modules", ".cloudpartner-installed");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === hash) return;
  execFileSync(
    "npm",
    [
      "install",
      "--no-save",
      "--no-package-lock",
      "--no-audit",
      "--no-fund",
      "--loglevel=error",
      TARBALL,
      `@pulumi/pulumi@${PULUMI_SDK_VERSION}`,
    ],
    { cwd: dir, stdio: ["ignore", "ignore", "inherit"] },
  );
  writeFileSync(stamp, hash);
}

/** Compiles an example's index.ts with its own TypeScript and tsconfig.json; returns bin/index.js. */
export function compileExample(dir: string): string {
  const tsc = join(dir, "node_modules", "typescript", "bin", "tsc");
  execFileSync(process.execPath, [tsc, "-p", dir], { cwd: dir, stdio: ["ignore", "inherit", "inherit"] });
  return join(dir, "bin", "index.js");
}

/** What one run needs. */
export interface RunOptions {
  /** The project's `main`: the folder whose node_modules the dynamic-provider process uses. */
  projectDir: string;
  /** The compiled program, loaded as the language host loads main. */
  programFile: string;
  /** The project settings (Pulumi.yaml); `main` is replaced by `projectDir`. */
  project: ProjectFile;
  spec: ExampleSpec;
  stackName: string;
  /** File backend, PULUMI_HOME, and the Automation API's work folder (it writes Pulumi.yaml there). */
  stateDir: string;
  homeDir: string;
  workDir: string;
  /** The folder holding bin/pulumi. */
  pulumiRoot: string;
  /** Receives the engine's output; silent when absent. */
  onOutput?: (text: string) => void;
  /** Receives one line per step. */
  log?: (line: string) => void;
}

/** What a run measured and produced. */
export interface RunResult {
  /** Milliseconds per step: setup, preview, up, preview and refresh (no changes), destroy, total. */
  timings: Record<string, number>;
  outputs: Record<string, unknown>;
}

/**
 * Starts the emulator, applies the spec (seed, control calls, config), runs preview → up →
 * preview and refresh, both expecting no changes → destroy, and checks what the emulator holds after `up`
 * against `spec.expect`. Throws on the first failure; the emulator is always stopped.
 */
export async function runProject(o: RunOptions): Promise<RunResult> {
  const log = o.log ?? (() => undefined);
  const timings: Record<string, number> = {};
  const started = Date.now();
  const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    log(`${name} …`);
    const result = await fn();
    timings[name] = Date.now() - t;
    log(`${name}: ${(timings[name] / 1000).toFixed(1)} s`);
    return result;
  };
  const emulator = await startEmulator({ timeScale: 10_000_000, ...(o.spec.emulator ?? {}) });
  try {
    const { control: _control, close: _close, ...info } = emulator;
    const vars: Record<string, unknown> = { ...info };
    if (o.spec.seed) await emulator.control.seed(substitute(o.spec.seed, vars) as never);
    for (const call of o.spec.control ?? []) {
      const res = await fetch(`${emulator.controlUrl}${substitute(call.path, vars)}`, {
        method: call.method,
        headers: call.body === undefined ? {} : { "content-type": "application/json" },
        body: call.body === undefined ? undefined : JSON.stringify(substitute(call.body, vars)),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`emulator.json control ${call.method} ${call.path}: HTTP ${res.status} ${text}`);
      if (call.as) vars[call.as] = text ? JSON.parse(text) : null;
    }

    const sdk = createRequire(join(o.projectDir, "package.json"));
    const automation = sdk("@pulumi/pulumi/automation") as typeof import("@pulumi/pulumi/automation");
    isolateInlinePrograms(sdk);
    const load = createRequire(o.programFile);
    const program = async () => {
      // Each engine run evaluates the program afresh, as each `pulumi` command does.
      delete load.cache[o.programFile];
      return load(o.programFile) as Record<string, unknown>;
    };
    const stack = await step("setup", async () => {
      const pulumiCommand = await automation.PulumiCommand.get({ root: o.pulumiRoot });
      const { main: _main, ...settings } = o.project;
      const s = await automation.LocalWorkspace.createOrSelectStack(
        { stackName: o.stackName, projectName: o.project.name, program },
        {
          pulumiCommand,
          workDir: o.workDir,
          projectSettings: { ...settings, main: o.projectDir } as never,
          envVars: offlineEnv(o.stateDir, o.homeDir, "example-passphrase"),
        },
      );
      const config = emulatorConfig(info, {
        "cloudpartner:pollMinIntervalSeconds": "0.05",
        "cloudpartner:pollMaxIntervalSeconds": "0.5",
      });
      for (const [k, v] of Object.entries(substitute(o.spec.config ?? {}, vars))) config[k] = { value: v };
      for (const [k, v] of Object.entries(substitute(o.spec.secretConfig ?? {}, vars)))
        config[k] = { value: v, secret: true };
      await s.setAllConfig(config);
      return s;
    });
    const onOutput = o.onOutput ?? (() => undefined);
    let up: Awaited<ReturnType<typeof stack.up>> | undefined;
    try {
      await step("preview", () => stack.preview({ onOutput, diff: true }));
      up = await step("up", () => stack.up({ onOutput }));
      // The program asks for nothing more, and what was applied reads back unchanged. (A preview
      // after the refresh would republish while OfferPublish's trigger is the Offer's ETag, which
      // the publish itself changes: publishing that follows content fingerprints removes that.)
      await step("preview (no changes)", () => stack.preview({ onOutput, expectNoChanges: true }));
      await step("refresh (no changes)", () => stack.refresh({ onOutput, expectNoChanges: true }));
      const failures: string[] = [];
      for (const offer of o.spec.expect?.offers ?? []) {
        const held = await emulator.control.offer(offer.publisherId, offer.offerId).then(
          (x) => x as unknown as HeldOffer,
          () => undefined,
        );
        failures.push(...judgeOffer(offer, held));
      }
      if (failures.length > 0)
        throw new Error(`the emulator does not hold what emulator.json expects:\n  ${failures.join("\n  ")}`);
      log(`the emulator holds what emulator.json expects (${o.spec.expect?.offers?.length ?? 0} offers)`);
    } finally {
      // Destroy even after a failure, so a rerun starts from an empty stack.
      await step("destroy", () => stack.destroy({ onOutput })).catch((e: Error) => {
        if (up) throw e;
      });
    }
    timings.total = Date.now() - started;
    const outputs = Object.fromEntries(
      Object.entries(up!.outputs).map(([k, v]) => [k, v.secret ? "[secret]" : v.value]),
    );
    return { timings, outputs };
  } finally {
    await emulator.close();
  }
}
