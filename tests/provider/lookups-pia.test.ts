// SPDX-License-Identifier: Apache-2.0
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { getOffer, listOffers } from "../../provider/index.js";
import { piaToDefinition } from "../../provider/pia-offer/index.js";
import { schemaUrl, type PiaClient, type PiaResource } from "../../provider/pia/index.js";
import { REPO } from "../../scripts/lib/engine-project.js";
import { emulatedWaits, piaClient, previewSubmission } from "../helpers/pia-client.js";
import { sampleDefinition } from "../helpers/offers.js";
import { startProviderEnv, type ProviderEnv } from "../helpers/provider-env.js";

const PUB = "contoso";
const VM = "microsoft-azure-virtualmachines";
const SUMMARY = "microsoft-azure-marketplace.summary";

/**
 * getOffer and listOffers from a program whose stack config (or account entry) says
 * `api: productIngestion`, on offers seeded through the CPP side of the emulator's one store.
 */
describe("lookups on the Product Ingestion API: getOffer, listOffers", function () {
  this.timeout(60_000);
  let env: ProviderEnv;
  let reader: PiaClient;
  /** The program's stack config, as the language host hands it to a program. */
  let programConfig: (over?: Record<string, string>) => void;

  /** Publishes an offer to preview, then live, through the test's own PIA client (emulated clock). */
  async function publishLive(offerId: string): Promise<void> {
    const product = (await reader.findProduct(offerId))!.id!;
    await reader.waitForJob((await reader.configure([previewSubmission(product)])).jobId);
    const preview = (await reader.listSubmissions(product)).find(
      (s) => s.target.targetType === "preview" && s.result === "succeeded",
    );
    const live = { $schema: schemaUrl("submission"), id: preview!.id, product, target: { targetType: "live" } };
    await reader.waitForJob((await reader.configure([live as PiaResource])).jobId);
  }

  before(async () => {
    env = await startProviderEnv({ config: { "cloudpartner:api": "productIngestion" } });
    await env.emulator.control.seed({
      offers: ["seen-1", "seen-2", "seen-3"].map((id) => ({
        publisherId: PUB,
        offer: {
          id,
          publisherId: PUB,
          offerTypeId: VM,
          definition: sampleDefinition({ pricedPlans: true, summary: `Summary of ${id}` }),
        },
      })),
    });
    await env.emulator.control.setModes({
      stepDurationsMs: { displaydummycertify: 0, displaycertify: 0, displayprovision: 0, displaypackage: 0, live: 0 },
    });
    reader = piaClient(env.emulator, emulatedWaits());
    const e = env.emulator;
    programConfig = (over = {}) =>
      pulumi.runtime.setAllConfig(
        {
          "cloudpartner:api": "productIngestion",
          "cloudpartner:endpoint": e.apiUrl,
          "cloudpartner:productIngestionEndpoint": e.productIngestionUrl,
          "cloudpartner:tenantId": e.tenantId,
          "cloudpartner:clientId": e.clientId,
          "cloudpartner:clientSecret": e.clientSecret,
          "cloudpartner:authority": e.authorityUrl,
          ...over,
        },
        ["cloudpartner:clientSecret", "cloudpartner:accounts"],
      );
    programConfig();
  });
  after(() => env.close());
  beforeEach(async () => {
    programConfig();
    await env.clearLog();
  });

  it("getOffer reads the draft through PIA only: what piaToDefinition reads, and the durable id", async () => {
    const got = await getOffer({ publisherId: PUB, offerId: "seen-1" });
    const requests = await env.requests({ kinds: ["api", "pia"] });
    const product = await reader.findProduct("seen-1");
    const read = piaToDefinition(await reader.getResourceTree(product!.id!), { offerTypeId: VM });
    expect(got).to.deep.equal({
      publisherId: PUB,
      offerId: "seen-1",
      slot: "draft",
      offerTypeId: VM,
      definition: read.definition,
      productId: product!.id,
    });
    expect(got.definition.offer[SUMMARY]).to.equal("Summary of seen-1");
    expect(requests.length).to.be.greaterThan(0);
    expect(
      requests.filter((r) => r.kind !== "pia"),
      "no CPP request",
    ).to.deep.equal([]);
    expect([...new Set(requests.map((r) => r.method))]).to.deep.equal(["GET"]);
  });

  it("getOffer of preview and production reads what was published; before that, a clear 404", async () => {
    const early = await getOffer({ publisherId: PUB, offerId: "seen-2", slot: "production" }).catch((e) => e);
    expect(early.code).to.equal("CPP_NOT_FOUND");
    expect(early.message).to.contain("offer contoso/seen-2 has no production version").and.contain("published to live");
    await publishLive("seen-2");
    await env.control("PATCH", `/offers/${PUB}/seen-2`, {
      definition: { offer: { [SUMMARY]: "Draft moved on" } },
    });
    await env.clearLog();
    const slot = async (s: "draft" | "preview" | "production") =>
      (await getOffer({ publisherId: PUB, offerId: "seen-2", slot: s })).definition.offer[SUMMARY];
    expect(await slot("preview")).to.equal("Summary of seen-2");
    expect(await slot("production")).to.equal("Summary of seen-2");
    expect(await slot("draft")).to.equal("Draft moved on");
    const trees = (await env.requests({ kinds: ["pia"] })).filter((r) => r.path.includes("/resource-tree/"));
    expect(trees.map((r) => new URLSearchParams((r as { query?: string }).query).get("targetType"))).to.deep.equal([
      "preview",
      "live",
      "draft",
    ]);
    expect(await env.requests(), "no CPP request").to.deep.equal([]);
  });

  it("listOffers lists the account's VM products by external id and alias, without status or version", async () => {
    const list = await listOffers({ publisherId: PUB });
    expect(await env.requests(), "no CPP request").to.deep.equal([]);
    const products = await reader.listProducts();
    const seen = list.offers.filter((o) => o.offerId.startsWith("seen-"));
    expect(seen).to.deep.equal(
      ["seen-1", "seen-2", "seen-3"].map((offerId) => ({
        offerId,
        offerTypeId: VM,
        displayText: products.find((p) => p.identity.externalId === offerId)!.alias,
      })),
    );
    expect(seen[0].displayText).to.be.a("string").and.not.equal("");
  });

  it("a missing offer is a CPP_NOT_FOUND error naming the publisher and offer ids", async () => {
    const missing = await getOffer({ publisherId: PUB, offerId: "no-such-offer" }).catch((e) => e);
    expect(missing.code).to.equal("CPP_NOT_FOUND");
    expect(missing.message).to.contain("offer contoso/no-such-offer has no product in Partner Center");
    expect(missing.fix).to.contain("offer ids");
  });

  it("an account entry whose api is productIngestion reads through PIA while the stack stays on CPP", async () => {
    const e = env.emulator;
    const accounts = {
      "on-pia": { tenantId: e.tenantId, clientId: e.clientId, clientSecret: e.clientSecret, api: "productIngestion" },
    };
    programConfig({ "cloudpartner:api": "cpp", "cloudpartner:accounts": JSON.stringify(accounts) });
    const onPia = await getOffer({ publisherId: PUB, offerId: "seen-3", account: "on-pia" });
    expect(onPia.productId).to.match(/^product\//);
    expect(await env.requests(), "no CPP request").to.deep.equal([]);
    const onCpp = await getOffer({ publisherId: PUB, offerId: "seen-3" });
    expect(onCpp.productId).to.equal(undefined);
    expect(onCpp.status).to.equal("neverPublished");
    expect((await env.requests()).map((r) => `${r.method} ${r.path}`)).to.deep.equal([
      "GET /api/publishers/contoso/offers/seen-3",
    ]);
  });

  it("loading the lookups loads no back end: the handlers' modules come only with a lookup", () => {
    const lookups = join(REPO, "dist", "provider", "resources", "lookups.js");
    const ours = join(REPO, "dist", "provider");
    const script =
      `require(${JSON.stringify(lookups)}); const ours = ${JSON.stringify(ours)};` +
      "console.log(JSON.stringify(Object.keys(require.cache).filter((k) => k.startsWith(ours))))";
    const loaded = execFileSync(process.execPath, ["-e", script], { encoding: "utf8" });
    expect(JSON.parse(loaded)).to.deep.equal([lookups]);
  });
});
