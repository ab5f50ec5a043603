// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { cpSync, existsSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { REPO } from "../../scripts/lib/engine-project.js";
import {
  compileExample,
  installExample,
  readExampleSpec,
  readProject,
  runProject,
} from "../../scripts/lib/example-run.js";
import { pulumiRoot } from "../helpers/engine.js";
import { scratchDir } from "../helpers/scratch.js";

/** Every example project: each folder of examples/ with a Pulumi.yaml. */
const examples = readdirSync(join(REPO, "examples"))
  .filter((d) => existsSync(join(REPO, "examples", d, "Pulumi.yaml")))
  .sort();

/**
 * Each example as a user runs it (examples/README.md): its folder copied elsewhere (without any
 * node_modules or build output), the packed package installed into it with npm, index.ts
 * compiled with the example's own TypeScript and tsconfig.json, and preview → up → refresh and
 * preview without changes → destroy through the real engine with the copy as project directory, against
 * the emulator set up by its emulator.json, whose `expect` is checked against what the emulator
 * holds. The same runner as `bash scripts/example.sh NAME`, on a copy, so tests never write into
 * the repository.
 */
describe("engine: every example project runs offline against the emulator", function () {
  this.timeout(600_000);

  it("the examples are the documented ones", () => {
    expect(examples).to.include.members(["vm-offer", "adopt-existing"]);
  });

  for (const name of examples) {
    it(`examples/${name}: preview, up, preview and refresh without changes, destroy`, async function () {
      const dir = join(scratchDir(`example-${name}`), name);
      cpSync(join(REPO, "examples", name), dir, {
        recursive: true,
        filter: (src) => !["node_modules", "bin", "package-lock.json"].includes(basename(src)),
      });
      const t0 = Date.now();
      installExample(dir);
      const programFile = compileExample(dir);
      const prepared = Date.now() - t0;
      let printed = "";
      const result = await runProject({
        onOutput: (text) => (printed += text),
        projectDir: dir,
        programFile,
        project: readProject(dir),
        spec: readExampleSpec(dir),
        stackName: "example",
        stateDir: scratchDir(`example-${name}-state`),
        homeDir: scratchDir(`example-${name}-home`),
        workDir: scratchDir(`example-${name}-work`),
        pulumiRoot: pulumiRoot(),
      });
      const s = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
      // The time of each example, for the README's Examples list.
      this.test!.title += ` [install+compile ${s(prepared)}, ${Object.entries(result.timings)
        .map(([k, v]) => `${k} ${s(v)}`)
        .join(", ")}]`;
      expect(result.timings.up).to.be.a("number");
      expectEveryOutputShown(printed);
    });
  }

  it("examples/vm-offer on the Product Ingestion API: the same program with cloudpartner:api productIngestion", async () => {
    const name = "vm-offer";
    const dir = join(scratchDir(`example-${name}-pia`), name);
    cpSync(join(REPO, "examples", name), dir, {
      recursive: true,
      filter: (src) => !["node_modules", "bin", "package-lock.json"].includes(basename(src)),
    });
    installExample(dir);
    const programFile = compileExample(dir);
    const spec = readExampleSpec(dir);
    spec.config = {
      ...spec.config,
      "cloudpartner:api": "productIngestion",
      "cloudpartner:productIngestionEndpoint": "${productIngestionUrl}",
    };
    let printed = "";
    const result = await runProject({
      onOutput: (text) => (printed += text),
      projectDir: dir,
      programFile,
      project: readProject(dir),
      spec,
      stackName: "example-pia",
      stateDir: scratchDir(`example-${name}-pia-state`),
      homeDir: scratchDir(`example-${name}-pia-home`),
      workDir: scratchDir(`example-${name}-pia-work`),
      pulumiRoot: pulumiRoot(),
    });
    expect(result.outputs.publishPhase).to.equal("waitingForSignoff");
    expectEveryOutputShown(printed);
  });
});

/**
 * No stack output the example declares is left out: the SDK warns of each top-level output
 * whose value is undefined (an output the chosen API does not have), on every run.
 */
function expectEveryOutputShown(printed: string): void {
  expect(printed).to.include("Outputs:");
  const left = [...printed.matchAll(/Undefined value \((\w+)\) will not show as a stack output/g)].map((m) => m[1]);
  expect([...new Set(left)], "outputs the SDK warned of as undefined").to.deep.equal([]);
}
