// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "../../../scripts/lib/engine-project.js";
import { judgeOffer, parseExampleSpec, substitute, subsetMismatches } from "../../../scripts/lib/example-spec.js";

/** The offline-run hook of the examples (examples/README.md, `emulator.json`). */
describe("unit: examples' emulator.json (placeholders, expectations)", () => {
  it("every example's emulator.json parses", () => {
    const dirs = readdirSync(join(REPO, "examples")).filter((d) =>
      existsSync(join(REPO, "examples", d, "emulator.json")),
    );
    expect(dirs).to.include("vm-offer");
    for (const d of dirs) {
      const file = join(REPO, "examples", d, "emulator.json");
      expect(() => parseExampleSpec(readFileSync(file, "utf8"), file), d).to.not.throw();
    }
  });

  it("a malformed emulator.json is refused naming the file and the field", () => {
    expect(() => parseExampleSpec("{", "x.json")).to.throw(/x\.json is not valid JSON/);
    expect(() => parseExampleSpec('{"confg":{}}', "x.json")).to.throw(/unknown field "confg"/);
    expect(() => parseExampleSpec('{"config":{"a:b":1}}', "x.json")).to.throw(
      /"config" must map config keys to strings/,
    );
    expect(() => parseExampleSpec('{"expect":{"offers":[{"offerId":"o"}]}}', "x.json")).to.throw(/expect\.offers/);
  });

  it("placeholders take the emulator's values and named control answers; an unknown name fails", () => {
    const vars = { publisherId: "contoso", second: { tenant: { id: "t2" } } };
    expect(substitute({ a: ["${publisherId}/${second.tenant.id}"], n: 1 }, vars)).to.deep.equal({
      a: ["contoso/t2"],
      n: 1,
    });
    expect(() => substitute("${publisherID}", vars)).to.throw(/\$\{publisherID\} names nothing/);
  });

  it("subset matching reports each difference by path", () => {
    const held = { definition: { displayText: "A", plans: [{ planId: "x" }], offer: { k: 1 } } };
    expect(subsetMismatches({ definition: { displayText: "A" } }, held)).to.deep.equal([]);
    expect(subsetMismatches({ definition: { displayText: "B" } }, held)).to.deep.equal([
      'definition.displayText: expected "B", found "A"',
    ]);
    expect(subsetMismatches({ definition: { plans: [] } }, held)[0]).to.match(/definition\.plans: expected 0 elements/);
    expect(subsetMismatches({ definition: { offer: { k: 2 } } }, held)).to.have.length(1);
  });

  it("an offer is judged on existence, published slots and its draft", () => {
    const want = {
      publisherId: "p",
      offerId: "o",
      preview: true,
      live: false,
      draft: { definition: { displayText: "A" } },
    };
    const good = { draft: { definition: { displayText: "A" } }, preview: { id: "o" }, production: null };
    expect(judgeOffer(want, good)).to.deep.equal([]);
    expect(judgeOffer(want, undefined)).to.deep.equal(["p/o: the emulator holds no such offer"]);
    expect(judgeOffer(want, { ...good, preview: null })).to.deep.equal(["p/o: Preview slot is not published"]);
    expect(judgeOffer(want, { ...good, production: {} })).to.deep.equal(["p/o: Production slot is published"]);
    expect(judgeOffer(want, { ...good, draft: { definition: { displayText: "Z" } } })).to.have.length(1);
  });
});
