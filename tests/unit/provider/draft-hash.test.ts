// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { draftContentHash } from "../../../provider/publish/draft-hash.js";
import { jsonClone } from "../../../provider/util/json.js";
import { sampleDefinition } from "../../helpers/offers.js";

describe("draft content hash (what OfferPublish compares with what it published)", () => {
  const doc = () => ({
    id: "o",
    publisherId: "p",
    status: "neverPublished",
    version: 1,
    changedTime: "t1",
    definition: sampleDefinition({ pricedPlans: true }),
  });

  it("two reads of an unchanged Draft hash alike: envelope, read-only and empty keys, URL query strings do not count", () => {
    const a = doc();
    const b: any = jsonClone(a);
    b.status = "running";
    b.version = 2;
    b.changedTime = "t2";
    b.eTag = "x";
    b.definition.offer["microsoft-azure-marketplace.blobLeadConfiguration"] = {};
    b.definition.offer["microsoft-azure-corevm.legacyOfferId"] = "legacy";
    b.definition.offer["microsoft-azure-marketplace.smallLogo"] += "?sv=2020&sig=fresh";
    b.definition.plans[0]["microsoft-azure-virtualmachines.vmImages"]["1.0.0"].osVhdUrl =
      "https://fab.blob.core.windows.net/vhd/os.vhd?sig=other";
    b.definition.offer = Object.fromEntries(Object.entries(b.definition.offer).reverse());
    expect(draftContentHash(b)).to.equal(draftContentHash(a));
  });

  it("any content change moves it: listing, plan, pricing, blob path", () => {
    const base = draftContentHash(doc());
    const edits: Array<(d: any) => void> = [
      (d) => {
        d.definition.displayText = "Other";
      },
      (d) => {
        d.definition.offer["microsoft-azure-marketplace.summary"] = "Other";
      },
      (d) => {
        d.definition.plans[0].regions = ["US"];
      },
      (d) => {
        d.definition.plans[1].virtualMachinePricing.coreMultiplier.single = 0.06;
      },
      (d) => {
        d.definition.plans[0]["microsoft-azure-virtualmachines.vmImages"]["1.0.0"].osVhdUrl =
          "https://fab.blob.core.windows.net/vhd/os2.vhd?sig=x";
      },
    ];
    for (const edit of edits) {
      const d = doc();
      edit(d);
      expect(draftContentHash(d)).to.not.equal(base);
    }
  });
});
