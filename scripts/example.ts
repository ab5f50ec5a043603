// SPDX-License-Identifier: Apache-2.0
/**
 * `bash scripts/example.sh NAME`: runs examples/NAME offline against the emulator through the
 * real Pulumi engine, in place — the packed package installed into the example's own
 * node_modules, index.ts compiled with its own tsconfig.json, the project's main = the example
 * folder — then prints the time of each step (examples/README.md says what happens).
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "./lib/engine-project.js";
import { compileExample, installExample, readExampleSpec, readProject, runProject } from "./lib/example-run.js";

function examples(): string[] {
  return readdirSync(join(REPO, "examples"))
    .filter((d) => existsSync(join(REPO, "examples", d, "Pulumi.yaml")))
    .sort();
}

async function main(): Promise<void> {
  const name = process.argv[2];
  const root = process.env.PULUMI_ROOT;
  if (!root) throw new Error("PULUMI_ROOT is not set: run `bash scripts/example.sh NAME`");
  if (!name || !examples().includes(name)) {
    throw new Error(`usage: bash scripts/example.sh NAME, where NAME is one of: ${examples().join(", ")}`);
  }
  const dir = join(REPO, "examples", name);
  const state = join(REPO, ".state", "examples", name);
  // A fresh run each time: the previous run's state is replaced.
  rmSync(state, { recursive: true, force: true });
  for (const d of ["backend", "home", "work"]) mkdirSync(join(state, d), { recursive: true });
  const say = (line: string) => process.stdout.write(`[example ${name}] ${line}\n`);
  const t0 = Date.now();
  say(`installing the packed package into examples/${name}/node_modules (npm install --no-save)`);
  installExample(dir);
  say("compiling index.ts (the example's tsconfig.json → bin/)");
  const programFile = compileExample(dir);
  const prepared = Date.now() - t0;
  const result = await runProject({
    projectDir: dir,
    programFile,
    project: readProject(dir),
    spec: readExampleSpec(dir),
    stackName: "example",
    stateDir: join(state, "backend"),
    homeDir: join(state, "home"),
    workDir: join(state, "work"),
    pulumiRoot: root,
    onOutput: (s) => process.stdout.write(s),
    log: say,
  });
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  say(`outputs: ${JSON.stringify(result.outputs)}`);
  say(
    `install + compile ${s(prepared)}; ${Object.entries(result.timings)
      .map(([k, v]) => `${k} ${s(v)}`)
      .join("; ")}`,
  );
  say(`passed in ${s(Date.now() - t0)} (Pulumi state: .state/examples/${name}/backend)`);
}

main().catch((e) => {
  process.stderr.write(`example failed: ${(e as Error).message}\n`);
  process.exit(1);
});
