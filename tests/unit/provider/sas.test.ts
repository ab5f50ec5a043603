// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import fc from "fast-check";
import { mergeSas, SAS_PLACEHOLDER, splitSas } from "../../../provider/util/sas.js";
import { sampleDefinition } from "../../helpers/offers.js";

describe("SAS signatures split from and merged into definitions", () => {
  it("split takes every sig= value out (VHDs, data disks, logos, pricing sheets, links in text)", () => {
    const def: any = sampleDefinition();
    def.offer["microsoft-azure-marketplace.smallLogo"] =
      "https://a.blob.core.windows.net/l/s.png?sv=2020&sig=logo%2Bsig&se=2030";
    def.offer["microsoft-azure-marketplace.description"] = '<a href="https://x.example/d?sig=in-html">x</a>';
    def.plans[0]["microsoft-azure-virtualmachines.vmImages"]["1.0.0"].lunVhdDetails = [
      { lun: 0, lunVhdUrl: "https://a/d.vhd?sig=disk-sig" },
    ];
    def.plans[1].virtualMachinePricing = {
      isByol: false,
      spreadSheetPricing: { uri: "https://a/p.xlsx?sp=r&sig=sheet-sig" },
    };
    const { value, signatures } = splitSas(def);
    const text = JSON.stringify(value);
    for (const sig of ["planted-sas-signature", "logo%2Bsig", "in-html", "disk-sig", "sheet-sig"])
      expect(text).to.not.contain(sig);
    expect(text).to.contain(`sig=${SAS_PLACEHOLDER}&se=2030`);
    expect(signatures["/offer/microsoft-azure-marketplace.smallLogo"]).to.deep.equal(["logo%2Bsig"]);
    expect(signatures["/plans/1/virtualMachinePricing/spreadSheetPricing/uri"]).to.deep.equal(["sheet-sig"]);
    expect(Object.keys(signatures)).to.have.length(6);
    expect(mergeSas(value, signatures)).to.deep.equal(def);
    expect(JSON.stringify(def)).to.contain("disk-sig"); // the input is not modified
  });

  it("merge(split(x)) = x and split is idempotent, for any JSON with URLs in it", () => {
    const url = fc
      .tuple(fc.webUrl(), fc.stringMatching(/^[A-Za-z0-9%+/=]{0,20}$/), fc.boolean())
      .map(([u, sig, more]) => `${u}${u.includes("?") ? "&" : "?"}sig=${sig}${more ? "&se=x" : ""}`);
    const json = fc.letrec((tie) => ({
      v: fc.oneof(
        { depthSize: "small" },
        url,
        fc.string(),
        fc.integer(),
        fc.array(tie("v"), { maxLength: 3 }),
        fc.dictionary(fc.string(), tie("v"), { maxKeys: 3 }),
      ),
    })).v;
    fc.assert(
      fc.property(json, (x) => {
        const s = splitSas(x);
        expect(mergeSas(s.value, s.signatures)).to.deep.equal(x);
        expect(splitSas(s.value).value).to.deep.equal(s.value);
      }),
      { numRuns: 60 },
    );
  });

  it("the oracle can fail: without split the signature is in the text", () => {
    expect(JSON.stringify(sampleDefinition())).to.contain("planted-sas-signature");
  });
});
