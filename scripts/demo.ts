// SPDX-License-Identifier: Apache-2.0
/**
 * The demo driver (run by scripts/demo.sh): starts the emulator and runs the root Pulumi.yaml
 * project (the VM offer example) in place, as `pulumi up` in the repository root runs it after
 * `npm install` — the project directory is the repository root, so the dynamic-provider process
 * resolves the package from the root's node_modules — through the real Pulumi engine: preview,
 * up, a changed offer field with a property-level preview, refresh; then says where everything is.
 *
 * The Node language host cannot be built offline (docs/internals/engine.md), so the Automation API stands
 * in for it: the root's `main` is loaded with require, as the language host loads it.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { emulatorConfig, offlineEnv, REPO } from "./lib/engine-project.js";
import { isolateInlinePrograms } from "./lib/inline-program-channels.js";

const STATE = join(REPO, ".state");

interface EmulatorInfo {
  apiUrl: string;
  productIngestionUrl: string;
  authorityUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  publisherId: string;
  controlUrl: string;
}

function banner(text: string): void {
  process.stdout.write(`\n\x1b[1m=== ${text}\x1b[0m\n`);
}

/** The root Pulumi.yaml's name and main (a tiny reader: two top-level scalar keys). */
function rootProject(): { name: string; main: string } {
  const yaml = readFileSync(join(REPO, "Pulumi.yaml"), "utf8");
  const get = (key: string) => new RegExp(`^${key}:\\s*(\\S+)`, "m").exec(yaml)?.[1];
  return { name: get("name") ?? "cloudpartner-vm-offer", main: get("main") ?? "dist/examples/vm-offer/index.js" };
}

async function startEmulator(): Promise<{ child: ChildProcess; info: EmulatorInfo }> {
  const child = spawn(
    process.execPath,
    [
      join(REPO, "dist", "emulator", "cli.js"),
      "--port",
      "0",
      "--time-scale",
      "5000000",
      "--state",
      join(STATE, "emulator.json"),
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const line = await new Promise<string>((ok, fail) => {
    const rl = createInterface({ input: child.stdout! });
    rl.once("line", ok);
    child.once("exit", (code) => fail(new Error(`the emulator exited with code ${code}`)));
  });
  return { child, info: JSON.parse(line) as EmulatorInfo };
}

/** `--api productIngestion` runs the demo on the Product Ingestion API (default: `cpp`). */
function apiArgument(argv: string[]): "cpp" | "productIngestion" {
  const i = argv.indexOf("--api");
  const value = i >= 0 ? argv[i + 1] : "cpp";
  if (value !== "cpp" && value !== "productIngestion") {
    throw new Error(`--api must be "cpp" or "productIngestion"; got ${JSON.stringify(value)}`);
  }
  return value;
}

async function main(): Promise<void> {
  const api = apiArgument(process.argv.slice(2));
  const root = process.env.PULUMI_ROOT;
  if (!root) throw new Error("PULUMI_ROOT is not set: run the demo with `bash scripts/demo.sh`");
  // A fresh run each time: the previous run's state and emulator data are replaced.
  for (const p of ["backend", "emulator.json", "pulumi-home", "demo-work", "demo-project"]) {
    rmSync(join(STATE, p), { recursive: true, force: true });
  }
  for (const p of ["backend", "demo-work"]) mkdirSync(join(STATE, p), { recursive: true });
  const { name, main: programMain } = rootProject();
  const project = REPO;

  banner(
    `Starting the emulator (the resources use the ${api === "cpp" ? "Cloud Partner Portal" : "Product Ingestion"} API)`,
  );
  const { child, info } = await startEmulator();
  const apiUrl = api === "cpp" ? info.apiUrl : info.productIngestionUrl;
  process.stdout.write(`API ${apiUrl}  Azure AD ${info.authorityUrl}  publisher ${info.publisherId}\n`);

  try {
    // The SDK of the root's node_modules, which the program itself uses.
    const req = createRequire(join(project, "package.json"));
    const automation = req("@pulumi/pulumi/automation") as typeof import("@pulumi/pulumi/automation");
    isolateInlinePrograms(req);
    const programFile = join(project, programMain);
    // Each engine run re-evaluates the program, as `pulumi up` would.
    const program = async () => {
      delete req.cache[programFile];
      return req(programFile) as Record<string, unknown>;
    };
    const pulumiCommand = await automation.PulumiCommand.get({ root });
    const stack = await automation.LocalWorkspace.createOrSelectStack(
      { stackName: "demo", projectName: name, program },
      {
        pulumiCommand,
        // The Automation API writes Pulumi.yaml into its work folder: one under .state/, with
        // main = the repository root (the root Pulumi.yaml is never rewritten).
        workDir: join(STATE, "demo-work"),
        projectSettings: { name, runtime: "nodejs", main: project } as any,
        envVars: offlineEnv(
          join(STATE, "backend"),
          join(STATE, "pulumi-home"),
          process.env.PULUMI_CONFIG_PASSPHRASE ?? "demo-passphrase",
        ),
      },
    );
    await stack.setAllConfig(
      emulatorConfig(info, {
        "cloudpartner:pollMinIntervalSeconds": "0.2",
        "cloudpartner:pollMaxIntervalSeconds": "2",
        ...(api === "productIngestion"
          ? { "cloudpartner:api": api, "cloudpartner:productIngestionEndpoint": info.productIngestionUrl }
          : {}),
        "vm-offer:publisherId": info.publisherId,
        "vm-offer:summary": "A hardened network appliance image",
      }),
    );
    const out = (s: string) => process.stdout.write(s);

    banner("pulumi preview — what a pull request would show");
    await stack.preview({ onOutput: out });
    banner("pulumi up — create the offer, price both plans, publish to preview and wait");
    const up = await stack.up({ onOutput: out });
    banner("Change one offer field (vm-offer:summary) and preview it");
    await stack.setConfig("vm-offer:summary", { value: "A hardened, audited network appliance image" });
    await stack.preview({ onOutput: out, diff: true });
    banner(
      api === "cpp"
        ? "pulumi up — write the change with If-Match and republish"
        : "pulumi up — read, compare, write the change in one configure job, read back, and republish",
    );
    await stack.up({ onOutput: out });
    banner("pulumi refresh — compare state with the service");
    await stack.refresh({ onOutput: out });
    banner("pulumi up --refresh — nothing changed: publishing follows content, so nothing is published");
    await stack.up({ onOutput: out, refresh: true });
    const operations = (await (await fetch(`${info.controlUrl}/operations`)).json()) as Array<{ type: string }>;
    const publishes = operations.filter((o) => o.type === "publish").length;

    const control = `${info.controlUrl}`;
    banner("Summary");
    process.stdout.write(
      [
        `offer ${up.outputs.offerName?.value}: ${up.outputs.offerPublishingStatus?.value} (publish operation: ${up.outputs.publishStatus?.value})`,
        `publish operations on the service: ${publishes} (one per content change: the first up and the summary change)`,
        `Pulumi state (file backend):   ${join(STATE, "backend")}  (passphrase: PULUMI_CONFIG_PASSPHRASE or "demo-passphrase")`,
        `Project (the root Pulumi.yaml): ${project}  (main: ${programMain})`,
        `Emulator data:                 ${join(STATE, "emulator.json")} (serve it again: node dist/emulator/cli.js --state .state/emulator.json)`,
        `While running, the emulator's control API was at ${control} (GET /requests, /operations, /offers/<pub>/<offer>).`,
        `Everything lives under .state/ (git-ignored); delete it to clean up. The next demo run starts afresh.`,
        "",
      ].join("\n"),
    );
  } finally {
    child.kill("SIGTERM");
  }
}

main().catch((e) => {
  process.stderr.write(`demo failed: ${(e as Error).message}\n`);
  process.exit(1);
});
