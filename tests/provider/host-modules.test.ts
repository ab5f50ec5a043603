// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { REPO } from "../../scripts/lib/engine-project.js";

/**
 * The dynamic-provider host loads only what the resources' operations need: its every method
 * loads `handlers/index.js`, and that must not bring in the export command, the emulator, the
 * emulator's JSON Schema validator, the Automation API or the compiler (each is memory in a
 * process that serves every resource of the stack).
 */
describe("provider: what the provider host loads", function () {
  this.timeout(30_000);
  const dist = join(REPO, "dist");
  const unwanted = [
    join(dist, "provider", "export") + "/",
    join(dist, "emulator") + "/",
    "/node_modules/ajv/",
    "/node_modules/typescript/",
    "/node_modules/@pulumi/pulumi/automation/",
  ];

  /** The modules a fresh Node process holds after requiring `modules`, among the unwanted ones. */
  const unwantedAfter = (modules: string[]): string[] => {
    const script =
      `for (const m of ${JSON.stringify(modules)}) require(m);` +
      `const unwanted = ${JSON.stringify(unwanted)};` +
      "console.log(JSON.stringify(Object.keys(require.cache).filter((k) => unwanted.some((u) => k.includes(u)))))";
    return JSON.parse(execFileSync(process.execPath, ["-e", script], { cwd: REPO, encoding: "utf8" })) as string[];
  };

  it("the handlers load neither the export command, the emulator, ajv, the Automation API nor typescript", () => {
    const handlers = join(dist, "provider", "handlers", "index.js");
    const dynamic = ["offer", "offer-publish", "vm-pricing", "vm-image-version"].map((k) =>
      join(dist, "provider", "dynamic", `${k}.js`),
    );
    expect(unwantedAfter([handlers, ...dynamic])).to.deep.equal([]);
  });

  it("the check can fail: it names the export command and the emulator when they are loaded", () => {
    const loaded = unwantedAfter([join(dist, "provider", "export", "run.js"), join(dist, "emulator", "index.js")]);
    expect(loaded.some((k) => k.includes("/provider/export/"))).to.equal(true);
    expect(loaded.some((k) => k.includes("/emulator/"))).to.equal(true);
    expect(loaded.some((k) => k.includes("/node_modules/ajv/"))).to.equal(true);
  });
});
