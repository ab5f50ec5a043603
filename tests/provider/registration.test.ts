// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { execFileSync } from "node:child_process";
import { join } from "node:path";

describe("resource registration (pulumi.runtime.setMocks)", () => {
  let result: { registrations: Array<{ type: string; name: string; inputs: Record<string, unknown> }>; outputs: unknown[] };

  before(function () {
    this.timeout(60_000);
    const out = execFileSync(process.execPath, [join(__dirname, "fixtures", "mocks-program.js")], { encoding: "utf8" });
    result = JSON.parse(out.trim().split("\n").pop()!);
  });

  it("registers the three resources under module cloudpartner with their class names", () => {
    expect(result.registrations.map((r) => r.type)).to.deep.equal([
      "pulumi-nodejs:dynamic/cloudpartner:Offer",
      "pulumi-nodejs:dynamic/cloudpartner:VmPricing",
      "pulumi-nodejs:dynamic/cloudpartner:OfferPublish",
    ]);
  });

  it("passes the inputs and the serialised provider, and no output-only keys", () => {
    const offer = result.registrations[0].inputs;
    expect(offer.__provider).to.equal("string");
    expect(offer.publisherId).to.equal("contoso");
    expect(offer.offerId).to.equal("mock-offer");
    expect(offer).to.not.have.any.keys("etag", "status", "version", "changedTime");
    expect(result.registrations[1].inputs.pricing).to.deep.equal({ kind: "byol" });
    expect(result.registrations[2].inputs.target).to.equal("preview");
  });

  it("exposes typed outputs, wiring one resource's output into another's input", () => {
    // offerTypeId's default is applied by check(), which mocks do not run: it stays unset here.
    expect(result.outputs).to.deep.equal(['W/"etag-o"', "neverPublished", null, { kind: "byol" }, 'W/"etag-o"', "preview"]);
  });
});
