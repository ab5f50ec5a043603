// SPDX-License-Identifier: Apache-2.0
import { expect } from "chai";
import fc from "fast-check";
import { CORE_SIZE_KEYS } from "../../../provider/schema/core-sizes.js";
import { MARKET_CURRENCY } from "../../../provider/schema/markets.js";
import { fromWirePricing, toWirePricing } from "../../../provider/pricing/mapping.js";
import { normalizePricing } from "../../../provider/pricing/normalize.js";
import { liveRuleViolations } from "../../../provider/pricing/live-rules.js";
import type { VmPricingSpec } from "../../../provider/pricing/spec.js";
import { validatePricing } from "../../../provider/validation/pricing.js";

const price = fc.double({ min: 0, max: 1000, noNaN: true, noDefaultInfinity: true });
const trial = fc.option(fc.constantFrom(0 as const, 1 as const, 3 as const), { nil: undefined });
const sizes = fc.dictionary(fc.constantFrom(...CORE_SIZE_KEYS), price, { minKeys: 1 });
const market = fc.constantFrom(...Object.keys(MARKET_CURRENCY));
const spec: fc.Arbitrary<VmPricingSpec> = fc.oneof(
  fc.constant({ kind: "byol" as const }),
  fc.record(
    { kind: fc.constant("perCore" as const), pricePerCoreUsd: price, freeTrialMonths: trial },
    { requiredKeys: ["kind", "pricePerCoreUsd"] },
  ),
  fc.record(
    { kind: fc.constant("perCoreSize" as const), pricesUsd: sizes, freeTrialMonths: trial },
    { requiredKeys: ["kind", "pricesUsd"] },
  ),
  fc.record(
    {
      kind: fc.constant("perMarket" as const),
      markets: fc.dictionary(market, fc.oneof(fc.record({ pricePerCore: price }), fc.record({ pricesBySize: sizes })), {
        minKeys: 1,
      }),
      freeTrialMonths: trial,
    },
    { requiredKeys: ["kind", "markets"] },
  ),
  fc.record(
    { kind: fc.constant("spreadsheet" as const), uri: fc.webUrl({ validSchemes: ["https"] }), freeTrialMonths: trial },
    { requiredKeys: ["kind", "uri"] },
  ),
);

describe("VM pricing mapping", () => {
  it("round-trips every valid spec through the wire form (after normalisation)", () => {
    fc.assert(
      fc.property(spec, (s) => {
        expect(validatePricing(s)).to.deep.equal([]);
        const n = normalizePricing(s);
        expect(fromWirePricing(toWirePricing(n))).to.deep.equal(n);
      }),
    );
  });

  it("normalisation is idempotent", () => {
    fc.assert(
      fc.property(spec, (s) => {
        expect(normalizePricing(normalizePricing(s))).to.deep.equal(normalizePricing(s));
      }),
    );
  });

  it("writes the documented wire shapes (docs/internals/api-notes.md §6.2–6.4)", () => {
    expect(toWirePricing({ kind: "byol" })).to.deep.equal({ isByol: true, freeTrialDurationInMonths: 0 });
    expect(toWirePricing({ kind: "perCore", pricePerCoreUsd: 0.05, freeTrialMonths: 1 })).to.deep.equal({
      isByol: false,
      freeTrialDurationInMonths: 1,
      coreMultiplier: { currency: "USD", single: 0.05 },
    });
    expect(toWirePricing({ kind: "perCoreSize", pricesUsd: { "2core": 0.04, sharedcore: 0.01 } })).to.deep.equal({
      isByol: false,
      freeTrialDurationInMonths: 0,
      coreMultiplier: { currency: "USD", individually: { "2core": 0.04, sharedcore: 0.01 } },
    });
    expect(
      toWirePricing({ kind: "perMarket", markets: { GB: { pricePerCore: 0.04 }, BR: { pricePerCore: 1 } } })
        .regionPrices,
    ).to.deep.equal({
      BR: { currency: "BRL", single: 1 },
      GB: { currency: "GBP", single: 0.04 },
    });
    expect(toWirePricing({ kind: "spreadsheet", uri: "https://x.example/p.xlsx" }).spreadSheetPricing).to.deep.equal({
      uri: "https://x.example/p.xlsx",
    });
  });

  it("reads a spreadsheet-priced plan as spreadsheet even with evaluated market prices", () => {
    const wire = {
      isByol: false,
      spreadSheetPricing: { uri: "https://x.example/p.xlsx" },
      regionPrices: { US: { currency: "USD", single: 1 } },
    };
    expect(fromWirePricing(wire)).to.deep.equal({ kind: "spreadsheet", uri: "https://x.example/p.xlsx" });
  });

  it("returns undefined for shapes it does not model", () => {
    expect(fromWirePricing(undefined)).to.equal(undefined);
    expect(fromWirePricing({ isByol: false })).to.equal(undefined);
    expect(fromWirePricing({ isByol: "yes" })).to.equal(undefined);
  });
});

describe("live pricing rules (docs/internals/api-notes.md §6.6)", () => {
  const live = toWirePricing({ kind: "perCoreSize", pricesUsd: { "1core": 0.02, "2core": 0.04 } });
  it("allows a decrease and new sizes", () => {
    expect(
      liveRuleViolations(
        "p",
        live,
        toWirePricing({ kind: "perCoreSize", pricesUsd: { "1core": 0.01, "2core": 0.04, "4core": 1 } }),
      ),
    ).to.deep.equal([]);
  });
  it("refuses an increase, naming the size", () => {
    const [reason] = liveRuleViolations(
      "p",
      live,
      toWirePricing({ kind: "perCoreSize", pricesUsd: { "1core": 0.03 } }),
    );
    expect(reason).to.match(/1core \(USD\) of live plan "p" would rise from 0.02 to 0.03/);
  });
  it("refuses a billing-model change", () => {
    const [reason] = liveRuleViolations("p", live, toWirePricing({ kind: "byol" }));
    expect(reason).to.match(/billing model of a published plan cannot change/);
  });
  it("has nothing to say about a plan that is not live", () => {
    expect(liveRuleViolations("p", undefined, toWirePricing({ kind: "byol" }))).to.deep.equal([]);
  });
});
