// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { startEmulator } from "../../emulator/index.js";
import { piaToDefinition } from "../../provider/pia-offer/index.js";
import { REPO } from "../../scripts/lib/engine-project.js";
import { emulatedWaits, piaClient } from "../helpers/pia-client.js";
import { sampleDefinition } from "../helpers/offers.js";
import { scratchDir } from "../helpers/scratch.js";

type Emulator = Awaited<ReturnType<typeof startEmulator>>;
const CLI = join(REPO, "dist", "provider", "export", "cli.js");

function exportCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { env: { PATH: process.env.PATH ?? "", ...env } },
      (err, stdout, stderr) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** `cloudpartner-export --api productIngestion`: the offers read through PIA, a program that uses PIA. */
describe("cloudpartner-export on the Product Ingestion API", function () {
  this.timeout(120_000);
  let emulator: Emulator;
  let env: Record<string, string>;

  before(async () => {
    emulator = await startEmulator({});
    await emulator.control.seed({
      offers: [
        {
          publisherId: "contoso",
          offer: {
            id: "pia-exported",
            publisherId: "contoso",
            offerTypeId: "microsoft-azure-virtualmachines",
            definition: sampleDefinition({ pricedPlans: true, summary: "Read through PIA" }),
          },
        },
      ],
    });
    env = {
      AZURE_TENANT_ID: emulator.tenantId,
      AZURE_CLIENT_ID: emulator.clientId,
      AZURE_CLIENT_SECRET: emulator.clientSecret,
      AZURE_AUTHORITY_HOST: emulator.authorityUrl,
      CLOUDPARTNER_PRODUCT_INGESTION_ENDPOINT: emulator.productIngestionUrl,
    };
  });
  after(() => emulator?.close());

  it("--help names --api", async () => {
    const r = await exportCli(["--help"], env);
    expect(r.stdout + r.stderr)
      .to.contain("--api A")
      .and.contain("productIngestion");
  });

  it("exports what PIA reads, only through PIA, and the program's README sets cloudpartner:api", async () => {
    const since = (await emulator.control.requests()).reduce((m, r) => Math.max(m, r.seq), 0);
    const out = join(scratchDir("export-pia"), "project");
    const r = await exportCli(["--publisher", "contoso", "--api", "productIngestion", "--out", out], env);
    expect(r.code, r.stderr).to.equal(0);
    const log = (await emulator.control.requests()).filter((q) => q.seq > since);
    expect(
      log.filter((q) => q.kind === "api"),
      "no CPP request",
    ).to.deep.equal([]);
    expect(log.filter((q) => q.kind === "pia").length).to.be.greaterThan(0);
    const index = readFileSync(join(out, "index.ts"), "utf8");
    const readme = readFileSync(join(out, "README.md"), "utf8");
    expect(readme).to.contain("pulumi config set cloudpartner:api productIngestion");
    // The oracle: the definition PIA holds, as the provider's translation reads it.
    const reader = piaClient(emulator, emulatedWaits());
    const product = await reader.findProduct("pia-exported");
    const tree = await reader.getResourceTree(product!.id!);
    const read = piaToDefinition(tree, { offerTypeId: "microsoft-azure-virtualmachines" }).definition;
    expect(index).to.contain('"Read through PIA"').and.contain("adopt: true");
    for (const planId of read.plans.map((p) => p.planId)) expect(index).to.contain(`planId: "${planId}"`);
    expect(index).to.not.contain("offerMarketingUrlIdentifier");
  });

  it("CLOUDPARTNER_API=productIngestion chooses PIA too; a bad --api is a usage error", async () => {
    const out = join(scratchDir("export-pia-env"), "project");
    const r = await exportCli(["--publisher", "contoso", "--out", out], {
      ...env,
      CLOUDPARTNER_API: "productIngestion",
    });
    expect(r.code, r.stderr).to.equal(0);
    const bad = await exportCli(["--publisher", "contoso", "--api", "graph"], env);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain("--api takes cpp or productIngestion");
  });
});
