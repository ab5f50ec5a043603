// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import fc from "fast-check";
import {
  DURABLE_ID_PATTERN,
  formatDurableId,
  isDurableId,
  parseDurableId,
  parseSubmissionId,
  planDurableId,
  productDurableId,
  productGuidOf,
  requireDurableId,
  submissionDurableId,
} from "../../../provider/pia/index.js";

const P = "3c9ca0e5-2a1e-4c4b-9e3d-0a1b2c3d4e5f";
const L = "bd5dd66e-3d1f-44d6-8b4c-7c3a0c3a7d2b";

/** The published pattern of api-notes §P3.1, as the schemas write it (nested quantifiers). */
const PUBLISHED = /^[a-z](-?[a-z0-9]+)*\/[a-z0-9-]+(\/?[a-z0-9-])*$/;

describe("pia: durable ids (§P3.1)", () => {
  it("parses the ids of the documentation and the fixtures", () => {
    const table: Array<[string, { type: string; ids: string[] } | undefined]> = [
      [`product/${P}`, { type: "product", ids: [P] }],
      [`plan/${P}/${L}`, { type: "plan", ids: [P, L] }],
      [`listing/${P}/public/main/default/en-us`, { type: "listing", ids: [P, "public", "main", "default", "en-us"] }],
      [
        `virtual-machine-plan-technical-configuration/${P}/${L}`,
        { type: "virtual-machine-plan-technical-configuration", ids: [P, L] },
      ],
      [`submission/${P}/0`, { type: "submission", ids: [P, "0"] }],
      [`submission/${P}/1152921505694936023`, { type: "submission", ids: [P, "1152921505694936023"] }],
      ["product", undefined],
      ["product/", undefined],
      [`product//${P}`, undefined],
      [`product/${P}/`, undefined],
      [`Product/${P}`, undefined],
      [`product/${P.toUpperCase()}`, undefined],
      [`-product/${P}`, undefined],
      [`product-/${P}`, undefined],
      [`pro--duct/${P}`, undefined],
      [`product/${P}?x=1`, undefined],
      ["", undefined],
    ];
    for (const [id, want] of table) expect(parseDurableId(id), id).to.deep.equal(want);
  });

  it("the pattern accepts exactly what the published pattern accepts", () => {
    const char = fc.constantFrom(..."ab0-/".split(""));
    fc.assert(
      fc.property(fc.array(char, { maxLength: 16 }), (chars) => {
        const s = chars.join("");
        expect(DURABLE_ID_PATTERN.test(s), s).to.equal(PUBLISHED.test(s));
      }),
      { numRuns: 5000 },
    );
  });

  it("a long hostile value is refused at once (no exponential backtracking)", () => {
    const hostile = `${"a".repeat(50_000)}!`;
    const t = performance.now();
    expect(isDurableId(hostile)).to.equal(false);
    expect(isDurableId(`product/${"a-".repeat(25_000)}/`)).to.equal(false);
    // Backtracking on 50 000 characters would take minutes; 2 s only allows for a busy machine.
    expect(performance.now() - t).to.be.below(2000);
  });

  it("format is the inverse of parse", () => {
    const segment = fc.stringMatching(/^[a-z0-9-]{1,12}$/);
    const type = fc.stringMatching(/^[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,5}){0,3}$/);
    fc.assert(
      fc.property(type, fc.array(segment, { minLength: 1, maxLength: 5 }), (t, ids) => {
        const id = formatDurableId(t, ...ids);
        expect(parseDurableId(id)).to.deep.equal({ type: t, ids });
      }),
    );
  });

  it("builders lower-case GUIDs and refuse what is not an id", () => {
    expect(productDurableId(P.toUpperCase())).to.equal(`product/${P}`);
    expect(productDurableId(`product/${P}`)).to.equal(`product/${P}`);
    expect(planDurableId(`product/${P}`, L)).to.equal(`plan/${P}/${L}`);
    expect(submissionDurableId(P, 0)).to.equal(`submission/${P}/0`);
    expect(productGuidOf(`plan/${P}/${L}`)).to.equal(P);
    expect(productGuidOf(`submission/${P}/12`)).to.equal(P);
    expect(parseSubmissionId(`submission/${P}/12`)).to.deep.equal({ productGuid: P, submissionNumber: "12" });
    for (const bad of [
      () => formatDurableId("product"),
      () => formatDurableId("product", "a/b/"),
      () => productGuidOf("a b"),
    ]) {
      expect(bad).to.throw().with.property("code", "CPP_INVALID_ID");
    }
    expect(() => requireDurableId(`plan/${P}/${L}`, "product")).to.throw(/not a durable id of a product/);
    expect(() => parseSubmissionId(`submission/${P}`))
      .to.throw()
      .with.property("code", "CPP_INVALID_ID");
  });
});
