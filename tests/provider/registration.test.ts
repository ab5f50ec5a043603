// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { join } from "node:path";

describe("resource registration (pulumi.runtime.setMocks)", () => {
  let result: {
    registrations: Array<{ type: string; name: string; inputs: Record<string, unknown> }>;
    outputs: unknown[];
  };

  before(function () {
    this.timeout(60_000);
    const out = execFileSync(process.execPath, [join(__dirname, "fixtures", "mocks-program.js")], { encoding: "utf8" });
    result = JSON.parse(out.trim().split("\n").pop()!);
  });

  const byType = (t: string) => result.registrations.find((r) => r.type.endsWith(`:${t}`))!.inputs;

  it("registers the three resources under module cloudpartner with their class names", () => {
    // The order of registration follows when each resource's inputs resolve, not the program's order.
    expect(result.registrations.map((r) => r.type).sort()).to.deep.equal([
      "pulumi-nodejs:dynamic/cloudpartner:Offer",
      "pulumi-nodejs:dynamic/cloudpartner:OfferPublish",
      "pulumi-nodejs:dynamic/cloudpartner:VmPricing",
    ]);
  });

  it("passes the inputs and the serialised provider, and no output-only keys", () => {
    const offer = byType("Offer");
    expect(offer.__provider).to.equal("string");
    expect(offer.publisherId).to.equal("contoso");
    expect(offer.offerId).to.equal("mock-offer");
    expect(offer).to.not.have.any.keys("etag", "status", "version", "changedTime", "fingerprint");
    expect(byType("VmPricing").pricing).to.deep.equal({ kind: "byol" });
    expect(byType("OfferPublish").target).to.equal("preview");
  });

  it("takes SAS signatures out of the definition into a separate input (definition shows sig=[secret])", () => {
    const offer = byType("Offer") as any;
    const text = JSON.stringify(offer.definition);
    expect(text).to.contain("sig=[secret]").and.not.contain("planted-sas-signature");
    expect(JSON.stringify(offer.sasSignatures)).to.contain("planted-sas-signature");
  });

  it("exposes typed outputs, wiring one resource's output into another's input", () => {
    // offerTypeId's default is applied by check(), which mocks do not run: it stays unset here.
    expect(result.outputs).to.deep.equal([
      'W/"etag-o"',
      "neverPublished",
      null,
      { kind: "byol" },
      'W/"etag-o"',
      "preview",
    ]);
  });
});
