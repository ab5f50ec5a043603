// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import ts from "typescript";
import { IMAGE_KEYS, PRICING_KEYS } from "../../provider/offer/document.js";
import { piaToDefinition, PRODUCT_TYPES } from "../../provider/pia-offer/index.js";
import { REPO } from "../../scripts/lib/engine-project.js";
import { exportSeedOffers } from "../helpers/export-offers.js";
import { emulatedWaits, piaClient } from "../helpers/pia-client.js";
import { sampleDefinition } from "../helpers/offers.js";
import { captureConsole, startProviderEnv, type ProviderEnv } from "../helpers/provider-env.js";
import { scratchDir } from "../helpers/scratch.js";

const PUB = "contoso";
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

/** A resource the generated index.ts declares: its class and its arguments. */
interface Declared {
  kind: "Offer" | "VmPricing" | "VmImageVersion" | "OfferPublish";
  name: string;
  args: Record<string, any>;
}

/**
 * Runs a generated index.ts with stand-ins for Pulumi and this package, recording each resource
 * it declares: the project as written, compared by value rather than by its text.
 */
function declaredResources(indexTs: string): Declared[] {
  const js = ts.transpileModule(indexTs, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const declared: Declared[] = [];
  const resource = (kind: Declared["kind"]) =>
    class {
      constructor(name: string, args: Record<string, any>) {
        declared.push({ kind, name, args });
        Object.assign(this, args);
      }
    };
  const modules: Record<string, unknown> = {
    "@pulumi/pulumi": {
      Config: class {
        requireSecret = (key: string) => `<secret ${key}>`;
        require = (key: string) => `<config ${key}>`;
        get = () => undefined;
      },
    },
    "pulumi-cloudpartner": {
      Offer: resource("Offer"),
      VmPricing: resource("VmPricing"),
      VmImageVersion: resource("VmImageVersion"),
      OfferPublish: resource("OfferPublish"),
    },
  };
  const load = (name: string) => {
    if (!(name in modules)) throw new Error(`index.ts requires ${name}`);
    return modules[name];
  };
  const module = { exports: {} };
  new Function("require", "module", "exports", js)(load, module, module.exports);
  return declared;
}

/** A plain deep copy. */
const copy = <T>(v: T): T => JSON.parse(JSON.stringify(v));

/** Deletes the value at a `secrets` path (`offer/<key>/<field>`, `plans/<planId>/<key>/…`) of a definition. */
function dropPath(definition: any, path: string): void {
  const [root, ...rest] = path.split("/");
  let at = root === "plans" ? definition.plans.find((p: any) => p.planId === rest.shift()) : definition[root];
  for (const key of rest.slice(0, -1)) at = at?.[key];
  if (at) delete at[rest[rest.length - 1]];
}

/**
 * `cloudpartner-export --api productIngestion`: the offers read through PIA, and a project that
 * uses PIA and takes them over without a write there.
 */
describe("cloudpartner-export on the Product Ingestion API", function () {
  this.timeout(120_000);
  let env: ProviderEnv;
  let cliEnv: Record<string, string>;
  let out: string;
  let exported: { code: number; stdout: string; stderr: string };
  let seeded: string[];

  before(async () => {
    // The provider configured for PIA, for the adoption check; the CLI reads the environment.
    env = await startProviderEnv({ config: { "cloudpartner:api": "productIngestion" } });
    const offers = [
      ...exportSeedOffers(),
      {
        publisherId: PUB,
        offer: {
          id: "pia-exported",
          publisherId: PUB,
          offerTypeId: "microsoft-azure-virtualmachines",
          definition: sampleDefinition({ pricedPlans: true, summary: "Read through PIA" }),
        },
      },
    ];
    await env.emulator.control.seed({ offers });
    seeded = offers.map((o) => o.offer.id as string).sort();
    const e = env.emulator;
    cliEnv = {
      AZURE_TENANT_ID: e.tenantId,
      AZURE_CLIENT_ID: e.clientId,
      AZURE_CLIENT_SECRET: e.clientSecret,
      AZURE_AUTHORITY_HOST: e.authorityUrl,
      CLOUDPARTNER_PRODUCT_INGESTION_ENDPOINT: e.productIngestionUrl,
    };
    await env.clearLog();
    out = join(scratchDir("export-pia"), "project");
    exported = await exportCli(["--publisher", PUB, "--api", "productIngestion", "--out", out], cliEnv);
  });
  after(() => env?.close());

  it("--help names --api and the Product Ingestion API's endpoint variable", async () => {
    const r = await exportCli(["--help"], {});
    expect(r.code).to.equal(0);
    expect(r.stdout)
      .to.contain("--api A")
      .and.contain("productIngestion")
      .and.contain("CLOUDPARTNER_API")
      .and.contain("CLOUDPARTNER_PRODUCT_INGESTION_ENDPOINT");
  });

  it("reads through PIA only (GETs), and Pulumi.yaml sets cloudpartner:api for every stack", async () => {
    expect(exported.code, exported.stderr).to.equal(0);
    expect(await env.requests(), "no CPP request").to.deep.equal([]);
    const pia = await env.requests({ kinds: ["pia"] });
    expect(pia.length).to.be.greaterThan(0);
    expect([...new Set(pia.map((r) => r.method))]).to.deep.equal(["GET"]);
    expect(readFileSync(join(out, "Pulumi.yaml"), "utf8")).to.contain(
      "config:\n  cloudpartner:api: productIngestion\n",
    );
    expect(readFileSync(join(out, "README.md"), "utf8")).to.contain("Pulumi.yaml sets cloudpartner:api");
    expect(exported.stdout).to.contain(`offers: ${seeded.length}`);
  });

  it("each Offer's definition is what piaToDefinition reads, less what its VmPricing, VmImageVersion own", async () => {
    const declared = declaredResources(readFileSync(join(out, "index.ts"), "utf8"));
    const offers = declared.filter((d) => d.kind === "Offer");
    expect(offers.map((o) => o.args.offerId).sort()).to.deep.equal(seeded);
    const reader = piaClient(env.emulator, emulatedWaits());
    for (const offer of offers) {
      const { offerId, offerTypeId } = offer.args;
      const product = await reader.findProduct(offerId);
      expect(product?.type, offerId).to.equal(PRODUCT_TYPES[offerTypeId as keyof typeof PRODUCT_TYPES]);
      const read = piaToDefinition(await reader.getResourceTree(product!.id!), { offerTypeId });
      // What the project gives the other resources, found in the project itself.
      const expected = copy(read.definition) as any;
      const owned = (kind: Declared["kind"]) =>
        new Set(declared.filter((d) => d.kind === kind && d.args.offerId === offerId).map((d) => d.args.planId));
      const pricingOwned = owned("VmPricing");
      const imagesOwned = owned("VmImageVersion");
      for (const plan of expected.plans) {
        if (pricingOwned.has(plan.planId)) for (const k of PRICING_KEYS) delete plan[k];
        if (imagesOwned.has(plan.planId)) for (const k of IMAGE_KEYS) delete plan[k];
      }
      for (const path of Object.keys(offer.args.secrets ?? {})) dropPath(expected, path);
      expect(offer.args.adopt, offerId).to.equal(true);
      expect(copy(offer.args.definition), offerId).to.deep.equal(expected);
    }
    const sample = offers.find((o) => o.args.offerId === "pia-exported")!;
    expect(sample.args.definition.offer["microsoft-azure-marketplace.summary"]).to.equal("Read through PIA");
    expect(declared.filter((d) => d.kind === "VmPricing").length).to.be.greaterThan(0);
    expect(declared.filter((d) => d.kind === "VmImageVersion").length).to.be.greaterThan(0);
  });

  it("the project's resources, applied on PIA, adopt every offer without a configure job", async () => {
    const declared = declaredResources(readFileSync(join(out, "index.ts"), "utf8"));
    // An offer with secret fields is written once by design (secrets cannot be compared).
    const withSecrets = new Set(
      declared.filter((d) => d.kind === "Offer" && d.args.secrets).map((d) => d.args.offerId),
    );
    expect(withSecrets.size, "the seed has an offer with a lead secret").to.equal(1);
    const kinds = { Offer: "offer", VmPricing: "vmPricing", VmImageVersion: "vmImageVersion" } as const;
    await env.clearLog();
    let applied = 0;
    for (const d of declared) {
      if (d.kind === "OfferPublish" || withSecrets.has(d.args.offerId)) continue;
      const handler = env.provider(kinds[d.kind]);
      const checked = await handler.check({}, d.args);
      expect(checked.failures ?? [], d.name).to.deep.equal([]);
      const run = await captureConsole(() => handler.create(checked.inputs));
      expect(run.error, `${d.name}: ${String(run.error)}`).to.equal(undefined);
      applied++;
    }
    expect(applied).to.be.greaterThan(seeded.length);
    const writes = (await env.requests({ kinds: ["api", "pia"] })).filter((r) => r.method !== "GET");
    expect(writes, "no write on either API").to.deep.equal([]);
  });

  it("CLOUDPARTNER_API=productIngestion chooses PIA too; a bad --api or CLOUDPARTNER_API: usage error", async () => {
    await env.clearLog();
    const viaEnv = join(scratchDir("export-pia-env"), "project");
    const r = await exportCli(["--publisher", PUB, "--offer", "pia-exported", "--out", viaEnv], {
      ...cliEnv,
      CLOUDPARTNER_API: "productIngestion",
    });
    expect(r.code, r.stderr).to.equal(0);
    expect(await env.requests()).to.deep.equal([]);
    expect(readFileSync(join(viaEnv, "Pulumi.yaml"), "utf8")).to.contain("cloudpartner:api: productIngestion");
    const unused = join(scratchDir("export-pia-bad"), "project");
    const bad = await exportCli(["--publisher", PUB, "--api", "graph", "--out", unused], cliEnv);
    expect(bad.code).to.equal(2);
    expect(bad.stderr).to.contain("--api takes cpp or productIngestion");
    const badEnv = await exportCli(["--publisher", PUB, "--out", unused], { ...cliEnv, CLOUDPARTNER_API: "graph" });
    expect(badEnv.code).to.equal(2);
    expect(badEnv.stderr).to.contain('CLOUDPARTNER_API takes cpp or productIngestion; got "graph"');
  });

  it("an offer PIA has no product for is named, with the fix", async () => {
    const unused = join(scratchDir("export-pia-missing"), "project");
    const r = await exportCli(
      ["--publisher", PUB, "--api", "productIngestion", "--offer", "no-such-offer", "--out", unused],
      cliEnv,
    );
    expect(r.code).to.equal(1);
    expect(r.stderr).to.contain("offer contoso/no-such-offer has no product in Partner Center").and.contain("--offer");
    expect(r.stderr).to.contain("[CPP_NOT_FOUND]");
  });
});
