// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { execFile } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import ts from "typescript";
import { startEmulator } from "../../emulator/index.js";
import { FAST_TIME_SCALE } from "../../emulator/modes.js";
import { REPO } from "../../scripts/lib/engine-project.js";
import { tsBlocks } from "../helpers/markdown.js";
import { sampleDefinition } from "../helpers/offers.js";
import { scratchDir } from "../helpers/scratch.js";

const run = promisify(execFile);
const SAS = "https://fab.blob.core.windows.net/vhd/build-42.vhd?sp=rl&sig=planted-doc-signature";

/**
 * The example of docs/reference/pia-client.md runs as written, as a user runs it: compiled from
 * the page, in its own node process, with the package resolved by its name and only the
 * environment variables the page names pointing it at the emulator. What the emulator holds
 * afterwards is the proof.
 */
describe("docs/reference/pia-client.md: the example runs against the emulator", function () {
  this.timeout(60_000);

  it("adds the build's image version to the plan through PIA: the CPP Draft holds it, the other versions stay, no secret is printed", async () => {
    // Fast: the configure job completes within the client's first poll interval.
    const e = await startEmulator({ timeScale: FAST_TIME_SCALE });
    try {
      await e.control.seed({
        offers: [
          {
            publisherId: "contoso",
            offer: {
              id: "contoso-appliance",
              offerTypeId: "microsoft-azure-virtualmachines",
              definition: sampleDefinition({ pricedPlans: true }),
            },
          },
        ],
      });
      const [block] = tsBlocks(readFileSync(join(REPO, "docs", "reference", "pia-client.md"), "utf8"));
      expect(block.code).to.include('from "pulumi-cloudpartner/pia"');
      const js = ts.transpileModule(block.code, {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      const file = join(scratchDir("pia-doc"), "add-image.js");
      writeFileSync(file, js);
      const { stdout, stderr } = await run(process.execPath, [file], {
        env: {
          PATH: process.env.PATH ?? "",
          // The package by its name, as a user's project resolves it.
          NODE_PATH: join(REPO, "node_modules"),
          AZURE_TENANT_ID: e.tenantId,
          AZURE_CLIENT_ID: e.clientId,
          AZURE_CLIENT_SECRET: e.clientSecret,
          AZURE_AUTHORITY_HOST: e.authorityUrl,
          PIA_ENDPOINT: e.productIngestionUrl,
          IMAGE_VERSION: "1.0.1",
          OS_DISK_SAS_URI: SAS,
        },
      });
      expect(stderr).to.equal("");
      expect(stdout).to.match(/^contoso-appliance\/byol 1\.0\.1: job [0-9a-f-]{36} succeeded\n$/);
      const held = (await e.control.offer("contoso", "contoso-appliance")).draft;
      const byol = held.definition.plans.find((p: { planId: string }) => p.planId === "byol");
      expect(Object.keys(byol["microsoft-azure-virtualmachines.vmImages"])).to.deep.equal(["1.0.0", "1.0.1"]);
      expect(byol["microsoft-azure-virtualmachines.vmImages"]["1.0.1"].osVhdUrl).to.equal(SAS);
      const payg = held.definition.plans.find((p: { planId: string }) => p.planId === "payg");
      expect(Object.keys(payg["microsoft-azure-virtualmachines.vmImages"]), "other plans untouched").to.deep.equal([
        "1.0.0",
      ]);
      expect(stdout + stderr).to.not.include("planted-doc-signature");
      expect((await e.control.requests()).filter((r) => r.kind === "pia" && r.method === "POST")).to.have.length(1);
    } finally {
      await e.close();
    }
  });
});
