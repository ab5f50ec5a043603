// SPDX-License-Identifier: Apache-2.0
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { getOffer, getOfferOutput, listOffers } from "../../provider/index.js";
import { sampleDefinition } from "../helpers/offers.js";
import { rejection, startProviderEnv, type ProviderEnv } from "../helpers/provider-env.js";

const PUB = "contoso";
const T2 = "22222222-0000-0000-0000-00000000bbbb";
const ACCOUNTS = JSON.stringify({
  northwind: { tenantId: T2, clientId: "northwind-app", clientSecret: "northwind-secret-0001" },
});

/** Offer.get's read from the id alone (what the engine's read step calls), getOffer and listOffers. */
describe("lookups: Offer.get's read, getOffer, listOffers", function () {
  this.timeout(60_000);
  let env: ProviderEnv;
  const offerDoc = (offerId: string, publisherId = PUB) => ({
    publisherId,
    offer: {
      id: offerId,
      publisherId,
      offerTypeId: "microsoft-azure-virtualmachines",
      definition: sampleDefinition({ pricedPlans: true }),
    },
  });

  before(async () => {
    env = await startProviderEnv({ config: { "cloudpartner:accounts": ACCOUNTS } });
    await env.control("POST", "/seed", {
      publishers: [{ id: "northwind" }],
      principals: [
        { clientId: "northwind-app", tenantId: T2, clientSecret: "northwind-secret-0001", publishers: ["northwind"] },
      ],
      offers: [offerDoc("existing"), offerDoc("second"), offerDoc("theirs", "northwind")],
    });
    const e = env.emulator;
    // The program's stack config, as the language host hands it to a program.
    pulumi.runtime.setAllConfig(
      {
        "cloudpartner:tenantId": e.tenantId,
        "cloudpartner:clientId": e.clientId,
        "cloudpartner:clientSecret": e.clientSecret,
        "cloudpartner:endpoint": e.apiUrl,
        "cloudpartner:authority": e.authorityUrl,
        "cloudpartner:accounts": ACCOUNTS,
      },
      ["cloudpartner:clientSecret", "cloudpartner:accounts"],
    );
  });
  after(() => env.close());
  beforeEach(() => env.clearLog());

  it("Offer.get: read works from the id alone (the read step passes only the program's props) and writes nothing", async () => {
    const offer = env.provider("offer");
    const r = await offer.read("contoso/existing", {});
    expect(r.id).to.equal("contoso/existing");
    expect(r.props).to.deep.include({
      publisherId: PUB,
      offerId: "existing",
      offerTypeId: "microsoft-azure-virtualmachines",
      status: "neverPublished",
      version: 1,
    });
    const held = (await env.emulator.control.offer(PUB, "existing")).draft.definition;
    expect(r.props.definition.displayText).to.equal(held.displayText);
    expect(r.props.definition.plans.map((p: any) => p.planId)).to.deep.equal(held.plans.map((p: any) => p.planId));
    expect(r.props.definition.offer["microsoft-azure-marketplace.title"]).to.equal(
      held.offer["microsoft-azure-marketplace.title"],
    );
    expect((await env.requests()).map((q) => q.method)).to.deep.equal(["GET"]);
    // With an account, the read uses that account's principal.
    const theirs = await offer.read("northwind/theirs", { account: "northwind" });
    expect(theirs.props.account).to.equal("northwind");
    expect((await env.requests()).map((q: any) => q.clientId)).to.deep.equal([env.emulator.clientId, "northwind-app"]);
  });

  it("Offer.get: a malformed id or a missing offer is a clear error", async () => {
    const offer = env.provider("offer");
    const bad = await rejection(offer.read("existing", {}));
    expect(bad.message).to.match(/an Offer's id is "publisherId\/offerId"/);
    expect((bad as any).code).to.equal("CPP_INVALID_ID");
    const missing = await rejection(offer.read("contoso/nope", {}));
    expect((missing as any).code).to.equal("CPP_OFFER_NOT_FOUND");
    expect(missing.message).to.match(/does not exist in the Cloud Partner Portal/);
  });

  it("getOffer reads a slot with the program's config; preview before a publish is a 404", async () => {
    const got = await getOffer({ publisherId: PUB, offerId: "existing" });
    expect(got).to.deep.include({
      publisherId: PUB,
      offerId: "existing",
      slot: "draft",
      status: "neverPublished",
      version: 1,
    });
    expect(got.definition.plans).to.have.length(2);
    expect(got.etag).to.match(/^W\//);
    const preview = await getOffer({ publisherId: PUB, offerId: "existing", slot: "preview" }).catch((e) => e);
    expect(preview.code).to.equal("CPP_NOT_FOUND");
    expect((await env.requests()).map((q) => `${q.method} ${q.path}`)).to.deep.equal([
      "GET /api/publishers/contoso/offers/existing",
      "GET /api/publishers/contoso/offers/existing/slot/Preview",
    ]);
    const viaOutput = await new Promise((resolve) =>
      getOfferOutput({ publisherId: pulumi.output(PUB), offerId: "second" }).apply(resolve),
    );
    expect((viaOutput as { offerId: string }).offerId).to.equal("second");
  });

  it("getOffer and listOffers with an account; each principal is refused (403) on the other's publisher", async () => {
    expect((await getOffer({ publisherId: "northwind", offerId: "theirs", account: "northwind" })).offerId).to.equal(
      "theirs",
    );
    const list = await listOffers({ publisherId: PUB });
    expect(list.offers.map((o) => o.offerId).sort()).to.deep.equal(["existing", "second"]);
    expect(list.offers[0]).to.include({
      offerTypeId: "microsoft-azure-virtualmachines",
      status: "neverPublished",
      version: 1,
    });
    const refused = await listOffers({ publisherId: PUB, account: "northwind" }).catch((e) => e);
    expect(refused.code).to.equal("CPP_FORBIDDEN");
    expect(refused.message).to.match(/publisher "contoso"/);
    const unknown = await getOffer({ publisherId: PUB, offerId: "existing", account: "ghost" }).catch((e) => e);
    expect(unknown.message).to.match(/account "ghost" is not in cloudpartner:accounts/);
  });
});
