// SPDX-License-Identifier: Apache-2.0
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { getOffer, listOffers } from "../../provider/index.js";
import { emulatedWaits, piaClient, previewSubmission } from "../helpers/pia-client.js";
import { sampleDefinition } from "../helpers/offers.js";
import { startProviderEnv, type ProviderEnv } from "../helpers/provider-env.js";

const PUB = "contoso";

/** getOffer and listOffers from a program whose stack config says `cloudpartner:api: productIngestion`. */
describe("lookups on the Product Ingestion API: getOffer, listOffers", function () {
  this.timeout(60_000);
  let env: ProviderEnv;

  before(async () => {
    env = await startProviderEnv({ config: { "cloudpartner:api": "productIngestion" } });
    await env.emulator.control.seed({
      offers: ["seen-1", "seen-2"].map((id) => ({
        publisherId: PUB,
        offer: {
          id,
          publisherId: PUB,
          offerTypeId: "microsoft-azure-virtualmachines",
          definition: sampleDefinition({ pricedPlans: true, summary: `Summary of ${id}` }),
        },
      })),
    });
    const e = env.emulator;
    // The program's stack config, as the language host hands it to a program.
    pulumi.runtime.setAllConfig(
      {
        "cloudpartner:api": "productIngestion",
        "cloudpartner:productIngestionEndpoint": e.productIngestionUrl,
        "cloudpartner:tenantId": e.tenantId,
        "cloudpartner:clientId": e.clientId,
        "cloudpartner:clientSecret": e.clientSecret,
        "cloudpartner:authority": e.authorityUrl,
      },
      ["cloudpartner:clientSecret"],
    );
  });
  after(() => env.close());
  beforeEach(() => env.clearLog());

  it("getOffer reads the draft through PIA only, with the product's durable id", async () => {
    const got = await getOffer({ publisherId: PUB, offerId: "seen-1" });
    expect(got).to.include({ publisherId: PUB, offerId: "seen-1", slot: "draft" });
    expect(got.offerTypeId).to.equal("microsoft-azure-virtualmachines");
    expect(got.productId).to.match(/^product\//);
    expect(got.definition.offer["microsoft-azure-marketplace.summary"]).to.equal("Summary of seen-1");
    expect(got.definition.plans.map((p) => p.planId).sort()).to.deep.equal(["byol", "payg"]);
    expect(await env.requests(), "no CPP request").to.deep.equal([]);
    expect((await env.requests({ kinds: ["pia"] })).every((r) => r.method === "GET")).to.equal(true);
  });

  it("getOffer of the preview slot reads what a submission published", async () => {
    const reader = piaClient(env.emulator, emulatedWaits());
    await env.emulator.control.setModes({
      stepDurationsMs: { displaydummycertify: 0, displaycertify: 0, displayprovision: 0, displaypackage: 0 },
    });
    const product = await reader.findProduct("seen-2");
    const job = await reader.configure([previewSubmission(product!.id!)]);
    await reader.waitForJob(job.jobId);
    await env.control("PATCH", `/offers/${PUB}/seen-2`, {
      definition: { offer: { "microsoft-azure-marketplace.summary": "Draft moved on" } },
    });
    const preview = await getOffer({ publisherId: PUB, offerId: "seen-2", slot: "preview" });
    expect(preview.definition.offer["microsoft-azure-marketplace.summary"]).to.equal("Summary of seen-2");
    const draft = await getOffer({ publisherId: PUB, offerId: "seen-2" });
    expect(draft.definition.offer["microsoft-azure-marketplace.summary"]).to.equal("Draft moved on");
  });

  it("listOffers lists the account's VM products by offer id; a missing offer is a clear error", async () => {
    const list = await listOffers({ publisherId: PUB });
    expect(list.offers.map((o) => o.offerId)).to.include.members(["seen-1", "seen-2"]);
    expect(list.offers.find((o) => o.offerId === "seen-1")).to.include({
      offerTypeId: "microsoft-azure-virtualmachines",
    });
    expect(await env.requests()).to.deep.equal([]);
    const missing = await getOffer({ publisherId: PUB, offerId: "no-such-offer" }).catch((e) => e);
    expect(missing.code).to.equal("CPP_NOT_FOUND");
    expect(missing.message).to.contain("contoso/no-such-offer");
  });
});
