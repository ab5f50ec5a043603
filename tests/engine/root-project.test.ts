// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { join } from "node:path";
import { REPO } from "../../scripts/lib/engine-project.js";
import { readExampleSpec, readProject, runProject } from "../../scripts/lib/example-run.js";
import { pulumiRoot } from "../helpers/engine.js";
import { scratchDir } from "../helpers/scratch.js";

/**
 * The root Pulumi.yaml as a user with a regular Pulumi installation runs it after `npm install`
 * in a clone: `pulumi preview/up/refresh/destroy` in the repository root. The project directory (main) is
 * the repository root, so the dynamic-provider process starts there and must resolve
 * `require("pulumi-cloudpartner/handlers")` from the root's node_modules; the program is the
 * root's `main`, loaded with require as the language host loads it, with the SDK of the root's
 * node_modules. Only the Automation API's work folder (where it writes Pulumi.yaml) is elsewhere.
 */
describe("engine: the root Pulumi.yaml with the repository root as project directory", function () {
  this.timeout(300_000);

  it("the root Pulumi.yaml works with plain pulumi preview/up/refresh/destroy", async () => {
    const project = readProject(REPO);
    expect(project.main, "the root Pulumi.yaml names its program").to.be.a("string");
    const result = await runProject({
      projectDir: REPO,
      programFile: join(REPO, project.main!),
      project,
      // The root runs the vm-offer example: the same seed, config and expectations.
      spec: readExampleSpec(join(REPO, "examples", "vm-offer")),
      stackName: "root",
      stateDir: scratchDir("root-state"),
      homeDir: scratchDir("root-home"),
      workDir: scratchDir("root-work"),
      pulumiRoot: pulumiRoot(),
    });
    expect(result.outputs.offerName).to.equal("contoso-appliance");
    expect(result.outputs.offerPublishingStatus).to.be.a("string");
  });
});
